"""Verification: a printed 对照考核表 against the recomputation from its own base rows.

Finding kinds (severity):
  mismatch (warning)              the printed value differs beyond its printed precision
  unit_slip (error)               the difference is a factor of 10³, 10⁴ or 10⁸ (万/亿/千 slip)
  cannot_reproduce (warning)      the printed value cannot be reproduced, and why
  verdict_flip (error)            printed value meets the requirement, recomputed does not, or
                                  the reverse
  overall_verdict_flip (error)    the park's overall verdict changes
  not_reported (info)             printed "/" although the rows give a value
  unreadable_value (warning)      a printed number that is not a number ("约39")
  missing_row (warning)           no printed value at all for an indicator
  base_row_mismatch (warning)     a printed base row differs from the dataset
  text_table_inconsistency (warning)  the report's text states another value
  implausible_magnitude (warning) an item's value is 10³ times or more away from its other years
                                  (a likely 万/亿 unit slip; the data-quality rule wan_slip)
  method_inconsistency (warning)  a ratio that should be stable between base and current year
                                  is not (e.g. CO₂ per tce: different accounting methods)
  base_year_inference (info)      which planning base years reproduce a printed value
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator

from ecopark.core import units
from ecopark.core.dataset.schema import Reported
from ecopark.core.errors import DatasetError, MissingData
from ecopark.core.evaluate import Evaluation, evaluate_formula, evaluate_indicator, judge_value
from ecopark.core.formula import NotEvaluable
from ecopark.core.framework.items import Check
from ecopark.core.numbers import (
    Printed,
    factor,
    format_value,
    parse_printed,
    plain,
    within_precision,
)
from ecopark.core.quality import check_dataset
from ecopark.core.readable import readable
from ecopark.core.results import IndicatorResult, Status
from ecopark.core.verdict import Verdict, VerdictStatus, decide

__all__ = ["KIND_NAMES", "Finding", "Verification", "verify"]

# what a reader sees for each finding kind (the `kind` codes of the JSON stay as they are)
KIND_NAMES = {
    "mismatch": ("数值不符", "value differs"),
    "unit_slip": ("单位错位", "unit slip"),
    "cannot_reproduce": ("无法复算", "cannot recompute"),
    "verdict_flip": ("判定改变", "verdict flips"),
    "overall_verdict_flip": ("总体判定改变", "overall verdict flips"),
    "not_reported": ("未填报", "not reported"),
    "unreadable_value": ("不是数字", "not a number"),
    "missing_row": ("表中缺项", "row missing"),
    "base_row_mismatch": ("基础数据不符", "base row differs"),
    "text_table_inconsistency": ("正文与表不符", "text vs table"),
    "implausible_magnitude": ("数量级异常", "implausible magnitude"),
    "method_inconsistency": ("核算方法不一致", "methods differ"),
    "base_year_inference": ("规划基准年推定", "base year inference"),
}

_SLIPS = (1e3, 1e4, 1e8)
_INFERENCE_SPAN = 25


@dataclasses.dataclass(frozen=True)
class Finding:
    number: int | None
    kind: str
    severity: str  # error | warning | info
    reported: str | None
    computed: float | str | None
    zh: str
    en: str
    item: str | None = None


@dataclasses.dataclass(frozen=True)
class Verification:
    evaluation: Evaluation
    findings: tuple[Finding, ...]
    printed_verdict: Verdict | None


def verify(evaluation: Evaluation) -> Verification:
    """Compare the dataset's `reported` values with the evaluation; list the findings."""
    dataset = evaluation.dataset
    reported = dataset.reported
    if reported is None:
        data_only = [*_checks(evaluation), *_magnitudes(evaluation)]
        return Verification(evaluation, tuple(_sorted(data_only)), None)
    if reported.year != evaluation.year:
        raise DatasetError(dataset.file, "reported.year",
                           f"表中数值属于 {reported.year} 年，而评价年份为 {evaluation.year} 年 "
                           f"the printed table is for {reported.year}, the evaluation for "
                           f"{evaluation.year}", f"用 --year {reported.year} use --year "
                           f"{reported.year}")
    findings: list[Finding] = []
    printed_results: list[IndicatorResult] = []
    for result in evaluation.results:
        raw = reported.indicators.get(result.number)
        printed = None if raw is None else parse_printed(raw)
        findings.extend(_indicator_findings(evaluation, result, printed))
        printed_results.append(_printed_status(evaluation, result, printed))
    printed_verdict = decide(evaluation.framework, dataset, printed_results)
    findings.extend(_overall(evaluation, printed_results, printed_verdict))
    findings.extend(_base_rows(evaluation, reported))
    findings.extend(_text(evaluation, reported))
    findings.extend(_checks(evaluation))
    findings.extend(_magnitudes(evaluation))
    findings.extend(_base_year_inference(evaluation))
    return Verification(evaluation, tuple(_sorted(findings)), printed_verdict)


