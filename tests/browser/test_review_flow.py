"""The reviewer's flow in a real browser (Debian's Chromium): the officer submits the demo
park's 2018; the reviewer finds it in the queue, takes it, comments on indicator 26 and returns
it; the officer replies, corrects a value and submits again; the reviewer approves; the officer
publishes; the public page shows the published table. Screenshots of the review page and the
queue at 1280 and 390 pixels wide in the test's folder (the docs' pictures are made by
docs/images/make_review_images.py); no console errors, no sideways scroll on a phone."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from ecopark.web.launch import DemoServer

from .conftest import sign_in

REVIEW = "/parks/1/years/2018/review"


def _shot(page: Page, tmp_path: Path, name: str) -> None:
    page.screenshot(path=str(tmp_path / f"review-{name}.png"), full_page=True)


def _move(page: Page, action: str, comment: str = "") -> None:
    form = page.locator(f"form.move:has(input[name=action][value={action}])")
    if comment:
        form.locator("textarea").fill(comment)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def test_submit_return_fix_approve_publish(page: Page, live: DemoServer, tmp_path: Path) -> None:
    sign_in(page, live, "park_officer")
    page.goto(f"{live.url}{REVIEW}")
    expect(page.locator(".draftmark")).to_have_text("草稿：尚未审核通过")
    _move(page, "submit")
    expect(page.locator("h1 + p .badge")).to_have_text("已提交")

    sign_in(page, live, "reviewer")
    page.goto(f"{live.url}/review")
    expect(page.locator("table.queue")).to_contain_text("江苏武进经济开发区")
    _shot(page, tmp_path, "queue-1280")
    page.click(f"table.queue a[href='{REVIEW}']")
    _move(page, "take")
    page.select_option("#indicator", "26")
    page.fill("#new-comment", "单位工业增加值二氧化碳排放量的复算值与表中不符，请核对 2018 年排放量。")
    page.click("button:has-text('添加意见')")
    _move(page, "return", "请核对指标 26 的基础数据后重新提交。")
    expect(page.locator("h1 + p .badge")).to_have_text("已退回")

    sign_in(page, live, "park_officer")
    page.goto(f"{live.url}{REVIEW}")
    expect(page.locator(".thread")).to_contain_text("二氧化碳排放量")
    page.locator(".thread textarea").fill("已按统计口径更正 2018 年排放量。")
    page.locator(".thread button:has-text('回复')").click()
    page.goto(f"{live.url}/parks/1/years/2018/edit/environment")
    page.fill("#v\\:co2\\:2018", "125000")
    page.click("button:has-text('保存')")
    expect(page.locator("section.notice")).to_contain_text("已保存")
    page.goto(f"{live.url}{REVIEW}")
    _move(page, "submit")

    sign_in(page, live, "reviewer")
    page.goto(f"{live.url}{REVIEW}")
    _move(page, "take")
    page.click(".thread button:has-text('标记为已处理')")
    _move(page, "approve")
    expect(page.locator("h1 + p .badge")).to_have_text("已通过")
    expect(page.locator(".draftmark")).to_have_count(0)

    sign_in(page, live, "park_officer")
    page.goto(f"{live.url}{REVIEW}")
    _move(page, "publish")
    expect(page.locator("h1 + p .badge")).to_have_text("已公开")
    expect(page.locator("ol.history li")).to_have_count(7)
    _shot(page, tmp_path, "page-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    _shot(page, tmp_path, "page-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live.url}/public/parks/1")
    expect(page.locator("main")).to_contain_text("2018年")
    expect(page.locator("table.assessment")).to_be_visible()
    assert page.errors == [], page.errors  # type: ignore[attr-defined]
