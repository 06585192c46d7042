"""In Chromium: a form saved after the session ended is not lost. The sign-in page says so;
after signing in the browser is back on the form with the typed value put back in its field."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from ecopark.web.launch import DemoServer

from .conftest import sign_in


def _save_after_the_session_ended(page: Page, live: DemoServer, form: str, role: str) -> None:
    """The session ends while the form is open; the form is saved; the user signs in again."""
    page.context.clear_cookies()
    page.click(f"{form} button[type=submit]")
    expect(page.locator("main")).to_contain_text("会话已过期，请重新登录；您填写的内容已保留。")
    name, password = live.logins[role]
    page.fill("#name", name)
    page.fill("#password", password)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_the_typed_value_comes_back_after_signing_in_again(page: Page,
                                                           live: DemoServer) -> None:
    sign_in(page, live, "enterprise")
    page.goto(f"{live.url}/enterprises/1?year=2019")
    page.fill("#v-energy", "4321.5")
    _save_after_the_session_ended(page, live, "form.dataform", "enterprise")
    assert "/enterprises/1?year=2019&kept=" in page.url
    expect(page.locator("#v-energy")).to_have_value("4321.5")
    expect(page.locator("main")).to_contain_text("重新登录前填写的内容已恢复到表单中")
    assert page.errors == []  # type: ignore[attr-defined]


def test_ticked_boxes_come_back_as_they_were(page: Page, live: DemoServer) -> None:
    """The campaign form's item boxes: the ones unticked before the session ended stay unticked,
    the ticked ones ticked, the typed year and deadline are back."""
    sign_in(page, live, "park_officer")
    page.goto(f"{live.url}/parks/1/campaigns")
    boxes = page.locator("input[name=items]")
    count = boxes.count()
    assert count >= 3
    boxes.nth(1).uncheck()
    page.fill("#c-year", "2017")
    page.fill("#c-deadline", "2018-04-30")
    _save_after_the_session_ended(page, live, "form[action$='/campaigns']", "park_officer")
    assert "/parks/1/campaigns?kept=" in page.url
    assert [boxes.nth(i).is_checked() for i in range(count)] == [i != 1 for i in range(count)]
    expect(page.locator("#c-year")).to_have_value("2017")
    expect(page.locator("#c-deadline")).to_have_value("2018-04-30")
    assert page.errors == []  # type: ignore[attr-defined]
