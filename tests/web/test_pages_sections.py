"""The pages of the zero-carbon framework's extra sections: settings, gates and exemptions
(设置与申报条件) and the carbon inventory (核算清单) of a park-year, over the spec's worked case
(examples/zero-carbon-demo, invented data: E_park 103 625 t, 600 000 tce → 0.1727, met).

Saved changes are read back through the store; every refused form is a 422 with the message
next to its field and nothing written; other roles get 403, an HJ 274 park 404."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from ecopark import load_framework
from ecopark.core.dataset.schema import DatasetFile, SettingEntry
from ecopark.core.yamlfile import read_yaml
from ecopark.store import auth, repository, submissions
from ecopark.store import models as m
from ecopark.store.settings import Settings

from ..dbfixtures import World
from .pages import csrf_of, form_fields, sign_in, token

DEMO = Path(__file__).resolve().parents[2] / "examples" / "zero-carbon-demo" / "dataset.yaml"
YEAR = 2027


@pytest.fixture
def zc(world: World, settings: Settings) -> Iterator[int]:
    """The zero-carbon demo as a third park, with its own officer and enterprise user."""
    spec = DatasetFile.model_validate(read_yaml(DEMO))
    ph = auth.hasher(settings)
    with world.store.session(actor="fixture") as session:
        park_year = repository.save_dataset(session, spec, load_framework(spec.framework))
        enterprise = submissions.create_enterprise(session, park_year.park, "零碳示例企业")
        for name, role, ent in (("officer-z", "park_officer", None),
                                ("ent-z", "enterprise", enterprise)):
            world.passwords[name] = f"Secret-{len(name)}-pass-Q7"
            auth.create_user(session, name, role, world.passwords[name], ph,
                             park=park_year.park if ent is None else None, enterprise=ent)
        park_id = park_year.park.id
    yield park_id


def _spec(world: World, park_id: int) -> DatasetFile:
    with world.store.session(actor="t") as session:
        park = repository.get_park(session, park_id)
        return repository.read_spec(repository.get_park_year(session, park, YEAR))


def _audit_rows(world: World) -> int:
    with world.store.session(actor="t") as session:
        return int(session.scalar(select(func.count()).select_from(m.AuditEntry)) or 0)


def _post(client: TestClient, path: str, changes: dict[str, Any],
          drop: tuple[str, ...] = ()) -> Any:
    """Submit the page's form as it stands, with `changes` typed in and `drop` unticked."""
    data = form_fields(client.get(path).text)
    data.update(changes)
    for name in drop:
        data.pop(name, None)
    return client.post(path, data=data, follow_redirects=False)


# --------------------------------------------------------------------------- choices


def test_a_setting_with_its_reason_and_an_exemption_are_saved(client: TestClient, world: World,
                                                              zc: int) -> None:
    sign_in(client, world, "officer-z")
    path = f"/parks/{zc}/years/{YEAR}/choices"
    page = client.get(path)
    assert page.status_code == 200 and "设置与申报条件" in page.text
    assert 'name="setting:band_edge_100"' in page.text and 'name="gate:clear_boundary"' in page.text
    reply = _post(client, path, {"setting:band_edge_100": "lower",
                                 "setting-note:band_edge_100": "省里按 20–100万 口径",
                                 "setting:product_share_required": "90",
                                 "exempt:2": "1", "exempt-reason:2": "园区无条件建设清洁能源（虚构）"})
    assert reply.status_code == 303, reply.text
    assert reply.headers["location"].startswith(f"/parks/{zc}/years/{YEAR}?sig=")
    spec = _spec(world, zc)
    assert spec.settings == {"band_edge_100": SettingEntry(value="lower", note="省里按 20–100万 口径"),
                             "product_share_required": 90.0}
    assert spec.exemptions[2] == "园区无条件建设清洁能源（虚构）" and 5 in spec.exemptions
    assert spec.gates["clear_boundary"].met and spec.gates["clear_boundary"].evidence
    dashboard = client.get(reply.headers["location"])
    assert 'id="ind-2"' in dashboard.text and "○ 豁免" in dashboard.text
    assert "2:not_met:exempted" in reply.headers["location"]
    assert "状态变化" in dashboard.text and "未达标 → " in dashboard.text  # the notice names it
    again = _post(client, path, {"setting:band_edge_100": "upper"})  # changes no status
    assert again.headers["location"].endswith("&saved=none")
    assert "没有指标的达标状态发生变化" in client.get(again.headers["location"]).text


