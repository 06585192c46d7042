"""The API's lists are paged (limit/offset, X-Total-Count, Link) and cost a fixed number of
queries whatever the page's size (no N+1: counted with a SQLAlchemy event on the real engine)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event

from ecopark.store import repository, submissions
from ecopark.store.engine import Store

from ..dbfixtures import World

V1 = "/api/v1"


def _more(world: World) -> None:
    """Five more parks (7 in all) and four more enterprises in park A (5 there)."""
    with world.store.session(actor="fixture") as session:
        for n in range(5):
            repository.park_by_name(session, f"测试园区{n}", create=True)
        park = repository.get_park(session, world.park_a)
        for n in range(4):
            submissions.create_enterprise(session, park, f"企业{n}")


@contextmanager
def counted(store: Store) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(store.engine, "before_cursor_execute", count)


def test_parks_are_paged_with_a_total_and_links(client: TestClient, world: World) -> None:
    _more(world)
    admin = world.headers("admin")
    first = client.get(f"{V1}/parks?limit=2", headers=admin)
    assert first.status_code == 200
    assert [p["name"] for p in first.json()] == ["对照测试园区乙", "江苏武进经济开发区"]
    assert first.headers["x-total-count"] == "7"
    assert first.headers["link"] == '</api/v1/parks?limit=2&offset=2>; rel="next"'
    last = client.get(f"{V1}/parks?limit=2&offset=6", headers=admin)
    assert [p["name"] for p in last.json()] == ["测试园区4"]
    assert last.headers["link"] == '</api/v1/parks?limit=2&offset=4>; rel="prev"'
    assert client.get(f"{V1}/parks?limit=1001", headers=admin).status_code == 422
    own = client.get(f"{V1}/parks", headers=world.headers("officer-a"))
    assert [p["id"] for p in own.json()] == [world.park_a] and own.headers["x-total-count"] == "1"
    assert client.get(f"{V1}/parks", headers=world.headers("ent-a")).json() == []
    enterprises = client.get(f"{V1}/parks/{world.park_a}/enterprises?limit=3&offset=3",
                             headers=admin)
    assert [e["name"] for e in enterprises.json()] == ["企业3", "甲企业"]
    assert enterprises.headers["x-total-count"] == "5"
    years = client.get(f"{V1}/parks/{world.park_a}/years", headers=admin)
    assert [(y["year"], y["observations"]) for y in years.json()] == [(2018, 46)]
    assert years.headers["x-total-count"] == "1" and "link" not in years.headers


def test_a_list_costs_the_same_queries_for_one_row_or_many(client: TestClient,
                                                           world: World) -> None:
    _more(world)
    admin = world.headers("admin")
    for path, many in ((f"{V1}/parks", 7), (f"{V1}/parks/{world.park_a}/enterprises", 5),
                       (f"{V1}/parks/{world.park_a}/years", 1),
                       (f"{V1}/enterprises/{world.enterprise_a}/submissions", 1)):
        client.get(f"{path}?limit=1", headers=admin)  # warm: caches, the token's last use
        with counted(world.store) as one:
            assert client.get(f"{path}?limit=1", headers=admin).status_code == 200
        with counted(world.store) as all_rows:
            reply = client.get(f"{path}?limit={many}", headers=admin)
            assert len(reply.json()) == many
        assert len(all_rows) == len(one), (path, all_rows)
        assert len(one) <= 10, (path, one)  # sign-in, count, page, its children


def test_the_parks_page_and_the_comparison_have_previous_and_next(
        client: TestClient, world: World) -> None:
    from ecopark.web import pages_review
    from ecopark.web.paging import PAGE_SIZE

    from .pages import sign_in

    with world.store.session(actor="fixture") as session:
        for n in range(PAGE_SIZE):
            repository.park_by_name(session, f"园区{n:03d}", create=True)
    sign_in(client, world, "admin")
    first = client.get("/parks").text
    assert "第 1 页，共 2 页（共 52 条）" in first and 'href="/parks?page=2"' in first
    assert "上一页" not in first and "下一页" in first
    second = client.get("/parks?page=2").text
    assert "第 2 页，共 2 页（共 52 条）" in second and 'href="/parks?page=1"' in second
    # 52 = 50 + 2, by name (code point order: 园 < 对 < 江)
    assert "对照测试园区乙" in second and "江苏武进经济开发区" in second and "园区049" not in second
    assert client.get("/parks?page=0").status_code == 404  # pages answer a bad query with 404
    # the comparison: only parks with data for the year, COMPARED a page (here both fit)
    review = client.get("/review?year=2018").text
    assert "江苏武进经济开发区" in review and "园区000" not in review
    assert pages_review.COMPARED == 10 and "上一页" not in review and "下一页" not in review


def test_the_comparison_loads_its_parks_together(client: TestClient, world: World,
                                                 monkeypatch: Any) -> None:
    """With nothing cached, the comparison of 2 parks costs the statements of 1: the parks'
    data versions are one statement, their park-years are loaded together."""
    from ecopark.web import pages_review
    from ecopark.web.cache import ReplyCache

    from .pages import sign_in

    sign_in(client, world, "admin")
    counts = []
    for shown in (1, 2):
        monkeypatch.setattr(pages_review, "COMPARED", shown)
        client.app.state.views = ReplyCache()  # type: ignore[attr-defined]
        with counted(world.store) as statements:
            reply = client.get("/review?year=2018")
        assert reply.status_code == 200 and reply.text.count('class="parkcol"') == shown
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
