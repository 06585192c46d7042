"""Leftovers of issues 14 and 15 in the pages' wording: a zero-carbon park's pages call its table
by the framework's own name (指标对照表, never HJ 274's 对照考核表); a form's error message is in
the page's language only; a unit in a data-entry hint is in the page's language."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from ..dbfixtures import World
from .pages import csrf_of, form_fields, sign_in
from .test_pages_plain_words import page_text, speak
from .test_pages_sections import YEAR, zc  # noqa: F401 (the zero-carbon park fixture)

_ERROR = re.compile(r'class="(?:form-error|field-error)"[^>]*>([^<]+)<')
_FIELD_ERROR = re.compile(r'class="field-error"[^>]*>([^<]+)<')


def _zc_paths(park: int) -> list[str]:
    base = f"/parks/{park}/years/{YEAR}"
    return [base, f"{base}/choices", f"{base}/inventory", f"{base}/edit/core",
            f"{base}/indicators/1", f"{base}/changes", f"{base}/whatif", f"{base}/review"]


def test_a_zero_carbon_park_s_pages_name_its_indicator_table(
        client: TestClient, world: World, zc: int) -> None:  # noqa: F811
    sign_in(client, world, "officer-z")
    for path in _zc_paths(zc):
        page = client.get(path)
        assert page.status_code == 200, path
        assert "对照考核表" not in page.text, path
        assert f"{YEAR}年度指标对照表" in page_text(page.text), path
    dashboard = page_text(client.get(_zc_paths(zc)[0]).text)
    assert "指标对照表（xlsx）" in dashboard and "指标对照表（docx）" in dashboard
    speak(client, "en")
    dashboard = page_text(client.get(_zc_paths(zc)[0]).text)
    assert f"{YEAR} indicator table" in dashboard and "Indicator table (xlsx)" in dashboard
    assert "assessment table" not in dashboard.lower()


def test_an_hj274_park_keeps_its_assessment_table(client: TestClient, world: World) -> None:
    sign_in(client, world, "officer-a")
    page = page_text(client.get(f"/parks/{world.park_a}/years/2018").text)
    assert "2018年度对照考核表" in page and "对照考核表（xlsx）" in page
    assert "指标对照表" not in page


def _errors(html: str) -> list[str]:
    return [text.strip() for text in _ERROR.findall(html) if text.strip()]


def test_an_admin_form_error_is_in_the_page_s_language(client: TestClient,
                                                       world: World) -> None:
    sign_in(client, world, "admin")
    data = {k: v for k, v in form_fields(client.get("/admin").text).items()
            if not k.startswith(("park_", "year"))}
    data.update({"name": "officer-a", "role": "reviewer", "password": "A-long-enough-pass-9"})
    reply = client.post("/admin/users", data=data)
    assert reply.status_code == 422
    assert _errors(reply.text) == ["用户 officer-a：用户名已存在"]
    speak(client, "en")
    data["csrf_token"] = csrf_of(client, "/admin")
    reply = client.post("/admin/users", data=data)
    assert reply.status_code == 422
    assert _errors(reply.text) == ["user officer-a: the name is taken"]


def test_an_enterprise_form_error_is_in_the_page_s_language(client: TestClient,
                                                            world: World) -> None:
    sign_in(client, world, "ent-a")
    path = f"/enterprises/{world.enterprise_a}/submissions/2018"  # submitted in the fixture
    for lang, shown in (("zh", "报送 甲企业 2018：该报送正在等待审核，不能修改。"
                               "建议：如需修改，请先撤回提交"),
                        ("en", "submission 甲企业 2018: the submission is awaiting review, so it "
                               "cannot be changed. Fix: to change it, withdraw it first")):
        speak(client, lang)
        data = {"csrf_token": csrf_of(client, f"/enterprises/{world.enterprise_a}?year=2018"),
                "v:energy": "5", "u:energy": "吨标煤"}
        assert _errors(client.post(path, data=data).text) == [shown], lang


@pytest.mark.parametrize(("typed", "unit", "shown"), [
    ("5", "kg", "kg"),  # a unit chosen that cannot be converted
    ("12%", None, "%"),  # a unit typed with the value ("12%" in a cell of 万元)
])
def test_a_unit_in_a_data_entry_hint_is_in_the_page_s_language(
        client: TestClient, world: World, typed: str, unit: str | None, shown: str) -> None:
    """The field says the unit cannot be converted, in the page's language — not the dataset's
    key path or the dimensions."""
    sign_in(client, world, "officer-a")
    path = f"/parks/{world.park_a}/years/2018/edit/economy"
    for lang, hint in (("zh", f"单位 {shown} 无法换算为 万元。"),
                       ("en", f"The unit {shown} cannot be converted to 10⁴ yuan.")):
        speak(client, lang)
        data = form_fields(client.get(path).text)
        data["v:hightech_output:2018"] = typed
        if unit:
            data["u:hightech_output:2018"] = unit
        reply = client.post(path, data=data)
        assert reply.status_code == 422 and _FIELD_ERROR.findall(reply.text) == [hint], lang
        assert "observations" not in reply.text and "dimension" not in reply.text, lang


def test_a_value_s_source_reads_in_the_page_s_language(client: TestClient, world: World) -> None:
    """A value typed on the web: its trace step says where it came from in one language."""
    sign_in(client, world, "officer-a")
    path = f"/parks/{world.park_a}/years/2018/edit/economy"
    data = form_fields(client.get(path).text)
    data.update({"v:hightech_output:2018": "723000"})
    assert client.post(path, data=data, follow_redirects=False).status_code == 303
    trace = f"/parks/{world.park_a}/years/2018/indicators/1"
    for lang, shown, other in (("zh", "← 网页填报</span>", "entered on the web"),
                               ("en", "← entered on the web</span>", "网页填报")):
        speak(client, lang)
        page = client.get(trace).text
        assert shown in page and other not in page, lang


def test_the_inventory_form_offers_units_in_the_page_s_language(
        client: TestClient, world: World, zc: int) -> None:  # noqa: F811
    sign_in(client, world, "officer-z")
    path = f"/parks/{zc}/years/{YEAR}/inventory"
    speak(client, "en")
    page = client.get(path).text
    assert '<option value="万千瓦时" label="10⁴ kWh">' in page  # the value typed stays as stored
    assert '<option value="kWh">' in page  # no label where the unit reads the same
    speak(client, "zh")
    assert '<option value="万千瓦时">' in client.get(path).text


def test_the_publish_page_names_the_park_s_own_table(
        client: TestClient, world: World, zc: int) -> None:  # noqa: F811
    sign_in(client, world, "officer-z")
    page = page_text(client.get(f"/parks/{zc}/publish").text)
    assert "公开指标对照表和总体判定" in page and "对照考核表" not in page
    sign_in(client, world, "officer-a")
    page = page_text(client.get(f"/parks/{world.park_a}/publish").text)
    assert "公开对照考核表和总体判定" in page


def test_an_enterprise_s_values_are_named_as_the_enterprise_s(client: TestClient,
                                                               world: World) -> None:
    """The officer reviewing a submission reads 企业工业总产值 (the enterprise's output), not
    the park's 园区工业总产值."""
    from ecopark.store import submissions

    with world.store.session(actor="ent-a") as session:
        enterprise = submissions.get_enterprise(session, world.enterprise_a)
        draft = submissions.save_draft(session, enterprise, 2019, [
            submissions.SubmittedValue("gross_output", 120000, "万元")])
        submissions.submit(session, draft)
    sign_in(client, world, "officer-a")
    page = client.get(f"/parks/{world.park_a}/submissions").text
    assert "<td>企业工业总产值</td>" in page and "<td>园区工业总产值</td>" not in page
    speak(client, "en")
    page = client.get(f"/parks/{world.park_a}/submissions").text
    assert "<td>gross industrial output of the enterprise</td>" in page
