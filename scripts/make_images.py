"""Regenerate every picture the docs use (docs/images/*.png), then list them with their sizes.

    .venv/bin/python scripts/make_images.py              # all of them (a few minutes)
    .venv/bin/python scripts/make_images.py report web   # only the makers whose name holds a word

Runs each maker in docs/images/ with this checkout's src/ first on the path:

    make_table_image.py        table-docx-page1.png: the 对照考核表 (.docx) as LibreOffice prints it
    make_report_images.py      report-*.png: pages and figures of the report draft (PDF)
    make_workbook_images.py    workbook-*.png: the filled example workbook's sheets
    make_walkthrough_images.py web-login … web-profile.png: the guide's web walk-through, from
                               `ecopark db init` and `ecopark serve` on a new database
    make_web_images.py         web-dashboard, web-trace … .png: pages of the demo database
    make_campaign_images.py    web-campaign-*.png, web-notifications.png: a reporting campaign,
                               taken by tests/browser/test_campaigns.py
    make_batch_images.py       web-batch-list, web-batch-table, web-import.png: batch jobs' pages
    make_review_images.py      web-review-*.png: the review and publication of a park-year

Needs LibreOffice, poppler-utils, the Noto CJK fonts and Debian's Chromium (scripts/system-deps).
Look at every picture before committing it; tests/test_docs.py checks that each one is used by a
doc, made by a maker here and smaller than 250 KB.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
MAKERS = ("make_table_image.py", "make_report_images.py", "make_workbook_images.py",
          "make_walkthrough_images.py", "make_web_images.py", "make_campaign_images.py",
          "make_batch_images.py", "make_review_images.py")
LIMIT = 250 * 1024


def run(maker: str) -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "src"), env.get("PYTHONPATH"))
                                        if p)
    started = time.monotonic()
    print(f"== {maker}", flush=True)
    subprocess.run([sys.executable, str(IMAGES / maker)], env=env, check=True, cwd=ROOT)
    print(f"   {time.monotonic() - started:.0f} s", flush=True)


def listing() -> list[str]:
    """One line per picture: name, size, width × height; over-large ones marked."""
    lines = []
    for png in sorted(IMAGES.glob("*.png")):
        data = png.read_bytes()
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        mark = "  TOO LARGE" if len(data) > LIMIT else ""
        lines.append(f"{png.name:<34} {len(data) // 1024:>4} KB  {width} × {height}{mark}")
    return lines


def main(words: list[str]) -> None:
    chosen = [m for m in MAKERS if not words or any(w in m for w in words)]
    if not chosen:
        sys.exit(f"no maker matches {words}: choose among {', '.join(MAKERS)}")
    for maker in chosen:
        run(maker)
    print("\n".join(listing()))


if __name__ == "__main__":
    main(sys.argv[1:])