def test_an_exemption_without_a_reason_is_refused_next_to_its_field(
        client: TestClient, world: World, zc: int) -> None:
    sign_in(client, world, "officer-z")
    path = f"/parks/{zc}/years/{YEAR}/choices"
    before = _audit_rows(world)
    reply = _post(client, path, {"exempt:2": "1", "exempt-reason:2": "",
                                 "setting:band_edge_100": "lower"})
    assert reply.status_code == 422
    assert 'id="exempt-reason:2-error">豁免须说明理由' in reply.text
    assert 'aria-invalid="true" aria-describedby="exempt-reason:2-error"' in reply.text
    assert '<option value="lower" selected>' in reply.text  # what was typed is kept
    client.cookies.set("ecopark_lang", "en")
    reply = _post(client, path, {"exempt:2": "1", "exempt-reason:2": " "})
    assert 'id="exempt-reason:2-error">An exemption needs a reason' in reply.text
    assert _audit_rows(world) == before


def test_a_gate_met_without_evidence_is_refused(client: TestClient, world: World,
                                                zc: int) -> None:
    sign_in(client, world, "officer-z")
    before = _audit_rows(world)
    reply = _post(client, f"/parks/{zc}/years/{YEAR}/choices",
                  {"gate:clear_boundary": "true", "gate-evidence:clear_boundary": ""})
    assert reply.status_code == 422
    assert 'id="gate-evidence:clear_boundary-error">满足的申报条件须有证明材料' in reply.text
    assert _audit_rows(world) == before
    assert _spec(world, zc).gates["clear_boundary"].evidence


def test_a_gate_not_met_fails_the_verdict(client: TestClient, world: World, zc: int) -> None:
    sign_in(client, world, "officer-z")
    reply = _post(client, f"/parks/{zc}/years/{YEAR}/choices",
                  {"gate:no_major_incident": "false",
                   "gate-evidence:no_major_incident": "2026 年发生一般环境事件（虚构）"})
    assert reply.status_code == 303
    assert not _spec(world, zc).gates["no_major_incident"].met
    assert "不达标" in client.get(reply.headers["location"]).text


def test_a_number_setting_must_be_a_number(client: TestClient, world: World, zc: int) -> None:
    sign_in(client, world, "officer-z")
    reply = _post(client, f"/parks/{zc}/years/{YEAR}/choices",
                  {"setting:limit_below_band": "零点二"})
    assert reply.status_code == 422
    assert 'id="setting:limit_below_band-error">不是数字' in reply.text


# --------------------------------------------------------------------------- inventory


def test_a_grid_line_added_to_the_inventory_changes_the_intensity(
        client: TestClient, world: World, zc: int) -> None:
    sign_in(client, world, "officer-z")
    dashboard = client.get(f"/parks/{zc}/years/{YEAR}")
    assert "0.1727" in dashboard.text and "103,625 t" in dashboard.text
    assert f"/parks/{zc}/years/{YEAR}/inventory" in dashboard.text
    path = f"/parks/{zc}/years/{YEAR}/inventory"
    page = client.get(path)
    assert page.status_code == 200 and "核算清单" in page.text
    assert '<option value="grid" selected>电网电力（非绿电）</option>' in page.text
    reply = _post(client, path, {"electricity[3].class": "grid", "electricity[3].amount": "50,000",
                                 "electricity[3].unit": "MWh",
                                 "electricity[3].source": "新增电网结算（虚构）"})
    assert reply.status_code == 303, reply.text
    assert "1:met:not_met" in reply.headers["location"]
    lines = _spec(world, zc).inventory[YEAR].electricity
    assert [(line.class_, line.amount, line.unit) for line in lines][-1] == ("grid", 50000, "MWh")
    assert len(lines) == 4 and _spec(world, zc).inventory[YEAR].fuels[0].factor is not None
    after = client.get(f"/parks/{zc}/years/{YEAR}")
    assert "0.2421" in after.text and "145,250 t" in after.text  # 103 625 + 41 625
    assert 'data-status="not_met"' in after.text


def test_clearing_an_amount_deletes_the_line(client: TestClient, world: World, zc: int) -> None:
    sign_in(client, world, "officer-z")
    reply = _post(client, f"/parks/{zc}/years/{YEAR}/inventory", {"heat[0].amount": ""})
    assert reply.status_code == 303
    stored = _spec(world, zc).inventory[YEAR]
    assert stored.heat == [] and len(stored.electricity) == 3  # the rest is kept
    assert "81,625 t" in client.get(f"/parks/{zc}/years/{YEAR}").text  # 103 625 − 22 000


