"""Benchmark: importing a 100,000-row × 20-column enterprise sheet (issue 3, part 5).

Targets: ecopark's import at least 5× faster than `pandas.read_excel(path, engine="openpyxl")`
and at most 1.5× the raw calamine read; peak memory of each printed.

The sheet (企业名录: 4 text columns — name, credit code, industry, park, the last often blank —
and 16 number columns with units in their headers: ints and 2-decimal floats, 8 % blank, 1 %
"/" and 1 % numbers typed as text with thousands separators) is generated with openpyxl in
write-only mode from `random.Random(2018)`, so every run reads the same bytes, and cached under
the temporary directory (ecopark-bench/); generation is not timed.

Timed, each in a fresh interpreter with its imports done first:
- ecopark: `ecopark.io.sheet.open_workbook` (the guard, the workbook's XML parts), `sheet()` (the
  scan of the sheet's XML — extent, formulas, errors, percent styles — then calamine), the
  header found by name with `find_header`, and every cell of every row converted with
  `ecopark.io.cells`: text columns with `cell_text`, number columns with `plain_number`,
  falling back to `read_number` for the cells it leaves (blank, "/", "12,345.60");
- calamine: `python_calamine.CalamineWorkbook.from_path(p).get_sheet_by_index(0).to_python()`;
- pandas: `pandas.read_excel(p, engine="openpyxl")`.

Memory, per reader: the growth of the process's peak resident set (`resource.getrusage`) over
the timed runs — calamine allocates in Rust, which tracemalloc does not see — and, in a
separate run (tracemalloc slows Python down), the peak of Python allocations.

Run from anywhere: .venv/bin/python bench/workbook_import.py [--rows N] [--runs R]
[--pandas-runs P] [--profile]. Prints figures and OK/MISSED; it never asserts.
"""

from __future__ import annotations

import argparse
import json
import operator
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

SHEET = "企业名录"
VERSION = 1
TEXT = ("企业名称", "统一社会信用代码", "行业", "所在园区")
NUMBERS = ("工业增加值（万元）", "工业总产值（万元）", "营业收入（万元）", "综合能耗（吨标准煤）",
           "电力消费量（万千瓦时）", "新鲜水用量（立方米）", "工业废水排放量（立方米）",
           "化学需氧量排放量（吨）", "氨氮排放量（吨）", "二氧化硫排放量（吨）", "氮氧化物排放量（吨）",
           "一般工业固体废物产生量（吨）", "一般工业固体废物综合利用量（吨）", "危险废物产生量（吨）",
           "从业人员（人）", "研发投入（万元）")
WHOLE = frozenset({"从业人员（人）"})
INDUSTRIES = ("化学原料和化学制品制造业", "通用设备制造业", "专用设备制造业", "电气机械和器材制造业",
              "计算机、通信和其他电子设备制造业", "纺织业", "金属制品业", "汽车制造业",
              "医药制造业", "橡胶和塑料制品业", "非金属矿物制品业", "有色金属冶炼和压延加工业")
PARKS = ("武进国家高新技术产业开发区", "西太湖科技产业园", None)
FAST_TARGET = 5.0  # pandas / ecopark at least
RAW_TARGET = 1.5  # ecopark / calamine at most


# ------------------------------------------------------------------------ the sheet


def sheet_path(rows: int) -> Path:
    return Path(tempfile.gettempdir()) / "ecopark-bench" / f"enterprises-{rows}x20-v{VERSION}.xlsx"


def number_cell(rng: random.Random, whole: bool) -> object:
    draw = rng.random()
    if draw < 0.08:
        return None
    if draw < 0.09:
        return "/"
    value = rng.randint(5, 5000) if whole else round(rng.lognormvariate(6, 2), 2)
    if draw < 0.10:
        return f"{value:,.2f}" if not whole else f"{value:,}"
    return value


