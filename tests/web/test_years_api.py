"""POST /api/v1/parks/{park_id}/years with {year, base_year?, selected?, profile?}: a new
evaluation year carried over from the previous one (201), the same path still storing a whole
dataset; refusals typed (409, 422) and permissions as for any write to the park."""

from __future__ import annotations

from fastapi.testclient import TestClient

from ..dbfixtures import World, seed_spec

V1 = "/api/v1"


def test_an_officer_starts_the_next_year_of_the_park(client: TestClient, world: World) -> None:
    officer = world.headers("officer-a")
    reply = client.post(f"{V1}/parks/{world.park_a}/years", json={"year": 2019},
                        headers=officer)
    assert reply.status_code == 201, reply.text
    body = reply.json()
    # the new year reads the park's 46 stored values (none copied)
    assert (body["year"], body["base_year"], body["observations"], body["framework"],
            body["loaded_by"]) == (2019, 2012, 46, "hj274-2015", "officer-a")
    dataset = client.get(f"{V1}/parks/{world.park_a}/years/2019/dataset", headers=officer).json()
    assert dataset["park"]["selected"] == [2, 6, 8, 11, 14, 27]
    assert dataset["park"]["region_class"] == "other"
    assert dataset["observations"]["co2"]["values"] == {"2012": {"value": 37968.0, "source":
                                                          "对照考核表 序号26 规划基准年二氧化碳排放量"},
                                                 "2018": 135509.97}
    evaluation = client.get(f"{V1}/parks/{world.park_a}/years/2019/evaluation", headers=officer)
    assert evaluation.json()["verdict"]["status"] == "incomplete"


def test_a_new_park_starts_its_first_year_with_its_selection(client: TestClient,
                                                            world: World) -> None:
    admin = world.headers("admin")
    park = client.post(f"{V1}/parks", json={"name": "新园区"}, headers=admin).json()
    path = f"{V1}/parks/{park['id']}/years"
    missing = client.post(path, json={"year": 2019}, headers=admin)
    assert missing.status_code == 422
    assert missing.json()["error"]["fields"]["field"] == "base_year"
    made = client.post(path, json={"year": 2019, "base_year": 2015, "selected": [2, 11],
                                   "profile": {"region_class": "jingjinji"}}, headers=admin)
    assert made.status_code == 201, made.text
    dataset = client.get(f"{path}/2019/dataset", headers=admin).json()
    assert (dataset["park"]["selected"], dataset["park"]["region_class"]) == ([2, 11], "jingjinji")


def test_refusals(client: TestClient, world: World) -> None:
    officer = world.headers("officer-a")
    path = f"{V1}/parks/{world.park_a}/years"
    exists = client.post(path, json={"year": 2018}, headers=officer)
    assert exists.status_code == 409 and exists.json()["error"]["type"] == "Conflict"
    late = client.post(path, json={"year": 2019, "base_year": 2019}, headers=officer)
    assert late.status_code == 422
    assert late.json()["error"]["fields"]["field"] == "base_year"
    bad = client.post(path, json={"year": 2019, "selected": [99]}, headers=officer)
    assert bad.status_code == 422 and bad.json()["error"]["fields"]["key_path"] == \
        "park.selected[0]"
    unknown = client.post(path, json={"year": 2019, "colour": "red"}, headers=officer)
    assert unknown.status_code == 422
    assert client.get(f"{path}/2019", headers=officer).status_code == 404


def test_who_may_start_a_year(client: TestClient, world: World) -> None:
    path = f"{V1}/parks/{world.park_a}/years"
    assert client.post(path, json={"year": 2019}, headers=world.headers("reviewer")
                       ).status_code == 403
    assert client.post(path, json={"year": 2019}, headers=world.headers("ent-a")
                       ).status_code == 404
    other = {"Authorization": f"Bearer {world.tokens['officer-b']}"}
    assert client.post(path, json={"year": 2019}, headers=other).status_code == 404
    assert client.post(path, json={"year": 2019}, headers=world.headers("admin")
                       ).status_code == 201


def test_the_same_path_still_stores_a_whole_dataset(client: TestClient, world: World) -> None:
    spec = seed_spec()
    body = spec.model_dump(mode="json", exclude_none=True)
    reply = client.post(f"{V1}/parks/{world.park_a}/years?replace=true", json=body,
                        headers=world.headers("officer-a"))
    stored = sum(len(series.values) for series in spec.observations.values())
    assert reply.status_code == 201 and reply.json()["observations"] == stored == 46
