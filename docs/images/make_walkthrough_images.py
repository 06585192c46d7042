"""Screenshots of the guide's web walk-through (docs/images/web-*.png below), taken the way a new
user meets the platform:

    .venv/bin/python docs/images/make_walkthrough_images.py

The real command line, as the guide shows it, on a new SQLite file in a temporary folder:
`ecopark db init`, `ecopark users add 王工 --role admin` (the first administrator), then
`ecopark serve` with a fresh ECOPARK_SECRET_KEY on a free loopback port. Debian's Chromium
(/usr/bin/chromium, driven by Playwright, 1280 wide, zh-CN) then goes through the officer's path:

    web-login.png            the sign-in page
    web-admin.png            系统管理 after adding the park and its officer (李工)
    web-new-year.png         新建评价年度: evaluation year, base year, optional indicators
    web-edit.png             填报数据 · 经济发展 with the seed park's values typed in
    web-upload-preview.png   导入预览 of examples/wujin-2018/wujin-2018.xlsx
    web-saved.png            the 2018 对照考核表 page right after confirming the import
    web-profile.png          园区概况与报告章节

and downloads the 对照考核表 (xlsx, docx) and the report (docx; made in the background, fetched
from its job's page once ready), failing if any is not an Office file. The commands and what
they print are echoed, for the guide.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from playwright.sync_api import Locator, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
WORKBOOK = ROOT / "examples" / "wujin-2018" / "wujin-2018.xlsx"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--lang=zh-CN", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PARK = "江苏武进经济开发区"
ADMIN, ADMIN_PASSWORD = "王工", "Wujin-admin-2019"
OFFICER, OFFICER_PASSWORD = "李工", "Wujin-officer-2019"
SELECTED = (2, 6, 8, 11, 14, 27)  # 是否为考核指标 = 是, as in examples/wujin-2018
ECONOMY = {"iva:2012": "192300", "iva:2015": "412800", "iva:2018": "496758.52",
           "hightech_output:2018": "723782.20", "gross_output:2018": "2069827.16",
           "employees:2018": "12957", "recycling_industry_va:2018": "/"}


def cli(env: dict[str, str], *args: str, stdin: str | None = None) -> None:
    """Run `ecopark ARGS` as a user would, echo it and what it printed; stop on failure."""
    print(f"$ ecopark {' '.join(args)}")
    done = subprocess.run([sys.executable, "-m", "ecopark", *args], env=env, input=stdin,
                          text=True, capture_output=True, timeout=120)
    print(done.stdout + done.stderr, end="")
    if done.returncode != 0:
        sys.exit(f"ecopark {' '.join(args)} failed with exit code {done.returncode}")


@contextlib.contextmanager
def serving(env: dict[str, str], db: str) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    print(f"$ ecopark serve --db {Path(db).name} --port {port}")
    server = subprocess.Popen([sys.executable, "-m", "ecopark", "serve", "--db", db, "--port",
                               str(port)], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base, server)
        yield base
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
        print("\n".join(output.splitlines()[:3]))


def _wait(base: str, server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        with contextlib.suppress(OSError):
            urllib.request.urlopen(f"{base}/login", timeout=2).close()
            return
        time.sleep(0.2)
    sys.exit("ecopark serve did not start")


def snap(page: Page, name: str, until: Locator | None = None, pad: int = 12,
         most: int = 1600) -> None:
    """The page from its top down to `pad` pixels below `until` (at most `most`), or whole."""
    clip = None
    if until is not None:
        box = until.bounding_box()
        assert box is not None, f"{name}: {until} is not on {page.url}"
        clip = {"x": 0, "y": 0, "width": 1280, "height": min(most, box["y"] + box["height"] + pad)}
    page.screenshot(path=str(OUT / name), full_page=True, clip=clip)  # type: ignore[arg-type]
    print(f"wrote {(OUT / name).relative_to(ROOT)}  ({page.url.split('?')[0]})")


def submit(page: Page, selector: str = "button[type=submit].primary") -> None:
    page.click(selector)
    page.wait_for_load_state("networkidle")


def sign_in(page: Page, base: str, name: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/login")
    page.fill("#name", name)
    page.fill("#password", password)
    submit(page)


def administrator(page: Page, base: str) -> None:
    page.goto(f"{base}/login")
    snap(page, "web-login.png", page.locator("main section.panel"))
    sign_in(page, base, ADMIN, ADMIN_PASSWORD)
    page.goto(f"{base}/admin")
    page.fill("#park_name", PARK)
    page.fill("#province", "江苏省")
    submit(page, "#parks button[type=submit]")
    page.fill("#name", OFFICER)
    page.select_option("#role", "park_officer")
    page.fill("#password", OFFICER_PASSWORD)
    page.select_option("#park_id", label=PARK)
    submit(page, "#users button[type=submit].primary")
    snap(page, "web-admin.png")


def officer(page: Page, base: str) -> str:
    sign_in(page, base, OFFICER, OFFICER_PASSWORD)
    park = page.url.rstrip("/")  # the officer's home is the park's page
    page.goto(f"{park}/new-year")
    page.fill("#year", "2018")
    page.fill("#base_year", "2012")
    for number in SELECTED:
        page.check(f"input[name=selected][value='{number}']")
    snap(page, "web-new-year.png")
    submit(page)
    page.goto(f"{park}/years/2018/edit/economy")
    for cell, value in ECONOMY.items():
        page.fill(f'[id="v:{cell}"]', value)
    snap(page, "web-edit.png")
    submit(page)
    return park


def import_workbook(page: Page, park: str) -> None:
    page.goto(f"{park}/upload")
    page.set_input_files("#file", str(WORKBOOK))
    submit(page)
    snap(page, "web-upload-preview.png", page.locator("table").first.locator("tbody tr").nth(9),
         pad=1)
    submit(page, "form.confirmbar button[type=submit].primary")
    snap(page, "web-saved.png", page.locator("section.verdict"))


def download(page: Page, link: str, path: Path) -> None:
    """Click `link`, keep the file as `path`; stop unless it is an Office file."""
    with page.expect_download(timeout=180_000) as download:
        page.click(link)
    download.value.save_as(path)
    if path.read_bytes()[:2] != b"PK":
        sys.exit(f"the {path.name} download is not an Office file")
    print(f"downloaded {download.value.suggested_filename} ({path.stat().st_size:,} bytes)")


def report(page: Page, park: str, path: Path) -> None:
    """The report is made in the background: its button opens the job's page, which reloads
    itself until the report is ready and then offers the download."""
    page.goto(f"{park}/years/2018")
    submit(page, "form[action$='/reports']:has(input[name=format][value=docx]) button")
    ready = page.locator("a[href$='/result']")
    deadline = time.monotonic() + 180
    while ready.count() == 0:
        if time.monotonic() > deadline or page.locator(".job-failed").count():
            sys.exit(f"the report was not made: {page.url}")
        time.sleep(0.5)
        page.reload()
    download(page, "a[href$='/result']", path)


def downloads(page: Page, park: str, folder: Path) -> None:
    page.goto(f"{park}/years/2018")
    for kind in ("table.xlsx", "table.docx"):
        download(page, f"a[href$='/download/{kind}']", folder / kind)
    report(page, park, folder / "report.docx")
    page.goto(f"{park}/years/2018/profile")
    snap(page, "web-profile.png", page.locator("section.chapter-form .draft-text p").nth(3), pad=8)


def main() -> None:
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} is missing: install Debian's chromium (scripts/system-deps)")
    with tempfile.TemporaryDirectory(prefix="ecopark-walkthrough-") as tmp:
        folder = Path(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith("ECOPARK_")}
        env.update(PYTHONPATH=os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")]),
                   HOME=tmp, COLUMNS="80", ECOPARK_SECRET_KEY=secrets.token_urlsafe(48))
        db = str(folder / "ecopark.sqlite")
        cli(env, "db", "init", "--db", db)
        cli(env, "users", "add", ADMIN, "--role", "admin", "--password-stdin", "--db", db,
            stdin=ADMIN_PASSWORD + "\n")
        with serving(env, db) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN",
                                       accept_downloads=True).new_page()
            administrator(page, base)
            park = officer(page, base)
            import_workbook(page, park)
            downloads(page, park, folder)
            browser.close()


if __name__ == "__main__":
    main()
