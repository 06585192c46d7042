"""Regenerate docs/images/table-docx-page1.png: page 1 of the seed park's 对照考核表 (.docx).

    .venv/bin/python docs/images/make_table_image.py

Builds the table of examples/wujin-2018 (填报时间 fixed to the report's 2019-05-22 so the image
does not change with the date), writes it with `write_table(..., "table.docx")`, converts it to
PDF with LibreOffice headless and renders page 1 with `pdftoppm -png -r 80 -f 1 -l 1`.

Needs LibreOffice (soffice), pdftoppm (poppler-utils) and the Noto CJK fonts (scripts/system-deps).
The document asks for 宋体 / 黑体 / Times New Roman, which Linux does not have: the conversion is
`ecopark.reports.report_pdf.convert`, whose private fontconfig file maps them to Noto Serif CJK
SC / Noto Sans CJK SC (Liberation Serif for Times New Roman), as `ecopark report --pdf` does.
"""

from __future__ import annotations

import datetime
import shutil
import subprocess
import tempfile
from pathlib import Path

from ecopark.reports.report_pdf import convert

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "docs" / "images" / "table-docx-page1.png"
FILLED_ON = datetime.date(2019, 5, 22)

def write_docx(path: Path) -> None:
    from ecopark import evaluate, load_dataset, load_framework
    from ecopark.reports.table import build_table, write_table

    framework = load_framework("hj274-2015")
    dataset = load_dataset(ROOT / "examples" / "wujin-2018" / "dataset.yaml", framework)
    write_table(build_table(evaluate(framework, dataset), filled_on=FILLED_ON), path)


def render(docx: Path, folder: Path) -> Path:
    pdf = convert(docx, folder)  # the report's own conversion, with its font fallbacks
    prefix = folder / "page"
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
                    str(pdf), str(prefix)], check=True, timeout=60)
    return prefix.with_suffix(".png")


def main() -> None:
    for tool in ("soffice", "pdftoppm"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} not found: run scripts/system-deps")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        docx = folder / "table.docx"
        write_docx(docx)
        shutil.copyfile(render(docx, folder), OUTPUT)
    print(f"wrote {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
