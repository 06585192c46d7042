"""The report's sentences about one indicator, written from the numbers.

`indicator_text` gives the paragraph of one indicator: its value against the requirement and
whether it is met ("2018年园区人均工业增加值为38.34万元/人，高于15万元/人的要求，达标。"), the
condition that chose the requirement, the change from the previous year the data give, the
data it was computed from, what the verdict makes of it, and what is missing when it cannot be
computed. `gap_text` says what must change for an indicator to be met (or what would make it
fail), from the gap solver. Every function takes `lang` ("zh" or "en").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ecopark.analysis.gap import Gap, InputChange, threshold
from ecopark.core.evaluate import Evaluation
from ecopark.core.framework.indicators import Indicator
from ecopark.core.results import IndicatorResult, Status
from ecopark.core.trace import Trace
from ecopark.reports.wording import (
    MORE_LESS,
    OP_WORDS,
    amount,
    number,
    pick,
    plain,
    quantity,
    table_name,
)

__all__ = ["change_text", "gap_head", "gap_text", "indicator_lead", "indicator_ref", "indicator_text",
           "input_change", "left_out_notes", "name", "percent", "role", "subject", "value_text"]

_CONDITION = re.compile(r"^\s*([^\W\d]\w*)\s*(>=|<=|==|!=|>|<)\s*(.+?)\s*$")
_NAME = re.compile(r"[^\W\d]\w*")
_VERDICT = {"zh": ("达标", "未达标"), "en": ("met", "not met")}


def name(indicator: Indicator, lang: str) -> str:
    return pick(lang, indicator.name_zh, indicator.name_en)


def subject(indicator: Indicator) -> str:
    """The indicator as the subject of a Chinese sentence: 园区人均工业增加值."""
    text = indicator.name_zh
    return text if text.startswith(("园区", "工业园")) else "园区" + text


def role(ev: Evaluation, indicator: Indicator, lang: str) -> str:
    """The indicator's kind in its framework's words: 必选, 可选, 可选，本年度考核; 核心指标 …"""
    wording = ev.framework.spec.wording
    if indicator.mandatory:
        return pick(lang, wording.mandatory_zh, wording.mandatory_en)
    kind = pick(lang, wording.optional_zh, wording.optional_en)
    if indicator.number in ev.dataset.profile.selected:
        return kind + pick(lang, "，本年度考核", ", assessed this year")
    return kind


def indicator_lead(ev: Evaluation, indicator: Indicator, lang: str) -> str:
    """The bold lead-in of an indicator's paragraph: 指标2　人均工业增加值（可选，本年度考核）."""
    return pick(lang, f"指标{indicator.number}\u3000{indicator.name_zh}（{role(ev, indicator, 'zh')}）",
                f"{indicator.number} {_capital(indicator.name_en)} ({role(ev, indicator, 'en')})")


def indicator_ref(ev: Evaluation, indicator: Indicator, lang: str) -> str:
    """An indicator named in a list: 指标26（单位工业增加值二氧化碳排放量年均削减率，必选）."""
    return pick(lang, f"指标{indicator.number}（{indicator.name_zh}，{role(ev, indicator, 'zh')}）",
                f"Indicator {indicator.number} ({indicator.name_en}, {role(ev, indicator, 'en')})")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def value_text(ev: Evaluation, result: IndicatorResult, value: object, lang: str) -> str:
    """A value of the indicator with its unit (a fact in quotes, by its label in `lang`)."""
    ind = result.indicator
    if isinstance(value, float):
        return quantity(number(value, ind.decimals), ind.unit, lang)
    label = _fact_label(ev, ind, str(value), lang)
    return pick(lang, f"“{label}”", f"“{label}”")


def _fact_label(ev: Evaluation, indicator: Indicator, key: str, lang: str) -> str:
    for item in ev.framework.items_of(indicator.number):
        values = ev.framework.spec.items[item].values or {}
        if key in values:
            return pick(lang, values[key].zh or key, values[key].en)
    return key


# ------------------------------------------------------------------ the paragraph


