"""The web platform in a real browser (Debian's Chromium): each role signs in; the seed park's
dashboard flags indicator 26 and an edited value changes its status; the trend chart draws;
the example workbook is uploaded and confirmed after its preview; an enterprise gets a 403 page
for another enterprise; the table downloads as .docx; a narrow phone screen never scrolls
sideways; a line added to the zero-carbon demo's carbon inventory changes its intensity. No
page logs a console error (a CSP violation would)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from playwright.sync_api import Page, expect

from ecopark.web.launch import DemoServer

from .conftest import sign_in

WORKBOOK = Path(__file__).resolve().parents[1] / "data" / "workbooks" / "tiny-park.xlsx"
HOMES = {"admin": "系统管理", "park_officer": "江苏武进经济开发区", "enterprise": "武进示范企业（演示）",
         "reviewer": "园区对比"}


def _no_errors(page: Page) -> None:
    assert page.errors == [], page.errors  # type: ignore[attr-defined]


def test_each_role_signs_in_and_sees_its_home(page: Page, live: DemoServer) -> None:
    for role, heading in HOMES.items():
        sign_in(page, live, role)
        expect(page.locator("h1")).to_contain_text(heading)
        expect(page.locator(".who")).to_contain_text(live.logins[role][0])
    page.click("button:has-text('退出')")
    expect(page).to_have_url(f"{live.url}/login")
    _no_errors(page)


def test_indicator_26_is_flagged_and_an_edit_changes_its_status(page: Page, live: DemoServer) -> None:
    sign_in(page, live, "park_officer")
    page.goto(f"{live.url}/parks/1/years/2018")
    row = page.locator("#ind-26")
    expect(row).to_have_class("flagged")
    expect(row.locator(".status")).to_have_text("✗ 未达标")
    row.locator("a").first.click()
    expect(page.locator("h1")).to_contain_text("26. 单位工业增加值二氧化碳排放量年均削减率")
    expect(page.locator("ol.trace")).to_contain_text("二氧化碳排放量")
    page.click("a:has-text('填报数据')")
    page.fill("#v\\:co2\\:2018", "abc")
    page.locator("#v\\:co2\\:2018").blur()
    expect(page.locator("[id='v:co2:2018-error']")).to_contain_text("不是数字")
    page.fill("#v\\:co2\\:2018", "5")
    page.select_option("select[name='u:co2:2018']", "万吨")
    page.click("button:has-text('保存')")
    expect(page.locator(".notice")).to_contain_text("26")
    expect(page.locator("#ind-26 .status")).to_have_text("✓ 达标")
    _no_errors(page)


def test_the_trend_chart_draws_with_its_requirement_line(page: Page, live: DemoServer) -> None:
    sign_in(page, live, "park_officer")
    page.goto(f"{live.url}/parks/1/trends?n=26")
    expect(page.locator("#trend-chart canvas")).to_have_count(1)
    expect(page.locator("#chart-note")).to_be_hidden()
    _no_errors(page)


def test_the_example_workbook_is_previewed_then_stored(page: Page, live: DemoServer) -> None:
    sign_in(page, live, "park_officer")
    page.goto(f"{live.url}/parks/1/upload")
    page.set_input_files("#file", str(WORKBOOK))
    page.click("button:has-text('预览变更')")
    expect(page.locator("h1")).to_have_text("导入预览")
    expect(page.locator("body")).to_contain_text("已有2018年度评价")
    expect(page.locator("table.diff")).to_be_visible()
    page.click("button:has-text('确认并保存')")
    # the notice is the real change (the example workbook is another park's data), not "none"
    expect(page).to_have_url(re.compile(r".*/parks/1/years/2018\?sig=[0-9a-f]+&saved=.*26:not_met:missing"))
    expect(page.locator("body")).to_contain_text("状态变化")
    expect(page.locator("h1")).to_contain_text("2018年度对照考核表")
    _no_errors(page)


def test_an_enterprise_cannot_open_another_enterprise(page: Page, live: DemoServer) -> None:
    sign_in(page, live, "admin")
    page.goto(f"{live.url}/admin")
    page.fill("#enterprise_name", "另一家企业")
    page.select_option("#enterprise_park", "1")
    page.click("button:has-text('添加企业')")
    sign_in(page, live, "enterprise")
    response = page.goto(f"{live.url}/enterprises/2")
    assert response is not None and response.status == 403
    expect(page).to_have_url(f"{live.url}/enterprises/2")  # a 403 page, not a redirect
    expect(page.locator(".error-code")).to_have_text("403")
    expect(page.locator("body")).not_to_contain_text("另一家企业")


def test_the_table_downloads_as_docx(page: Page, live: DemoServer, tmp_path: Path) -> None:
    sign_in(page, live, "park_officer")
    page.goto(f"{live.url}/parks/1/years/2018")
    with page.expect_download() as info:
        page.click("a:has-text('对照考核表（docx）')")
    saved = tmp_path / "table.docx"
    info.value.save_as(saved)
    with zipfile.ZipFile(saved) as docx:
        assert "江苏武进经济开发区" in docx.read("word/document.xml").decode("utf-8")


def test_a_narrow_screen_never_scrolls_sideways(page: Page, live: DemoServer) -> None:
    long_name = "江苏省" + "某某" * 24 + "生态工业示范园区甲"  # 60 characters
    assert len(long_name) == 60
    sign_in(page, live, "admin")
    page.goto(f"{live.url}/admin")
    page.fill("#park_name", long_name)
    page.click("button:has-text('添加园区')")
    page.set_viewport_size({"width": 375, "height": 740})
    for path in ("/parks/1/years/2018", "/parks/1/years/2018/indicators/18", "/parks/3",
                 "/parks", "/review", "/admin", "/parks/2/years/2027/inventory"):
        page.goto(live.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, (path, width)
    page.goto(f"{live.url}/parks/3")  # 1: the seed park, 2: the zero-carbon demo
    expect(page.locator("h1")).to_have_text(long_name)
    expect(page.locator(".empty").first).to_contain_text("该园区尚无数据")
    _no_errors(page)


def test_a_line_added_to_the_carbon_inventory_changes_the_intensity(page: Page,
                                                                     live: DemoServer) -> None:
    """The zero-carbon demo (park 2, the spec's worked case): 50 000 MWh more grid power adds
    41 625 t, E_park 103 625 → 145 250 t, 0.1727 → 0.2421 t/tce, not met."""
    sign_in(page, live, "admin")
    page.goto(f"{live.url}/parks/2/years/2027")
    expect(page.locator("#ind-1 .value")).to_have_text("0.1727")
    page.click("a:has-text('核算清单')")
    expect(page.locator("h1")).to_have_text("2027年核算清单")
    page.select_option("[id='electricity[3].class']", "grid")
    page.fill("[id='electricity[3].amount']", "abc")
    page.locator("[id='electricity[3].amount']").blur()
    expect(page.locator("[id='electricity[3].amount-error']")).to_contain_text("不是数字")
    page.fill("[id='electricity[3].amount']", "50000")
    page.fill("[id='electricity[3].unit']", "MWh")
    page.click("button:has-text('保存')")
    expect(page).to_have_url(re.compile(
        rf"{re.escape(live.url)}/parks/2/years/2027\?sig=[0-9a-f]+&saved=1:met:not_met$"))
    expect(page.locator("#ind-1 .value")).to_have_text("0.2421")
    expect(page.locator("#ind-1 .status")).to_have_text("✗ 未达标")
    expect(page.locator(".e-park")).to_have_text("145,250 t")
    _no_errors(page)


def test_a_wide_data_form_shows_the_assessed_year_beside_the_item_names(
        page: Page, live: DemoServer) -> None:
    """A data form wider than the screen: on opening, its assessed year's column is in view,
    and the item names stay at the left edge while the years scroll under them."""
    sign_in(page, live, "park_officer")
    page.set_viewport_size({"width": 900, "height": 800})
    page.goto(f"{live.url}/parks/1/years/2018/edit/resources")
    page.wait_for_load_state("networkidle")
    wrap = page.locator(".tablewrap").first
    assert wrap.evaluate("w => w.scrollWidth > w.clientWidth")  # wider than the screen
    box, year = wrap.bounding_box(), page.locator("thead th.assessed-year").bounding_box()
    name = page.locator("tbody th.name").first.bounding_box()
    assert box and year and name
    assert box["x"] <= year["x"] and year["x"] + year["width"] <= box["x"] + box["width"] + 1
    assert abs(name["x"] - box["x"]) <= 1  # the names did not scroll away
