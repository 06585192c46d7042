"""Chapters 4 and 5 of the report: 存在的主要问题 and 下一步工作（整改措施）.

Each is the text the officer wrote for the park-year (the framework's profile field of `part:
problems` / `part: actions`) when there is one; otherwise a draft written from the data: the
problems found (indicators not met, missing data, what checking the printed table found; the
data-quality findings in one sentence, their list being appendix 二, `quality_appendix`), and the
measures — the gap solver's answers restricted to what a park can act on
(`ecopark.analysis.levers`: this year's data, never the park's size, never a denominator, never
the base year). `draft_texts` gives both drafts as plain text for the officer's form.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Iterable, Iterator

from ecopark.analysis.gap import Gap, InputChange
from ecopark.analysis.levers import is_lever, levers
from ecopark.core.evaluate import Evaluation
from ecopark.core.results import Status
from ecopark.core.verify import Finding
from ecopark.reports import sentences as s
from ecopark.reports.content import Facts, Paragraph, Section, items, nums, paragraph
from ecopark.reports.wording import pick, table_name

__all__ = ["DATA_QUALITY", "changes_section", "draft_texts", "officer_text", "problems_section",
           "quality_appendix"]

# verify's findings about the data themselves (not about the printed table); its
# implausible_magnitude findings come from the data-quality rules, listed with them
DATA_QUALITY = frozenset({"method_inconsistency", "implausible_magnitude"})


def officer_text(ev: Evaluation, part: str) -> str:
    """The chapter the officer wrote (profile field of `part`), "" when none."""
    return next((ev.dataset.profile.fields.get(k, "") for k, f in
                 ev.framework.spec.profile_fields.items() if f.part == part), "").strip()


def _written(text: str, lang: str) -> tuple[Paragraph, ...]:
    """The officer's text, a paragraph per line (blank lines dropped)."""
    return tuple(paragraph(lang, line.strip()) for line in text.splitlines() if line.strip())


def problems_section(facts: Facts, lang: str, *, draft: bool = False) -> Section:
    """四、存在的主要问题: as the officer wrote it, else (or with `draft`) the draft."""
    title = pick(lang, "存在的主要问题", "Main problems")
    name = table_name(facts.evaluation.framework, lang)
    written = "" if draft else officer_text(facts.evaluation, "problems")
    if written:
        return Section(title, _written(written, lang))
    subs = (
        Section(pick(lang, "未达标指标", "Indicators not met"), tuple(_not_met(facts, lang))),
        Section(pick(lang, "缺数据及无法评价的指标", "Indicators with missing data or not evaluable"),
                tuple(_undetermined(facts, lang))),
        Section(pick(lang, f"{name}核查发现", f"Checking the printed {name}"),
                tuple(_table_findings(facts, lang))),
        Section(pick(lang, "数据质量问题", "Data quality"), (_quality_pointer(facts, lang),)),
    )
    intro = paragraph(lang, pick(
        lang, "本章列出评价中发现的问题：未达标的指标、缺少数据的指标，以及复算与核查中发现的数据问题。",
        "Problems found: indicators not met, indicators lacking data, and what recomputing and "
        "checking the data found."))
    return Section(title, (intro,), subs)


def _not_met(facts: Facts, lang: str) -> Iterator[Paragraph]:
    ev = facts.evaluation
    texts = (f"{s.indicator_ref(ev, r.indicator, lang)}{pick(lang, '：', ': ')}"
             f"{s.indicator_text(ev, r, lang, brief=True)}"
             for r in ev.results if r.status is Status.NOT_MET)
    yield from items(texts, pick(lang, "本年度没有未达标的指标。", "No indicator is unmet this year."),
                     lang)


def _undetermined(facts: Facts, lang: str) -> Iterator[Paragraph]:
    ev = facts.evaluation
    texts = (f"{s.indicator_ref(ev, r.indicator, lang)}{pick(lang, '：', ': ')}"
             f"{s.indicator_text(ev, r, lang, brief=True)}"
             for r in ev.results if r.status in (Status.MISSING, Status.NOT_EVALUABLE))
    yield from items(texts, pick(lang, "全部指标均有数据且可以评价。",
                                 "Every indicator has its data and can be evaluated."), lang)


