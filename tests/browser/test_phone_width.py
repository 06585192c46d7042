"""At phone width (390 px) the pages the browser trial of issue 15 found overflowing no longer
scroll sideways: the trends page (its indicator list), the edit grid (the assessed year shown
first, on screen), the verify results, the public table (value and status on screen), and the
new 达标所需的改变 and what-if pages. The trend chart labels its points with the indicator's
decimals; the zero-carbon park's trends open on its first indicator."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from ecopark.store import models as m
from ecopark.store import transitions
from ecopark.store.engine import Store
from ecopark.store.permissions import Principal
from ecopark.web.launch import DemoServer

from .conftest import sign_in

WIDTH = 390
TABLE = Path(__file__).resolve().parents[1] / "data" / "wujin-2018-table.docx"
PAGES = ("/parks/1/trends", "/parks/1/years/2018/edit/economy", "/public/parks/1",
         "/parks/1/years/2018/changes", "/parks/1/years/2018/whatif?item=co2&value=80000",
         "/parks/2/trends")


def _fits(page: Page, what: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.evaluate("window.innerWidth") == WIDTH, (what, width)


def _right_edge(page: Page, selector: str) -> float:
    return float(page.locator(selector).first.evaluate("e => e.getBoundingClientRect().right"))


def _publish(folder: Path, park_id: int, year: int) -> None:
    """Take the demo's year through review to publication (the public page shows only that)."""
    store = Store(f"sqlite:///{folder / 'demo.sqlite'}")
    moves = (("submit", "park_officer"), ("take", "reviewer"), ("approve", "reviewer"),
             ("publish", "admin"))
    try:
        for action, role in moves:
            with store.session(actor="test") as session:
                park_year = session.query(m.ParkYear).filter_by(park_id=park_id,
                                                                 year=year).one()
                who = Principal(0, "test", role, park_id=park_id)
                transitions.transition(session, park_year, action, who)
    finally:
        store.dispose()


def test_the_trial_pages_fit_a_phone(page: Page, live: DemoServer, tmp_path: Path) -> None:
    _publish(tmp_path, 1, 2018)
    sign_in(page, live, "admin")
    page.set_viewport_size({"width": WIDTH, "height": 800})
    for path in PAGES:
        reply = page.goto(live.url + path)
        assert reply is not None and reply.status == 200, path
        _fits(page, path)
    page.goto(f"{live.url}/parks/1/years/2018/edit/economy")
    assert _right_edge(page, "td.assessed-year input") <= WIDTH
    expect(page.locator("td.assessed-year").first).to_be_in_viewport()
    page.goto(f"{live.url}/public/parks/1")
    assert _right_edge(page, "table.public-table td .status") <= WIDTH
    page.goto(f"{live.url}/review/verify")
    page.set_input_files("#file", str(TABLE))
    page.click("button.primary")
    page.wait_for_load_state("networkidle")
    expect(page.locator("table.findings-table td.explain").first).to_be_visible()
    _fits(page, "verify results")
    # 核查说明 reads as lines of text, not a column one character wide
    assert float(page.locator("table.findings-table td.explain").first.evaluate(
        "e => e.getBoundingClientRect().width")) > WIDTH / 2


def test_chart_points_are_labelled_with_the_decimals(page: Page, live: DemoServer) -> None:
    sign_in(page, live, "park_officer")
    page.goto(f"{live.url}/parks/1/trends?n=26")
    page.wait_for_function("window.echarts && echarts.getInstanceByDom("
                           "document.getElementById('trend-chart'))")
    label = page.evaluate("echarts.getInstanceByDom(document.getElementById('trend-chart'))"
                          ".getOption().series[0].label.formatter({dataIndex: 0})")
    assert label == "-5.54"
    assert page.errors == [], page.errors  # type: ignore[attr-defined]
