"""The draft annual evaluation report of the seed park: its sentences and numbers, the English
variant, the Word file, the PDF, the charts, and what happens when fonts or LibreOffice are
missing.

Expected numbers are the seed's, checked by hand: indicator 2 = 496758.52 / 12957 = 38.34
万元/人; indicator 26 = 1 − ((135509.97 / 496758.52) / (37968 / 192300))^(1/6) = −5.54 %, and
it is met when 2018 CO₂ ≤ 37968 / 192300 · 0.97⁶ · 496758.52 = 81,698.52 t or IVA ≥ 823,952.94
万元 (tests/analysis/test_gap.py); indicator 3 needs IVA₂₀₁₈ ≥ 412800 · 1.15³ = 627,817.20 万元.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from typer.testing import CliRunner

from ecopark import Dataset, Evaluation, Framework, InputFileError, Status, evaluate
from ecopark.cli import app
from ecopark.reports import charts, report_pdf
from ecopark.reports.charts import MarginBar, MarginChart, TrendChart, TrendPanel, VerdictChart
from ecopark.reports.narrative import Figure, Paragraph, Report, Section, build_report
from ecopark.reports.report import write_report
from ecopark.reports.table import COLUMNS
from ecopark.reports.wording import amount, number, pick, tidy, unit_text

from ..conftest import SEED

DAY = datetime.date(2019, 5, 22)
HAS_SOFFICE = shutil.which("soffice") is not None and shutil.which("pdftotext") is not None


@pytest.fixture(scope="module")
def zh(seed_eval: Evaluation) -> Report:
    return build_report(seed_eval, "zh", generated_on=DAY)


@pytest.fixture(scope="module")
def en(seed_eval: Evaluation) -> Report:
    return build_report(seed_eval, "en", generated_on=DAY)


@pytest.fixture(scope="module")
def docx_path(seed_eval: Evaluation, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "report.docx"
    write_report(seed_eval, path, generated_on=DAY)
    return path


def section(report: Report, title: str) -> Section:
    return next(sub for top in report.sections for sub in top.walk() if title in sub.title)


def texts(sec: Section) -> list[str]:
    return [b.text for sub in sec.walk() for b in sub.blocks if not isinstance(b, Figure)]


def with_value(dataset: Dataset, item: str, year: int, value: float) -> Dataset:
    template = next(obs for (name, _), obs in dataset.values.items() if name == item)
    return dataset.with_values({(item, year): dataclasses.replace(template, year=year,
                                                                  value=value)})


# ------------------------------------------------------------------ the sentences


def test_title_page_and_chapters(zh: Report) -> None:
    page = zh.title_page
    assert (page.park, page.title) == ("江苏武进经济开发区", "2018年度国家生态工业示范园区评价报告（草稿）")
    assert page.basis == "评价依据：HJ 274-2015《国家生态工业示范园区标准》"
    assert page.date == "2019年5月22日" and "可追溯" in page.provenance
    assert [s.title for s in zh.sections] == ["一、园区概况", "二、指标达标情况", "三、总体评价结论",
                                              "四、存在的主要问题", "五、下一步工作（整改措施）"]
    assert [s.title for s in zh.sections[1].subsections] == [
        "（一）经济发展", "（二）产业共生", "（三）资源节约", "（四）环境保护", "（五）信息公开"]


def test_overview_names_base_year_region_and_selected(zh: Report) -> None:
    text = "\n".join(texts(zh.sections[0]))
    assert "规划基准年为2012年，评价年为2018年。关于规划基准年的说明：假设：报告未印出规划基准年" in text
    assert "园区区域类别：其他地区（决定指标16的要求）。" in text
    assert "本年度园区选定的可选考核指标共6项：人均工业增加值（指标2）、工业固体废物综合利用率" in text
    assert "数据集包含2012、2015、2018年的数据。" in text


def test_indicator_2_sentence(zh: Report) -> None:
    assert "2018年园区人均工业增加值为38.34万元/人，高于15万元/人的要求，达标。" in zh.text()
    assert "计算所用数据：工业增加值496,758.52万元，年末从业人口12,957人。" in zh.text()


def test_at_most_requirements_say_below(zh: Report) -> None:
    text = zh.text()
    assert "2018年园区单位工业增加值综合能耗为0.054吨标准煤/万元，低于0.5吨标准煤/万元的要求，达标。" in text
    assert "2018年园区单位工业增加值新鲜水耗为1.57立方米/万元，低于8立方米/万元的要求，达标。" in text


def test_indicator_26_not_met(zh: Report) -> None:
    paragraph = next(b for b in section(zh, "环境保护").blocks
                     if not isinstance(b, Figure) and b.lead.startswith("指标26"))
    assert paragraph.lead == "指标26\u3000单位工业增加值二氧化碳排放量年均削减率（必选）"
    assert paragraph.text.startswith(
        "2018年园区单位工业增加值二氧化碳排放量年均削减率为-5.54%，低于3%的要求，未达标。")
    assert "二氧化碳排放量2012年（规划基准年）37,968.00吨、2018年135,509.97吨" in paragraph.text
    assert "园区对照考核表中该指标填报为3.37%，与复算结果不符（见第四章）。" in paragraph.text
    assert paragraph.text.endswith("该指标为必选指标，未达标即导致总体判定不达标。")


def test_a_requirement_chosen_by_a_condition_says_which(zh: Report) -> None:
    assert ("2018年园区综合能耗弹性系数为0.16；园区工业增加值建设期年均增长率为17.14%（大于0），"
            "按标准要求不高于0.6，达标。") in zh.text()


def test_facts_and_counts(zh: Report) -> None:
    text = zh.text()
    assert "2018年工业园区重点污染源稳定排放达标情况为“达标”，符合标准要求，达标。" in text
    assert "2018年工业园内企事业单位发生特别重大、重大突发环境事件数量为0次，符合“0次”的要求，达标。" in text
    assert "2018年园区生态工业主题宣传活动为3次，高于2次的要求，达标。" in text


def test_missing_data_say_which_item_and_year(zh: Report) -> None:
    assert ("2018年园区资源再生利用产业增加值占园区工业增加值比例无法计算：缺少资源再生利用产业增加值"
            "（2018年）的数据（报表填“/”，不按0计），按“缺数据”处理。") in zh.text()
    assert "其中氨氮排放量缺少2012年数据，相应分项未计入平均（不按0计）。" in zh.text()


def test_change_from_an_earlier_year(zh: Report) -> None:
    text = zh.text()
    assert "较2015年的29.00%下降22.63个百分点。" in text  # indicator 3
    assert "较2015年的12.74亿元/平方公里上升25.8%。" in text  # indicator 8


def test_change_from_the_previous_year(hj274: Framework, seed: Dataset) -> None:
    dataset = with_value(with_value(seed, "hightech_output", 2017, 600000.0),
                         "gross_output", 2017, 1900000.0)
    report = build_report(evaluate(hj274, dataset), generated_on=DAY)
    # 2017: 600000 / 1900000 = 31.58 %; 2018: 34.97 % → +3.39 points
    assert "34.97%，高于30%的要求，达标。较上年的31.58%上升3.39个百分点。" in report.text()
    assert len(report.figures()) == 4  # indicator 1 joins the economy trend figure
    trend = report.figures()[0].chart
    assert isinstance(trend, TrendChart)
    assert [p.title for p in trend.panels] == ["1 高新技术企业工业总产值占园区工业总产值比例",
                                               "3 园区工业增加值三年年均增长率"]


def test_not_evaluable_says_why(hj274: Framework, seed: Dataset) -> None:
    report = build_report(evaluate(hj274, with_value(seed, "gross_output", 2018, 0.0)),
                          generated_on=DAY)
    assert "2018年园区高新技术企业工业总产值占园区工业总产值比例无法评价：分母为零：园区工业总产值 = 0。" \
        in report.text()
    assert "指标1（高新技术企业工业总产值占园区工业总产值比例，可选）：" in "\n".join(
        texts(section(report, "缺数据及无法评价的指标")))


def test_verdict_with_its_reason(zh: Report) -> None:
    text = "\n".join(texts(zh.sections[2]))
    assert ("江苏武进经济开发区2018年度总体判定为：不达标。判定依据：必选指标26（单位工业增加值二氧化碳"
            "排放量年均削减率）未达标。") in text
    # the verdict and its basis once: chapter 二 already gives each indicator's part in it
    assert text.count("判定依据") == 1
    assert not [b for b in zh.sections[2].blocks if isinstance(b, Paragraph) and b.kind == "item"]
    assert "全部32项指标中，达标26项，未达标2项，缺数据4项；17项必选指标中16项达标；" in text
    assert "按园区对照考核表中填报的数值，总体判定为“达标”；按基础数据复算后为“不达标”" in text


def test_problems_list_unmet_findings_and_data_quality(zh: Report) -> None:
    unmet = texts(section(zh, "未达标指标"))
    assert [t[:5] for t in unmet] == ["1. 指标", "2. 指标"]
    assert unmet[1].startswith("2. 指标26（单位工业增加值二氧化碳排放量年均削减率，必选）：2018年园区")
    found = "\n".join(texts(section(zh, "对照考核表核查发现")))
    assert ("【错误】必选指标26（单位工业增加值二氧化碳排放量年均削减率）：表中值3.37达标，"
            "复算值-5.54未达标") in found
    assert ("【警告】指标1（高新技术企业工业总产值占园区工业总产值比例）表中为39.31，"
            "按表中基础数据复算为34.97") in found
    # names and words, never formula text or item ids
    assert "氨氮排放量对工业增加值的弹性系数未计入平均：缺少氨氮排放量（2012年）" in found
    assert "elasticity" not in found and "nh3n" not in found
    # chapter 四 names the data-quality findings in one sentence; appendix 二 lists them
    assert texts(section(zh, "数据质量问题")) == [
        "按数据质量规则检查本报告所用数据，发现警告2项，逐项列于附录二。"]


def test_appendix_two_lists_the_data_quality_findings_by_severity(zh: Report) -> None:
    assert zh.quality.title == "附录二 数据质量核查"
    assert [sub.title for sub in zh.quality.subsections] == ["（一）警告（须核实）"]
    # each finding: the indicator and year, what was found, what to check
    assert texts(zh.quality.subsections[0]) == [
        "1. 指标25（主要污染物排放弹性系数），2012年：缺少氨氮排放量，指标25（主要污染物排放弹性系数）的"
        "平均值只计入了3/4项（缺项不按0计）。须核查：填写氨氮排放量（2012年），使全部分项计入平均。",
        "2. 指标26（单位工业增加值二氧化碳排放量年均削减率）：单位能耗二氧化碳排放量基准年与评价年应基本"
        "一致：2012年1.65吨/吨标准煤，2018年5.01吨/吨标准煤，相差3.05倍（超过2倍），基准年与评价年似采用"
        "不同核算方法。"]


def test_data_quality_lists_an_implausible_value_with_its_fix(seed_eval: Evaluation) -> None:
    # 绿化覆盖率 typed as the fraction 0.2483 in its % field
    dataset = with_value(seed_eval.dataset, "green_coverage_rate", 2018, 0.2483)
    ev = evaluate(seed_eval.framework, dataset, 2018)
    for lang, expected in (
            ("zh", "1. 指标29（绿化覆盖率），2018年：绿化覆盖率为0.2483 %，低于合理范围5–100 %，疑为"
                   "把小数填进了百分数栏。须核查：按百分数填写：小数0.2483即24.83 %。"),
            ("en", "1. Indicator 29 (green coverage rate), 2018: green coverage rate is 0.2483 %, "
                   "below the plausible range 5–100 %: likely a fraction typed where a percentage "
                   "is asked. To check: enter it as a percentage: the fraction 0.2483 is 24.83 %.")):
        report = build_report(ev, lang, generated_on=DAY)
        errors = report.quality.subsections[0]
        assert errors.title == pick(lang, "（一）错误（须更正或说明理由）",
                                    "A2.1 Errors (correct them or give the reason)")
        assert expected in texts(errors), texts(errors)


def test_next_steps_name_only_what_the_park_can_act_on(zh: Report) -> None:
    targets = "\n".join(texts(section(zh, "未达标指标的整改目标")))
    assert targets == (
        "1. 指标3（园区工业增加值三年年均增长率）为6.37%，要求不低于15%。园区可直接调整的数据中，没有一项"
        "单独改变即可使其达标，需要多项措施共同推进。\n"
        "2. 指标26（单位工业增加值二氧化碳排放量年均削减率）为-5.54%，要求不低于3%。在其余数据不变的情况下，"
        "2018年二氧化碳排放量须由135,509.97吨降至不超过81,698.52吨，即降低39.7%。")
    chapter = "\n".join(texts(zh.sections[4]))
    assert "工业增加值增至" not in chapter and "工业增加值降至" not in chapter
    assert "2012" not in chapter  # the base year's data are history, not targets
    near = "\n".join(texts(section(zh, "接近要求的指标")))
    assert ("若2018年工业重复用水量（现为316.30万立方米）降至233.82万立方米以下（降低26.1%），"
            "该指标将不达标。") in near
    assert "新鲜水资源消耗量" not in near  # a denominator of the reuse rate
    sensitivity = "\n".join(texts(section(zh, "对总体判定影响最大的数据")))
    assert ("由“不达标”变为“达标”：2018年二氧化碳排放量由135,509.97吨降至不超过81,698.52吨"
            "（降低39.7%，指标26）。") in sensitivity


def test_a_passing_park_reads_what_would_make_it_fail(hj274: Framework, seed: Dataset) -> None:
    report = build_report(evaluate(hj274, with_value(seed, "co2", 2018, 80000.0)),
                          generated_on=DAY)
    text = report.text()
    assert "总体判定为：达标。\n全部32项指标中" in text and "17项必选指标中17项达标" in text
    assert "由“达标”变为“不达标”" in text
    assert "2018年二氧化碳排放量（现为80,000.00吨）升至81,698.52吨以上（提高2.1%，指标26）" in text
    assert "指标20、21、23、24、30、31的数值恰好等于标准要求" in text


def test_no_section_is_empty(zh: Report, en: Report) -> None:
    for report in (zh, en):
        for top in report.sections:
            for sec in top.walk():
                assert sec.blocks, sec.title


# ------------------------------------------------------------------ English


def shape(report: Report) -> list[tuple[int, int, int]]:
    return [(len(sec.blocks), len(sec.subsections), sum(isinstance(b, Figure) for b in sec.blocks))
            for top in report.sections for sec in top.walk()]


def test_english_has_the_same_structure_and_numbers(zh: Report, en: Report) -> None:
    assert shape(en) == shape(zh)
    assert [s.title for s in en.sections] == ["1 Park overview", "2 Indicators", "3 Overall verdict",
                                              "4 Main problems", "5 Next steps (corrective measures)"]
    assert en.title_page.title == ("2018 National Eco-Industrial Demonstration Park Evaluation "
                                   "Report (Draft)")
    text = en.text()
    assert ("2 Industrial value added per employee (optional, assessed this year)" in text)
    assert ("In 2018 the value was 38.34 × 10⁴ CNY/person, above the required minimum of "
            "15 × 10⁴ CNY/person: met.") in text
    assert "In 2018 the value was -5.54%, below the required minimum of 3%: not met." in text
    assert ("With the other data unchanged, CO2 emitted in 2018 must fall from 135,509.97 t to "
            "at most 81,698.52 t (-39.7%).") in text
    assert "the overall verdict for 江苏武进经济开发区 in 2018 is: failed." in text
    assert "Basis: Mandatory indicators not met: 26 (" in text
    assert not re.search(r"达标|要求|指标", "\n".join(texts(en.sections[1])))


def test_english_charts_are_labelled_in_english(en: Report) -> None:
    verdict = next(f.chart for f in en.figures() if isinstance(f.chart, VerdictChart))
    assert verdict.statuses == ("met", "not met", "missing data", "not evaluable")
    assert verdict.categories[0] == "Economic development"


# ------------------------------------------------------------------ Word


def test_docx_has_the_chapters_figures_and_appendix(docx_path: Path, zh: Report) -> None:
    document = Document(str(docx_path))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:3] == ["一、园区概况", "二、指标达标情况", "（一）经济发展"]
    assert headings[-3:] == ["附录一 对照考核表", "附录二 数据质量核查", "（一）警告（须核实）"]
    pictures = document.inline_shapes
    assert len(pictures) == len(zh.figures()) == 4
    captions = [p.text for p in document.paragraphs if p.style.name == "图题"]
    assert captions == [f.caption for f in zh.figures()]
    assert captions[0] == "图1 经济发展类指标历年变化（虚线为标准要求）"
    body = "\n".join(p.text for p in document.paragraphs)
    assert "2018年园区人均工业增加值为38.34万元/人，高于15万元/人的要求，达标。" in body


def test_docx_appendix_is_the_assessment_table(docx_path: Path, zh: Report) -> None:
    document = Document(str(docx_path))
    assert len(document.tables) == 1
    table = document.tables[0]
    assert tuple(c.text for c in table.rows[0].cells) == COLUMNS
    rows = [tuple(c.text for c in row.cells) for row in table.rows]
    assert rows[1][:2] == ("1", "经济发展")
    assert any(r[2:] == ("人均工业增加值", "万元/人", "≥15", "可选", "是", "38.34", "达标")
               for r in rows)
    assert any(r[2] == "单位工业增加值二氧化碳排放量年均削减率" and r[7:] == ("-5.54", "未达标")
               for r in rows)
    assert len(rows) == 1 + len(zh.appendix.table.rows)


def test_docx_pages(docx_path: Path) -> None:
    document = Document(str(docx_path))
    title, body, appendix, quality = document.sections
    assert quality.orientation == WD_ORIENT.PORTRAIT and quality.footer.is_linked_to_previous
    assert title.orientation == WD_ORIENT.PORTRAIT and round(title.page_width.cm, 1) == 21.0
    assert body.orientation == WD_ORIENT.PORTRAIT and not body.footer.is_linked_to_previous
    assert appendix.orientation == WD_ORIENT.LANDSCAPE and appendix.footer.is_linked_to_previous
    footer = body.footer._element.xml
    assert 'w:instr=" PAGE "' in footer
    assert body._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    assert appendix._sectPr.find(qn("w:pgNumType")) is None  # numbers go on
    assert body.header.paragraphs[0].text == "江苏武进经济开发区2018年度国家生态工业示范园区评价报告（草稿）"


def test_docx_fonts(docx_path: Path) -> None:
    document = Document(str(docx_path))
    for name, east_asian in (("Normal", "宋体"), ("报告正文", "宋体"), ("Heading 1", "黑体"),
                             ("Heading 2", "黑体"), ("图题", "黑体")):
        fonts = document.styles[name].element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) == east_asian, name
        assert fonts.get(qn("w:ascii")) == "Times New Roman", name
        assert fonts.get(qn("w:asciiTheme")) is None, name
    assert document.styles["报告正文"].font.size.pt == 12


# ------------------------------------------------------------------ PDF


@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice and poppler-utils: scripts/system-deps")
def test_pdf_pages_and_chinese_text(seed_eval: Evaluation, tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    write_report(seed_eval, path, generated_on=DAY)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))  # type: ignore[union-attr]
    assert 12 <= pages <= 25
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "人均工业增加值" in text and "38.34" in text
    assert "81,698.52" in text and "国家生态工业示范园区对照考核表" in text


def test_missing_libreoffice_is_a_typed_error(seed_eval: Evaluation, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report_pdf.shutil, "which", lambda name: None)
    with pytest.raises(InputFileError) as raised:
        write_report(seed_eval, tmp_path / "report.pdf")
    assert "libreoffice-writer" in str(raised.value)
    assert not (tmp_path / "report.pdf").exists()


# ------------------------------------------------------------------ bad input


def test_unknown_suffix(seed_eval: Evaluation, tmp_path: Path) -> None:
    with pytest.raises(InputFileError) as raised:
        write_report(seed_eval, tmp_path / "report.odt")
    assert ".odt" in str(raised.value) and ".docx / .pdf" in str(raised.value)


def test_missing_fonts_are_a_typed_error(seed_eval: Evaluation, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from matplotlib import font_manager

    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *args, **kwargs: [])
    with pytest.raises(InputFileError) as raised:
        write_report(seed_eval, tmp_path / "report.docx")
    assert "fonts-noto-cjk" in str(raised.value)
    assert not (tmp_path / "report.docx").exists()


# ------------------------------------------------------------------ charts


CHARTS = {
    "trend": TrendChart((TrendPanel("3 园区工业增加值三年年均增长率", "%", (2015, 2018), (29.0, 6.37),
                                    (15.0, 15.0)),), "指标值", "标准要求"),
    "verdict": VerdictChart(("经济发展", "产业共生"), ("达标", "未达标", "缺数据", "无法评价"),
                            ((2, 1, 1, 0), (2, 0, 1, 0)), "指标数（项）"),
    "margin": MarginChart((MarginBar("2 人均工业增加值", 155.6, True),
                           MarginBar("26 单位工业增加值二氧化碳排放量年均削减率", -284.5, False)),
                          "相对要求的余量（%）", "达标", "未达标"),
}


@pytest.mark.parametrize("name", list(CHARTS))
def test_charts_are_deterministic_200_dpi_png(name: str) -> None:
    first, second = charts.render(CHARTS[name]), charts.render(CHARTS[name])
    assert first == second
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    phys = first.index(b"pHYs")
    assert int.from_bytes(first[phys + 4:phys + 8], "big") == round(200 / 0.0254)


def test_charts_drawn_by_several_threads_at_once_are_the_charts_drawn_alone() -> None:
    # the server's worker threads may write two reports at once; matplotlib's settings are one
    # per process, and without the drawing lock 3 of these 24 charts came out different (one
    # thread leaving its rc_context took the CJK font from another's chart). Switching threads
    # every 0.1 ms makes the overlap certain.
    alone = {name: charts.render(chart) for name, chart in CHARTS.items()}
    drawn: list[tuple[str, bytes]] = []

    def draw() -> None:
        for _ in range(2):
            drawn.extend((name, charts.render(chart)) for name, chart in CHARTS.items())

    interval = sys.getswitchinterval()
    sys.setswitchinterval(0.0001)
    try:
        threads = [threading.Thread(target=draw) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert len(drawn) == 24
    assert [name for name, png in drawn if png != alone[name]] == []


def test_the_seed_charts() -> None:
    assert charts.margin(38.34, ">=", 15) == pytest.approx(155.6, abs=0.05)
    assert charts.margin(0.054, "<=", 0.5) == pytest.approx(89.2)
    assert charts.margin(-0.84, "<=", 0.3) == pytest.approx(380.0)
    assert charts.margin(-5.54, ">=", 3) == pytest.approx(-284.67, abs=0.01)
    assert charts.margin(0, "==", 0) is None


def test_margin_chart_of_the_seed(zh: Report) -> None:
    chart = next(f.chart for f in zh.figures() if isinstance(f.chart, MarginChart))
    numbers = {int(bar.label.split()[0]): bar for bar in chart.bars}
    assert 20 not in numbers and 19 not in numbers  # 100 % rates at 100, and "= 0"
    assert numbers[26].met is False and numbers[26].margin == pytest.approx(-284.5, abs=0.2)
    assert numbers[15].margin == pytest.approx(6.97, abs=0.01)


# ------------------------------------------------------------------ wording and CLI


def test_wording() -> None:
    assert number(135509.97, 2) == "135,509.97" and number(-0.001, 2) == "0.00"
    assert unit_text("t", "zh") == "吨" and unit_text("m3/万元", "zh") == "立方米/万元"
    assert unit_text("万元/人", "en") == "10⁴ CNY/person" and unit_text("人", "en") == "persons"
    assert amount(12957.0, "人", "zh") == "12,957人" and amount(316.3, "万m3", "zh") == "316.30万立方米"
    assert tidy("指标 26（x）表中为 3.37，复算为 -5.54") == "指标26（x）表中为3.37，复算为-5.54"
    assert tidy("新鲜水资源消耗量 + 工业重复用水量") == "新鲜水资源消耗量 + 工业重复用水量"


def test_cli_report(tmp_path: Path) -> None:
    runner = CliRunner()
    path = tmp_path / "report.docx"
    result = runner.invoke(app, ["report", str(SEED), "-o", str(path), "--lang", "en"])
    assert result.exit_code == 0, result.stderr
    assert path.exists() and "wrote" in result.stdout
    document = Document(str(path))
    assert document.paragraphs[1].text == ("2018 National Eco-Industrial Demonstration Park "
                                           "Evaluation Report (Draft)")
    bad = runner.invoke(app, ["report", str(SEED), "-o", str(tmp_path / "r.txt")])
    assert bad.exit_code == 2 and ".docx / .pdf" in bad.stderr


def test_statuses_in_the_verdict_chart(zh: Report, seed_eval: Evaluation) -> None:
    chart = next(f.chart for f in zh.figures() if isinstance(f.chart, VerdictChart))
    assert chart.counts[0] == (2, 1, 1, 0)  # 经济发展: 1, 2 met; 3 not met; 4 missing
    assert sum(map(sum, chart.counts)) == len(seed_eval.results)
    assert sum(row[0] for row in chart.counts) == sum(
        r.status is Status.MET for r in seed_eval.results)
