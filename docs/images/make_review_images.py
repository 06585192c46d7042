"""Screenshots of the review and publication of a park-year (docs/images/web-review-*.png):

    .venv/bin/python docs/images/make_review_images.py

The demo database of make_web_images.py; the demo park's 2018 is moved through its lifecycle in
the store (submitted, taken, a comment on indicator 26 with the officer's reply, returned,
submitted again, approved, published); Debian's Chromium then shows the reviewer's queue (with
a second park-year waiting) and the review page at 1280 and 390 pixels wide.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_web_images import ARGS, CHROMIUM, OUT, ROOT, build, serving, sign_in

from ecopark.web.launch import free_port

SHOTS = {  # file → (role, path, width, height)
    "web-review-queue-1280.png": ("reviewer", "/review", 1280, 520),
    "web-review-page-1280.png": ("park_officer", "/parks/1/years/2018/review", 1280, 1000),
    "web-review-page-390.png": ("park_officer", "/parks/1/years/2018/review", 390, 1300),
}


def move(store: object) -> None:
    from ecopark.store import repository, review_comments, transitions
    from ecopark.store.permissions import Principal

    officer = Principal(2, "demo-park_officer", "park_officer", park_id=1)
    reviewer = Principal(4, "demo-reviewer", "reviewer")
    with store.session(actor="images") as session:  # type: ignore[attr-defined]
        year = repository.get_park_year(session, repository.get_park(session, 1), 2018)
        transitions.transition(session, year, "submit", officer)
        transitions.transition(session, year, "take", reviewer)
        first = review_comments.write(session, year, reviewer, "复算值与表中不符，请核对 2018 "
                                      "年二氧化碳排放量。", indicator=26)
        review_comments.write(session, year, officer, "已按统计口径核对，数据无误。", parent=first)
        transitions.transition(session, year, "return", reviewer, comment="请说明指标 26 的核算口径。")
        transitions.transition(session, year, "submit", officer)
        transitions.transition(session, year, "take", reviewer)
        review_comments.resolve(session, first, reviewer)
        transitions.transition(session, year, "approve", reviewer)
        transitions.transition(session, year, "publish", officer)
        other = repository.get_park_year(session, repository.get_park(session, 3), 2018)
        transitions.transition(session, other, "submit", Principal(1, "demo-admin", "admin"))


def main() -> None:
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} is missing: install Debian's chromium (scripts/system-deps)")
    with tempfile.TemporaryDirectory(prefix="ecopark-images-") as tmp:
        app, logins = build(Path(tmp))
        move(app.state.store)  # type: ignore[attr-defined]
        with serving(app, free_port()) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for name, (role, path, width, height) in SHOTS.items():
                page = browser.new_page(viewport={"width": width, "height": height},
                                        locale="zh-CN")
                sign_in(page, base, *logins[role])
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(OUT / name))
                print(f"wrote {(OUT / name).relative_to(ROOT)}")
                page.close()
            browser.close()


if __name__ == "__main__":
    main()