def indicator_text(ev: Evaluation, result: IndicatorResult, lang: str, *,
                   previous: tuple[int, object] | None = None, printed: str | None = None,
                   brief: bool = False) -> str:
    """Every sentence about one indicator in the evaluation year: the status, then (unless
    `brief`) the change from `previous` (year, value), members left out of a mean, the data it
    was computed from and the value the park `printed` when it differs; then what the verdict
    makes of it."""
    parts = [_status_sentence(ev, result, lang)]
    if not brief:
        if previous is not None and isinstance(result.value, float):
            parts.append(change_text(ev, result, previous, lang))
        parts.extend(left_out_notes(ev, result, lang))
        parts.append(_inputs_sentence(ev, result, lang))
        if printed is not None:
            parts.append(_printed_sentence(ev, result, printed, lang))
    parts.append(_consequence(ev, result, lang))
    return pick(lang, "", " ").join(p for p in parts if p)


def _printed_sentence(ev: Evaluation, result: IndicatorResult, printed: str, lang: str) -> str:
    shown = quantity(printed, result.indicator.unit, lang) if re.match(r"^-?[\d.,]+$", printed) \
        else f"“{printed}”"
    name = table_name(ev.framework, lang)
    return pick(lang, f"园区{name}中该指标填报为{shown}，与复算结果不符（见第四章）。",
                f"The park's printed table gives {shown}, which the recomputation does not "
                "reproduce (see chapter 4).")


def _status_sentence(ev: Evaluation, result: IndicatorResult, lang: str) -> str:
    if result.status in (Status.MET, Status.NOT_MET) and result.value is not None:
        if not isinstance(result.value, float):
            return _fact_sentence(ev, result, lang)
        if result.indicator.requirement.cases:
            return _case_sentence(ev, result, lang)
        return _rule_sentence(ev, result, lang)
    if result.status is Status.MISSING:
        return _missing_sentence(ev, result, lang)
    word = pick(lang, "不适用" if result.status is Status.NOT_APPLICABLE else "无法评价",
                "does not apply" if result.status is Status.NOT_APPLICABLE else
                "cannot be evaluated")
    describe = ev.framework.describe
    return pick(lang, f"{ev.year}年{subject(result.indicator)}{word}：{describe(result.reason_zh)}。",
                f"In {ev.year} the indicator {word}: {describe(result.reason_en, 'en')}.")


def _verdict_word(result: IndicatorResult, lang: str) -> str:
    met, not_met = _VERDICT["en" if lang == "en" else "zh"]
    return met if result.status is Status.MET else not_met


def _compare(value: float, limit: float, lang: str) -> str:
    more, equal, less = MORE_LESS["en" if lang == "en" else "zh"]
    return more if value > limit else equal if value == limit else less


def _rule_sentence(ev: Evaluation, result: IndicatorResult, lang: str) -> str:
    ind, value = result.indicator, result.value
    assert isinstance(value, float)
    rule = threshold(result)
    shown = value_text(ev, result, value, lang)
    verdict = _verdict_word(result, lang)
    if rule is None:
        return pick(lang, f"{ev.year}年{subject(ind)}为{shown}，要求{ind.requirement.text_zh}，"
                    f"{verdict}。", f"In {ev.year} the value was {shown} (required: "
                    f"{ind.requirement.text_en}): {verdict}.")
    op, limit = rule
    required = quantity(plain(limit), ind.unit, lang)
    if op == "==":
        word = pick(lang, "符合" if value == limit else "不符合",
                    "as required" if value == limit else f"not {required} as required")
        return pick(lang, f"{ev.year}年{subject(ind)}为{shown}，{word}“{required}”的要求，{verdict}。",
                    f"In {ev.year} the value was {shown}, {word}: {verdict}.")
    bound = pick(lang, "", "minimum" if op in (">=", ">") else "maximum")
    return pick(lang, f"{ev.year}年{subject(ind)}为{shown}，{_compare(value, limit, lang)}{required}"
                f"的要求，{verdict}。", f"In {ev.year} the value was {shown}, "
                f"{_compare(value, limit, lang)} the required {bound} of {required}: {verdict}.")


