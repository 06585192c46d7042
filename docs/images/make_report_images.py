"""Regenerate docs/images/report-*.png: pages of the seed park's draft annual report (PDF).

    .venv/bin/python docs/images/make_report_images.py

Writes the report of examples/wujin-2018 with `write_report(..., "report.pdf")` (the date fixed
to the table's 填报时间 2019-05-22 so the images do not change with the day), then renders whole
pages with `pdftoppm -png -r 70`, and two figures cropped at 100 dpi:

    report-page1.png     the title page
    report-page2.png     一、园区概况 and the start of 二、指标达标情况
    report-page3.png     indicator paragraphs with the first trend chart
    report-verdict.png   图 3 (verdict summary by category) with its caption
    report-margins.png   图 4 (margin of each indicator over its requirement) with its caption
    report-appendix.png  the first page of the appendix, the 对照考核表

Pages are found by their text (pdftotext), so the images follow the report when it grows; a
figure is cut from the bottom of the text line above it to its caption (pdftotext -bbox-layout),
so two figures on one page still give two different pictures.
Needs LibreOffice (soffice), poppler-utils (pdftoppm, pdftotext) and the Noto CJK fonts
(scripts/system-deps); `ecopark.reports.report_pdf` maps 宋体 / 黑体 to Noto Serif / Sans CJK SC
where those fonts are missing, as on any Linux machine.
"""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parents[2]
IMAGES = ROOT / "docs" / "images"
DAY = datetime.date(2019, 5, 22)
RESOLUTION = "70"
FIGURE_RESOLUTION = 100
# image name → a text its page starts with or holds (the first page that does)
PAGES = {"report-page1": None, "report-page2": "一、园区概况",
         "report-page3": "图 1 ", "report-appendix": "附录一 对照考核表"}
FIGURES = {"report-verdict": 3, "report-margins": 4}  # image name → figure number


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


def caption_page(texts: list[str], number: int) -> int:
    """The page whose line starts with "图 N " (the caption, not a mention in the text)."""
    caption = re.compile(rf"^\s*图 {number} ", re.MULTILINE)
    return next(i for i, text in enumerate(texts, start=1) if caption.search(text))


def render(pdf: Path, page: int, output: Path) -> None:
    prefix = output.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", RESOLUTION, "-f", str(page), "-l", str(page),
                    "-singlefile", str(pdf), str(prefix)], check=True, timeout=60)


def lines(pdf: Path, page: int) -> list[tuple[float, float, float, float, str]]:
    """The text lines of one page: (x0, y0, x1, y1) in points from the top left, and the text."""
    xhtml = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-bbox-layout",
                            str(pdf), "-"], capture_output=True, text=True, check=True,
                           timeout=60).stdout
    found = []
    for line in ElementTree.fromstring(xhtml).findall(".//{*}line"):
        box = tuple(float(line.attrib[k]) for k in ("xMin", "yMin", "xMax", "yMax"))
        text = " ".join(word.text or "" for word in line.findall("{*}word"))
        found.append((*box, text))
    return found  # type: ignore[return-value]


def figure_box(pdf: Path, page: int, number: int) -> tuple[float, float, float, float]:
    """The figure above the caption "图 N …": from the line above it to the caption's bottom."""
    texts = lines(pdf, page)
    caption = next(t for t in texts if t[4].startswith(f"图 {number} "))
    above = [t[3] for t in texts if t[3] < caption[1] - 20]
    left, right = min(t[0] for t in texts), max(t[2] for t in texts)
    return left - 6, (max(above) if above else 0) + 4, right + 6, caption[3] + 6


def render_box(pdf: Path, page: int, box: tuple[float, float, float, float],
               output: Path) -> None:
    scale = FIGURE_RESOLUTION / 72
    x, y, width, height = (round(box[0] * scale), round(box[1] * scale),
                           round((box[2] - box[0]) * scale), round((box[3] - box[1]) * scale))
    subprocess.run(["pdftoppm", "-png", "-r", str(FIGURE_RESOLUTION), "-f", str(page), "-l",
                    str(page), "-x", str(x), "-y", str(y), "-W", str(width), "-H", str(height),
                    "-singlefile", str(pdf), str(output.with_suffix(""))], check=True, timeout=60)


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
        for name, number in FIGURES.items():
            page = caption_page(texts, number)
            render_box(pdf, page, figure_box(pdf, page, number), IMAGES / f"{name}.png")
            print(f"wrote docs/images/{name}.png (图 {number}, page {page})")


if __name__ == "__main__":
    main()
