"""Regenerate docs/images/table-docx-page1.png: page 1 of the seed park's 对照考核表 (.docx).

    .venv/bin/python docs/images/make_table_image.py

Builds the table of examples/wujin-2018 (填报时间 fixed to the report's 2019-05-22 so the image
does not change with the date), writes it with `write_table(..., "table.docx")`, converts it to
PDF with LibreOffice headless and renders page 1 with `pdftoppm -png -r 80 -f 1 -l 1`.

Needs LibreOffice (soffice), pdftoppm (poppler-utils) and the Noto CJK fonts (scripts/system-deps).
The document asks for 宋体 / 黑体 / Times New Roman, which Linux does not have; for this rendering
only, a private fontconfig file maps them to Noto Serif CJK SC / Noto Sans CJK SC (Liberation
Serif for Times New Roman when installed), which is what a machine with those fonts shows.
"""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "docs" / "images" / "table-docx-page1.png"
FILLED_ON = datetime.date(2019, 5, 22)
FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  {aliases}
</fontconfig>
"""
SUBSTITUTES = {"宋体": ["Noto Serif CJK SC"], "SimSun": ["Noto Serif CJK SC"],
               "黑体": ["Noto Sans CJK SC"], "SimHei": ["Noto Sans CJK SC"],
               "Times New Roman": ["Liberation Serif", "Noto Serif CJK SC"]}


def write_docx(path: Path) -> None:
    from ecopark import evaluate, load_dataset, load_framework
    from ecopark.reports.table import build_table, write_table

    framework = load_framework("hj274-2015")
    dataset = load_dataset(ROOT / "examples" / "wujin-2018" / "dataset.yaml", framework)
    write_table(build_table(evaluate(framework, dataset), filled_on=FILLED_ON), path)


def fonts_conf(folder: Path) -> Path:
    aliases = "\n  ".join(
        f'<alias binding="strong"><family>{name}</family><prefer>'
        + "".join(f"<family>{family}</family>" for family in families)
        + "</prefer></alias>"
        for name, families in SUBSTITUTES.items())
    path = folder / "fonts.conf"
    path.write_text(FONTS_CONF.format(aliases=aliases), encoding="utf-8")
    return path


def render(docx: Path, folder: Path) -> Path:
    env = {**os.environ, "FONTCONFIG_FILE": str(fonts_conf(folder))}
    subprocess.run(["soffice", f"-env:UserInstallation=file://{folder / 'profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder), str(docx)],
                   check=True, capture_output=True, timeout=120, env=env)
    prefix = folder / "page"
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
                    str(docx.with_suffix(".pdf")), str(prefix)], check=True, timeout=60)
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
