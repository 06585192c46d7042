"""The annual evaluation report's content as data: `Report` → `Section` → `Paragraph` / `Figure`,
plus the title page and the 对照考核表 as appendix (the frozen dataclasses of
`ecopark.reports.content`, re-exported here). Writers (report_docx, report_pdf) only lay it out,
so the Word file and the PDF say the same thing.

`build_report(evaluation, lang)` is pure: everything in it is written from the evaluation and
what ecopark derives from it (`gather`): the verification of the printed table and the data
(findings), the gap solver (`gaps`, `verdict_sensitivity`) and the evaluations of the other
years the dataset has data for (trends, change from the previous year). The chapters follow a
park's annual report (the seed report): park overview for the year; indicator by indicator,
grouped by category; the overall verdict; 存在的主要问题 and 下一步工作（整改措施） (chapters 4
and 5, `ecopark.reports.problems`: the officer's text, else a draft from the data); appendix.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections import Counter
from collections.abc import Iterable, Iterator

from ecopark.analysis.gap import gaps, threshold, verdict_sensitivity
from ecopark.core.evaluate import Evaluation, evaluate
from ecopark.core.quality import check_dataset, touching
from ecopark.core.readable import readable
from ecopark.core.results import IndicatorResult, Status
from ecopark.core.verdict import VerdictStatus
from ecopark.core.verify import verify
from ecopark.reports import sentences as s
from ecopark.reports.charts import (
    TREND_ROWS,
    MarginBar,
    MarginChart,
    TrendChart,
    TrendPanel,
    VerdictChart,
    margin,
    trend_columns,
)
from ecopark.reports.content import (
    Appendix,
    Block,
    Facts,
    Figure,
    Paragraph,
    Report,
    Section,
    TitlePage,
    nums,
    paragraph,
)
from ecopark.reports.overview import park_paragraphs
from ecopark.reports.problems import changes_section, problems_section, quality_appendix
from ecopark.reports.table import build_table
from ecopark.reports.wording import pick, table_name, tidy, unit_text

__all__ = ["Appendix", "Block", "Facts", "Figure", "Paragraph", "Report", "Section", "TitlePage",
           "build_report", "gather"]

_ZH_NUMERALS = "一二三四五六七八九十"
_STATUS_ORDER = (Status.MET, Status.NOT_MET, Status.MISSING, Status.NOT_EVALUABLE)
_STATUS_NAMES = {Status.MET: ("达标", "met"), Status.NOT_MET: ("未达标", "not met"),
                 Status.MISSING: ("缺数据", "missing data"),
                 Status.NOT_EVALUABLE: ("无法评价", "not evaluable"),
                 Status.NOT_APPLICABLE: ("不适用", "not applicable")}
_VERDICT_NAMES = {VerdictStatus.PASSED: ("达标", "passed"),
                  VerdictStatus.FAILED: ("不达标", "failed"),
                  VerdictStatus.INCOMPLETE: ("无法判定", "undecided (data missing)")}


def gather(evaluation: Evaluation) -> Facts:
    """Verify, solve the gaps and evaluate every earlier year the dataset has data for."""
    dataset, year = evaluation.dataset, evaluation.year
    earlier = [y for y in dataset.years() if dataset.profile.base_year < y < year]
    history = {y: evaluate(evaluation.framework, dataset, y) for y in earlier}
    quality = touching(check_dataset(dataset, evaluation.framework, year=year))
    return Facts(evaluation, verify(evaluation), tuple(gaps(evaluation)),
                 tuple(verdict_sensitivity(evaluation)), history, tuple(quality))


# ------------------------------------------------------------------ the report


def build_report(evaluation: Evaluation, lang: str = "zh", *, facts: Facts | None = None,
                 generated_on: datetime.date | None = None) -> Report:
    """The draft annual evaluation report of `evaluation` in `lang` ("zh" or "en")."""
    facts = facts or gather(evaluation)
    day = generated_on or evaluation.dataset.profile.today()
    sections = _numbered((_overview(facts, lang), _indicators(facts, lang),
                          _verdict(facts, lang), problems_section(facts, lang), changes_section(facts, lang)),
                         lang)
    table = build_table(evaluation, filled_on=generated_on, lang=lang)
    name = table_name(evaluation.framework, lang)
    appendix = Appendix(pick(lang, f"附录一 {name}", f"Appendix 1: the {name}"), table)
    return Report(lang, _title_page(evaluation, day, lang), _running_head(evaluation, lang),
                  sections, appendix, quality_appendix(facts, lang))


def _report_title(ev: Evaluation, lang: str) -> str:
    spec = ev.framework.spec
    title = spec.wording.report_title_zh or f"{spec.name_zh.removesuffix('标准')}评价报告"
    return pick(lang, f"{ev.year}年度{title}（草稿）",
                f"{ev.year} {spec.wording.report_title_en or 'Annual Evaluation Report'} (Draft)")


def _basis(ev: Evaluation, lang: str) -> str:
    """The document the evaluation follows, as the framework cites it (its `wording`), else
    from its source: HJ 274-2015《国家生态工业示范园区标准》."""
    spec = ev.framework.spec
    if spec.wording.document_zh:
        return pick(lang, spec.wording.document_zh, spec.wording.document_en)
    cited = re.match(r"^[^《,，]*《[^》]+》", spec.source)
    code = cited.group(0).split("《")[0].strip() if cited else spec.id
    return pick(lang, cited.group(0) if cited else spec.name_zh, f"{code} {spec.name_en}")


def _title_page(ev: Evaluation, day: datetime.date, lang: str) -> TitlePage:
    return TitlePage(
        ev.dataset.profile.name, _report_title(ev, lang),
        pick(lang, f"评价依据：{_basis(ev, 'zh')}", f"Evaluated against {_basis(ev, 'en')}"),
        pick(lang, f"{day.year}年{day.month}月{day.day}日", day.strftime("%-d %B %Y")),
        pick(lang, "本报告由评价平台根据园区年度数据自动生成，数据与计算过程均可追溯",
             "Drafted by the evaluation platform from the park's yearly data; every number can be "
             "traced to its inputs"))


def _running_head(ev: Evaluation, lang: str) -> str:
    return pick(lang, f"{ev.dataset.profile.name}{_report_title(ev, 'zh')}",
                f"{ev.dataset.profile.name} — {_report_title(ev, 'en')}")


def _numbered(sections: Iterable[Section], lang: str) -> tuple[Section, ...]:
    """Number the headings (一、/（一） or 1 / 1.1) and the figures (图1 / Figure 1)."""
    figures = iter(range(1, 1000))

    def figure(block: Block) -> Block:
        if not isinstance(block, Figure):
            return block
        n = next(figures)
        return dataclasses.replace(block, number=n, caption=pick(
            lang, f"图{n} {block.caption}", f"Figure {n}. {block.caption}"))

    out = []
    for i, section in enumerate(sections, start=1):
        subs = tuple(dataclasses.replace(
            sub, title=pick(lang, f"（{_ZH_NUMERALS[j - 1]}）{sub.title}", f"{i}.{j} {sub.title}"),
            blocks=tuple(figure(b) for b in sub.blocks))
            for j, sub in enumerate(section.subsections, start=1))
        blocks = tuple(figure(b) for b in section.blocks)
        title = pick(lang, f"{_ZH_NUMERALS[i - 1]}、{section.title}", f"{i} {section.title}")
        out.append(Section(title, blocks, subs))
    return tuple(out)



# ------------------------------------------------------------------ 一、园区概况


def _overview(facts: Facts, lang: str) -> Section:
    ev = facts.evaluation
    profile, spec = ev.dataset.profile, ev.framework.spec
    mandatory = sum(1 for i in ev.framework.indicators if i.mandatory)
    total = len(ev.framework.indicators)
    cats = pick(lang, "、", ", ").join(pick(lang, c.name_zh, c.name_en) for c in spec.categories)
    groups = spec.verdict.groups
    blocks = [paragraph(lang, text) for text in park_paragraphs(ev, lang)]
    wording = spec.wording
    kinds = pick(lang, f"其中{wording.mandatory_zh.removesuffix('指标')}指标{mandatory}项、"
                 f"{wording.optional_zh.removesuffix('指标')}指标{total - mandatory}项",
                 f"{mandatory} {wording.mandatory_en} and {total - mandatory} "
                 f"{wording.optional_en}")
    rule = pick(lang, f"；可选指标分为{len(groups)}组，每组须有规定数量的指标达标",
                f", the optional ones in {len(groups)} groups, each of which needs a minimum "
                "number met") if groups else ""
    blocks.append(paragraph(lang, pick(
        lang, f"本报告评价{profile.name}{ev.year}年度的建设情况，评价依据为{_basis(ev, 'zh')}。"
        f"该指标体系共设{total}项指标，分为{cats}{len(spec.categories)}类，{kinds}{rule}。",
        f"This report evaluates {profile.name} for {ev.year} against {_basis(ev, 'en')}. It "
        f"has {total} indicators in {len(spec.categories)} categories ({cats}): {kinds}{rule}.")))
    blocks.append(paragraph(lang, _base_year_text(facts, lang)))
    blocks.extend(paragraph(lang, text) for text in _profile_texts(facts, lang))
    if groups:  # a framework without optional groups has no selection to report
        blocks.append(paragraph(lang, _selected_text(facts, lang)))
    blocks.append(paragraph(lang, _sources_text(facts, lang)))
    return Section(pick(lang, "园区概况", "Park overview"), tuple(blocks))


def _base_year_text(facts: Facts, lang: str) -> str:
    ev = facts.evaluation
    profile = ev.dataset.profile
    note = profile.base_year_note.strip()
    return pick(lang, f"规划基准年为{profile.base_year}年，评价年为{ev.year}年。"
                + (f"关于规划基准年的说明：{note}" if note else ""),
                f"The planning base year is {profile.base_year}; the evaluation year is {ev.year}."
                + (f" Note on the base year (from the dataset): {note}" if note else ""))


def _profile_texts(facts: Facts, lang: str) -> Iterator[str]:
    ev = facts.evaluation
    for key, field in ev.framework.spec.profile_fields.items():
        if field.kind != "choice":  # the park's facts, the chapters it writes, who filled it in
            continue
        value = ev.dataset.profile.fields.get(key, field.default or "")
        label = field.values.get(value)
        shown = pick(lang, label.zh or value, label.en) if label else value
        users = [i.number for i in ev.framework.indicators
                 if any(key in case.when for case in i.requirement.cases or ())]
        used = pick(lang, f"（决定指标{nums(users, lang)}的要求）",
                    f" (it sets the requirement of indicator {nums(users, lang)})") if users else ""
        yield pick(lang, f"园区{field.name_zh}：{shown}{used}。",
                   f"The park's {field.name_en}: {shown}{used}.")


def _selected_text(facts: Facts, lang: str) -> str:
    ev = facts.evaluation
    chosen = sorted(ev.dataset.profile.selected)
    if not chosen:
        return pick(lang, "数据集未指定本年度考核的可选指标。",
                    "The dataset names no optional indicators assessed this year.")
    names = pick(lang, "、", "; ").join(
        pick(lang, f"{ev.framework.indicator(n).name_zh}（指标{n}）",
             f"{n} {ev.framework.indicator(n).name_en}") for n in chosen)
    return pick(lang, f"本年度园区选定的可选考核指标共{len(chosen)}项：{names}。",
                f"The park assesses {len(chosen)} optional indicators this year: {names}.")


def _sources_text(facts: Facts, lang: str) -> str:
    ev = facts.evaluation
    years = nums(ev.dataset.years(), lang)
    reported = ev.dataset.reported
    source = ""
    if reported is not None:
        where = reported.source or pick(lang, "未注明出处", "source not given")
        name = table_name(ev.framework, lang)
        source = pick(lang, f"数据集还载有园区填报的{reported.year}年{name}数值，用于核查，"
                      f"其出处为：{where}。",
                      f" It also holds the values of the park's printed {reported.year} "
                      f"{name} ({where}), which are checked.")
    return pick(lang, f"数据集包含{years}年的数据。{source}本报告中的全部指标值均由基础数据按标准公式"
                "重新计算，每个数值的计算过程、输入数据及来源均可在评价平台的指标页面中查看。",
                f"The dataset holds data for {years}.{source} Every indicator value in this "
                "report is recomputed from the base data by the standard's formulas; the "
                "indicator pages of the evaluation platform show each one's computation, inputs "
                "and sources.")


# ------------------------------------------------------------------ 二、指标达标情况


def _indicators(facts: Facts, lang: str) -> Section:
    ev = facts.evaluation
    subs = tuple(_category(facts, c.id, pick(lang, c.name_zh, _capital(c.name_en)), lang)
                 for c in ev.framework.spec.categories)
    intro = paragraph(lang, pick(
        lang, f"以下按指标类别逐项说明{ev.year}年各项指标的数值、标准要求及达标情况。",
        f"Indicator by indicator, by category: the {ev.year} value, the requirement and whether "
        "it is met."))
    return Section(pick(lang, "指标达标情况", "Indicators"), (intro,), subs)


def _category(facts: Facts, category: str, title: str, lang: str) -> Section:
    ev = facts.evaluation
    results = [r for r in ev.results if r.indicator.category == category]
    blocks: list[Block] = [paragraph(lang, _category_summary(results, title, lang))]
    for result in results:
        text = s.indicator_text(ev, result, lang, previous=_previous(facts, result),
                                printed=_printed(facts, result.number))
        blocks.append(paragraph(lang, text, lead=s.indicator_lead(ev, result.indicator, lang)))
    panels = tuple(p for r in results if (p := _trend_panel(facts, r, lang)) is not None)
    blocks.extend(_trend_figures(panels, title, lang))
    return Section(title, tuple(blocks))


def _trend_figures(panels: tuple[TrendPanel, ...], title: str, lang: str) -> Iterator[Figure]:
    """The category's trend panels, as many figures as it takes for each to fit on a page
    (`TREND_ROWS` rows of as many panels as the years leave room for); later ones say 续."""
    if not panels:
        return
    size = TREND_ROWS * trend_columns(max(len(p.years) for p in panels))
    for start in range(0, len(panels), size):
        chart = TrendChart(panels[start:start + size], pick(lang, "指标值", "value"),
                           pick(lang, "标准要求", "requirement"))
        more = pick(lang, "（续）", " (continued)") if start else ""
        yield Figure(0, pick(lang, f"{title}类指标历年变化{more}（虚线为标准要求）",
                             f"{title}: indicators over the years{more} (dashed: the "
                             "requirement)"), chart)


def _category_summary(results: list[IndicatorResult], title: str, lang: str) -> str:
    counts = Counter(r.status for r in results)
    parts = [pick(lang, f"{_STATUS_NAMES[st][0]}{counts[st]}项", f"{counts[st]} {_STATUS_NAMES[st][1]}")
             for st in (*_STATUS_ORDER, Status.NOT_APPLICABLE) if counts[st]]
    return pick(lang, f"{title}类共{len(results)}项指标，其中{'，'.join(parts)}。",
                f"{title}: {len(results)} indicators, {', '.join(parts)}.")


def _printed(facts: Facts, number: int) -> str | None:
    """The value the park printed for an indicator, when the recomputation does not give it."""
    reported = facts.evaluation.dataset.reported
    kinds = {"mismatch", "unit_slip", "cannot_reproduce"}
    if reported is None or number not in reported.indicators or not any(
            f.number == number and f.kind in kinds for f in facts.verification.findings):
        return None
    return str(reported.indicators[number]).strip()


def _series(facts: Facts, number: int) -> list[tuple[int, IndicatorResult]]:
    evaluations = [*facts.history.items(), (facts.evaluation.year, facts.evaluation)]
    return [(year, ev.result(number)) for year, ev in evaluations
            if isinstance(ev.result(number).value, float)]


def _previous(facts: Facts, result: IndicatorResult) -> tuple[int, object] | None:
    """The latest earlier year in which the indicator has a value."""
    earlier = [(y, r.value) for y, r in _series(facts, result.number) if y < facts.evaluation.year]
    return earlier[-1] if earlier else None


def _trend_panel(facts: Facts, result: IndicatorResult, lang: str) -> TrendPanel | None:
    series = _series(facts, result.number)
    if len(series) < 2:
        return None
    ind = result.indicator
    limits = tuple(rule[1] if (rule := threshold(r)) else None for _, r in series)
    values = tuple(float(r.value) for _, r in series if isinstance(r.value, float))
    return TrendPanel(f"{ind.number} {s.name(ind, lang)}", unit_text(ind.unit, lang),
                      tuple(y for y, _ in series), values, limits, ind.decimals)


# ------------------------------------------------------------------ 三、总体评价结论


def _verdict(facts: Facts, lang: str) -> Section:
    ev = facts.evaluation
    verdict = ev.verdict
    name = pick(lang, *_VERDICT_NAMES[verdict.status])
    wording = ev.framework.spec.wording
    reasons = _reasons(facts, lang)
    rule = pick(lang, f"（{wording.rule_zh}）" if wording.rule_zh else "",
                f" ({wording.rule_en})" if wording.rule_en else "")
    blocks: list[Block] = [paragraph(lang, pick(
        lang, f"按{_basis(ev, 'zh')}的判定规则{rule}，{ev.dataset.profile.name}{ev.year}年度总体判定为："
        f"{name}。" + (f"判定依据：{reasons}" if reasons else ""),
        f"By the rule of {_basis(ev, 'en')}{rule}, the overall verdict for "
        f"{ev.dataset.profile.name} in {ev.year} is: {name}." + (f" Basis: {reasons}" if reasons else "")))]
    blocks.append(paragraph(lang, _counts_text(facts, lang)))
    flip = _printed_verdict_text(facts, lang)
    if flip:
        blocks.append(paragraph(lang, flip))
    blocks.append(Figure(0, pick(lang, f"{ev.year}年各类指标达标情况", f"Indicators by category and "
                                 f"status, {ev.year}"), _verdict_chart(facts, lang)))
    chart = _margin_chart(facts, lang)
    if chart is not None:
        blocks.append(paragraph(lang, pick(
            lang, "下图给出各数值型指标相对标准要求的余量：余量＝（指标值－要求值）÷要求值，“≤”类要求"
            "取相反数；正值为达标的余量，负值为与要求的差距，点线标出10%的余量。要求为100%且已达到100%的"
            "完善度类指标未列入。",
            "The chart below shows how far each numeric indicator is from its requirement: margin = "
            "(value − requirement) ÷ requirement, the sign reversed for “≤” requirements; positive "
            "is met with room to spare, negative is short of it; the dotted line marks a 10 % "
            "margin. Complete-coverage indicators "
            "required and found at 100 % are left out.")))
        blocks.append(Figure(0, pick(lang, "数值型指标相对标准要求的余量（0为要求线）",
                                     "Margin of each numeric indicator over its requirement "
                                     "(0 is the requirement)"), chart))
    return Section(pick(lang, "总体评价结论", "Overall verdict"), tuple(blocks))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _reasons(facts: Facts, lang: str) -> str:
    """The verdict's reasons in one sentence (chapter 二 gives each indicator's part in it)."""
    ev = facts.evaluation
    wording = ev.framework.spec.wording
    texts: list[str] = []
    for reason in ev.verdict.reasons:
        if reason.kind == "mandatory_not_met":
            names = pick(lang, "、", ", ").join(
                f"指标{n}（{ev.framework.indicator(n).name_zh}）" if lang != "en"
                else f"{n} ({ev.framework.indicator(n).name_en})" for n in reason.numbers)
            texts.append(pick(lang, f"{wording.mandatory_zh.removesuffix('指标')}{names}未达标",
                              f"{wording.mandatory_en} indicators not met: {names}"))
        elif reason.kind != "all_met":  # all met: the counts below say so
            texts.append(pick(lang, tidy(readable(ev.framework, reason.zh)).rstrip("。"),
                              readable(ev.framework, reason.en, "en").rstrip(".")))
    if not texts:
        return ""
    return pick(lang, "；".join(texts) + "。", _capital("; ".join(texts)) + ".")


def _counts_text(facts: Facts, lang: str) -> str:
    ev = facts.evaluation
    counts = Counter(r.status for r in ev.results)
    parts = pick(lang, "，", ", ").join(
        pick(lang, f"{_STATUS_NAMES[st][0]}{counts[st]}项", f"{counts[st]} {_STATUS_NAMES[st][1]}")
        for st in (*_STATUS_ORDER, Status.NOT_APPLICABLE) if counts[st])
    mandatory = [r for r in ev.results if r.indicator.mandatory]
    met = sum(1 for r in mandatory if r.status is Status.MET)
    groups = ev.verdict.groups
    ok = sum(1 for g in groups if len(g.met) >= g.min_met)
    wording = ev.framework.spec.wording
    kind_zh = wording.mandatory_zh.removesuffix("指标") + "指标"
    grouped = pick(lang, f"；{len(groups)}个可选指标组中{ok}个满足最少达标数",
                   f"; {ok} of the {len(groups)} optional groups have enough met") if groups else ""
    return pick(lang, f"全部{len(ev.results)}项指标中，{parts}；{len(mandatory)}项{kind_zh}中{met}项达标"
                f"{grouped}。",
                f"Of the {len(ev.results)} indicators, {parts}; {met} of the {len(mandatory)} "
                f"{wording.mandatory_en} indicators are met{grouped}.")


def _printed_verdict_text(facts: Facts, lang: str) -> str:
    printed = facts.verification.printed_verdict
    verdict = facts.evaluation.verdict
    if printed is None or printed.status is verdict.status:
        return ""
    was, now = _VERDICT_NAMES[printed.status], _VERDICT_NAMES[verdict.status]
    name = table_name(facts.evaluation.framework, lang)
    return pick(lang, f"需要指出的是：按园区{name}中填报的数值，总体判定为“{was[0]}”；按基础数据复算后为"
                f"“{now[0]}”（详见第四章）。", f"Note: by the values printed in the park's "
                f"{name} the park {was[1]}; recomputed from the base data it {now[1]} "
                "(see chapter 4).")


def _verdict_chart(facts: Facts, lang: str) -> VerdictChart:
    ev = facts.evaluation
    statuses = list(_STATUS_ORDER)
    names = [pick(lang, *_STATUS_NAMES[st]) for st in statuses]
    rows = []
    for category in ev.framework.spec.categories:
        results = [r for r in ev.results if r.indicator.category == category.id]
        counts: Counter[Status] = Counter(
            Status.NOT_EVALUABLE if r.status is Status.NOT_APPLICABLE else r.status
            for r in results)
        rows.append(tuple(counts[st] for st in statuses))
    return VerdictChart(tuple(pick(lang, c.name_zh, _capital(c.name_en))
                              for c in ev.framework.spec.categories),
                        tuple(names), tuple(rows), pick(lang, "指标数（项）", "indicators"))


def _margin_chart(facts: Facts, lang: str) -> MarginChart | None:
    bars = []
    for result in facts.evaluation.results:
        rule = threshold(result)
        if rule is None or not isinstance(result.value, float):
            continue
        complete = rule == (">=", 100.0) and result.indicator.unit == "%" and result.value >= 100
        size = margin(result.value, *rule)
        if size is None or complete:
            continue
        label = f"{result.number} {s.name(result.indicator, lang)}"
        bars.append(MarginBar(label, size, result.status is Status.MET))
    if not bars:
        return None
    return MarginChart(tuple(bars), pick(lang, "相对要求的余量（%）", "margin over the requirement (%)"),
                       pick(lang, "达标", "met"), pick(lang, "未达标", "not met"))

