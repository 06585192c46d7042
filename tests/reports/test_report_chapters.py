"""The report's chapters written from the park profile and by the officer: 一、园区概况 from the
profile's overview fields (missing ones named, never guessed), 四 and 五 as the officer wrote
them, else a draft whose measures name only what a park can act on."""

from __future__ import annotations

import copy
import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from ecopark import Dataset, Evaluation, Framework, evaluate, load_dataset
from ecopark.analysis.gap import gaps
from ecopark.reports.narrative import Figure, Report, Section, build_report, gather
from ecopark.reports.problems import draft_texts

from ..conftest import SEED
from .test_report import with_value

DAY = datetime.date(2019, 5, 22)


def texts(sec: Section) -> list[str]:
    return [b.text for sub in sec.walk() for b in sub.blocks if not isinstance(b, Figure)]


def _dataset(tmp_path: Path, hj274: Framework, park: dict[str, Any] | None = None,
             observations: dict[str, Any] | None = None) -> Dataset:
    data = copy.deepcopy(yaml.safe_load(SEED.read_text(encoding="utf-8")))
    data["park"].update(park or {})
    data["observations"].update(observations or {})
    path = tmp_path / "d.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_dataset(path, hj274)


def _report(dataset: Dataset, hj274: Framework, lang: str = "zh") -> Report:
    return build_report(evaluate(hj274, dataset), lang, generated_on=DAY)


# ------------------------------------------------------------------ 一、园区概况


def test_the_seed_overview_states_its_facts_and_names_what_is_missing(
        seed_eval: Evaluation) -> None:
    zh = texts(build_report(seed_eval, "zh", generated_on=DAY).sections[0])
    assert zh[:2] == [
        "园区面积：20.14平方公里。地理位置：常州市武进区，位于常州市区西南部，东接武进高新区，西临嘉泽镇，"
        "北与邹区镇相连，邻近滆湖（西太湖）。主导产业：先进碳材料（石墨烯）、健康、互联网、文化旅游。"
        "创建批复：环发﹝2013﹞41号（2013年4月）。建设规划批复：2013年9月。",
        "企业数量、规模以上工业企业数量、建设规划批复文号：（未填报）。"]
    en = texts(build_report(seed_eval, "en", generated_on=DAY).sections[0])
    assert en[0].startswith("Area: 20.14 km². Location: 常州市武进区")
    assert en[0].endswith("Approval to build the demonstration park: 环发﹝2013﹞41号 (April "
                          "2013). Approval of the construction plan: September 2013.")
    assert en[1] == ("Number of enterprises; industrial enterprises above designated size; "
                     "approval of the construction plan, document number: (not reported).")


def test_a_complete_profile_leaves_nothing_missing(tmp_path: Path, hj274: Framework) -> None:
    dataset = _dataset(tmp_path, hj274, {"enterprises": 1234, "enterprises_above_size": 321,
                                         "plan_approval_doc": "武政复〔2013〕9号",
                                         "plan_approval_date": "2013年9月16日"})
    zh = texts(_report(dataset, hj274).sections[0])
    assert "企业数量：1,234家。规模以上工业企业数量：321家。" in zh[0]
    assert zh[0].endswith("建设规划批复：武政复〔2013〕9号（2013年9月16日）。")
    assert "（未填报）" not in zh[1]


def test_a_park_with_no_profile_says_so_and_invents_nothing(tmp_path: Path,
                                                           hj274: Framework) -> None:
    blank = dict.fromkeys(("area", "location", "leading_industries", "approval_doc",
                           "approval_date", "plan_approval_date"), "")
    zh = texts(_report(_dataset(tmp_path, hj274, blank), hj274).sections[0])
    assert zh[0] == ("园区面积、地理位置、主导产业、企业数量、规模以上工业企业数量、创建批复文号、"
                     "创建批复日期、建设规划批复文号、建设规划批复日期：（未填报）。")


