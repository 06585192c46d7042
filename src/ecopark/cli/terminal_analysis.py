"""Terminal rendering (rich) of the analyses: gaps, what-if, forecasts, comparisons."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ecopark.analysis.compare import Comparison
from ecopark.analysis.forecast import SCENARIOS, Forecast
from ecopark.analysis.gap import Gap, InputChange
from ecopark.analysis.whatif import WhatIf
from ecopark.cli.terminal import status_text, verdict_panel
from ecopark.core.evaluate import Evaluation
from ecopark.core.framework.model import Framework
from ecopark.core.numbers import format_value
from ecopark.core.units import pretty

__all__ = ["comparison", "forecast_view", "gap_view", "whatif_view"]

_OPS = {">=": "≥", "<=": "≤"}
_DIRECTION = {"at_most": ("至多", "at most"), "at_least": ("至少", "at least")}
_METHOD = {"exact": ("精确求解", "exact"), "bisection": ("二分法", "bisection"),
           "unreachable": ("仅改此项无法达到", "not reachable by this input alone")}


def _pick(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


def _amount(value: float) -> str:
    return f"{value:,.4f}".rstrip("0").rstrip(".") if abs(value) < 1000 else f"{value:,.2f}"


def _input_row(fw: Framework, change: InputChange, lang: str) -> list[RenderableType]:
    unit = pretty(fw.spec.items[change.item].unit)
    name = fw.item_name(change.item, lang)
    if change.required is None:
        needed, delta = "—", ""
    else:
        word = _DIRECTION[change.direction]
        needed = f"{_pick(lang, *word)} {_amount(change.required)} {unit}"
        delta = f"{(change.relative or 0) * 100:+.1f} %"
    return [Text(f"{name} [{change.item}]"), str(change.year),
            f"{_amount(change.current)} {unit}", needed, delta, _pick(lang, *_METHOD[change.method])]


def gap_view(evaluation: Evaluation, gaps: list[Gap],
             sensitivity: list[tuple[int, InputChange]], lang: str) -> RenderableType:
    fw = evaluation.framework
    parts: list[RenderableType] = []
    if not gaps:
        parts.append(Text(_pick(lang, "所有指标均达标且距要求 10% 以上。",
                                "Every indicator is met with more than 10 % to spare.")))
    for gap in gaps:
        ind = fw.indicator(gap.number)
        title = _pick(lang, f"{ind.number} {ind.name_zh}：{format_value(gap.value, ind.decimals)} "
                      f"{pretty(ind.unit)}，要求 {_OPS.get(gap.op, gap.op)}{gap.threshold:g}",
                      f"{ind.number} {ind.name_en}: {format_value(gap.value, ind.decimals)} "
                      f"{pretty(ind.unit)}, requirement {_OPS.get(gap.op, gap.op)} {gap.threshold:g}")
        table = Table(title=title, title_justify="left")
        for header in (("数据项", "input"), ("年份", "year"), ("现值", "current"),
                       ("达标所需（其余不变）", "needed (others fixed)"), ("变化", "change"),
                       ("方法", "method")):
            table.add_column(_pick(lang, *header), overflow="fold")
        for change in gap.inputs:
            table.add_row(*_input_row(fw, change, lang))
        parts += [table, status_text(gap.status, lang)]
    parts.append(_sensitivity(evaluation, sensitivity, lang))
    return Group(*parts)


def _sensitivity(evaluation: Evaluation, sensitivity: list[tuple[int, InputChange]],
                 lang: str) -> RenderableType:
    fw = evaluation.framework
    head = _pick(lang, "总体判定敏感性：单项数据改变多少会改变总体判定",
                 "Verdict sensitivity: how much one input must change to flip the verdict")
    lines = [Text(head, style="bold")]
    for number, change in sensitivity[:8]:
        unit = pretty(fw.spec.items[change.item].unit)
        assert change.required is not None
        lines.append(Text(_pick(
            lang, f"• 指标 {number}：{fw.item_name(change.item)}（{change.year}年）由 "
            f"{_amount(change.current)} 变为 {_amount(change.required)} {unit}"
            f"（{(change.relative or 0) * 100:+.1f}%）",
            f"• indicator {number}: {fw.item_name(change.item, 'en')} ({change.year}) from "
            f"{_amount(change.current)} to {_amount(change.required)} {unit} "
            f"({(change.relative or 0) * 100:+.1f} %)")))
    if len(lines) == 1:
        lines.append(Text(_pick(lang, "没有单项数据能单独改变总体判定。",
                                "No single input alone flips the verdict.")))
    return Group(*lines)


def whatif_view(result: WhatIf, lang: str) -> RenderableType:
    fw = result.before.framework
    table = Table(title=_pick(lang, "假设分析：变化的指标", "What-if: indicators that change"))
    for header in (("序号", "No."), ("指标", "indicator"), ("原值", "before"), ("新值", "after"),
                   ("原状态", "was"), ("新状态", "now")):
        table.add_column(_pick(lang, *header), overflow="fold")
    for c in result.changes:
        ind = fw.indicator(c.number)
        table.add_row(str(c.number), _pick(lang, ind.name_zh, ind.name_en),
                      format_value(c.before, ind.decimals), format_value(c.after, ind.decimals),
                      status_text(c.status_before, lang), status_text(c.status_after, lang))
    given = ", ".join(f"{a.item}@{a.year} = {a.given}" for a in result.assignments)
    return Group(Text(_pick(lang, f"假设：{given}", f"assuming: {given}")), table,
                 verdict_panel(result.after.verdict, lang))


def forecast_view(result: Forecast, framework: Framework, lang: str) -> RenderableType:
    table = Table(title=_pick(lang, "趋势预测（低 / 中 / 高情景）",
                              "Forecast on trend (low / central / high)"))
    table.add_column(_pick(lang, "序号", "No."))
    table.add_column(_pick(lang, "指标", "indicator"), overflow="fold")
    for year in result.years:
        table.add_column(str(year), overflow="fold")
    for ind in framework.indicators:
        cells = []
        for year in result.years:
            central = result.evaluations[(year, "central")].result(ind.number)
            span = result.range(ind.number, year)
            text = format_value(central.value, ind.decimals)
            if span and span[0] != span[1]:
                text += f" ({format_value(span[0], ind.decimals)}–" \
                        f"{format_value(span[1], ind.decimals)})"
            cells.append(Text(text + " ").append_text(status_text(central.status, lang)))
        table.add_row(str(ind.number), _pick(lang, ind.name_zh, ind.name_en), *cells)
    warnings = [Text(_pick(lang, w.zh, w.en), style="red" if w.kind == "not_met" else "yellow")
                for w in result.warnings] or [Text(_pick(lang, "无预警。", "No warnings."))]
    held = [t.item for t in result.trends.values() if t.constant]
    note = Text(_pick(lang, f"方法：近三年几何年均增长率外推（情景：{'/'.join(SCENARIOS)}）；"
                      f"保持不变（仅一个年份或数值非正）：{', '.join(held) or '无'}",
                      f"method: last three years' geometric growth (scenarios "
                      f"{'/'.join(SCENARIOS)}); held constant (one year only, or a value ≤ 0): "
                      f"{', '.join(held) or 'none'}"), style="dim")
    return Group(table, *warnings, note)


def comparison(result: Comparison, framework: Framework, lang: str) -> RenderableType:
    table = Table(title=_pick(lang, "园区对比（数值 / 状态 / 百分位）",
                              "Parks compared (value / status / percentile)"))
    table.add_column(_pick(lang, "序号", "No."))
    table.add_column(_pick(lang, "指标", "indicator"), overflow="fold")
    for park, year in zip(result.parks, result.years, strict=True):
        table.add_column(f"{park} {year}", overflow="fold")
    for number in result.numbers:
        ind = framework.indicator(number)
        row: list[RenderableType] = [str(number), _pick(lang, ind.name_zh, ind.name_en)]
        for cell in result.row(number):
            text = Text(format_value(cell.value, ind.decimals) + " ")
            text.append_text(status_text(cell.status, lang))
            if cell.percentile is not None:
                text.append(f" P{cell.percentile:.0f}", style="dim")
            row.append(text)
        table.add_row(*row)
    return table