def _sorted(findings: list[Finding]) -> list[Finding]:
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(findings, key=lambda f: (order[f.severity], f.number or 0))


# ------------------------------------------------------------------ indicator values


def _indicator_findings(ev: Evaluation, result: IndicatorResult,
                        printed: Printed | None) -> Iterator[Finding]:
    ind = result.indicator
    shown = format_value(result.value, ind.decimals)
    if printed is None:
        if result.value is None:
            return
        yield Finding(ind.number, "missing_row", "warning", None, result.value,
                      f"表中没有指标 {ind.number} 的数值（计算值 {shown}）",
                      f"the table prints no value for indicator {ind.number} (computed {shown})")
        return
    if printed.absent:
        if result.value is not None:
            yield Finding(ind.number, "not_reported", "info", printed.text, result.value,
                          f"指标 {ind.number} 表中填“{printed.text}”，但由基础数据可算得 {shown}",
                          f"indicator {ind.number} is printed as '{printed.text}' but the rows "
                          f"give {shown}")
        return
    if result.value is None:
        why_zh, why_en = _why(ev, result)
        yield Finding(ind.number, "cannot_reproduce", "warning", printed.text, None,
                      f"指标 {ind.number}（{ind.name_zh}）表中为 {printed.text}，但无法复算：{why_zh}",
                      f"indicator {ind.number} ({ind.name_en}) is printed as {printed.text} but "
                      f"cannot be recomputed: {why_en}")
        return
    yield from _compare(ev, result, printed, shown)


def _why(ev: Evaluation, result: IndicatorResult) -> tuple[str, str]:
    """Why an indicator cannot be recomputed, in words: a base value of 0 first, if any."""
    fw = ev.framework
    zh, en = readable(fw, result.reason_zh), readable(fw, result.reason_en, "en")
    zero = _zero_base(ev, result.number)
    if zero is None or result.status is Status.MISSING:
        return zh, en
    item, year = zero
    return (f"基础值为 0（{fw.item_name(item)} {year}年）；{zh}",
            f"base value is 0 ({fw.item_name(item, 'en')} {year}); {en}")


def _zero_base(ev: Evaluation, number: int) -> tuple[str, int] | None:
    """The first item-year read by the indicator whose value is 0, among the years up to t."""
    for item in ev.framework.items_of(number):
        for year in sorted({ev.dataset.profile.base_year, ev.year, *ev.dataset.years()}):
            obs = ev.dataset.values.get((item, year))
            if year <= ev.year and obs is not None and obs.value == 0.0:
                return item, year
    return None


