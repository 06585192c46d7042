"""Browser tests: `ecopark serve --demo` in a subprocess on a free loopback port (a temporary
SQLite demo database), driven by Debian's Chromium through Playwright. No browser is ever
downloaded (`playwright install` is never run): the tests are skipped, saying why, only when
/usr/bin/chromium is missing (scripts/system-deps installs it)."""

from __future__ import annotations

import dataclasses
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (scripts/system-deps)",
                allow_module_level=True)

from playwright.sync_api import Page, Playwright, sync_playwright  # noqa: E402


@dataclasses.dataclass
class Live:
    url: str
    logins: dict[str, tuple[str, str]]  # role → (name, password)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _logins(text: str) -> dict[str, tuple[str, str]]:
    found = re.findall(r"^\s+(admin|park_officer|enterprise|reviewer)\s+(\S+)\s+(\S+)$", text,
                       re.M)
    return {role: (name, password) for role, name, password in found}


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    port = _free_port()
    env = {**os.environ, "ECOPARK_ARGON2_MEMORY_KIB": "64", "ECOPARK_ARGON2_TIME_COST": "1"}
    env.pop("ECOPARK_SECRET_KEY", None)
    log = tmp_path / "serve.log"
    with log.open("w") as out, subprocess.Popen(
            [sys.executable, "-m", "ecopark", "serve", "--demo", "--port", str(port),
             "--db", f"sqlite:///{tmp_path / 'demo.sqlite'}"],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env) as server:
        try:
            url = f"http://127.0.0.1:{port}"
            _wait(f"{url}/login", time.monotonic() + 60)
            yield Live(url, _logins(log.read_text(encoding="utf-8")))
        finally:
            server.terminate()
            server.wait(timeout=30)


def _wait(url: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")


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


def sign_in(page: Page, live: Live, role: str) -> None:
    name, password = live.logins[role]
    page.context.clear_cookies()
    page.goto(f"{live.url}/login")
    page.fill("#name", name)
    page.fill("#password", password)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_load_state("networkidle")