# ------------------------------------------------------------------ 四、五 as the officer writes them


def test_the_officers_chapters_replace_the_drafts(tmp_path: Path, hj274: Framework) -> None:
    dataset = _dataset(tmp_path, hj274, {
        "problems_text": "一是二氧化碳排放强度仍偏高。\n\n二是部分数据统计口径不一。",
        "actions_text": "推进重点企业节能改造，2019年完成5家。"})
    report = _report(dataset, hj274)
    assert [s.title for s in report.sections[3:]] == ["四、存在的主要问题", "五、下一步工作（整改措施）"]
    assert texts(report.sections[3]) == ["一是二氧化碳排放强度仍偏高。", "二是部分数据统计口径不一。"]
    assert texts(report.sections[4]) == ["推进重点企业节能改造，2019年完成5家。"]
    assert report.sections[3].subsections == ()


def test_the_drafts_offered_to_the_officer_are_the_reports_own(seed_eval: Evaluation) -> None:
    drafts = draft_texts(gather(seed_eval))
    assert drafts["problems"].splitlines()[:2] == [
        "本章列出评价中发现的问题：未达标的指标、缺少数据的指标，以及复算与核查中发现的数据问题。",
        "未达标指标"]
    assert drafts["actions"].splitlines()[-1] == (
        "在其余数据不变的情况下，下列任何一项本年度数据的变化都会使总体判定由“不达标”变为“达标”：2018年二氧化碳"
        "排放量由135,509.97吨降至不超过81,698.52吨（降低39.7%，指标26）。这些数据对评价结论影响最大，应优先核实"
        "其准确性。")


# ------------------------------------------------------------------ 五: only what a park can act on


def test_never_lower_employment_value_added_or_land_even_when_the_solver_would(
        hj274: Framework, seed: Dataset) -> None:
    shrunk = with_value(with_value(seed, "iva", 2018, 150000.0), "energy", 2018, 15000.0)
    ev = evaluate(hj274, shrunk)
    proposed = {(c.item, c.direction) for g in gaps(ev) for c in g.inputs if c.year == 2018}
    assert {("employees", "at_most"), ("industrial_land", "at_most"),
            ("iva", "at_least"), ("fresh_water", "at_most")} <= proposed
    chapter = "\n".join(texts(build_report(ev, generated_on=DAY).sections[4]))
    for word in ("年末从业人口", "工业用地面积由", "工业增加值须", "工业增加值增至", "工业增加值降至",
                 "新鲜水资源消耗量（现为"):  # the last: the denominator of the reuse rate (15)
        assert word not in chapter, word
    assert "2018年二氧化碳排放量须由135,509.97吨降至不超过24,669.49吨" in chapter
    # fresh water is the numerator of its elasticity (13): a measure there
    assert "2018年新鲜水资源消耗量须由77.94万立方米降至不超过63.49万立方米" in chapter


def test_never_fewer_key_enterprises_required_to_audit(tmp_path: Path,
                                                       hj274: Framework) -> None:
    dataset = _dataset(tmp_path, hj274, observations={
        "key_ent_audited": {"unit": "家", "values": {2018: 30}},
        "key_ent_audit_required": {"unit": "家", "values": {2018: 40}}})
    ev = evaluate(hj274, dataset)
    assert {c.item for g in gaps(ev) if g.number == 21 for c in g.inputs} == {
        "key_ent_audited", "key_ent_audit_required"}
    chapter = "\n".join(texts(build_report(ev, generated_on=DAY).sections[4]))
    assert "应实施清洁生产审核的重点企业数" not in chapter
    assert "2018年已实施清洁生产审核的重点企业数须由30家增至不低于40家" in chapter


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_base_year_is_never_a_measure(seed_eval: Evaluation, lang: str) -> None:
    chapter = "\n".join(texts(build_report(seed_eval, lang, generated_on=DAY).sections[4]))
    assert "2012" not in chapter and "2015" not in chapter