def _fact_sentence(ev: Evaluation, result: IndicatorResult, lang: str) -> str:
    ind = result.indicator
    shown = value_text(ev, result, result.value, lang)
    if result.status is Status.MET:
        return pick(lang, f"{ev.year}年{subject(ind)}为{shown}，符合标准要求，达标。",
                    f"In {ev.year} the value was {shown}, as required: met.")
    return pick(lang, f"{ev.year}年{subject(ind)}为{shown}，未达到“{ind.requirement.text_zh}”的"
                "要求，未达标。", f"In {ev.year} the value was {shown}, not "
                f"“{ind.requirement.text_en}” as required: not met.")


def _case_sentence(ev: Evaluation, result: IndicatorResult, lang: str) -> str:
    ind, value = result.indicator, result.value
    assert isinstance(value, float)
    shown = value_text(ev, result, value, lang)
    condition = _condition(ev, result, lang)
    rule = threshold(result)
    verdict = _verdict_word(result, lang)
    if rule is None or condition is None:
        return _rule_sentence(ev, result, lang)
    op_zh, op_en = OP_WORDS[rule[0]]
    required = quantity(plain(rule[1]), ind.unit, lang)
    return pick(lang, f"{ev.year}年{subject(ind)}为{shown}；{condition}，按标准要求{op_zh}{required}，"
                f"{verdict}。", f"In {ev.year} the value was {shown}; {condition}, so the "
                f"requirement is {op_en} {required}: {verdict}.")


def _condition(ev: Evaluation, result: IndicatorResult, lang: str) -> str | None:
    """The condition that chose the requirement, with its number: 园区工业增加值建设期年均增长率为
    17.14%（大于0）."""
    assert result.trace is not None
    for case in result.indicator.requirement.cases or ():
        node = next((c for c in result.trace.children if c.label == case.when and c.value is True),
                    None)
        match = _CONDITION.match(case.when)
        if node is not None and match is not None:
            return _describe_condition(ev, node, *match.groups(), lang=lang)
    return None


def _describe_condition(ev: Evaluation, node: Trace, left: str, op: str, right: str, *,
                        lang: str) -> str | None:
    spec = ev.framework.spec
    if left in spec.profile_fields:
        field = spec.profile_fields[left]
        key = ev.dataset.profile.fields.get(left, "")
        label = field.values.get(key)
        shown = pick(lang, label.zh, label.en) if label else key
        return pick(lang, f"{field.name_zh}为“{shown}”", f"the {field.name_en} is “{shown}”")
    if left not in spec.variables:
        return None
    variable = spec.variables[left]
    found = next((t for t in _walk(node) if t.label == left and isinstance(t.value, float)), None)
    if found is None:
        return None
    assert isinstance(found.value, float)
    shown = quantity(number(found.value, 2), variable.unit, lang)
    words = {">": ("大于", "above"), ">=": ("不小于", "at least"), "<": ("小于", "below"),
             "<=": ("不大于", "at most"), "==": ("等于", "equal to"), "!=": ("不等于", "not")}
    zh, en = words[op]
    return pick(lang, f"{variable.name_zh}为{shown}（{zh}{right}）",
                f"the {variable.name_en} is {shown} ({en} {right})")


def _walk(trace: Trace) -> Iterator[Trace]:
    yield trace
    for child in trace.children:
        yield from _walk(child)


