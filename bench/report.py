"""Benchmark: the draft annual report of the seed park as .docx (target: under 3 s) and as PDF.

In one interpreter, after loading the framework and the seed dataset and evaluating it (not
timed, but printed): the first .docx report (cold: matplotlib imported, fonts found, charts
drawn for the first time), then RUNS more; then the report's phases separately (gather: verify,
gap solver, other years; build the narrative; draw the charts; write the docx). The PDF goes
through LibreOffice headless (a fresh profile each time, as `write_report` does): PDF_RUNS runs.
Finally `ecopark report … -o report.docx` end to end as a subprocess, start-up included.

Run from anywhere: .venv/bin/python bench/report.py [--runs N] [--pdf-runs N]
Prints figures only; it never asserts.
"""

from __future__ import annotations

import argparse
import datetime
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATASET = ROOT / "examples" / "wujin-2018" / "dataset.yaml"
ECOPARK = Path(sys.executable).parent / "ecopark"
TARGET_SECONDS = 3.0
DAY = datetime.date(2019, 5, 22)


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def summary(seconds: list[float]) -> str:
    return (f"min {min(seconds):.3f} s, median {statistics.median(seconds):.3f} s, "
            f"max {max(seconds):.3f} s ({len(seconds)} runs)")


def main() -> None:
    args = parse_args()
    start = time.perf_counter()
    from ecopark import evaluate, load_dataset, load_framework
    from ecopark.reports.report import write_report

    framework = load_framework("hj274-2015")
    evaluation = evaluate(framework, load_dataset(DATASET, framework))
    print(f"imports, framework, dataset, evaluation (not timed): "
          f"{time.perf_counter() - start:.3f} s")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        docx = folder / "report.docx"
        cold = timed(lambda: write_report(evaluation, docx, generated_on=DAY))
        print(f"docx, first report (cold: matplotlib import, font lookup): {cold:.3f} s, "
              f"{docx.stat().st_size / 1024:.0f} KiB")
        warm = [timed(lambda: write_report(evaluation, docx, generated_on=DAY))
                for _ in range(args.runs)]
        print(f"docx, warm: {summary(warm)}")
        verdict = "OK" if max(cold, *warm) < TARGET_SECONDS else "MISSED"
        print(f"target < {TARGET_SECONDS:g} s: {verdict} (cold and warm)")
        print()
        phases(evaluation, folder)
        print()
        pdf(evaluation, folder, args.pdf_runs)
        print()
        cli(folder)


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


def pdf(evaluation: object, folder: Path, runs: int) -> None:
    from ecopark.reports.report import write_report

    if shutil.which("soffice") is None:
        print("pdf: soffice not found (scripts/system-deps installs LibreOffice); skipped")
        return
    path = folder / "report.pdf"
    seconds = [timed(lambda: write_report(evaluation, path, generated_on=DAY))  # type: ignore[arg-type]
               for _ in range(runs)]
    pages = "?"
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=False)
        pages = next((line.split()[-1] for line in info.stdout.splitlines()
                      if line.startswith("Pages:")), "?")
    print(f"pdf (docx + LibreOffice headless): {summary(seconds)}; {pages} pages, "
          f"{path.stat().st_size / 1024:.0f} KiB")


def cli(folder: Path) -> None:
    command = [str(ECOPARK), "report", str(DATASET), "-o", str(folder / "cli.docx")]
    seconds = []
    for _ in range(3):
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, check=False)
        seconds.append(time.perf_counter() - start)
    print(f"`ecopark report … -o report.docx` end to end (exit code {done.returncode}): "
          f"{summary(seconds)}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="warm docx runs (default 5)")
    parser.add_argument("--pdf-runs", type=int, default=2, help="pdf runs (default 2)")
    return parser.parse_args()


if __name__ == "__main__":
    main()
