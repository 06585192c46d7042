"""Benchmark: `ecopark assess examples/wujin-2018/dataset.yaml` end to end (target: under 1 s).

Runs the installed `ecopark` executable (the one next to this Python) as a subprocess, so the
wall time includes interpreter start-up, imports, loading the framework and the dataset,
evaluation and rendering the table. One untimed warm-up run, then RUNS timed runs. Then
`python -X importtime -c "import ecopark.cli"` shows what importing the CLI module costs: the
10 largest cumulative import times, and self time summed by top-level package. (The assess
command imports a few more modules lazily, e.g. rich and pint, which that table does not show.)

Run from anywhere: .venv/bin/python bench/cli_startup.py [--runs N]
Prints figures only; it never asserts.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATASET = Path("examples") / "wujin-2018" / "dataset.yaml"
ECOPARK = Path(sys.executable).parent / "ecopark"
RUNS = 10
TARGET_SECONDS = 1.0
TOP = 10

# One assess, phase by phase, in a fresh interpreter (what `ecopark assess` does, in order).
PHASES = """
import io, json, sys, time
marks = [("interpreter start-up", time.time() - float(sys.argv[1]))]
def mark(name, start):
    marks.append((name, time.perf_counter() - start))
t = time.perf_counter(); import ecopark.cli; mark("import ecopark.cli", t)
from ecopark.core.framework.loading import load_framework
from ecopark.core.dataset.loading import load_dataset
from ecopark.core.evaluate import evaluate
t = time.perf_counter(); fw = load_framework("hj274-2015"); mark("load framework", t)
t = time.perf_counter(); ds = load_dataset(sys.argv[2], fw); mark("load dataset", t)
t = time.perf_counter(); ev = evaluate(fw, ds); mark("evaluate", t)
t = time.perf_counter()
from rich.console import Console
from ecopark.cli.terminal import assessment
Console(file=io.StringIO(), width=160).print(assessment(ev, "zh")); mark("render table", t)
print(json.dumps(marks))
"""


@dataclasses.dataclass(frozen=True)
class ImportRow:
    module: str
    depth: int
    self_us: int
    cumulative_us: int


def run_assess() -> tuple[float, int]:
    """Wall seconds and exit code of one `ecopark assess` run from the repository root."""
    start = time.perf_counter()
    done = subprocess.run([str(ECOPARK), "assess", str(DATASET)], cwd=ROOT,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    return time.perf_counter() - start, done.returncode


def time_assess(runs: int) -> None:
    warm, code = run_assess()
    print(f"command: {ECOPARK.name} assess {DATASET.as_posix()}  (cwd {ROOT})")
    print(f"warm-up run (not counted): {warm:.3f} s, exit code {code}")
    if sys.flags.dont_write_bytecode:
        print("note: bytecode caching is off (PYTHONDONTWRITEBYTECODE / -B): modules without a "
              "cached .pyc, e.g. ecopark's own, are compiled on every start")
    results = [run_assess() for _ in range(runs)]
    seconds = [wall for wall, _ in results]
    codes = sorted({code for _, code in results})
    print(f"runs: {runs}, exit codes: {codes}")
    print(f"wall seconds: min {min(seconds):.3f}, median {statistics.median(seconds):.3f}, "
          f"max {max(seconds):.3f}")
    verdict = "OK" if max(seconds) < TARGET_SECONDS else "MISSED"
    print(f"target < {TARGET_SECONDS:g} s: {verdict} (every run)")


def import_rows() -> list[ImportRow]:
    """Parse `-X importtime` lines: 'import time: self | cumulative | <indent>module'."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", "import ecopark.cli"],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    rows = []
    for line in done.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) != 3 or not parts[0].strip().isdigit():
            continue  # the header line, or anything else on stderr
        name = parts[2].rstrip()
        depth = (len(name) - len(name.lstrip())) // 2
        rows.append(ImportRow(name.strip(), depth, int(parts[0]), int(parts[1])))
    return rows


def print_top_cumulative(rows: list[ImportRow]) -> None:
    print(f"top {TOP} cumulative import times (python -X importtime -c \"import ecopark.cli\"):")
    print(f"  {'cumulative':>10}  {'self':>8}  depth  module")
    for row in sorted(rows, key=lambda r: r.cumulative_us, reverse=True)[:TOP]:
        print(f"  {row.cumulative_us / 1000:8.1f} ms  {row.self_us / 1000:5.1f} ms  "
              f"{row.depth:>5}  {row.module}")


def print_by_package(rows: list[ImportRow]) -> None:
    by_package: Counter[str] = Counter()
    for row in rows:
        by_package[row.module.split(".")[0]] += row.self_us
    total = sum(row.self_us for row in rows)
    print(f"self time by top-level package (all imports: {total / 1000:.1f} ms):")
    for package, micros in by_package.most_common(TOP):
        print(f"  {micros / 1000:8.1f} ms  {100 * micros / total:5.1f} %  {package}")


def time_phases() -> None:
    """Where one assess spends its time (a fresh interpreter; start-up is approximate)."""
    start = time.time()
    done = subprocess.run([sys.executable, "-c", PHASES, str(start), str(DATASET)], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(f"phase breakdown failed: {done.stderr.strip().splitlines()[-1:]}")
        return
    print("one assess, phase by phase (in process):")
    for name, seconds in json.loads(done.stdout):
        print(f"  {1000 * seconds:8.1f} ms  {name}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS, help="timed runs (default 10)")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    time_assess(max(1, args.runs))
    print()
    time_phases()
    print()
    rows = import_rows()
    print_top_cumulative(rows)
    print()
    print_by_package(rows)


if __name__ == "__main__":
    main()
