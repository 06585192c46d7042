"""Regenerate docs/images/report-*.png: pages of the seed park's draft annual report (PDF).

    .venv/bin/python docs/images/make_report_images.py

Writes the report of examples/wujin-2018 with `write_report(..., "report.pdf")` (the date fixed
to the table's 填报时间 2019-05-22 so the images do not change with the day), then renders pages
with `pdftoppm -png -r 70`:

    report-page1.png     the title page
    report-page2.png     一、园区概况 and the start of 二、指标达标情况
    report-page3.png     indicator paragraphs with the first trend chart
    report-verdict.png   the page with 图3 (verdict summary by category)
    report-margins.png   the page with 图4 (margin of each indicator over its requirement)
    report-appendix.png  the first page of the appendix, the 对照考核表

Pages are found by their text (pdftotext), so the images follow the report when it grows.
Needs LibreOffice (soffice), poppler-utils (pdftoppm, pdftotext) and the Noto CJK fonts
(scripts/system-deps); `ecopark.reports.report_pdf` maps 宋体 / 黑体 to Noto Serif / Sans CJK SC
where those fonts are missing, as on any Linux machine.
"""

from __future__ import annotations

import datetime
import shutil
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
IMAGES = ROOT / "docs" / "images"
DAY = datetime.date(2019, 5, 22)
RESOLUTION = "70"
# image name → a text its page starts with or holds (the first page that does)
PAGES = {"report-page1": None, "report-page2": "一、园区概况",
         "report-page3": "图 1 ", "report-verdict": "图 3 ", "report-margins": "图 4 ",
         "report-appendix": "附录 对照考核表"}


def write_pdf(path: Path) -> None:
    from ecopark import evaluate, load_dataset, load_framework
    from ecopark.reports.report import write_report

    framework = load_framework("hj274-2015")
    dataset = load_dataset(ROOT / "examples" / "wujin-2018" / "dataset.yaml", framework)
    write_report(evaluate(framework, dataset), path, generated_on=DAY)


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True, timeout=60).stdout
    return text.split("\f")


def find(texts: list[str], needle: str | None) -> int:
    if needle is None:
        return 1
    return next(i for i, text in enumerate(texts, start=1) if needle in text)


def render(pdf: Path, page: int, output: Path) -> None:
    prefix = output.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", RESOLUTION, "-f", str(page), "-l", str(page),
                    "-singlefile", str(pdf), str(prefix)], check=True, timeout=60)


def main() -> None:
    for tool in ("soffice", "pdftoppm", "pdftotext"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} not found: run scripts/system-deps")
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "report.pdf"
        write_pdf(pdf)
        texts = page_texts(pdf)
        for name, needle in PAGES.items():
            page = find(texts, needle)
            render(pdf, page, IMAGES / f"{name}.png")
            print(f"wrote docs/images/{name}.png (page {page} of {len(texts) - 1})")


if __name__ == "__main__":
    main()
