"""Every route of the API, in-process over a real database, as the role that may use it."""

from __future__ import annotations

import json

import yaml
from fastapi.testclient import TestClient

from ecopark.core.contract import assessment_json, verification_json
from ecopark.core.evaluate import evaluate
from ecopark.core.verify import verify

from ..conftest import SEED
from ..dbfixtures import ENTERPRISE_A, PARK_A, PARK_B, World, park_b_spec, seed_spec

V1 = "/api/v1"


def test_login_sets_an_httponly_lax_cookie_and_csrf_guards_changes(client: TestClient,
                                                                   world: World) -> None:
    response = client.post(f"{V1}/auth/login", json={"name": "officer-a",
                                                     "password": world.passwords["officer-a"]})
    assert response.status_code == 200, response.text
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    body = response.json()
    assert body["user"]["role"] == "park_officer"
    assert client.get(f"{V1}/auth/me").json()["name"] == "officer-a"
    url = f"{V1}/parks/{world.park_a}/observations/energy/2018"
    refused = client.put(url, json={"value": 27000})
    assert refused.status_code == 401 and "X-CSRF-Token" in refused.json()["error"]["message_en"]
    ok = client.put(url, json={"value": 27000}, headers={"X-CSRF-Token": body["csrf_token"],
                                                     "If-Match": "*"})
    assert ok.status_code == 200
    assert client.post(f"{V1}/auth/logout", headers={"X-CSRF-Token": body["csrf_token"]}
                       ).status_code == 204
    assert client.get(f"{V1}/auth/me").status_code == 401


def test_the_cookie_is_secure_over_https(world: World, client: TestClient) -> None:
    https = TestClient(client.app, base_url="https://testserver")
    response = https.post(f"{V1}/auth/login", json={"name": "admin",
                                                    "password": world.passwords["admin"]})
    assert "Secure" in response.headers["set-cookie"]
    assert response.headers["strict-transport-security"].startswith("max-age=")


def test_a_wrong_password_is_401_and_then_rate_limited(client: TestClient, world: World) -> None:
    for _ in range(3):  # settings.login_max_failures
        wrong = client.post(f"{V1}/auth/login", json={"name": "admin", "password": "nope"})
        assert wrong.status_code == 401
    limited = client.post(f"{V1}/auth/login", json={"name": "admin",
                                                     "password": world.passwords["admin"]})
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) > 0
    assert limited.json()["error"]["type"] == "TooManyAttempts"


