"""A year started and completed on the web alone: a new park's officer starts its first year
(the new-year page), types the seed park's 2018 figures into the category forms — every year
the indicators read is offered, stored or not — and the dashboard shows the same evaluation as
the seed's own dataset; the missing-data reasons lead to their cells; the workbook template
downloaded with the stored data goes back through the upload unchanged."""

from __future__ import annotations

import html
import io
import re

import openpyxl  # type: ignore[import-untyped, unused-ignore]
from fastapi.testclient import TestClient

from ecopark import Evaluation
from ecopark.core.dataset.loading import build_dataset
from ecopark.core.dataset.schema import DatasetFile, ValueEntry
from ecopark.core.framework.model import Framework
from ecopark.store import auth
from ecopark.store import models as m
from ecopark.store.settings import Settings
from ecopark.web.forms import plain

from ..dbfixtures import World, seed_spec
from .pages import csrf_of, form_fields, sign_in, token

NEW_PARK = "新建生态工业园"


def _new_park_and_officer(client: TestClient, world: World, settings: Settings) -> int:
    sign_in(client, world, "admin")
    reply = client.post("/admin/parks", data={"csrf_token": csrf_of(client, "/admin"),
                                              "park_name": NEW_PARK}, follow_redirects=False)
    assert reply.status_code == 303
    with world.store.session(actor="admin") as session:
        park = session.query(m.Park).filter_by(name=NEW_PARK).one()
        auth.create_user(session, "officer-n", "park_officer", "Pw-new-not-a-common-one",
                         auth.hasher(settings), park=park)
        park_id = park.id
    world.passwords["officer-n"] = "Pw-new-not-a-common-one"
    sign_in(client, world, "officer-n")
    return park_id


def _start(client: TestClient, park_id: int, **values: object) -> object:
    path = f"/parks/{park_id}/new-year"
    return client.post(path, data={"csrf_token": csrf_of(client, path), **values},
                       follow_redirects=False)


def _typed(spec: DatasetFile, fields: dict[str, str]) -> dict[str, str]:
    """The seed's value and unit for every value cell the form shows."""
    out: dict[str, str] = {}
    for name in fields:
        found = re.fullmatch(r"v:(\w+):(\d{4})", name)
        series = spec.observations.get(found[1]) if found else None
        raw = series.values.get(int(found[2])) if found and series else None
        if raw is None or series is None or found is None:
            continue
        entry = raw if isinstance(raw, ValueEntry) else ValueEntry(value=raw)
        out[name] = plain(entry.value)
        unit = entry.unit or series.unit
        if unit and f"u:{found[1]}:{found[2]}" in fields:
            out[f"u:{found[1]}:{found[2]}"] = unit
    return out


def test_a_new_parks_officer_goes_from_empty_to_assessed_on_the_web(
        client: TestClient, world: World, settings: Settings, hj274: Framework,
        seed_eval: Evaluation) -> None:
    park_id = _new_park_and_officer(client, world, settings)
    page = client.get(f"/parks/{park_id}")
    assert f'href="/parks/{park_id}/new-year"' in page.text and "该园区尚无数据" in page.text
    offer = client.get(f"/parks/{park_id}/new-year").text
    assert "这是园区的第一个评价年度" in offer and "checked" not in offer
    spec = seed_spec()
    started = _start(client, park_id, year="2018", base_year="2012",
                     **{"profile:region_class": "other"}, selected=spec.park.selected)
    assert started.status_code == 303  # type: ignore[attr-defined]
    assert started.headers["location"] == f"/parks/{park_id}/years/2018/edit/economy"  # type: ignore[attr-defined]
    for category in hj274.spec.categories:
        path = f"/parks/{park_id}/years/2018/edit/{category.id}"
        form = client.get(path).text
        values = _typed(spec, form_fields(form))
        saved = client.post(path, data={"csrf_token": token(form), **values},
                            follow_redirects=False)
        assert saved.status_code == 303, (category.id, saved.text[:3000])
    evaluation = client.get(f"/api/v1/parks/{park_id}/years/2018/evaluation").json()
    assert evaluation["verdict"]["status"] == seed_eval.verdict.status.value
    assert {i["number"]: (i["status"], i["value"]) for i in evaluation["indicators"]} == {
        r.number: (r.status.value, r.value) for r in seed_eval.results}
    dashboard = client.get(f"/parks/{park_id}/years/2018")
    assert dashboard.status_code == 200 and "2018年度对照考核表" in dashboard.text