def _message(ev: Evaluation, finding: Finding, lang: str) -> str:
    """A finding as a list entry; in Chinese, item ids in formulas read as their names."""
    text = pick(lang, ev.framework.describe(finding.zh), finding.en)
    tag = {"error": ("【错误】", "[error] "), "warning": ("【警告】", "[warning] ")}
    return pick(lang, tag[finding.severity][0], tag[finding.severity][1]) + text + \
        pick(lang, "。", ".")


def _table_findings(facts: Facts, lang: str) -> Iterator[Paragraph]:
    name = table_name(facts.evaluation.framework, lang)
    if facts.evaluation.dataset.reported is None:
        yield paragraph(lang, pick(lang, f"数据集没有附园区填报的{name}数值，未做核查。",
                                   "The dataset carries no printed table values, so none were "
                                   "checked."))
        return
    findings = [f for f in facts.verification.findings
                if f.severity in ("error", "warning") and f.kind not in DATA_QUALITY]
    if findings:
        yield paragraph(lang, pick(
            lang, f"按{name}自身的基础数据复算，与表中填报的数值比较，发现以下问题：",
            "Recomputed from the table's own base rows and compared with the values it prints:"))
    yield from items((_message(facts.evaluation, f, lang) for f in findings),
                     pick(lang, f"复算结果与{name}填报的数值一致。",
                          "The recomputation agrees with every printed value."), lang)


_SEVERITIES = (("error", "错误（须更正或说明理由）", "Errors (correct them or give the reason)"),
               ("warning", "警告（须核实）", "Warnings (check them)"),
               ("info", "提示", "Notes"))


@dataclasses.dataclass(frozen=True)
class _Entry:
    severity: str
    where: str  # the indicators and the year it is about: 指标25 主要污染物排放弹性系数，2012年
    found: str
    check: str


def _quality_entries(facts: Facts, lang: str) -> list[_Entry]:
    """The data-quality rules' findings, then verify's findings about the data that no rule
    makes (accounting methods that differ between years), each with where and what to check."""
    ev = facts.evaluation
    out = [_Entry(f.severity, _where(ev, f.indicators, f.year, lang),
                  _unprefixed(pick(lang, f.zh, f.en), pick(lang, f.where, f.where_en or f.where)),
                  pick(lang, f.fix_zh, f.fix_en))
           for f in facts.quality]
    out += [_Entry(f.severity, _where(ev, (f.number,) if f.number else (), None, lang),
                   pick(lang, _zh_units(ev.framework.describe(f.zh)), f.en), "")
            for f in facts.verification.findings
            if f.kind in DATA_QUALITY and f.kind != "implausible_magnitude"]
    return out


def _zh_units(text: str) -> str:
    """Units a terminal message writes in symbols, as Chinese text writes them."""
    return re.sub(r"(?<=\d) ?t/tce", "吨/吨标准煤", text)


def _unprefixed(text: str, where: str) -> str:
    """A rule's message without the "园区 2012年：" (its `where`) it opens with: the entry
    names the indicators and the year itself."""
    return text.removeprefix(where + "：").removeprefix(where + ": ") if where else text


def _where(ev: Evaluation, numbers: Iterable[int], year: int | None, lang: str) -> str:
    names = [pick(lang, f"指标{n}（{ev.framework.indicator(n).name_zh}）",
                  f"Indicator {n} ({ev.framework.indicator(n).name_en})")
             for n in numbers if n in ev.framework.by_number]
    if year is not None:
        names.append(pick(lang, f"{year}年", str(year)))
    return pick(lang, "，", ", ").join(names)