def _compare(ev: Evaluation, result: IndicatorResult, printed: Printed,
             shown: str) -> Iterator[Finding]:
    ind, value = result.indicator, result.value
    if isinstance(value, float) and printed.number is None:
        yield Finding(ind.number, "unreadable_value", "warning", printed.text, value,
                      f"指标 {ind.number} 表中为“{printed.text}”，不是数字，无法核对（复算值 {shown}）",
                      f"indicator {ind.number} is printed as '{printed.text}', not a number; "
                      f"it cannot be checked (recomputed {shown})")
        return
    if isinstance(value, str) or printed.number is None:
        if str(value) != printed.text:
            yield Finding(ind.number, "mismatch", "warning", printed.text, value,
                          f"指标 {ind.number} 表中为“{printed.text}”，数据为“{value}”",
                          f"indicator {ind.number}: printed '{printed.text}', data '{value}'")
            yield from _verdict_flip(ev, result, printed, str(value))
        return
    assert isinstance(value, float)
    if within_precision(value, printed):
        return
    kind, zh, en = "mismatch", "", ""
    slip = _slip(value, printed.number)
    if slip:
        kind, zh, en = "unit_slip", f"，相差约 {factor(slip)} 倍，疑为单位（万/亿）错位", \
            f"; off by a factor of about {factor(slip)}: a likely 万/亿 unit slip"
    elif result.warnings:
        kind = "cannot_reproduce"
        zh = "；无法由表中基础数据复现：" + "；".join(readable(ev.framework, w[0])
                                             for w in result.warnings)
        en = "; not reproducible from the printed rows: " + "; ".join(
            readable(ev.framework, w[1], "en") for w in result.warnings)
    severity = "error" if kind == "unit_slip" else "warning"
    yield Finding(ind.number, kind, severity, printed.text, value,
                  f"指标 {ind.number}（{ind.name_zh}）表中为 {printed.text}，按表中基础数据复算为 "
                  f"{shown}{zh}",
                  f"indicator {ind.number} ({ind.name_en}): printed {printed.text}, recomputed "
                  f"from the printed rows {shown}{en}")
    yield from _verdict_flip(ev, result, printed, shown)


def _slip(computed: float, printed: float) -> float | None:
    if computed == 0 or printed == 0:
        return None
    ratio = abs(computed / printed)
    for times in _SLIPS:
        for candidate in (times, 1 / times):
            if abs(ratio / candidate - 1) < 0.02:
                return times
    return None


def _verdict_flip(ev: Evaluation, result: IndicatorResult, printed: Printed,
                  shown: str) -> Iterator[Finding]:
    claimed = printed.number if printed.number is not None else printed.text
    as_printed = judge_value(ev.framework, ev.dataset, result.number, ev.year, claimed)
    both = {as_printed.status, result.status}
    if as_printed.status != result.status and both <= {Status.MET, Status.NOT_MET}:
        ind = result.indicator
        kind_zh = "必选" if ind.mandatory else "可选"
        word = {Status.MET: ("达标", "met"), Status.NOT_MET: ("未达标", "not met")}
        was, now = word[as_printed.status], word[result.status]
        fact = printed.number is None
        yield Finding(ind.number, "verdict_flip", "error", printed.text, result.value,
                      f"{kind_zh}指标 {ind.number}（{ind.name_zh}）：表中"
                      + (f"为“{printed.text}”，数据为“{shown}”，判定应为{now[0]}" if fact else
                         f"值 {printed.text} {was[0]}，复算值 {shown} {now[0]}")
                      + f"（要求 {ind.requirement.text_zh}）",
                      f"{'mandatory' if ind.mandatory else 'optional'} indicator {ind.number}: "
                      + (f"printed '{printed.text}', data '{shown}': {now[1]}" if fact else
                         f"printed {printed.text} is {was[1]}, recomputed {shown} is {now[1]}")
                      + f" (requirement {ind.requirement.text_en})")


def _printed_status(ev: Evaluation, result: IndicatorResult,
                    printed: Printed | None) -> IndicatorResult:
    """The result as the table claims it: the printed value judged by the requirement."""
    if printed is None or printed.absent:
        return result
    if isinstance(result.value, float) and printed.number is None:
        return result  # an unreadable printed number claims nothing
    value = printed.number if printed.number is not None else printed.text
    return judge_value(ev.framework, ev.dataset, result.number, ev.year, value)


