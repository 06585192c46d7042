"""Screenshots of the web pages for the docs (docs/images/web-*.png, 1280×800):

    .venv/bin/python docs/images/make_web_images.py [web-gap.png ...]   (default: every one)

A fresh demo database (the seed park, its demo enterprise and users, as `ecopark serve --demo`)
plus a second park read from tests/data/workbooks/tiny-park.xlsx for the comparison; the app
runs with uvicorn in a thread on a free loopback port; Debian's Chromium (/usr/bin/chromium,
driven by Playwright, no browser download) signs in as each role and takes the pictures.
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import uvicorn
from playwright.sync_api import Page, sync_playwright

from ecopark.web.launch import free_port

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = {  # file → (role, path, full page)
    "web-dashboard.png": ("park_officer", "/parks/1/years/2018", False),
    "web-trace.png": ("park_officer", "/parks/1/years/2018/indicators/26", False),
    "web-comparison.png": ("reviewer", "/review", False),
    "web-enterprise.png": ("enterprise", "/enterprises/1", False),
    "web-public.png": (None, "/public/parks/1", False),
    "web-zero-carbon-inventory.png": ("admin", "/parks/2/years/2027/inventory", False),
    "web-zero-carbon-choices.png": ("admin", "/parks/2/years/2027/choices", False),
    "web-gap.png": ("park_officer", "/parks/1/years/2018/changes", False),
    "web-whatif.png": ("park_officer", "/parks/1/years/2018/whatif?item=co2&value=80000", False),
    "web-phone-edit.png": ("park_officer", "/parks/1/years/2018/edit/economy", False),
}
PHONE = {"web-phone-edit.png"}  # taken at a phone's width (390 × 844)




def build(folder: Path) -> tuple[object, dict[str, tuple[str, str]]]:
    from ecopark.core.framework.loading import load_framework
    from ecopark.io.workbook import read_workbook_spec
    from ecopark.store import repository
    from ecopark.store.demo import create_demo
    from ecopark.store.engine import Store
    from ecopark.store.settings import Settings
    from ecopark.web.app import create_app

    settings = Settings(secret_key="s" * 48, demo=True, argon2_time_cost=1,
                        argon2_memory_kib=64)
    store = Store(f"sqlite:///{folder / 'web.sqlite'}")
    logins = {login.role: (login.name, login.password) for login in create_demo(store, settings)}
    tiny = ROOT / "tests" / "data" / "workbooks" / "tiny-park.xlsx"
    with store.session(actor="images") as session:
        repository.save_dataset(session, read_workbook_spec(tiny), load_framework("hj274-2015"),
                                source_file=tiny.name)
    return create_app(settings, store), logins


@contextlib.contextmanager
def serving(app: object, port: int) -> Iterator[str]:
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))  # type: ignore[arg-type]
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def sign_in(page: Page, base: str, name: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/login")
    page.fill("#name", name)
    page.fill("#password", password)
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")


def main() -> None:
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} is missing: install Debian's chromium (scripts/system-deps)")
    with tempfile.TemporaryDirectory(prefix="ecopark-images-") as tmp:
        app, logins = build(Path(tmp))
        with serving(app, free_port()) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="zh-CN")
            chosen = sys.argv[1:] or list(SHOTS)
            for name, (role, path, full) in ((n, SHOTS[n]) for n in chosen):
                size = {"width": 390, "height": 844} if name in PHONE else \
                    {"width": 1280, "height": 800}
                page.set_viewport_size(size)
                if role is None:
                    page.context.clear_cookies()
                else:
                    sign_in(page, base, *logins[role])
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(OUT / name), full_page=full)
                print(f"wrote {(OUT / name).relative_to(ROOT)}")
            browser.close()


if __name__ == "__main__":
    main()