def _missing_sentence(ev: Evaluation, result: IndicatorResult, lang: str) -> str:
    ind = result.indicator
    if result.missing is None:
        return pick(lang, f"{ev.year}年{subject(ind)}缺少数据：{result.reason_zh}。",
                    f"Data are missing for {ev.year}: {result.reason_en}.")
    item, year = result.missing
    what = ev.framework.item_name(item, lang)
    detail = _absence(ev, item, year, lang)
    if result.value is not None:
        shown = value_text(ev, result, result.value, lang)
        return pick(lang, f"{ev.year}年{subject(ind)}为{shown}，但判定所需的{what}（{year}年）"
                    f"缺少数据{detail}，无法判定是否达标。", f"In {ev.year} the value was {shown}, "
                    f"but the requirement needs {what} for {year}, which is missing{detail}.")
    return pick(lang, f"{ev.year}年{subject(ind)}无法计算：缺少{what}（{year}年）的数据{detail}，"
                "按“缺数据”处理。", f"It cannot be computed for {ev.year}: {what} for {year} is "
                f"missing{detail}.")


def _absence(ev: Evaluation, item: str, year: int, lang: str) -> str:
    obs = ev.dataset.values.get((item, year))
    if obs is not None and obs.printed:
        return pick(lang, f"（报表填“{obs.printed}”，不按0计）",
                    f" (the table prints “{obs.printed}”; never read as 0)")
    if item in ev.framework.spec.items:
        return pick(lang, "（数据集中没有该项）", " (not in the dataset)")
    return ""


# ------------------------------------------------------------------ change, inputs, notes


def change_text(ev: Evaluation, result: IndicatorResult, previous: tuple[int, object],
                lang: str) -> str:
    """The change from an earlier year: 较上年的29.00%下降22.63个百分点。"""
    year, before = previous
    assert isinstance(result.value, float) and isinstance(before, float)
    ind = result.indicator
    then = pick(lang, "上年" if year == ev.year - 1 else f"{year}年",
                "the previous year" if year == ev.year - 1 else str(year))
    earlier = quantity(number(before, ind.decimals), ind.unit, lang)
    diff = result.value - before
    if number(result.value, ind.decimals) == number(before, ind.decimals):
        return pick(lang, f"与{then}（{earlier}）持平。", f"Unchanged from {then} ({earlier}).")
    up = diff > 0
    if ind.unit.strip() == "%":
        size = pick(lang, f"{number(abs(diff), 2)}个百分点", f"{number(abs(diff), 2)} percentage points")
    elif before > 0 and result.value > 0:
        size = f"{abs(diff) / before * 100:.1f}%"
    else:
        size = quantity(number(abs(diff), ind.decimals), ind.unit, lang)
    return pick(lang, f"较{then}的{earlier}{'上升' if up else '下降'}{size}。",
                f"{size[0].upper() + size[1:]} {'higher' if up else 'lower'} than in {then} "
                f"({earlier}).")


def _leaves(ev: Evaluation, result: IndicatorResult) -> list[tuple[str, int, float]]:
    if result.trace is None:
        return []
    seen: dict[tuple[str, int], float] = {}
    for leaf in result.trace.leaves():
        if leaf.item in ev.framework.spec.items and leaf.year is not None \
                and isinstance(leaf.value, float):
            seen.setdefault((leaf.item, leaf.year), leaf.value)
    return [(item, year, value) for (item, year), value in seen.items()]


def _inputs_sentence(ev: Evaluation, result: IndicatorResult, lang: str) -> str:
    """The data the value was computed from, by item (none when it is reported directly)."""
    leaves = _leaves(ev, result)
    if len(leaves) < 2 or not isinstance(result.value, float):
        return ""
    by_item: dict[str, list[tuple[int, float]]] = {}
    for item, year, value in leaves:
        by_item.setdefault(item, []).append((year, value))
    several = any(len(v) > 1 or v[0][0] != ev.year for v in by_item.values())
    parts = [_input_part(ev, item, values, several, lang) for item, values in by_item.items()]
    sep = pick(lang, "；" if several else "，", "; ")
    return pick(lang, f"计算所用数据：{sep.join(parts)}。", f"Computed from: {sep.join(parts)}.")