def _overall(ev: Evaluation, printed_results: list[IndicatorResult],
             printed: Verdict) -> Iterator[Finding]:
    """The overall verdicts compared on what can be determined: indicators that neither the table
    nor the rows determine count as met on both sides, so they cannot hide a flip that happens
    whatever their value."""
    counted = _counted(ev)
    open_both = tuple(p.number for p, c in zip(printed_results, ev.results, strict=True)
                      if not p.determined and not c.determined and p.number in counted)
    computed = ev.verdict
    if open_both:
        printed = decide(ev.framework, ev.dataset, _as_met(printed_results, open_both))
        computed = decide(ev.framework, ev.dataset, _as_met(ev.results, open_both))
    if printed.status == computed.status or VerdictStatus.PASSED not in (printed.status,
                                                                         computed.status):
        return
    deciding = [r for r in computed.reasons if r.severity != "info"]
    why_zh = "；".join(readable(ev.framework, r.zh) for r in deciding)
    why_en = "; ".join(readable(ev.framework, r.en, "en") for r in deciding)
    nums = "、".join(map(str, open_both))
    apart_zh = f"（指标 {nums} 表中未列且无法复算，比较时两者均按达标计）" if open_both else ""
    some = "indicator" + (f"s {', '.join(map(str, open_both))} are" if len(open_both) > 1
                          else f" {nums} is")
    apart_en = f" ({some} neither printed nor recomputable: counted as met on both sides)" \
        if open_both else ""
    yield Finding(None, "overall_verdict_flip", "error", printed.status.value,
                  computed.status.value,
                  f"总体判定改变：按表中数值园区{_VERDICT_WORDS[printed.status][0]}，按复算园区"
                  f"{_VERDICT_WORDS[computed.status][0]}（{why_zh}）{apart_zh}",
                  f"the overall verdict flips: by the printed values the park "
                  f"{_VERDICT_WORDS[printed.status][1]}, recomputed it "
                  f"{_VERDICT_WORDS[computed.status][1]} ({why_en}){apart_en}")


_VERDICT_WORDS = {VerdictStatus.PASSED: ("达标", "passes"), VerdictStatus.FAILED: ("不达标", "fails"),
                  VerdictStatus.INCOMPLETE: ("无法判定", "cannot be judged")}


def _counted(ev: Evaluation) -> set[int]:
    """The indicators the verdict counts: mandatory ones and the members each group is judged on."""
    out = {r.number for r in ev.results if r.indicator.mandatory}
    for group in ev.verdict.groups:
        out.update(group.selected or group.members)
    return out


def _as_met(results: list[IndicatorResult], numbers: tuple[int, ...]) -> list[IndicatorResult]:
    return [dataclasses.replace(r, status=Status.MET) if r.number in numbers else r
            for r in results]


# ------------------------------------------------------------------ rows and text


def _base_rows(ev: Evaluation, reported: Reported) -> Iterator[Finding]:
    for row in reported.rows:
        printed = parse_printed(row.value)
        obs = ev.dataset.values.get((row.item, row.year))
        item = ev.framework.spec.items[row.item]
        if printed.number is None or obs is None or not isinstance(obs.value, float):
            continue
        factor = units.conversion_factor(row.unit or item.unit, item.unit)
        value = printed.number * factor
        if abs(value - obs.value) > 0.5 * 10 ** (-printed.decimals) * abs(factor):
            yield Finding(None, "base_row_mismatch", "warning", printed.text, obs.value,
                          f"基础数据 {item.name_zh}（{row.year}年）表中为 {printed.text}，"
                          f"数据集为 {obs.given}",
                          f"base row {item.name_en} ({row.year}): printed {printed.text}, "
                          f"dataset {obs.given}", item=row.item)


