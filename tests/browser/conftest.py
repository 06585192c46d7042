"""Browser tests: `ecopark serve --demo` in a subprocess on a free loopback port (a temporary
SQLite demo database), driven by Debian's Chromium through Playwright. No browser is ever
downloaded (`playwright install` is never run): the tests are skipped, saying why, only when
/usr/bin/chromium is missing (scripts/system-deps installs it)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (scripts/system-deps)",
                allow_module_level=True)

from playwright.sync_api import Page, Playwright, sync_playwright  # noqa: E402

from ecopark.web.launch import DemoServer, demo_server  # noqa: E402


@pytest.fixture
def live(tmp_path: Path) -> Iterator[DemoServer]:
    with demo_server(tmp_path) as server:
        yield server


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture
def page(playwright: Playwright, tmp_path: Path) -> Iterator[Page]:
    """A page of a fresh browser profile (its own user-data-dir), console errors collected
    (a CSP violation is one)."""
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, args=ARGS, locale="zh-CN",
        viewport={"width": 1280, "height": 800}, accept_downloads=True)
    page = context.pages[0] if context.pages else context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors  # type: ignore[attr-defined]
    yield page
    context.close()


def sign_in(page: Page, live: DemoServer, role: str) -> None:
    name, password = live.logins[role]
    page.context.clear_cookies()
    page.goto(f"{live.url}/login")
    page.fill("#name", name)
    page.fill("#password", password)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_load_state("networkidle")