def _input_part(ev: Evaluation, item: str, values: list[tuple[int, float]], several: bool,
                lang: str) -> str:
    unit = ev.framework.spec.items[item].unit
    label = ev.framework.item_name(item, lang)
    if not several:
        return pick(lang, f"{label}{amount(values[0][1], unit, 'zh')}",
                    f"{label} {amount(values[0][1], unit, 'en')}")
    base = ev.dataset.profile.base_year
    shown = [pick(lang, f"{y}年{'（规划基准年）' if y == base else ''}{amount(v, unit, 'zh')}",
                  f"{amount(v, unit, 'en')} in {y}{' (base year)' if y == base else ''}")
             for y, v in sorted(values)]
    return pick(lang, f"{label}{'、'.join(shown)}", f"{label} {', '.join(shown)}")


def left_out_notes(ev: Evaluation, result: IndicatorResult, lang: str) -> Iterator[str]:
    """Members of a mean left out for missing data, never read as 0."""
    if result.trace is None:
        return
    years = sorted({y for _, y, _ in _leaves(ev, result)} | {ev.year})
    for node in _walk(result.trace):
        if node.value is not None or node.children or not node.note:
            continue
        for item in dict.fromkeys(n for n in _NAME.findall(node.label)
                                  if n in ev.framework.spec.items):
            for year in years:
                obs = ev.dataset.values.get((item, year))
                if obs is None or not isinstance(obs.value, float):
                    what = ev.framework.item_name(item, lang)
                    yield pick(lang, f"其中{what}缺少{year}年数据，相应分项未计入平均（不按0计）。",
                               f"{what} for {year} is missing, so its term is left out of the "
                               "mean (not read as 0).")


def _consequence(ev: Evaluation, result: IndicatorResult, lang: str) -> str:
    """What the verdict makes of an indicator that is not met or cannot be judged."""
    if result.status is Status.MET or result.status is Status.NOT_APPLICABLE:
        return ""
    ind = result.indicator
    if ind.mandatory:
        if result.status is Status.NOT_MET:
            return pick(lang, "该指标为必选指标，未达标即导致总体判定不达标。",
                        "It is mandatory: not meeting it makes the park fail.")
        return pick(lang, "该指标为必选指标，无法判定时总体判定无法完成。",
                    "It is mandatory: while it cannot be judged the verdict cannot be reached.")
    group = next((g for g in ev.verdict.groups if ind.number in g.members), None)
    if group is None:
        return ""
    others = [n for n in group.met if n != ind.number]
    if len(others) >= group.min_met:
        nums = pick(lang, "、".join(map(str, others)), ", ".join(map(str, others)))
        return pick(lang, f"该指标为可选指标，同组（{group.name_zh}）中指标{nums}达标，不影响总体判定。",
                    f"It is optional: indicator{'s' if len(others) > 1 else ''} {nums} of its group "
                    f"({group.name_en}) {'is' if len(others) == 1 else 'are'} met, so the verdict "
                    "is not affected.")
    return pick(lang, f"同组（{group.name_zh}）中达标指标不足{group.min_met}项，该组未满足要求。",
                f"Its group ({group.name_en}) has fewer than {group.min_met} met.")


# ------------------------------------------------------------------ what must change


def input_change(ev: Evaluation, change: InputChange, lang: str, *, to_meet: bool,
                 first: bool = True, must: bool = True) -> str:
    """One input's change, for an indicator to be met (`to_meet`) or to fail: "2018年二氧化碳排放量
    须由135,509.97吨降至不超过81,698.52吨" (`first`: with the year; `must`: as a requirement,
    else as one item of a list)."""
    assert change.required is not None
    unit = ev.framework.spec.items[change.item].unit
    what = ev.framework.item_name(change.item, lang)
    needed, now = amount(change.required, unit, lang), amount(change.current, unit, lang)
    at_most = change.direction == "at_most"
    head = pick(lang, f"{change.year}年{what}" if first else what,
                f"{what} in {change.year}" if first else what)
    if to_meet:
        if lang != "en":
            verb = f"{'降至不超过' if at_most else '增至不低于'}{needed}"
            return f"{head}{'须' if must else ''}由{now}{verb}" if first else f"{head}{verb}"
        verb = ("must fall" if must else "falling") if at_most else ("must rise" if must else "rising")
        return f"{head} {verb} from {now} to {'at most' if at_most else 'at least'} {needed}"
    if lang != "en":
        return f"{head}（现为{now}）{'升至' if at_most else '降至'}{needed}{'以上' if at_most else '以下'}"
    verb = ("rises above" if must else "rising above") if at_most else \
        ("falls below" if must else "falling below")
    return f"{head} (now {now}) {verb} {needed}"