def _quality_pointer(facts: Facts, lang: str) -> Paragraph:
    """Chapter 四's one sentence on data quality: the findings are appendix 二."""
    entries = _quality_entries(facts, lang)
    if not entries:
        return paragraph(lang, pick(lang, "按数据质量规则检查本报告所用数据，未发现问题（见附录二）。",
                                    "The data-quality rules found no problem in the data of "
                                    "this report (Appendix 2)."))
    counts = Counter(e.severity for e in entries)
    parts = pick(lang, "、", ", ").join(
        pick(lang, f"{zh.split('（')[0]}{counts[key]}项", f"{counts[key]} {en.split(' (')[0].lower()}")
        for key, zh, en in _SEVERITIES if counts[key])
    return paragraph(lang, pick(lang, f"按数据质量规则检查本报告所用数据，发现{parts}，逐项列于附录二。",
                                f"The data-quality rules found {parts} in the data of this "
                                "report, listed one by one in Appendix 2."))


def quality_appendix(facts: Facts, lang: str) -> Section:
    """附录二 数据质量核查: each finding with the indicators and year it is about, what was found
    and what to check, grouped by severity."""
    entries = _quality_entries(facts, lang)
    title = pick(lang, "附录二 数据质量核查", "Appendix 2: Data-quality review")
    if not entries:
        return Section(title, (paragraph(lang, pick(
            lang, "按数据质量规则检查本报告所用数据（数量级突变、比例超过100%、缺项、核算方法前后不一致等），"
            "未发现问题。", "The data-quality rules (jumps in magnitude, shares above 100 %, blanks, "
            "accounting methods that differ between years) found no problem in the data of "
            "this report.")),))
    intro = paragraph(lang, pick(
        lang, "按数据质量规则检查本报告所用数据，发现以下问题，按严重程度分列。",
        "The data-quality rules, run over the data of this report, found the following, "
        "by severity."))
    subs: list[Section] = []
    for key, zh, en in _SEVERITIES:
        chosen = [e for e in entries if e.severity == key]
        if not chosen:
            continue
        number = len(subs) + 1
        blocks = tuple(paragraph(
            lang, pick(lang, f"{index}. {e.where + '：' if e.where else ''}{e.found.rstrip('。')}。"
                       + (f"须核查：{e.check.rstrip('。')}。" if e.check else ""),
                       f"{index}. {e.where + ': ' if e.where else ''}{e.found.rstrip('.')}."
                       + (f" To check: {e.check.rstrip('.')}." if e.check else "")),
            kind="item") for index, e in enumerate(chosen, start=1))
        subs.append(Section(pick(lang, f"（{_CHINESE[number]}）{zh}", f"A2.{number} {en}"), blocks))
    return Section(title, (intro,), tuple(subs))


_CHINESE = "〇一二三四五六七八九"


# ------------------------------------------------------------------ 五、下一步工作（整改措施）


def changes_section(facts: Facts, lang: str, *, draft: bool = False) -> Section:
    """五、下一步工作（整改措施）: as the officer wrote it, else (or with `draft`) the draft."""
    title = pick(lang, "下一步工作（整改措施）", "Next steps (corrective measures)")
    written = "" if draft else officer_text(facts.evaluation, "actions")
    if written:
        return Section(title, _written(written, lang))
    ev = facts.evaluation
    failing = [g for g in facts.gaps if g.status is Status.NOT_MET]
    near = [g for g in facts.gaps if g.status is Status.MET]
    intro = paragraph(lang, pick(
        lang, "以下列出各指标达到要求时园区可以采取措施改变的本年度数据及其目标值，每次只改变一项数据、"
        "其余数据保持不变。工业增加值、工业总产值、从业人数、用地面积、重点企业数等规模数据和各比率的分母"
        "不作为整改对象，规划基准年及往年数据为既成事实，不作调整。",
        "For each indicator, the data of this year the park can act on and the value each must "
        "reach, one at a time with the rest unchanged. The park's size (value added, output, "
        "employees, land, the number of key enterprises) and the denominators of rates are not "
        "measures, and earlier years' data (the base year's too) are history."))
    subs = (
        Section(pick(lang, "未达标指标的整改目标", "Targets for the indicators not met"),
                tuple(items((_measure_text(ev, g, lang) for g in failing),
                            pick(lang, "本年度没有未达标的指标。", "No indicator is unmet."), lang))),
        Section(pick(lang, "接近要求的指标", "Indicators close to their requirement"),
                tuple(items((_measure_text(ev, g, lang) for g in near),
                            pick(lang, "没有距要求不足10%的已达标指标。",
                                 "No met indicator is within 10 % of its requirement."), lang))),
        Section(pick(lang, "对总体判定影响最大的数据", "The data that weigh most on the verdict"),
                (paragraph(lang, _sensitivity_text(facts, lang)),)),
    )
    return Section(title, (intro,), subs)