def test_an_amount_that_is_no_number_is_refused_next_to_its_field(
        client: TestClient, world: World, zc: int) -> None:
    sign_in(client, world, "officer-z")
    before = _audit_rows(world)
    reply = _post(client, f"/parks/{zc}/years/{YEAR}/inventory",
                  {"electricity[3].class": "grid", "electricity[3].amount": "五万",
                   "heat[0].unit": "吨"})
    assert reply.status_code == 422
    assert 'id="electricity[3].amount-error">不是数字' in reply.text and 'value="五万"' in reply.text
    assert 'id="heat[0].unit-error">单位 吨 无法换算为 GJ' in reply.text
    assert _audit_rows(world) == before


def test_a_problem_the_core_finds_is_mapped_to_its_row(client: TestClient, world: World,
                                                       zc: int) -> None:
    """Another fuel without its factors: the core refuses `inventory.2027.fuels[0].fuel`, the
    page shows it on that row (the row of the first line, after a deleted one)."""
    sign_in(client, world, "officer-z")
    reply = _post(client, f"/parks/{zc}/years/{YEAR}/inventory",
                  {"fuels[0].amount": "", "fuels[1].fuel": "__other__",
                   "fuels[1].fuel_other": "稻壳", "fuels[1].amount": "100", "fuels[1].unit": "t"})
    assert reply.status_code == 422
    assert 'id="fuels[1].fuel-error">' in reply.text and "不是已知燃料" in reply.text
    assert len(_spec(world, zc).inventory[YEAR].fuels) == 1


def test_a_product_without_a_default_factor_needs_a_measured_one(
        client: TestClient, world: World, zc: int) -> None:
    from ecopark.accounting.inventory import load_method

    products = load_method("zero-carbon-park-2025").spec.products
    bare = next(k for k, p in products.items() if p.factor is None)
    sign_in(client, world, "officer-z")
    path = f"/parks/{zc}/years/{YEAR}/inventory"
    reply = _post(client, path, {"process[0].product": bare, "process[0].amount": "10"})
    assert reply.status_code == 422 and 'id="process[0].factor.value-error">' in reply.text
    reply = _post(client, path, {"process[0].product": bare, "process[0].amount": "10",
                                 "process[0].mass_balance.carbon_in": "5",
                                 "process[0].mass_balance.carbon_out": "2",
                                 "process[0].mass_balance.source": "企业碳平衡表（虚构）"})
    assert reply.status_code == 303, reply.text
    line = _spec(world, zc).inventory[YEAR].process[0]
    assert line.mass_balance is not None and line.mass_balance.carbon_in == 5


# --------------------------------------------------------------------------- the category form


def test_computed_items_are_shown_not_typed_in(client: TestClient, world: World, zc: int) -> None:
    sign_in(client, world, "officer-z")
    path = f"/parks/{zc}/years/{YEAR}/edit/core"
    page = client.get(path)
    assert page.status_code == 200
    assert 'name="v:co2_park:2027"' not in page.text and "由核算清单计算" in page.text
    assert "103,625" in page.text and f'href="/parks/{zc}/years/{YEAR}/inventory"' in page.text
    assert 'name="v:energy_consumption_ev:2027"' in page.text  # the park's statistic is typed
    reply = client.post(path, data={"csrf_token": token(page.text), "v:co2_park:2027": "1"},
                        follow_redirects=False)
    assert reply.status_code == 303 and reply.headers["location"].endswith("saved=none")


# --------------------------------------------------------------------------- who may


@pytest.mark.parametrize("user", ["ent-z", "reviewer", "officer-a"])
def test_other_roles_may_not_open_or_post(client: TestClient, world: World, zc: int,
                                          user: str) -> None:
    sign_in(client, world, user)
    before = _audit_rows(world)
    csrf = csrf_of(client, "/")  # the home page (its sign-out form)
    for page in ("choices", "inventory"):
        path = f"/parks/{zc}/years/{YEAR}/{page}"
        assert client.get(path).status_code == 403
        reply = client.post(path, data={"csrf_token": csrf, "exempt:2": "1",
                                        "exempt-reason:2": "x", "electricity-rows": "1",
                                        "electricity[0].class": "grid",
                                        "electricity[0].amount": "1"})
        assert reply.status_code == 403 and "403" in reply.text
    assert _audit_rows(world) == before
    if user == "reviewer":  # reads the dashboard, without the links to change it
        page = client.get(f"/parks/{zc}/years/{YEAR}")
        assert page.status_code == 200 and "/choices" not in page.text