def generate(path: Path, rows: int) -> None:
    import openpyxl  # type: ignore[import-untyped, unused-ignore]

    rng = random.Random(2018)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(SHEET)
    sheet.append([*TEXT, *NUMBERS])
    for n in range(rows):
        code = "91320412" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(10))
        text = [f"常州市{rng.choice(('武进', '新北', '天宁'))}区企业{n:06d}有限公司", code,
                rng.choice(INDUSTRIES), rng.choice(PARKS)]
        sheet.append(text + [number_cell(rng, name in WHOLE) for name in NUMBERS])
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial.xlsx")
    book.save(partial)
    partial.replace(path)


# ------------------------------------------------------------------------ the readers


def read_ecopark(path: Path) -> dict[str, Any]:
    from ecopark.io.cells import Number, cell_text, plain_number, read_number
    from ecopark.io.sheet import Column, open_workbook

    columns = [Column(name, (name,)) for name in (*TEXT, *NUMBERS)]
    cells, total = 0, 0.0
    with open_workbook(path) as book:
        sheet = book.sheet(SHEET)
        rows = sheet.rows()
        header = sheet.find_header(rows, columns)
        texts = operator.itemgetter(*[header.columns[name] - 1 for name in TEXT])
        numbers = [header.columns[name] - 1 for name in NUMBERS]
        number_cells = operator.itemgetter(*numbers)
        for row in rows:
            values = row.values
            text = list(map(cell_text, texts(values)))
            raws = number_cells(values)
            found = list(map(plain_number, raws))
            if found.count(None) != raws.count(""):  # not only blanks: "/", "12,345.60", …
                for index, raw in enumerate(raws):
                    if found[index] is None and raw != "":
                        read = read_number(raw, row.is_percent(numbers[index] + 1))
                        found[index] = read.value if isinstance(read, Number) else None
            cells += len(text) + len(found) - text.count("") - found.count(None)
            total += sum(filter(None, found))
    return {"cells": cells, "sum": round(total, 2)}


def read_calamine(path: Path) -> dict[str, Any]:
    import python_calamine

    data = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    return {"cells": sum(1 for row in data[1:] for value in row if value != "")}


def read_pandas(path: Path) -> dict[str, Any]:
    import pandas  # type: ignore[import-untyped, unused-ignore]

    frame = pandas.read_excel(path, engine="openpyxl")
    return {"cells": int(frame.notna().sum().sum())}


READERS: dict[str, Callable[[Path], dict[str, Any]]] = {
    "ecopark": read_ecopark, "calamine": read_calamine, "pandas": read_pandas}
IMPORTS = {"ecopark": "ecopark.io.sheet", "calamine": "python_calamine", "pandas": "pandas"}
LABELS = {"ecopark": "ecopark (io.sheet + io.cells)", "calamine": "calamine raw (to_python)",
          "pandas": "pandas.read_excel(openpyxl)"}