def test_the_form_offers_every_year_the_indicators_read(client: TestClient, world: World,
                                                       settings: Settings) -> None:
    park_id = _new_park_and_officer(client, world, settings)
    _start(client, park_id, year="2019", base_year="2015", selected=["2"])
    economy = client.get(f"/parks/{park_id}/years/2019/edit/economy").text
    assert re.findall(r'<th scope="col"[^>]*>(\d{4})', economy) == ["2015", "2016", "2019"]
    assert 'id="v:iva:2016"' in economy and 'id="v:iva:2015"' in economy
    environment = client.get(f"/parks/{park_id}/years/2019/edit/environment").text
    assert re.findall(r'<th scope="col"[^>]*>(\d{4})', environment) == ["2015", "2019"]
    dashboard = client.get(f"/parks/{park_id}/years/2019").text
    link = f'href="/parks/{park_id}/years/2019/edit/economy#v:iva:2016"'
    assert link in dashboard
    saved = client.post(f"/parks/{park_id}/years/2019/edit/economy",
                        data={"csrf_token": csrf_of(client, f"/parks/{park_id}/years/2019"),
                              "v:iva:2016": "40000", "u:iva:2016": "万元"},
                        follow_redirects=False)
    assert saved.status_code == 303
    dataset = client.get(f"/api/v1/parks/{park_id}/years/2019/dataset").json()
    assert dataset["observations"]["iva"]["values"]["2016"] == {
        "value": 40000, "unit": "万元", "source": "网页填报 entered on the web"}


def test_the_new_year_page_carries_the_previous_year_and_shows_errors_by_their_fields(
        client: TestClient, world: World) -> None:
    sign_in(client, world, "officer-a")
    path = f"/parks/{world.park_a}/new-year"
    offer = client.get(path).text
    assert 'id="year" name="year" inputmode="numeric" maxlength="4" value="2019"' in offer
    assert 'id="base_year" name="base_year" inputmode="numeric" maxlength="4" value="2012"' in offer
    assert "沿用 2018 年度评价" in offer
    checked = re.findall(r'name="selected" value="(\d+)" checked', offer)
    assert checked == ["2", "6", "8", "11", "14", "27"]
    taken = _start(client, world.park_a, year="2018", base_year="2012")
    assert taken.status_code == 422  # type: ignore[attr-defined]
    assert 'id="year-error">已有该评价年度' in html.unescape(taken.text)  # type: ignore[attr-defined]
    late = _start(client, world.park_a, year="2019", base_year="2020")
    assert 'id="base_year-error">规划基准年 2020 不早于评价年份 2019' in late.text  # type: ignore[attr-defined]
    typo = _start(client, world.park_a, year="二〇一九", base_year="2012")
    assert 'id="year-error">' in typo.text  # type: ignore[attr-defined]
    made = _start(client, world.park_a, year="2019", base_year="2012", selected=["2", "11"])
    assert made.status_code == 303  # type: ignore[attr-defined]
    dataset = client.get(f"/api/v1/parks/{world.park_a}/years/2019/dataset").json()
    assert dataset["park"]["selected"] == [2, 11]


def test_who_may_open_the_new_year_page(client: TestClient, world: World) -> None:
    path = f"/parks/{world.park_a}/new-year"
    for user, status in (("officer-a", 200), ("admin", 200), ("reviewer", 403),
                         ("officer-b", 403), ("ent-a", 403)):
        sign_in(client, world, user)
        assert client.get(path).status_code == status, user


def _values(spec: DatasetFile, framework: Framework) -> dict[tuple[str, int], object]:
    return {key: found.value for key, found in build_dataset(spec, framework, "t").values.items()}


def test_the_filled_template_goes_back_through_the_upload_unchanged(
        client: TestClient, world: World, hj274: Framework) -> None:
    sign_in(client, world, "officer-a")
    reply = client.get(f"/parks/{world.park_a}/years/2018/download/template.xlsx")
    assert reply.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(reply.content))
    data = book["基础数据"]
    assert [data.cell(row=2, column=c).value for c in range(5, 9)] == [2012, 2015, 2018, "来源"]
    iva = next(r for r in range(3, data.max_row + 1) if data.cell(row=r, column=1).value == "iva")
    assert data.cell(row=iva, column=7).value == seed_spec().observations["iva"].values[2018]
    upload = client.get(f"/parks/{world.park_a}/upload").text
    assert f'href="/parks/{world.park_a}/years/2018/download/template.xlsx"' in upload
    path = f"/parks/{world.park_a}/upload"
    preview = client.post(path, data={"csrf_token": token(upload)},
                          files={"file": ("park.xlsx", reply.content)})
    assert preview.status_code == 200, preview.text[:2000]
    payload = html.unescape(re.search(r'name="payload" value="([^"]*)"', preview.text)[1])  # type: ignore[index]
    back = DatasetFile.model_validate_json(payload)
    stored = seed_spec()
    assert _values(back, hj274) == _values(stored, hj274)  # a value's own source is not kept
    assert len(_values(back, hj274)) == 46
    assert back.park.selected == stored.park.selected and back.year == 2018
    assert back.reported is not None and stored.reported is not None
    assert back.reported.indicators == stored.reported.indicators