def test_an_admin_may(client: TestClient, world: World, zc: int) -> None:
    sign_in(client, world, "admin")
    for page in ("choices", "inventory"):
        assert client.get(f"/parks/{zc}/years/{YEAR}/{page}").status_code == 200


def test_an_hj274_park_has_no_such_pages(client: TestClient, world: World) -> None:
    sign_in(client, world, "officer-a")
    dashboard = client.get(f"/parks/{world.park_a}/years/2018")
    assert "/choices" not in dashboard.text and "/inventory" not in dashboard.text
    for page in ("choices", "inventory"):
        path = f"/parks/{world.park_a}/years/2018/{page}"
        reply = client.get(path)
        assert reply.status_code == 404 and "404" in reply.text
        posted = client.post(path, data={"csrf_token": token(dashboard.text)})
        assert posted.status_code == 404


def test_the_pages_have_no_inline_script_and_escape_what_was_typed(
        client: TestClient, world: World, zc: int) -> None:
    import re

    evil = '<script>alert("x")</script>'
    sign_in(client, world, "officer-z")
    assert _post(client, f"/parks/{zc}/years/{YEAR}/choices",
                 {"setting-note:band_year": evil}).status_code == 303
    assert _post(client, f"/parks/{zc}/years/{YEAR}/inventory",
                 {"inventory-note": evil}).status_code == 303
    for page in ("choices", "inventory"):
        html = client.get(f"/parks/{zc}/years/{YEAR}/{page}").text
        assert evil not in html and "&lt;script&gt;" in html
        assert not re.search(r"<script\b[^>]*>\s*[^<\s]", html)
        assert " style=" not in html and re.search(r"\son[a-z]+=", html) is None


def test_the_comparison_leaves_a_zero_carbon_park_out(client: TestClient, world: World,
                                                      zc: int) -> None:
    """The reviewer's comparison is of HJ 274 parks: a later zero-carbon year is not chosen."""
    sign_in(client, world, "reviewer")
    page = client.get("/review")
    assert page.status_code == 200 and '<option value="2018" selected>' in page.text
    assert '<option value="2027"' not in page.text and f"/parks/{zc}/" not in page.text


def test_saving_an_untouched_form_changes_nothing(client: TestClient, world: World,
                                                   zc: int) -> None:
    sign_in(client, world, "officer-z")
    before, spec = _audit_rows(world), _spec(world, zc)
    for page in ("choices", "inventory"):
        reply = _post(client, f"/parks/{zc}/years/{YEAR}/{page}", {})
        assert reply.status_code == 303 and reply.headers["location"].endswith("saved=none")
    assert _audit_rows(world) == before and _spec(world, zc) == spec


def test_what_the_form_does_not_carry_is_kept(client: TestClient, world: World, zc: int) -> None:
    """Other years of the inventory, tables and rows a (partial) form leaves out."""
    with world.store.session(actor="t") as session:
        park_year = repository.get_park_year(session, repository.get_park(session, zc), YEAR)
        inventory = {y: v.model_dump(by_alias=True) for y, v in
                     repository.read_spec(park_year).inventory.items()}
        inventory[2025] = {"electricity": [{"class": "grid", "amount": 1000, "unit": "MWh"}]}
        repository.set_sections(session, park_year, {"inventory": inventory})
    sign_in(client, world, "officer-z")
    read = form_fields(client.get(f"/parks/{zc}/years/{YEAR}/inventory").text)
    csrf = read["csrf_token"]
    reply = client.post(f"/parks/{zc}/years/{YEAR}/inventory", follow_redirects=False, data={
        "csrf_token": csrf, "year_version": read["year_version"], "heat-rows": "1",
        "heat[0].kind": "nonfossil", "heat[0].amount": "100", "heat[0].unit": "GJ"})
    assert reply.status_code == 303, reply.text
    spec = _spec(world, zc)
    assert spec.inventory[2025].electricity[0].amount == 1000
    assert [h.kind for h in spec.inventory[YEAR].heat] == ["nonfossil"]
    assert len(spec.inventory[YEAR].electricity) == 3 and spec.inventory[YEAR].source
    version = form_fields(client.get(f"/parks/{zc}/years/{YEAR}/choices").text)["year_version"]
    reply = client.post(f"/parks/{zc}/years/{YEAR}/choices", follow_redirects=False, data={
        "csrf_token": csrf, "year_version": version, "exempt-reason:6": "虚构理由",
        "exempt:6": "1"})
    assert reply.status_code == 303
    spec = _spec(world, zc)
    assert sorted(spec.exemptions) == [5, 6] and len(spec.gates) == 4


