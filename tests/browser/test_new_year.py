"""A new park's year on the web in a real browser (Debian's Chromium): the admin adds a park and
its officer; the officer starts the park's first evaluation year, types values on the first
form (t−3 offered though nothing is stored), follows a missing value from the dashboard to its
cell, and downloads the workbook template with the stored data. Screenshots at 1280 and 390
pixels wide in the test's folder; no console errors, no sideways scroll on a phone."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from playwright.sync_api import Page, expect

from ecopark.web.launch import DemoServer

from .conftest import sign_in

PARK = "浏览器测试新园区"
OFFICER = ("officer-new", "A-long-browser-pass-42")


def _add_park_and_officer(page: Page, live: DemoServer) -> None:
    sign_in(page, live, "admin")
    page.fill("#park_name", PARK)
    page.click("button:has-text('添加园区')")
    page.fill("#name", OFFICER[0])
    page.select_option("#role", "park_officer")
    page.fill("#password", OFFICER[1])
    page.select_option("#park_id", label=PARK)
    page.click("form[action='/admin/users'] button[type=submit]")
    expect(page.locator("#users")).to_contain_text(OFFICER[0])


def _sign_in_as_officer(page: Page, live: DemoServer) -> None:
    page.context.clear_cookies()
    page.goto(f"{live.url}/login")
    page.fill("#name", OFFICER[0])
    page.fill("#password", OFFICER[1])
    page.click("form[action='/login'] button[type=submit]")
    expect(page.locator("h1")).to_contain_text(PARK)


def test_a_new_parks_officer_starts_and_fills_its_first_year(page: Page, live: DemoServer,
                                                            tmp_path: Path) -> None:
    _add_park_and_officer(page, live)
    _sign_in_as_officer(page, live)
    page.click(".empty a:has-text('新建评价年度')")
    expect(page.locator("h1")).to_have_text("新建评价年度")
    page.fill("#year", "2019")
    page.fill("#base_year", "2015")
    page.check("input[name=selected][value='2']")
    page.check("input[name=selected][value='11']")
    page.screenshot(path=str(tmp_path / "new-year-1280.png"), full_page=True)
    page.click("button:has-text('新建该年度')")
    expect(page.locator("h1")).to_contain_text("经济发展")
    headers = page.locator("table.form-grid thead th").all_inner_texts()
    assert [h.split()[0] for h in headers[1:]] == ["2015", "2016", "2019"]
    page.fill("#v\\:iva\\:2019", "53240")
    page.fill("#v\\:employees\\:2019", "2662")
    page.screenshot(path=str(tmp_path / "form-1280.png"), full_page=True)
    page.click("button:has-text('保存')")
    expect(page.locator("#ind-2 .value")).to_have_text("20.00")
    row = page.locator("#ind-3")
    expect(row.locator(".why")).to_contain_text("2016")
    page.screenshot(path=str(tmp_path / "dashboard-1280.png"), full_page=True)
    row.locator("a.fill-link").click()
    expect(page).to_have_url(re.compile(r"/parks/\d+/years/2019/edit/economy#v:iva:2016$"))
    page.fill("#v\\:iva\\:2016", "40000")
    page.click("button:has-text('保存')")
    expect(page.locator("#ind-3 .value")).to_have_text("10.00")
    with page.expect_download() as download:
        page.click("a:has-text('填报模板')")
    saved = tmp_path / "template.xlsx"
    download.value.save_as(saved)
    assert "xl/workbook.xml" in zipfile.ZipFile(saved).namelist()
    assert page.errors == [], page.errors  # type: ignore[attr-defined]


def test_the_new_year_page_fits_a_phone(page: Page, live: DemoServer, tmp_path: Path) -> None:
    sign_in(page, live, "park_officer")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live.url}/parks/1/new-year")
    expect(page.locator("#year")).to_have_value("2019")
    page.screenshot(path=str(tmp_path / "new-year-390.png"), full_page=True)
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= 390, wide
    assert page.errors == [], page.errors  # type: ignore[attr-defined]
