"""Benchmark: roll up 100,000 enterprise-rows (5,000 enterprises × 20 years) into park items
(target: the roll-up under 3 s).

The roster is generated with a seeded generator and written as a CSV in a temporary folder (not
timed): per row year, name, credit code (valid check character), industry code, key flags,
output, value added, employees, land, water, wastewater, four pollutants, solid waste, and six
energy carriers (coal, gas, diesel, grid power, self-used PV, purchased heat). Timed separately:

    read      ecopark.io.roster.read_roster (CSV → checked records)
    roll-up   coefficients resolved once, 综合能耗 and CO2 for every row, the HJ 274 roll-up
              rules applied, contributions (top 10 per item-year), the dataset built and
              validated — `ecopark.accounting.rollup.rollup`     ← the target
    quality   enterprise-level data-quality rules over the 100,000 rows
    write     the dataset as YAML (ecopark.io.yamlout.dataset_yaml)

Run from anywhere: .venv/bin/python bench/rollup.py [--enterprises N] [--years Y] [--repeat R]
Prints figures only; it never asserts.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import tempfile
import time
from pathlib import Path

from ecopark.accounting.creditcode import check_character
from ecopark.accounting.factors import Settings
from ecopark.accounting.library import load_library
from ecopark.accounting.rollup import Options, rollup
from ecopark.accounting.rollup_rules import load_rules
from ecopark.core.framework.loading import load_framework
from ecopark.core.quality import check_roster
from ecopark.io.roster import read_roster
from ecopark.io.yamlout import dataset_yaml

TARGET_SECONDS = 3.0
HEADER = ["年份", "企业名称", "统一社会信用代码", "行业代码", "重点企业", "重点排污单位",
          "清洁生产审核完成年份", "环境信息已公开", "工业总产值（万元）", "工业增加值（万元）",
          "年末从业人员（人）", "用地面积（平方米）", "新鲜水用量（立方米）", "重复用水量（立方米）",
          "废水排放量（吨）", "COD排放量（吨）", "氨氮排放量（吨）", "二氧化硫排放量（吨）",
          "氮氧化物排放量（吨）", "一般工业固体废物产生量（吨）", "一般工业固体废物综合利用量（吨）",
          "原煤（吨）", "天然气（立方米）", "柴油（吨）", "外购电力（千瓦时）",
          "自发自用可再生电力（千瓦时）", "外购热力（吉焦）"]
INDUSTRIES = ["C1713", "C2614", "C2929", "C3311", "C3442", "C3982", "C2720", "C1491"]


def _code(serial: int) -> str:
    body = f"91320412MA{serial:07d}"
    return body + check_character(body)


def generate(path: Path, enterprises: int, years: int) -> int:
    rng = random.Random(274)
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for e in range(enterprises):
            size = rng.lognormvariate(9, 1)  # 万元 of output
            key = rng.random() < 0.2
            polluter = rng.random() < 0.15
            for y in range(years):
                year = 2005 + y
                out = size * (1.05 ** y)
                writer.writerow([
                    year, f"企业{e:05d}", _code(e + 1), rng.choice(INDUSTRIES),
                    "是" if key else "否", "是" if polluter else "否",
                    2005 + rng.randrange(years) if key else "", "是" if polluter else "",
                    round(out, 2), round(out * 0.25, 2), max(5, int(out / 100)),
                    round(out * 2, 1), round(out * 1.5, 1), round(out * 3, 1), round(out * 1.2, 1),
                    round(out * 1e-4, 4), round(out * 1e-5, 5), round(out * 2e-5, 5),
                    round(out * 3e-5, 5), round(out * 0.01, 3), round(out * 0.009, 3),
                    round(out * 0.02, 2) if e % 7 == 0 else "", round(out * 3, 1),
                    round(out * 0.001, 3), round(out * 80, 1),
                    round(out * 2, 1) if e % 5 == 0 else "", round(out * 0.05, 2) if e % 3 == 0
                    else ""])
                rows += 1
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=5000)
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    framework = load_framework("hj274-2015")
    library = load_library()
    rules = load_rules(framework)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "roster.csv"
        started = time.perf_counter()
        rows = generate(path, args.enterprises, args.years)
        print(f"roster: {rows:,} rows ({args.enterprises:,} enterprises × {args.years} years), "
              f"{path.stat().st_size / 2**20:.1f} MiB CSV, generated in "
              f"{time.perf_counter() - started:.2f} s (not timed)")
        started = time.perf_counter()
        roster = read_roster(path, library)
        print(f"read:    {time.perf_counter() - started:.2f} s (CSV parsed and checked)")
    options = Options(Settings(grid_year=2022))
    times, cpu = [], []
    for _ in range(args.repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = rollup(roster, framework, library, rules, options)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    items = len(result.spec.observations)
    verdict = "OK" if times[0] < TARGET_SECONDS else "SLOW"
    print(f"roll-up: first {times[0]:.2f} s (CPU {cpu[0]:.2f} s), median {statistics.median(times):.2f} s "
          f"over {args.repeat} passes — {items} items × {len(roster.years())} years, "
          f"{sum(len(v) for c in result.spec.contributions.values() for v in c.values()):,} "
          f"contribution entries; target < {TARGET_SECONDS:g} s: {verdict}")
    started = time.perf_counter()
    findings = check_roster(roster, result.computed, framework)
    print(f"quality: {time.perf_counter() - started:.2f} s, {len(findings):,} enterprise-level "
          "findings")
    started = time.perf_counter()
    text = dataset_yaml(result.spec)
    print(f"write:   {time.perf_counter() - started:.2f} s, {len(text) / 2**20:.2f} MiB YAML")


if __name__ == "__main__":
    main()