def test_the_pages_in_english(client: TestClient, world: World, zc: int) -> None:
    sign_in(client, world, "officer-z")
    client.cookies.set("ecopark_lang", "en")
    page = client.get(f"/parks/{zc}/years/{YEAR}/inventory").text
    assert "<h1>Carbon inventory 2027</h1>" in page
    assert '<option value="grid" selected>grid electricity (not green-certified)</option>' in page
    assert "park emissions E_park: 103,625 t" in page
    page = client.get(f"/parks/{zc}/years/{YEAR}/choices").text
    assert "<h1>Settings and eligibility</h1>" in page and "Eligibility gates" in page
    assert "Default: the ≥ 1 000 000 band (limit 0.3)" in page


def test_a_setting_the_core_cannot_use_is_refused_on_the_form(
        client: TestClient, world: World, zc: int) -> None:
    """No equal-value coefficient for 2019: the core's MissingCoefficient, never a 500."""
    sign_in(client, world, "officer-z")
    before = _audit_rows(world)
    reply = _post(client, f"/parks/{zc}/years/{YEAR}/choices",
                  {"setting:equal_value_year": "2019"})
    assert reply.status_code == 422
    assert 'class="form-error"' in reply.text and "缺少系数" in reply.text
    assert 'value="2019"' in reply.text and _audit_rows(world) == before


def test_a_zero_carbon_workbook_uploads_with_its_inventory(client: TestClient, world: World,
                                                           zc: int, tmp_path: Path) -> None:
    """The workbook names its framework in 园区信息; the upload keeps every section."""
    import html
    import re

    from ecopark.io.workbook import write_template
    from tests.zerocarbon.test_workbook_entry import fill_worked_case

    book = tmp_path / "zero.xlsx"
    write_template(load_framework("zero-carbon-park-2025"), [2025, YEAR], book)
    fill_worked_case(book)
    sign_in(client, world, "officer-z")
    path = f"/parks/{zc}/upload"
    preview = client.post(path, data={"csrf_token": csrf_of(client, path)},
                          files={"file": ("zero.xlsx", book.read_bytes())})
    assert preview.status_code == 200, preview.text[:2000]
    fields = {k: html.unescape(v) for k, v in re.findall(
        r'name="(payload|ticket|signature|filename|csrf_token)" value="([^"]*)"', preview.text)}
    done = client.post(f"{path}/confirm", data=fields, follow_redirects=False)
    assert done.status_code == 303
    spec = _spec(world, zc)
    assert [line.amount for line in spec.inventory[YEAR].electricity] == [50000, 300000, 50000000]
    assert spec.exemptions == {5: "无余热源"} and spec.gates["clear_boundary"].met is True
    dashboard = client.get(f"/parks/{zc}/years/{YEAR}").text
    assert "103,625 t" in dashboard  # E_park from the uploaded inventory


def test_settings_changed_since_the_page_was_opened_are_not_overwritten_silently(
        client: TestClient, world: World, zc: int) -> None:
    """Two people on the settings page: the second save is refused with a message, keeps what
    was typed, and saving again (now based on the current version) applies it deliberately."""
    sign_in(client, world, "officer-z")
    path = f"/parks/{zc}/years/{YEAR}/choices"
    mine = form_fields(client.get(path).text)
    assert _post(client, path, {"exempt-reason:6": "另一人先保存", "exempt:6": "1"}
                 ).status_code == 303
    before = _spec(world, zc)
    mine.update({"exempt-reason:6": "我的理由", "exempt:6": "1"})
    refused = client.post(path, data=mine, follow_redirects=False)
    assert refused.status_code == 422 and "已被他人修改" in refused.text
    assert "我的理由" in refused.text and _spec(world, zc) == before
    again = client.post(path, data=form_fields(refused.text), follow_redirects=False)
    assert again.status_code == 303
    assert _spec(world, zc).exemptions[6] == "我的理由"