def _measure_text(ev: Evaluation, gap: Gap, lang: str) -> str:
    """An indicator's gap told with the levers only; without one, said plainly."""
    acted = levers(ev, gap)
    if any(c.required is not None for c in acted) or gap.status is Status.MET:
        return s.gap_text(ev, dataclasses.replace(gap, inputs=acted), lang)
    return s.gap_head(ev, gap, lang) + pick(
        lang, "园区可直接调整的数据中，没有一项单独改变即可使其达标，需要多项措施共同推进。",
        " No single item the park can act on meets it alone: it needs several measures "
        "together.")


def draft_texts(facts: Facts, lang: str = "zh") -> dict[str, str]:
    """The drafts of chapters 四 and 五 as plain text (a line per paragraph), keyed by part:
    what the officer's form offers to start from."""
    return {"problems": _plain(problems_section(facts, lang, draft=True)),
            "actions": _plain(changes_section(facts, lang, draft=True))}


def _plain(section: Section) -> str:
    lines: list[str] = []
    for index, sub in enumerate(section.walk()):
        if index:
            lines.append(sub.title)
        lines.extend(b.text for b in sub.blocks if isinstance(b, Paragraph))
    return "\n".join(lines)


def _sensitivity_text(facts: Facts, lang: str) -> str:
    """The inputs of the evaluation year whose change alone flips the verdict, smallest change
    first. Inputs sitting exactly on their requirement (a rate of 100 % required to be 100 %)
    flip it with any change at all: they are named apart."""
    ev = facts.evaluation
    now = [(n, c) for n, c in facts.sensitivity
           if is_lever(ev, ev.framework.indicator(n), c)]
    edge = sorted({n for n, c in now if abs(c.relative or 0.0) < 1e-9})
    moving = [(n, c) for n, c in now if n not in edge][:4]
    passed = ev.verdict.passed
    texts = [_flips(ev, moving, passed, lang)] if moving else []
    if edge:
        texts.append(pick(lang, f"指标{nums(edge, lang)}的数值恰好等于标准要求，其数据稍有变化即会使"
                                "总体判定改变。",
                          f"Indicator{'s' if len(edge) > 1 else ''} {nums(edge, lang)} sit exactly "
                          "on the requirement: any change in their data changes the verdict."))
    if not texts:
        return pick(lang, "没有任何一项本年度数据单独变化即可改变总体判定。",
                    "No single one of this year's data changes the overall verdict on its own.")
    return pick(lang, "", " ").join(texts)


def _flips(ev: Evaluation, changes: list[tuple[int, InputChange]], passed: bool,
           lang: str) -> str:
    parts = pick(lang, "；", "; ").join(
        s.input_change(ev, c, lang, to_meet=not passed, must=False)
        + pick(lang, f"（{s.percent(c, 'zh')}，指标{n}）", f" ({s.percent(c, 'en')}, indicator {n})")
        for n, c in changes)
    was, becomes = (("达标", "不达标"), ("passes", "fail")) if passed else (("不达标", "达标"),
                                                                         ("fails", "pass"))
    return pick(lang, f"在其余数据不变的情况下，下列任何一项本年度数据的变化都会使总体判定由“{was[0]}”变为"
                f"“{was[1]}”：{parts}。这些数据对评价结论影响最大，应优先核实其准确性。",
                f"The park {becomes[0]} now; with the other data unchanged, any one of these "
                f"changes would make it {becomes[1]}: {parts}. These data weigh most on the "
                "verdict and should be checked first.")