def measure(reader: str, path: Path, memory: bool) -> dict[str, Any]:
    """In this (fresh) interpreter: one timed read, or one read under tracemalloc."""
    __import__(IMPORTS[reader])
    if reader == "ecopark":
        __import__("ecopark.io.cells")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if memory:
        tracemalloc.start()
        result = READERS[reader](path)
        result["python_peak"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return result
    start, cpu = time.perf_counter(), time.process_time()
    result = READERS[reader](path)
    result["seconds"], result["cpu"] = time.perf_counter() - start, time.process_time() - cpu
    result["rss_growth"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024
    return result


def run(reader: str, path: Path, memory: bool = False) -> dict[str, Any]:
    command = [sys.executable, __file__, "--measure", reader, "--file", str(path)]
    done = subprocess.run(command + (["--memory"] if memory else []), capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{reader} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# ------------------------------------------------------------------------ report


def mib(size: float) -> str:
    return f"{size / 2**20:,.0f} MiB"


def report(runs: dict[str, list[dict[str, Any]]], python_peak: dict[str, int]) -> None:
    print(f"\n{'reader':30s} {'wall best':>9s} {'CPU best':>9s}  {'wall runs (s)':26s}"
          f"{'RSS growth':>11s} {'Python peak':>12s}")
    for reader, results in runs.items():
        walls = " ".join(f"{r['seconds']:.2f}" for r in results)
        wall, cpu = best(runs, reader, "seconds"), best(runs, reader, "cpu")
        print(f"{LABELS[reader]:30s} {wall:8.2f}s {cpu:8.2f}s  {walls:26s}"
              f"{mib(max(r['rss_growth'] for r in results)):>11s}"
              f"{mib(python_peak[reader]):>12s}")
    eco = runs["ecopark"][0]
    print(f"\nvalues read: ecopark {eco['cells']:,} non-empty cells (numbers sum {eco['sum']:,.2f}); "
          f"calamine {runs['calamine'][0]['cells']:,}")
    print("ratios of the best CPU seconds (a busy shared machine inflates wall time, not CPU time),"
          " wall in brackets:")
    if "pandas" in runs:
        judge("pandas / ecopark  ", ratio(runs, "pandas", "ecopark"), FAST_TARGET, "≥")
    judge("ecopark / calamine", ratio(runs, "ecopark", "calamine"), RAW_TARGET, "≤")


def best(runs: dict[str, list[dict[str, Any]]], reader: str, key: str) -> float:
    return float(min(r[key] for r in runs[reader]))


def ratio(runs: dict[str, list[dict[str, Any]]], top: str, bottom: str) -> tuple[float, float]:
    return (best(runs, top, "cpu") / best(runs, bottom, "cpu"),
            best(runs, top, "seconds") / best(runs, bottom, "seconds"))


def judge(label: str, ratios: tuple[float, float], target: float, sense: str) -> None:
    met = ratios[0] >= target if sense == "≥" else ratios[0] <= target
    print(f"  {label} = {ratios[0]:5.2f}× ({ratios[1]:.2f}×)  target {sense} {target:g}×  "
          f"{'OK' if met else 'MISSED'}")


def profile(path: Path) -> None:
    import cProfile
    import pstats

    read_ecopark(path)  # warm the page cache
    cProfile.runctx("read_ecopark(path)", globals(), {"path": path}, "/tmp/ecopark-bench.prof")
    pstats.Stats("/tmp/ecopark-bench.prof").sort_stats("tottime").print_stats(15)


def main() -> None:
    args = parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, Path(args.file), args.memory)))
        return
    path = sheet_path(args.rows)
    if path.exists():
        print(f"sheet: {path} (cached, {path.stat().st_size / 2**20:.1f} MiB)")
    else:
        start = time.perf_counter()
        generate(path, args.rows)
        print(f"sheet: {path} (generated in {time.perf_counter() - start:.1f} s, "
              f"{path.stat().st_size / 2**20:.1f} MiB)")
    print(f"{args.rows:,} rows × 20 columns; Python {sys.version.split()[0]}")
    if args.profile:
        profile(path)
        return
    readers = ["ecopark", "calamine"] + (["pandas"] if args.pandas_runs else [])
    runs: dict[str, list[dict[str, Any]]] = {reader: [] for reader in readers}
    for index in range(args.runs):  # interleaved, so a busy moment hits both alike
        for reader in readers[:2] + (readers[2:] if index < args.pandas_runs else []):
            runs[reader].append(run(reader, path))
            print(f"  {reader}: {runs[reader][-1]['seconds']:.2f} s", flush=True)
    report(runs, {reader: run(reader, path, memory=True)["python_peak"] for reader in readers})


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5, help="timed runs of ecopark and calamine")
    parser.add_argument("--pandas-runs", type=int, default=1, help="0 skips pandas")
    parser.add_argument("--profile", action="store_true", help="cProfile ecopark's import")
    parser.add_argument("--measure", choices=sorted(READERS), help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--memory", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


if __name__ == "__main__":
    main()
