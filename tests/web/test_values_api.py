"""The park's record through the API, value by value: GET gives the value, its version as the
ETag and its history; PUT needs If-Match — stale 412 (with the current value, who, when), none
428, `*` overwrites; two clients editing one value never lose an update."""

from __future__ import annotations

import threading

from fastapi.testclient import TestClient

from ..dbfixtures import World

V1 = "/api/v1"


def _url(world: World, item: str = "energy", year: int = 2018) -> str:
    return f"{V1}/parks/{world.park_a}/observations/{item}/{year}"


def test_get_gives_the_value_its_etag_and_history(client: TestClient, world: World) -> None:
    reply = client.get(_url(world), headers=world.headers("officer-a"))
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert reply.headers["etag"] == '"1"'
    assert {k: body[k] for k in ("item", "year", "value", "unit", "canonical_value",
                                 "canonical_unit", "version")} == {
        "item": "energy", "year": 2018, "value": 27029.17, "unit": "吨标煤",
        "canonical_value": 27029.17, "canonical_unit": "tce", "version": 1}
    [first] = body["history"]
    assert (first["version"], first["value"], first["via"]) == (1, 27029.17, "cli")


def test_put_without_if_match_is_428_and_writes_nothing(client: TestClient, world: World) -> None:
    reply = client.put(_url(world), json={"value": 1}, headers=world.headers("officer-a"))
    assert reply.status_code == 428
    assert reply.json()["error"]["type"] == "PreconditionRequired"
    assert "If-Match" in reply.json()["error"]["message_en"]
    assert client.get(_url(world), headers=world.headers("officer-a")).json()["version"] == 1


def test_put_with_the_current_etag_writes_a_new_version(client: TestClient, world: World) -> None:
    officer = world.headers("officer-a")
    reply = client.put(_url(world), json={"value": 2.8, "unit": "万吨标准煤"},
                       headers={**officer, "If-Match": '"1"'})
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert reply.headers["etag"] == '"2"'
    assert (body["value"], body["unit"], body["canonical_value"], body["version"]) == (
        2.8, "万吨标准煤", 28000.0, 2)
    assert [(h["version"], h["value"], h["by"], h["via"]) for h in body["history"]] == [
        (2, 2.8, "officer-a", "api"), (1, 27029.17, "fixture", "cli")]


def test_a_stale_etag_is_412_with_the_current_value_who_and_when(client: TestClient,
                                                                   world: World) -> None:
    officer, admin = world.headers("officer-a"), world.headers("admin")
    assert client.put(_url(world), json={"value": 30000}, headers={**admin, "If-Match": '"1"'}
                      ).status_code == 200
    stale = client.put(_url(world), json={"value": 28000}, headers={**officer, "If-Match": '"1"'})
    assert stale.status_code == 412
    error = stale.json()["error"]
    assert error["type"] == "StaleWrite"
    [value] = error["fields"]["stale"]
    assert (value["current"], value["yours"], value["by"], value["version"]) == (
        "30000 吨标煤", "28000 吨标煤", "admin", 2)
    assert value["at"]
    assert client.get(_url(world), headers=officer).json()["value"] == 30000
    deliberate = client.put(_url(world), json={"value": 28000},
                            headers={**officer, "If-Match": "*"})
    assert deliberate.status_code == 200 and deliberate.json()["version"] == 3


def test_two_clients_editing_one_value_never_lose_an_update(client: TestClient,
                                                              world: World) -> None:
    """Each client reads, then writes with the version it read, retrying on 412 after re-reading:
    every increment lands (the value ends at 16 more), none is lost."""
    url = _url(world, "publicity_events", 2018)
    start = client.get(url, headers=world.headers("admin")).json()["value"]
    results: list[int] = []

    def bump(name: str) -> None:
        headers = world.headers(name)
        for _ in range(8):
            while True:
                read = client.get(url, headers=headers)
                reply = client.put(url, json={"value": read.json()["value"] + 1},
                                   headers={**headers, "If-Match": read.headers["etag"]})
                results.append(reply.status_code)
                if reply.status_code == 200:
                    break
                assert reply.status_code == 412, reply.text

    threads = [threading.Thread(target=bump, args=(n,)) for n in ("admin", "officer-a")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    final = client.get(url, headers=world.headers("admin")).json()
    assert final["value"] == start + 16
    assert results.count(200) == 16
    assert len(final["history"]) == 17


def test_an_unknown_value_is_404(client: TestClient, world: World) -> None:
    reply = client.get(_url(world, "energy", 1990), headers=world.headers("officer-a"))
    assert reply.status_code == 404


def test_the_history_page_shows_every_version_with_who_and_how(client: TestClient,
                                                                world: World) -> None:
    from .pages import sign_in

    assert client.put(_url(world), json={"value": 2.8, "unit": "万吨标准煤", "reason": "复核"},
                      headers={**world.headers("admin"), "If-Match": '"1"'}).status_code == 200
    sign_in(client, world, "officer-a")
    page = client.get(f"/parks/{world.park_a}/values/energy/2018")
    assert page.status_code == 200
    text = page.text
    assert "综合能耗总量" in text and "修改历史" in text
    assert "2.8 万吨标准煤" in text and "27029.17 吨标煤" in text
    assert text.index("2.8 万吨标准煤") < text.index("27029.17 吨标煤")  # newest first
    assert "接口（API）" in text and "命令行" in text and "复核" in text
    assert client.get(f"/parks/{world.park_b}/values/energy/2018").status_code in (403, 404)


def test_an_implausible_value_is_stopped_until_a_reason_is_given(client: TestClient,
                                                                  world: World) -> None:
    """IVA 49.68 (亿元) typed where 万元 is asked (the other years are 192,300 and 412,800 万元):
    refused with the finding and its likely fix; written once a reason says why, the reason in
    its history."""
    url = _url(world, "iva", 2018)
    admin = {**world.headers("admin"), "If-Match": "*"}
    refused = client.put(url, json={"value": 49.68, "unit": "万元"}, headers=admin)
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["type"] == "ImplausibleValue"
    assert "2018" in error["message_zh"] and "49.68" in error["message_zh"]
    assert client.get(url, headers=admin).json()["value"] == 496758.52
    confirmed = client.put(url, json={"value": 49.68, "unit": "万元", "reason": "园区拆分，口径变化"},
                           headers=admin)
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["history"][0]["reason"] == "园区拆分，口径变化"


def test_the_trace_links_each_value_to_its_history_without_item_ids(client: TestClient,
                                                                     world: World) -> None:
    from .pages import sign_in

    sign_in(client, world, "officer-a")
    page = client.get(f"/parks/{world.park_a}/years/2018/indicators/26").text
    assert f'href="/parks/{world.park_a}/values/co2/2018"' in page
    assert f'href="/parks/{world.park_a}/values/co2/2012"' in page
    assert "<code>co2</code>" not in page