def percent(change: InputChange, lang: str) -> str:
    """The relative size of a change: 降低39.7% / -39.7%."""
    relative = (change.relative or 0.0) * 100
    return pick(lang, f"{'降低' if relative < 0 else '提高'}{abs(relative):.1f}%", f"{relative:+.1f}%")


def gap_text(ev: Evaluation, gap: Gap, lang: str) -> str:
    """What must change for an indicator not met to be met, or how near a met one is to failing.
    Only the evaluation year's data are changed; earlier years' data are history."""
    now = [c for c in gap.inputs if c.year == ev.year]
    reachable = [c for c in now if c.required is not None]
    to_meet = gap.status is Status.NOT_MET
    parts = [_gap_head(ev, gap, to_meet, lang)]
    if reachable:
        parts.append(_gap_body(ev, reachable, to_meet, lang))
    else:
        parts.append(pick(lang, "仅调整本年度的任何一项数据都无法使其达标。" if to_meet else
                          "本年度任何一项数据单独变化都不会使其不达标。",
                          "No change to one of this year's data alone meets it." if to_meet else
                          "No change to one of this year's data alone makes it fail."))
    if to_meet:
        parts.extend(pick(lang, f"仅调整{ev.framework.item_name(c.item)}无法使其达标。",
                          f"Changing {ev.framework.item_name(c.item, 'en')} alone cannot meet it.")
                     for c in now if c.required is None)
    return pick(lang, "", " ").join(parts)


def gap_head(ev: Evaluation, gap: Gap, lang: str) -> str:
    """The indicator's value and requirement, as a gap's text begins."""
    return _gap_head(ev, gap, gap.status is Status.NOT_MET, lang)


def _gap_head(ev: Evaluation, gap: Gap, to_meet: bool, lang: str) -> str:
    result = ev.result(gap.number)
    ind = result.indicator
    shown = value_text(ev, result, gap.value, lang)
    op_zh, op_en = OP_WORDS.get(gap.op, (gap.op, gap.op))
    required = quantity(plain(gap.threshold), ind.unit, lang)
    if to_meet:
        return pick(lang, f"指标{ind.number}（{ind.name_zh}）为{shown}，要求{op_zh}{required}。",
                    f"Indicator {ind.number} ({ind.name_en}) is {shown}; the requirement is "
                    f"{op_en} {required}.")
    return pick(lang, f"指标{ind.number}（{ind.name_zh}）为{shown}，距“{op_zh}{required}”的要求余量"
                "不足10%。",
                f"Indicator {ind.number} ({ind.name_en}) is {shown}, within 10 % of the "
                f"requirement ({op_en} {required}).")


def _gap_body(ev: Evaluation, changes: list[InputChange], to_meet: bool, lang: str) -> str:
    texts = [input_change(ev, c, lang, to_meet=to_meet, first=i == 0) for i, c in enumerate(changes)]
    if lang == "en":
        joined = "; or ".join(f"{t} ({percent(c, lang)})" for t, c in zip(texts, changes, strict=True))
        return f"With the other data unchanged, {joined}." if to_meet else \
            f"With the other data unchanged, it would fail if {joined}."
    if not to_meet:
        joined = "，或".join(f"{t}（{percent(c, lang)}）" for t, c in zip(texts, changes, strict=True))
        return f"在其余数据不变的情况下，若{joined}，该指标将不达标。"
    sizes = "或".join(percent(c, lang) for c in changes)
    both = "分别" if len(changes) > 1 else ""
    return f"在其余数据不变的情况下，{'，或'.join(texts)}，即{both}{sizes}。"