def _text(ev: Evaluation, reported: Reported) -> Iterator[Finding]:
    for stated in reported.text:
        printed = parse_printed(stated.value)
        if printed.number is None:
            continue
        if stated.indicator is not None:
            yield from _text_indicator(ev, reported, stated.indicator, printed, stated.where)
        elif stated.item is not None:
            yield from _text_item(ev, stated.item, stated.year or ev.year, stated.unit, printed,
                                  stated.where)


def _text_indicator(ev: Evaluation, reported: Reported, number: int, printed: Printed,
                    where: str) -> Iterator[Finding]:
    raw = reported.indicators.get(number)
    table = None if raw is None else parse_printed(raw)
    if table is None or table.number is None or printed.number is None:
        return
    if within_precision(table.number, printed) or within_precision(printed.number, table):
        return
    ind = ev.framework.indicator(number)
    yield Finding(number, "text_table_inconsistency", "warning", printed.text, table.text,
                  f"{where or '正文'}称指标 {number}（{ind.name_zh}）为 {printed.text}，而表中为 "
                  f"{table.text}",
                  f"the text ({where}) gives indicator {number} ({ind.name_en}) as "
                  f"{printed.text}, the table as {table.text}")


def _text_item(ev: Evaluation, name: str, year: int, unit: str | None, printed: Printed,
               where: str) -> Iterator[Finding]:
    item = ev.framework.spec.items[name]
    assert printed.number is not None
    factor = units.conversion_factor(unit or item.unit, item.unit)
    stated = printed.number * factor
    tolerance = 0.5 * 10 ** (-printed.decimals) * factor + 1e-9
    other, how_zh, how_en = _item_value(ev, name, year)
    if other is None or abs(other - stated) <= tolerance:
        return
    shown = format_value(other / factor, printed.decimals)
    gap = format_value((other - stated) / factor, printed.decimals)
    label = unit or item.unit
    yield Finding(None, "text_table_inconsistency", "warning", printed.text, other,
                  f"{where or '正文'}称{item.name_zh}（{year}年）为 {printed.text} {label}，而{how_zh}"
                  f"为 {shown} {label}（差 {gap}）",
                  f"the text ({where}) gives {item.name_en} ({year}) as {printed.text} {label}, "
                  f"while {how_en} gives {shown} {label} (difference {gap})", item=name)


def _item_value(ev: Evaluation, name: str, year: int) -> tuple[float | None, str, str]:
    """The item's value from the table's rows, or from its identity over other items."""
    obs = ev.dataset.values.get((name, year))
    if obs is not None and isinstance(obs.value, float):
        return obs.value, "表中数据", "the table"
    if name in ev.framework.identities:
        formula, factor = ev.framework.identities[name]
        try:
            value, _ = evaluate_formula(ev.framework, ev.dataset, formula, year)
        except (MissingData, NotEvaluable):
            return None, "", ""
        text_zh = readable(ev.framework, formula.text, "zh")
        text_en = readable(ev.framework, formula.text, "en")
        return float(value) * factor, f"表中数据按 {text_zh} ", f"the rows by {text_en}"
    return None, "", ""


# ------------------------------------------------------------------ consistency checks


def _checks(ev: Evaluation) -> Iterator[Finding]:
    for check in ev.framework.spec.checks:
        yield from _ratio_stable(ev, check)