def test_tokens_for_scripts(client: TestClient, world: World) -> None:
    made = client.post(f"{V1}/auth/tokens", json={"label": "cron"}, headers=world.headers("ent-a"))
    assert made.status_code == 201
    token = made.json()["token"]
    me = client.get(f"{V1}/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["name"] == "ent-a"
    assert client.get(f"{V1}/auth/me", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_parks(client: TestClient, world: World) -> None:
    admin = world.headers("admin")
    parks = client.get(f"{V1}/parks", headers=admin).json()
    assert {p["name"] for p in parks} == {PARK_A, PARK_B}
    assert [p["name"] for p in client.get(f"{V1}/parks", headers=world.headers("officer-a")).json()
            ] == [PARK_A]
    assert client.get(f"{V1}/parks", headers=world.headers("ent-a")).json() == []
    made = client.post(f"{V1}/parks", json={"name": "新园区", "province": "江苏"}, headers=admin)
    assert made.status_code == 201 and made.json()["years"] == []
    assert client.post(f"{V1}/parks", json={"name": "新园区"}, headers=admin).status_code == 409
    one = client.get(f"{V1}/parks/{world.park_a}", headers=world.headers("reviewer")).json()
    assert one == {"id": world.park_a, "name": PARK_A, "province": None, "years": [2018]}


def test_park_years_store_read_export_delete(client: TestClient, world: World) -> None:
    officer = world.headers("officer-a")
    years = client.get(f"{V1}/parks/{world.park_a}/years", headers=officer).json()
    assert years[0]["year"] == 2018 and years[0]["framework"] == "hj274-2015"
    exported = client.get(f"{V1}/parks/{world.park_a}/years/2018/dataset", headers=officer)
    assert exported.json() == seed_spec().model_dump(mode="json", exclude_none=True)
    body = seed_spec().model_copy(update={"year": 2019}).model_dump(mode="json")
    made = client.post(f"{V1}/parks/{world.park_a}/years", json=body, headers=officer)
    assert made.status_code == 201 and made.json()["year"] == 2019
    again = client.post(f"{V1}/parks/{world.park_a}/years", json=body, headers=officer)
    assert again.status_code == 409
    assert client.post(f"{V1}/parks/{world.park_a}/years?replace=true", json=body,
                       headers=officer).status_code == 201
    one = client.get(f"{V1}/parks/{world.park_a}/years/2019", headers=officer).json()
    assert one["observations"] == 46 and one["has_reported"] and one["loaded_by"] == "officer-a"
    assert client.delete(f"{V1}/parks/{world.park_a}/years/2019", headers=officer).status_code == 204
    assert client.get(f"{V1}/parks/{world.park_a}/years/2019", headers=officer).status_code == 404


def test_upload_a_dataset_file(client: TestClient, world: World) -> None:
    files = {"file": ("wujin.yaml", SEED.read_bytes(), "application/yaml")}
    made = client.post(f"{V1}/parks/{world.park_a}/years/upload?replace=true", files=files,
                       headers=world.headers("officer-a"))
    assert made.status_code == 201 and made.json()["year"] == 2018
    broken = {"file": ("broken.yaml", b"format: [unclosed", "application/yaml")}
    refused = client.post(f"{V1}/parks/{world.park_a}/years/upload", files=broken,
                          headers=world.headers("officer-a"))
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["type"] == "InputFileError" and error["fields"]["file"] == "broken.yaml"


def test_observations_read_and_write_with_units(client: TestClient, world: World) -> None:
    officer = world.headers("officer-a")
    url = f"{V1}/parks/{world.park_a}/years/2018/observations"
    rows = client.get(url, headers=officer).json()
    water = next(r for r in rows if (r["item"], r["year"]) == ("water_reuse", 2018))
    assert water["value_text"] == "3163000" and water["canonical_unit"] == "万m3"
    assert abs(water["value"] - 316.3) < 1e-9
    values = f"{V1}/parks/{world.park_a}/observations"
    writer = {**officer, "If-Match": "*"}
    written = client.put(f"{values}/energy/2018", json={"value": "2.7", "unit": "万吨标准煤",
                                                        "source": "台账"}, headers=writer)
    assert written.status_code == 200, written.text
    assert written.json()["canonical_value"] == 27000.0
    assert written.json()["history"][0]["by"] == "officer-a"
    read = next(r for r in client.get(url, headers=officer).json()
                if (r["item"], r["year"]) == ("energy", 2018))
    assert (read["value"], read["version"], read["entered_by"]) == (27000.0, 2, "officer-a")
    bad = client.put(f"{values}/energy/2018", json={"value": 1, "unit": "furlong"}, headers=writer)
    assert bad.status_code == 422 and bad.json()["error"]["fields"]["from_unit"] == "furlong"
    unknown = client.put(f"{values}/nonsense/2018", json={"value": 1}, headers=writer)
    assert unknown.status_code == 422 and "nonsense" in unknown.json()["error"]["message_en"]


def test_evaluation_and_verification_are_the_core_contract(client: TestClient, world: World,
                                                           hj274: object, seed: object) -> None:
    reviewer = world.headers("reviewer")
    evaluation = client.get(f"{V1}/parks/{world.park_a}/years/2018/evaluation", headers=reviewer)
    expected = evaluate(hj274, seed)  # type: ignore[arg-type]
    assert evaluation.json() == json.loads(json.dumps(assessment_json(expected)))
    verification = client.get(f"{V1}/parks/{world.park_a}/years/2018/verification",
                              headers=reviewer)
    assert verification.json() == json.loads(json.dumps(verification_json(verify(expected))))


def test_a_reviewer_uploads_a_printed_table_and_gets_the_verification(client: TestClient,
                                                                       world: World) -> None:
    reviewer = world.headers("reviewer")
    url = f"{V1}/parks/{world.park_b}/years/2018/reported"
    replaced = client.put(url, json={"year": 2018, "indicators": {"1": "34.97"}}, headers=reviewer)
    assert replaced.status_code == 200, replaced.text
    assert not any(f["number"] == 1 and f["kind"] == "mismatch" for f in replaced.json()["findings"])
    table = yaml.safe_dump({"year": 2018, "indicators": {1: "50.00"}}).encode()
    uploaded = client.post(f"{url}/upload", files={"file": ("table.yaml", table)}, headers=reviewer)
    assert uploaded.status_code == 200, uploaded.text
    assert any(f["number"] == 1 for f in uploaded.json()["findings"])
    dataset = client.get(f"{V1}/parks/{world.park_b}/years/2018/dataset", headers=reviewer).json()
    assert dataset["reported"]["indicators"] == {"1": "50.00"}
    full = {"file": ("whole.yaml", SEED.read_bytes())}
    assert client.post(f"{url}/upload", files=full, headers=reviewer).status_code == 200
    odd = {"file": ("table.pdf", b"%PDF")}
    assert client.post(f"{url}/upload", files=odd, headers=reviewer).status_code == 422


def test_enterprises_and_the_submission_workflow(client: TestClient, world: World) -> None:
    officer, firm = world.headers("officer-a"), world.headers("ent-a")
    listed = client.get(f"{V1}/parks/{world.park_a}/enterprises", headers=officer).json()
    assert [e["name"] for e in listed] == [ENTERPRISE_A]
    made = client.post(f"{V1}/parks/{world.park_a}/enterprises", json={"name": "丙企业"},
                       headers=officer)
    assert made.status_code == 201
    ent = world.enterprise_a
    assert client.get(f"{V1}/enterprises/{ent}", headers=firm).json()["name"] == ENTERPRISE_A
    sub_url = f"{V1}/enterprises/{ent}/submissions"
    assert client.get(sub_url, headers=firm).json()[0]["status"] == "submitted"
    rejected = client.post(f"{sub_url}/2018/reject", json={"reason": "缺水耗"}, headers=officer)
    assert rejected.json()["status"] == "rejected" and rejected.json()["reason"] == "缺水耗"
    draft = client.put(f"{sub_url}/2018", json={"values": [
        {"item": "energy", "value": 1.2, "unit": "万吨标准煤"},
        {"item": "fresh_water", "value": 3, "unit": "万m3"}]}, headers=firm)
    assert draft.status_code == 200 and draft.json()["status"] == "draft"
    assert draft.json()["values"][0]["value"] == 12000.0
    assert client.post(f"{sub_url}/2018/accept", headers=officer).status_code == 409
    assert client.post(f"{sub_url}/2018/submit", headers=firm).json()["status"] == "submitted"
    accepted = client.post(f"{sub_url}/2018/accept", headers=officer).json()
    assert (accepted["status"], accepted["decided_by"]) == ("accepted", "officer-a")
    assert client.get(f"{sub_url}/2018", headers=firm).json()["status"] == "accepted"
    assert client.post(f"{sub_url}/2018/submit", headers=firm).status_code == 409


def test_an_enterprise_cannot_decide_its_own_submission(client: TestClient, world: World) -> None:
    url = f"{V1}/enterprises/{world.enterprise_a}/submissions/2018/accept"
    assert client.post(url, headers=world.headers("ent-a")).status_code == 403


def test_users_are_managed_by_the_admin(client: TestClient, world: World) -> None:
    admin = world.headers("admin")
    made = client.post(f"{V1}/users", json={"name": "new-officer", "role": "park_officer",
                                            "password": "a-long-password",
                                            "park_id": world.park_a}, headers=admin)
    assert made.status_code == 201 and made.json()["park_id"] == world.park_a
    user_id = made.json()["id"]
    assert any(u["name"] == "new-officer" for u in client.get(f"{V1}/users", headers=admin).json())
    assert client.get(f"{V1}/users/{user_id}", headers=admin).json()["role"] == "park_officer"
    patched = client.patch(f"{V1}/users/{user_id}", json={"active": False,
                                                          "password": "another-password"},
                           headers=admin)
    assert patched.json()["active"] is False
    login = client.post(f"{V1}/auth/login", json={"name": "new-officer",
                                                  "password": "another-password"})
    assert login.status_code == 401
    own = client.get(f"{V1}/users/{world.users['reviewer']}", headers=world.headers("reviewer"))
    assert own.json()["name"] == "reviewer"


def test_the_audit_log_is_readable(client: TestClient, world: World) -> None:
    officer = world.headers("officer-a")
    client.put(f"{V1}/parks/{world.park_a}/observations/energy/2018",
               json={"value": 27100}, headers={**officer, "If-Match": "*"})
    park_log = client.get(f"{V1}/parks/{world.park_a}/audit?limit=5", headers=officer).json()
    assert park_log[0]["actor"] == "officer-a" and park_log[0]["action"] == "update"
    assert park_log[0]["new"]["value_text"] == "27100" and park_log[0]["old"]["value_text"] == "27029.17"
    assert all(entry["park_id"] == world.park_a for entry in park_log)
    everything = client.get(f"{V1}/audit?table=users", headers=world.headers("admin")).json()
    assert {e["table"] for e in everything} == {"users"}
    assert all(e["new"]["password_hash"] == "***" for e in everything)


def test_docs_and_openapi(client: TestClient) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    schema = client.get("/openapi.json").json()
    assert "/api/v1/parks/{park_id}/years/{year}/evaluation" in schema["paths"]
    assert "ErrorOut" in schema["components"]["schemas"]


def test_park_b_is_another_park(client: TestClient, world: World) -> None:
    exported = client.get(f"{V1}/parks/{world.park_b}/years/2018/dataset",
                          headers=world.headers("admin")).json()
    assert exported == park_b_spec().model_dump(mode="json", exclude_none=True)
    assert exported["park"]["name"] == PARK_B != PARK_A


def test_a_change_is_seen_by_the_next_evaluation(client: TestClient, world: World) -> None:
    """Replies are reused only while the park's data are unchanged."""
    officer = world.headers("officer-a")
    url = f"{V1}/parks/{world.park_a}/years/2018"
    first = client.get(f"{url}/evaluation", headers=officer).json()
    assert client.get(f"{url}/evaluation", headers=officer).json() == first
    client.put(f"{V1}/parks/{world.park_a}/observations/hightech_output/2018",
               json={"value": 10, "unit": "万元"}, headers={**officer, "If-Match": "*"})
    changed = client.get(f"{url}/evaluation", headers=officer).json()
    value = next(i["value"] for i in changed["indicators"] if i["number"] == 1)
    assert value != next(i["value"] for i in first["indicators"] if i["number"] == 1)
    verification = client.get(f"{url}/verification", headers=officer).json()
    assert any(f["number"] == 1 for f in verification["findings"])


def test_a_printed_table_in_word_is_read_when_the_reader_is_installed(client: TestClient,
                                                                      world: World) -> None:
    import pytest

    pytest.importorskip("ecopark.io.printed_table")
    from ..conftest import ROOT

    docx = ROOT / "tests" / "data" / "wujin-2018-table.docx"
    response = client.post(f"{V1}/parks/{world.park_a}/years/2018/reported/upload",
                           files={"file": ("table.docx", docx.read_bytes())},
                           headers=world.headers("reviewer"))
    assert response.status_code == 200, response.text
    assert any(f["number"] == 1 and f["reported"] == "39.31" for f in response.json()["findings"])
