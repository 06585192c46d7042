"""Screenshots of the batch jobs' pages (docs/images/web-batch-list.png, web-batch-table.png,
web-import.png) at 1280 px; with `--phone DIR` also at phone width (390 px, into DIR, for
looking at, not for the docs):

    .venv/bin/python docs/images/make_batch_images.py [--phone /tmp/phone]

The same set-up as make_web_images.py (a fresh demo database, the app with uvicorn in a thread,
Debian's Chromium through Playwright). The reviewer uploads the seed's printed table and its
variants from tests/data/verify-batch/ (made by tests/data/make_verify_variants.py); the admin
uploads two dataset files, one naming a park that does not exist.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_web_images import ARGS, CHROMIUM, OUT, ROOT, build, serving, sign_in

from ecopark.web.launch import free_port

DATA = ROOT / "tests" / "data"
TABLES = [DATA / "wujin-2018-table.docx",
          *(DATA / "verify-batch" / n for n in ("mandatory.docx", "optional.docx",
                                                 "broken.docx"))]


def _done(page: Page) -> None:
    for _ in range(300):
        if page.locator('meta[http-equiv="refresh"]').count() == 0:
            return
        time.sleep(0.2)
        page.reload()
    raise SystemExit("the job did not finish")


def _both(page: Page, name: str) -> None:
    phone = sys.argv[2] if len(sys.argv) > 2 and sys.argv[1] == "--phone" else None
    for width, path in ((1280, OUT / name), (390, Path(phone) / name if phone else None)):
        if path is None:
            continue
        page.set_viewport_size({"width": width, "height": 800})
        page.reload()
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(path), full_page=width == 390)
        print(f"wrote {path}")


def _upload(page: Page, base: str, path: str, files: list[Path]) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(base + path)
    page.set_input_files("#files", [str(f) for f in files])
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")
    _done(page)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="ecopark-images-") as tmp:
        app, logins = build(Path(tmp))
        datasets = Path(tmp) / "datasets"
        datasets.mkdir()
        seed = (ROOT / "examples" / "wujin-2018" / "dataset.yaml").read_text(encoding="utf-8")
        (datasets / "wujin-2018.yaml").write_text(seed, encoding="utf-8")
        (datasets / "unknown-park.yaml").write_text(
            seed.replace("江苏武进经济开发区", "尚未建立的园区"), encoding="utf-8")
        with serving(app, free_port()) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="zh-CN")
            sign_in(page, base, *logins["reviewer"])
            _upload(page, base, "/review/batch", TABLES)
            job = page.url
            _both(page, "web-batch-list.png")
            page.goto(job + "/tables/1")
            _both(page, "web-batch-table.png")
            sign_in(page, base, *logins["admin"])
            _upload(page, base, "/admin/import", sorted(datasets.iterdir()))
            _both(page, "web-import.png")
            browser.close()


if __name__ == "__main__":
    main()
