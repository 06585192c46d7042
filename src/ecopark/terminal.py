"""Terminal rendering (rich): the 对照考核表, the verdict, findings and traces. zh-CN first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from ecopark.evaluate import Evaluation, IndicatorResult, Status
from ecopark.numbers import format_value
from ecopark.trace import Trace
from ecopark.units import pretty
from ecopark.verdict import Verdict, VerdictStatus

if TYPE_CHECKING:
    from ecopark.dataset import Contribution
    from ecopark.framework import Framework
    from ecopark.verify import Verification

Contributions = dict[str, dict[int, list["Contribution"]]]

__all__ = ["assessment", "explanation", "frameworks_table", "items_table", "verification"]

STATUS = {
    Status.MET: ("✓ 达标", "✓ met", "green"),
    Status.NOT_MET: ("✗ 未达标", "✗ not met", "bold red"),
    Status.MISSING: ("… 缺数据", "… missing data", "yellow"),
    Status.NOT_EVALUABLE: ("? 无法评价", "? not evaluable", "magenta"),
    Status.NOT_APPLICABLE: ("— 不适用", "— not applicable", "dim"),
}
VERDICT = {
    VerdictStatus.PASSED: ("总体判定：达标", "Overall verdict: PASSED", "green"),
    VerdictStatus.FAILED: ("总体判定：不达标", "Overall verdict: FAILED", "red"),
    VerdictStatus.INCOMPLETE: ("总体判定：无法判定（数据不全）", "Overall verdict: INCOMPLETE "
                               "(data missing)", "yellow"),
}
SEVERITY = {"error": ("错误", "error", "bold red"), "warning": ("警告", "warning", "yellow"),
            "info": ("提示", "info", "cyan")}


def _pick(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


def status_text(status: Status, lang: str) -> Text:
    zh, en, style = STATUS[status]
    return Text(_pick(lang, zh, en), style=style)


def _kind(result: IndicatorResult, selected: frozenset[int], lang: str) -> str:
    ind = result.indicator
    if ind.mandatory:
        return _pick(lang, "必选", "mandatory")
    chosen = ind.number in selected
    return f"{ind.group} " + _pick(lang, "是" if chosen else "否", "yes" if chosen else "no")


def assessment(evaluation: Evaluation, lang: str) -> RenderableType:
    fw, profile = evaluation.framework, evaluation.dataset.profile
    title = _pick(lang, f"{profile.name} {evaluation.year}年 对照考核表（{fw.spec.name_zh}）",
                  f"{profile.name} {evaluation.year}: assessment table ({fw.spec.name_en})")
    table = Table(title=title, show_lines=False, expand=False)
    for header, wrap in ((("序号", "No."), False), (("指标", "Indicator"), True),
                         (("单位", "Unit"), False), (("要求", "Requirement"), True),
                         (("考核", "Assessed"), False), (("数值", "Value"), False),
                         (("状态", "Status"), False)):
        table.add_column(_pick(lang, *header), overflow="fold", no_wrap=not wrap,
                         ratio=2 if wrap else None, justify="right" if header[0] == "数值"
                         else "left")
    for category in fw.spec.categories:
        rows = [r for r in evaluation.results if r.indicator.category == category.id]
        table.add_row("", Text(_pick(lang, category.name_zh, category.name_en), style="bold"))
        for r in rows:
            ind = r.indicator
            table.add_row(str(ind.number), _pick(lang, ind.name_zh, ind.name_en),
                          pretty(ind.unit), _pick(lang, ind.requirement.text_zh,
                                                  ind.requirement.text_en),
                          _kind(r, profile.selected, lang), format_value(r.value, ind.decimals),
                          status_text(r.status, lang))
    base = _pick(lang, f"规划基准年 {profile.base_year}", f"planning base year {profile.base_year}")
    note = Text(base + (f"（{profile.base_year_note}）" if profile.base_year_note else ""),
                style="dim")
    return Group(table, note, verdict_panel(evaluation.verdict, lang))


def verdict_panel(verdict: Verdict, lang: str) -> Panel:
    zh, en, style = VERDICT[verdict.status]
    lines = [Text(f"• {_pick(lang, r.zh, r.en)}",
                  style="red" if r.severity == "fail" else "yellow" if
                  r.severity == "incomplete" else "") for r in verdict.reasons]
    for group in verdict.groups:
        met = ", ".join(map(str, group.met)) or "—"
        lines.append(Text(_pick(lang, f"  {group.id} {group.name_zh}：达标 {met}",
                                f"  {group.id} {group.name_en}: met {met}"), style="dim"))
    return Panel(Group(*lines), title=_pick(lang, zh, en), border_style=style)


def verification(result: Verification, lang: str) -> RenderableType:
    table = Table(title=_pick(lang, "核查结果（表中数值 vs 按基础数据复算）",
                              "Verification (printed vs recomputed from the base rows)"),
                  expand=True)
    for header, ratio in ((("级别", "Severity"), None), (("序号", "No."), None),
                          (("类型", "Kind"), None), (("说明", "Finding"), 1)):
        table.add_column(_pick(lang, *header), overflow="fold", ratio=ratio,
                         no_wrap=ratio is None)
    for f in result.findings:
        zh, en, style = SEVERITY[f.severity]
        table.add_row(Text(_pick(lang, zh, en), style=style), str(f.number or ""), f.kind,
                      _pick(lang, f.zh, f.en))
    counts = {s: sum(1 for f in result.findings if f.severity == s) for s in SEVERITY}
    summary = Text(_pick(lang, f"共 {len(result.findings)} 条：错误 {counts['error']}，警告 "
                         f"{counts['warning']}，提示 {counts['info']}",
                         f"{len(result.findings)} findings: {counts['error']} errors, "
                         f"{counts['warning']} warnings, {counts['info']} info"))
    return Group(table, summary, verdict_panel(result.evaluation.verdict, lang))


def explanation(evaluation: Evaluation, number: int, lang: str) -> RenderableType:
    fw = evaluation.framework
    result = evaluation.result(number)
    ind = result.indicator
    head = Text(f"{ind.number} {_pick(lang, ind.name_zh, ind.name_en)} = "
                f"{format_value(result.value, ind.decimals)} {pretty(ind.unit)}  ")
    head.append_text(status_text(result.status, lang))
    tree = Tree(head)
    tree.add(_pick(lang, "公式：", "formula: ") + escape(fw.describe(ind.formula, lang)) +
             f"  [dim]({escape(ind.formula)})[/dim]")
    req = _pick(lang, ind.requirement.text_zh, ind.requirement.text_en)
    tree.add(_pick(lang, "要求：", "requirement: ") + escape(req) +
             (f"  [dim](value {escape(result.rule)})[/dim]" if result.rule else ""))
    if result.reason_zh:
        tree.add(Text(_pick(lang, "原因：", "reason: ") + _pick(lang, result.reason_zh,
                                                                result.reason_en), "yellow"))
    for zh, en in result.warnings:
        tree.add(Text(_pick(lang, "警告：", "warning: ") + _pick(lang, zh, en), "yellow"))
    tree.add(_pick(lang, "来源：", "source: ") + f"[dim]{escape(ind.source)}[/dim]")
    if result.trace is not None:
        steps = tree.add(_pick(lang, "计算过程", "computation"))
        for child in result.trace.children:
            _grow(steps, child, fw, lang, evaluation.dataset.contributions)
    return tree


def _grow(parent: Tree, trace: Trace, fw: Framework, lang: str,
          contributions: Contributions | None = None) -> None:
    value = "—" if trace.value is None else format_value(trace.value, 6).rstrip("0").rstrip(".") \
        if isinstance(trace.value, float) else str(trace.value)
    if trace.item is not None and not trace.children:
        year = "" if trace.year is None else _pick(lang, f"{trace.year}年", str(trace.year))
        label = Text(f"{fw.item_name(trace.item, lang)} [{trace.item}] {year} = "
                     f"{value} {pretty(trace.unit)}")
        if trace.source:
            label.append(f"  ← {trace.source}", style="dim")
    else:
        label = Text(f"{fw.describe(trace.label, lang)} = {value} {pretty(trace.unit)}")
    if trace.note:
        label.append(f"  ({trace.note})", style="dim")
    node = parent.add(label)
    if trace.item is not None and trace.year is not None and contributions:
        _contributors(node, contributions.get(trace.item, {}).get(trace.year, []), trace.unit)
    for child in trace.children:
        _grow(node, child, fw, lang, contributions)


_PARTS = {"direct": "直接 direct", "indirect": "间接 indirect"}


def _contributors(node: Tree, entries: list[Contribution], unit: str, shown: int = 10) -> None:
    """The enterprises an item-year was rolled up from, largest first (ecopark rollup)."""
    total = sum(e.value for e in entries)
    ordered = sorted(entries, key=lambda e: (e.count is not None, -e.value))
    for entry in ordered[:shown]:
        share = f"  {entry.value / total:.1%}" if total else ""
        code = f" {entry.credit_code}" if entry.credit_code else ""
        parts = "（" + "，".join(f"{_PARTS.get(k, k)} {format_value(v, 2)}" for k, v in
                                entry.parts.items()) + "）" if entry.parts else ""
        node.add(Text(f"{entry.enterprise}{code} = {format_value(entry.value, 2)} "
                      f"{pretty(unit)}{parts}{share}", style="dim"))
    if len(ordered) > shown:
        node.add(Text(f"… 另 {len(ordered) - shown} 条 {len(ordered) - shown} more", style="dim"))


def items_table(framework: Framework, lang: str) -> Table:
    table = Table(title=_pick(lang, f"{framework.spec.name_zh} 数据项", f"{framework.spec.name_en}: "
                              "items"))
    for header in (("标识", "id"), ("名称", "name"), ("单位", "unit"), ("定义", "definition")):
        table.add_column(_pick(lang, *header), overflow="fold")
    for key, item in framework.spec.items.items():
        unit = " / ".join(item.values or {}) if item.kind == "fact" else pretty(item.unit)
        table.add_row(key, _pick(lang, item.name_zh, item.name_en), unit,
                      _pick(lang, item.definition_zh, item.definition_en))
    return table


def frameworks_table(frameworks: list[Framework], lang: str) -> Table:
    table = Table(title=_pick(lang, "可用指标体系", "Available frameworks"))
    for header in (("标识", "id"), ("名称", "name"), ("版本", "version"), ("状态", "status"),
                   ("指标数", "indicators"), ("必选", "mandatory"), ("可选组", "groups")):
        table.add_column(_pick(lang, *header))
    for fw in frameworks:
        spec = fw.spec
        table.add_row(spec.id, _pick(lang, spec.name_zh, spec.name_en), spec.version,
                      spec.status, str(len(spec.indicators)),
                      str(sum(1 for i in spec.indicators if i.mandatory)),
                      str(len(spec.verdict.groups)))
    return table
