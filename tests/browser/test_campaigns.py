"""The officer's campaign board in Chromium: open a campaign, see each enterprise's state,
remind the ones not submitted (the confirmation shows), at desktop and phone width; the
enterprise's user sees the bell's count and the notification. Screenshots of the final pages
go to docs/images when ECOPARK_SCREENSHOTS is set."""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Page, expect

from ecopark.web.launch import DemoServer

from .conftest import sign_in

IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"


def _shot(page: Page, name: str) -> None:
    if os.environ.get("ECOPARK_SCREENSHOTS"):
        page.screenshot(path=str(IMAGES / name), full_page=True)


def _add_enterprises(page: Page, live: DemoServer) -> None:
    sign_in(page, live, "admin")
    for name in ("华东精密机械有限公司", "绿源化工有限公司"):
        page.goto(f"{live.url}/admin#enterprises")
        page.fill("#enterprise_name", name)
        page.select_option("#enterprise_park", index=1)
        page.click("form[action='/admin/enterprises'] button[type=submit]")
        page.wait_for_load_state("networkidle")


def test_the_officer_runs_a_campaign_and_the_enterprise_hears_of_it(page: Page,
                                                                     live: DemoServer) -> None:
    _add_enterprises(page, live)
    sign_in(page, live, "park_officer")
    page.click("nav >> text=数据报送任务")
    page.fill("#c-year", "2018")
    page.fill("#c-deadline", "2019-03-31")
    _shot(page, "web-campaign-open.png")
    page.click("form[action$='/campaigns'] button[type=submit]")
    expect(page.locator(".flash")).to_have_text("报送任务已发起，已通知各企业。")
    rows = page.locator("#board tbody tr")
    expect(rows).to_have_count(3)
    states = [rows.nth(i).locator(".sub").inner_text() for i in range(3)]
    assert sorted(states) == ["已提交，待审核", "未开始", "未开始"]
    page.click("text=向所有未提交的企业催报")
    expect(page.locator(".flash")).to_have_text("已向 2 家企业催报。")
    _shot(page, "web-campaign-board.png")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the board overflows at phone width ({width} px)"
    _shot(page, "web-campaign-board-phone.png")
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, live, "enterprise")
    expect(page.locator(".bell .count")).to_have_text("1 条未读")
    expect(page.locator("#tasks")).to_contain_text("2019-03-31")
    _shot(page, "web-campaign-enterprise.png")
    page.click(".bell")
    expect(page.locator(".notes li").first).to_contain_text("发起了 2018 年数据报送，截止日期 2019-03-31")
    _shot(page, "web-notifications.png")
    assert page.errors == []  # type: ignore[attr-defined]
