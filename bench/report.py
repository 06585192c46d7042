"""Benchmark: the 对照考核表 and the draft annual report as .docx and PDF, on the seed park and on
a ten-year park (targets on ten years: table .docx < 1 s, report .docx < 3 s, report PDF < 6 s).

In one interpreter, after loading the framework and the datasets and evaluating them (not timed,
but printed): for each of the seed (examples/wujin-2018, one year) and the ten-year park
(bench/ten_years.py: the seed's 2018 values carried back to 2009), the table as .docx, the
report as .docx (the first one cold: matplotlib imported, fonts found) and the report as PDF
(LibreOffice headless; the first conversion of the run sets its kept profile up when there is
none). Each figure is wall time and CPU time (this process plus LibreOffice's); then the
ten-year report's phases (gather, build, draw the charts, write the docx) and finally
`ecopark report … -o report.docx` end to end as a subprocess, start-up included.

Run from anywhere: .venv/bin/python bench/report.py [--runs N] [--pdf-runs N]
Prints figures only; it never asserts.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ten_years import ten_year_dataset

ROOT = Path(__file__).resolve().parent.parent
DATASET = ROOT / "examples" / "wujin-2018" / "dataset.yaml"
ECOPARK = Path(sys.executable).parent / "ecopark"
TARGETS = {"table .docx": 1.0, "report .docx": 3.0, "report .pdf": 6.0}  # on ten years
DAY = datetime.date(2019, 5, 22)


def timed(action: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU seconds of `action` (CPU: this process and the children it waited for)."""
    before, start = os.times(), time.perf_counter()
    action()
    wall, after = time.perf_counter() - start, os.times()
    cpu = sum(after[:4]) - sum(before[:4])
    return wall, cpu


def summary(runs: list[tuple[float, float]]) -> str:
    walls, cpus = [w for w, _ in runs], [c for _, c in runs]
    return (f"wall min {min(walls):.2f} / median {statistics.median(walls):.2f} s, "
            f"CPU median {statistics.median(cpus):.2f} s ({len(runs)} runs)")


def main() -> None:
    args = parse_args()
    start = time.perf_counter()
    from ecopark import evaluate, load_dataset, load_framework

    framework = load_framework("hj274-2015")
    parks = {"seed (1 year)": evaluate(framework, load_dataset(DATASET, framework)),
             "ten years": evaluate(framework, ten_year_dataset(framework))}
    print(f"imports, framework, datasets, evaluations (not timed): "
          f"{time.perf_counter() - start:.3f} s; load average {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, evaluation in parks.items():
            print(f"\n{name}:")
            documents(evaluation, folder, args, judged=name == "ten years")
        print()
        phases(parks["ten years"], folder)
        print()
        cli(folder)


def documents(evaluation: object, folder: Path, args: argparse.Namespace, judged: bool) -> None:
    from ecopark.reports.report import write_report
    from ecopark.reports.table import build_table, write_table

    actions: dict[str, tuple[Callable[[], object], int]] = {
        "table .docx": (lambda: write_table(build_table(evaluation, filled_on=DAY),  # type: ignore[arg-type]
                                            folder / "table.docx"), args.runs),
        "report .docx": (lambda: write_report(evaluation, folder / "report.docx",  # type: ignore[arg-type]
                                              generated_on=DAY), args.runs),
    }
    if shutil.which("soffice"):
        actions["report .pdf"] = (lambda: write_report(evaluation, folder / "report.pdf",  # type: ignore[arg-type]
                                                       generated_on=DAY), args.pdf_runs)
    else:
        print("  pdf: soffice not found (scripts/system-deps installs LibreOffice); skipped")
    for label, (action, runs) in actions.items():
        first = timed(action)
        rest = [timed(action) for _ in range(runs)]
        verdict = ""
        if judged:
            verdict = "  target < {:g} s: {}".format(
                TARGETS[label], "OK" if min(w for w, _ in rest) < TARGETS[label] else "MISSED")
        print(f"  {label:13} first {first[0]:.2f} s (CPU {first[1]:.2f}); {summary(rest)}"
              f"{verdict}")


def phases(evaluation: object, folder: Path) -> None:
    from ecopark.reports import report_docx
    from ecopark.reports.charts import render
    from ecopark.reports.narrative import build_report, gather

    marks: dict[str, float] = {}
    start = time.perf_counter()
    facts = gather(evaluation)  # type: ignore[arg-type]
    marks["gather: verify, gaps, sensitivity, other years"] = time.perf_counter() - start
    start = time.perf_counter()
    report = build_report(evaluation, facts=facts, generated_on=DAY)  # type: ignore[arg-type]
    marks["build the narrative (zh)"] = time.perf_counter() - start
    start = time.perf_counter()
    sizes = [len(render(figure.chart)) for figure in report.figures()]
    marks[f"draw {len(sizes)} charts ({sum(sizes) / 1024:.0f} KiB of PNG)"] = \
        time.perf_counter() - start
    start = time.perf_counter()
    report_docx.write(report, folder / "phases.docx")
    marks["write the docx (charts drawn again)"] = time.perf_counter() - start
    print("one warm report, phase by phase:")
    for name, seconds in marks.items():
        print(f"  {1000 * seconds:8.1f} ms  {name}")


def cli(folder: Path) -> None:
    command = [str(ECOPARK), "report", str(DATASET), "-o", str(folder / "cli.docx")]
    codes: list[int] = []
    runs = [timed(lambda: codes.append(subprocess.run(command, capture_output=True,
                                                      check=False).returncode))
            for _ in range(3)]
    print(f"`ecopark report <seed> -o report.docx` end to end (exit codes {codes}): "
          f"{summary(runs)}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="docx runs after the first (default 3)")
    parser.add_argument("--pdf-runs", type=int, default=2,
                        help="pdf runs after the first (default 2)")
    return parser.parse_args()


if __name__ == "__main__":
    main()