def _ratio_stable(ev: Evaluation, check: Check) -> Iterator[Finding]:
    t0, t = ev.dataset.profile.base_year, ev.year
    ratios = []
    for year in (t0, t):
        num = ev.dataset.values.get((check.numerator, year))
        den = ev.dataset.values.get((check.denominator, year))
        if num is None or den is None or not isinstance(num.value, float) \
                or not isinstance(den.value, float) or den.value == 0:
            return
        ratios.append(num.value / den.value)
    low, high = sorted(ratios)
    if low <= 0 or high / low <= check.max_factor:
        return
    items = ev.framework.spec.items
    unit = f"{items[check.numerator].unit}/{items[check.denominator].unit}"
    users = [i.number for i in ev.framework.indicators if check.numerator in i.formula]
    yield Finding(users[0] if users else None, "method_inconsistency", "warning",
                  None, round(high / low, 2),
                  f"{check.name_zh}：{t0}年 {ratios[0]:.2f} {unit}，{t}年 {ratios[1]:.2f} {unit}，"
                  f"相差 {factor(high / low)} 倍（超过 {plain(check.max_factor)} 倍），基准年与评价年似采用"
                  "不同核算方法",
                  f"{check.name_en}: {t0} {ratios[0]:.2f} {unit}, {t} {ratios[1]:.2f} {unit}, "
                  f"a factor of {factor(high / low)} (more than {plain(check.max_factor)}): base and "
                  "evaluation year seem to use different accounting methods",
                  item=check.numerator)


def _magnitudes(ev: Evaluation) -> Iterator[Finding]:
    """A value 10³ times or more away from the item's other years: a likely unit slip. The
    data-quality rules of kind history_slip decide (one mechanism with check, assess and the
    door); verify reports them as 数量级异常 with the rule's own words."""
    for slip in check_dataset(ev.dataset, ev.framework, year=ev.year,
                              kinds=frozenset({"history_slip"})):
        assert slip.item is not None and slip.year is not None and slip.value is not None
        given = ev.dataset.values[(slip.item, slip.year)].given
        yield Finding(None, "implausible_magnitude", "warning", given, slip.value, slip.zh,
                      slip.en, item=slip.item)


# ------------------------------------------------------------------ base year


def _base_year_inference(ev: Evaluation) -> Iterator[Finding]:
    reported = ev.dataset.reported
    assert reported is not None
    assumed = ev.dataset.profile.base_year
    for ind in ev.framework.indicators:
        printed = parse_printed(reported.indicators.get(ind.number, "/"))
        if printed.number is None or not _uses_base_year(ev, ind.number):
            continue
        years = _reproducing_years(ev, ind.number, printed)
        span = f"{ev.year - _INFERENCE_SPAN}–{ev.year - 1}"
        if years:
            ranges = _ranges(years)
            ok = assumed in years
            yield Finding(ind.number, "base_year_inference", "info", printed.text, None,
                          f"指标 {ind.number} 的表中值 {printed.text} 可由规划基准年 {ranges} 复现"
                          f"（当前取 {assumed}，{'在其中' if ok else '不在其中'}）",
                          f"indicator {ind.number}: printed {printed.text} is reproduced with "
                          f"base years {ranges} (assumed {assumed}: {'among them' if ok else 'not'})")
        else:
            yield Finding(ind.number, "base_year_inference", "info", printed.text, None,
                          f"指标 {ind.number} 的表中值 {printed.text} 在 {span} 的任何规划基准年下"
                          "都无法复现",
                          f"indicator {ind.number}: no base year in {span} reproduces the printed "
                          f"{printed.text}")


def _uses_base_year(ev: Evaluation, number: int) -> bool:
    """Whether the computation actually read a base-year row (not just mentions t0)."""
    trace = ev.result(number).trace
    base = ev.dataset.profile.base_year
    return trace is not None and any(leaf.year == base for leaf in trace.leaves())


def _reproducing_years(ev: Evaluation, number: int, printed: Printed) -> list[int]:
    years = []
    for year in range(ev.year - _INFERENCE_SPAN, ev.year):
        trial = evaluate_indicator(ev.framework, ev.dataset.with_base_year(year), number, ev.year)
        if isinstance(trial.value, float) and within_precision(trial.value, printed):
            years.append(year)
    return years


def _ranges(years: Iterable[int]) -> str:
    out: list[str] = []
    run: list[int] = []
    for year in sorted(years):
        if run and year != run[-1] + 1:
            out.append(_run(run))
            run = []
        run.append(year)
    out.append(_run(run))
    return ", ".join(out)


def _run(run: list[int]) -> str:
    return str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}"
