"""Regenerate docs/images/workbook-*.png: sheets of the filled example workbook, for the guide.

    .venv/bin/python docs/images/make_workbook_images.py

LibreOffice (headless) converts examples/wujin-2018/wujin-2018.xlsx — the fill-in template of
`ecopark template`, filled with the seed park's data — to HTML, one table per sheet, with the
sheet's own column widths, fills and number formats; Debian's Chromium (/usr/bin/chromium, driven
by Playwright) photographs the top rows of two sheets:

    workbook-park.png    园区信息: park name, base year, evaluation year, region class …
    workbook-data.png    基础数据: one row per item, one column per year, units, sources

The red corner marks LibreOffice draws for cell comments are hidden. Needs LibreOffice (soffice)
and Chromium (scripts/system-deps).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
WORKBOOK = ROOT / "examples" / "wujin-2018" / "wujin-2018.xlsx"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--lang=zh-CN"]
SHOTS = {"workbook-park.png": ("园区信息", 16), "workbook-data.png": ("基础数据", 16)}  # sheet, rows
TEXT = re.compile(r"\S")  # a header cell with a text: the sheet's last used column
HIDE = "a.comment-indicator { display: none !important; } body { margin: 8px; }"


def to_html(folder: Path) -> Path:
    subprocess.run(["soffice", "--headless", "--convert-to", "html", "--outdir", str(folder),
                    str(WORKBOOK)], check=True, timeout=180, capture_output=True)
    return folder / f"{WORKBOOK.stem}.html"


def shoot(page: Page, sheet: str, rows: int, output: Path) -> None:
    """The sheet's table from its title down to its `rows`-th row, as wide as its header."""
    table = page.locator(f"xpath=//a[h1/em[text()='{sheet}']]/following-sibling::table[1]")
    top = table.bounding_box()
    right = table.locator("tr").nth(1).locator("td").filter(has_text=TEXT).last.bounding_box()
    last = table.locator("tr").nth(rows - 1).bounding_box()
    assert top is not None and right is not None and last is not None, f"no sheet {sheet}"
    page.screenshot(path=str(output), full_page=True, clip={
        "x": 0, "y": top["y"] - 2, "width": right["x"] + right["width"] + 10,
        "height": last["y"] + last["height"] - top["y"] + 3})


def main() -> None:
    if shutil.which("soffice") is None or not Path(CHROMIUM).exists():
        sys.exit("soffice or /usr/bin/chromium missing: run scripts/system-deps")
    with tempfile.TemporaryDirectory(prefix="ecopark-workbook-") as tmp:
        html = to_html(Path(tmp))
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(html.as_uri())
            page.add_style_tag(content=HIDE)
            for name, (sheet, rows) in SHOTS.items():
                shoot(page, sheet, rows, OUT / name)
                print(f"wrote {(OUT / name).relative_to(ROOT)}")
            browser.close()


if __name__ == "__main__":
    main()
