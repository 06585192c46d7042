"""Terminal rendering (rich): the 对照考核表, the verdict, findings and traces. zh-CN first."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.markup import escape
from rich.measure import Measurement
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from ecopark.core.evaluate import Evaluation
from ecopark.core.numbers import format_value
from ecopark.core.readable import readable
from ecopark.core.results import IndicatorResult, Status
from ecopark.core.trace import Trace
from ecopark.core.units import pretty
from ecopark.core.verdict import Verdict, VerdictStatus
from ecopark.core.verify import KIND_NAMES

if TYPE_CHECKING:
    from ecopark.core.crosswalk import Crosswalk
    from ecopark.core.dataset.inventory import InventoryResult, Line
    from ecopark.core.dataset.model import Dataset
    from ecopark.core.dataset.schema import Contribution
    from ecopark.core.framework.discovery import Found
    from ecopark.core.framework.model import Framework
    from ecopark.core.quality import QualityFinding
    from ecopark.core.verify import Verification

Contributions = dict[str, dict[int, list["Contribution"]]]

__all__ = ["assessment", "crosswalk_view", "explanation", "frameworks_table", "inventory_tree",
           "items_table", "settings_table", "verification"]

STATUS = {
    Status.MET: ("✓ 达标", "✓ met", "green"),
    Status.NOT_MET: ("✗ 未达标", "✗ not met", "bold red"),
    Status.MISSING: ("… 缺数据", "… missing data", "yellow"),
    Status.NOT_EVALUABLE: ("? 无法评价", "? not evaluable", "magenta"),
    Status.NOT_APPLICABLE: ("— 不适用", "— not applicable", "dim"),
    Status.EXEMPTED: ("⊘ 豁免", "⊘ exempted", "cyan"),
}
VERDICT = {
    VerdictStatus.PASSED: ("总体判定：达标", "Overall verdict: PASSED", "green"),
    VerdictStatus.FAILED: ("总体判定：不达标", "Overall verdict: FAILED", "red"),
    VerdictStatus.INCOMPLETE: ("总体判定：无法判定（数据不全）", "Overall verdict: INCOMPLETE "
                               "(data missing)", "yellow"),
}
SEVERITY = {"error": ("错误", "error", "bold red"), "warning": ("警告", "warning", "yellow"),
            "info": ("提示", "info", "cyan")}


# the assessment table's columns: (header, share of the room left, widest): in a narrow terminal
# the indicator's name takes three shares of what the fixed columns leave and the requirement
# one, and the unit, the kind and the status wrap at 8, 9 and 10 characters, so the name stays
# readable at 80 columns
_ASSESSMENT_COLUMNS: tuple[tuple[tuple[str, str], int | None, int | None], ...] = (
    (("序号", "No."), None, None), (("指标", "Indicator"), 3, 44), (("单位", "Unit"), None, 8),
    (("要求", "Requirement"), 1, 40), (("考核", "Assessed"), None, 9),
    (("数值", "Value"), None, None), (("状态", "Status"), None, 10))
_AT_LEAST = {"指标": 14, "要求": 9}


class _Fitted:
    """A table as wide as its content, or, when that is wider than the terminal, exactly as
    wide as the terminal with the room shared by the columns' ratios (rich otherwise narrows
    every wrapping column alike, and the indicator names fold to a few characters)."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        natural = Measurement.get(console, options.update_width(10_000), self.table).maximum
        self.table.expand = natural > options.max_width
        yield self.table


def _pick(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


def status_text(status: Status, lang: str) -> Text:
    zh, en, style = STATUS[status]
    return Text(_pick(lang, zh, en), style=style)


def _kind(result: IndicatorResult, selected: frozenset[int], lang: str,
          gate: bool = False) -> str:
    ind = result.indicator
    if ind.mandatory:
        return _pick(lang, "核心", "core") if gate else _pick(lang, "必选", "mandatory")
    if ind.guidance:
        return _pick(lang, "引导性", "guidance")
    chosen = ind.number in selected
    return f"{ind.group} " + _pick(lang, "是" if chosen else "否", "yes" if chosen else "no")


def assessment(evaluation: Evaluation, lang: str) -> RenderableType:
    fw, profile = evaluation.framework, evaluation.dataset.profile
    words = fw.spec.wording
    title = _pick(lang, f"{profile.name} {evaluation.year}年 {words.table_name_zh}（{fw.spec.name_zh}）",
                  f"{profile.name} {evaluation.year}: {words.table_name_en} ({fw.spec.name_en})")
    table = Table(title=title, show_lines=False, expand=False)
    for (zh, en), ratio, most in _ASSESSMENT_COLUMNS:
        table.add_column(_pick(lang, zh, en), overflow="fold", no_wrap=ratio is None and not most,
                         ratio=ratio, max_width=most, min_width=_AT_LEAST.get(zh),
                         justify="right" if zh == "数值" else "left")
    for category in fw.spec.categories:
        rows = [r for r in evaluation.results if r.indicator.category == category.id]
        table.add_row("", Text(_pick(lang, category.name_zh, category.name_en), style="bold"))
        for r in rows:
            ind = r.indicator
            table.add_row(str(ind.number), _pick(lang, ind.name_zh, ind.name_en),
                          pretty(ind.unit), _pick(lang, ind.requirement.text_zh,
                                                  ind.requirement.text_en),
                          _kind(r, profile.selected, lang, fw.spec.verdict.kind == "gate_guidance"),
                          format_value(r.value, ind.decimals), status_text(r.status, lang))
    base = _pick(lang, f"规划基准年 {profile.base_year}", f"planning base year {profile.base_year}")
    note = Text(base + (f"（{profile.base_year_note}）" if profile.base_year_note else ""),
                style="dim")
    parts: list[RenderableType] = [_Fitted(table), note, *_notes(evaluation, lang)]
    if fw.spec.settings:
        parts.append(settings_table(fw, evaluation.dataset, lang))
    if fw.spec.gates:
        parts.append(_gates_table(evaluation, lang))
    return Group(*parts, verdict_panel(evaluation.verdict, lang, fw))


def _notes(evaluation: Evaluation, lang: str) -> list[Text]:
    """Companion values, reasons of exemptions and — for a framework that declares warnings or
    an inventory — the warnings, under the table (HJ 274's table stays as it was: its warnings
    are in `explain`)."""
    spec = evaluation.framework.spec
    warn = bool(spec.warnings or spec.inventory)
    out: list[Text] = []
    for r in evaluation.results:
        for c in r.companions:
            value = format_value(c.value, c.decimals) if c.value is not None else \
                "— " + _pick(lang, c.reason_zh, c.reason_en)
            out.append(Text(f"  {r.number} · {_pick(lang, c.name_zh, c.name_en)} = {value} "
                            f"{pretty(c.unit)}", style="cyan"))
        if r.status is Status.EXEMPTED:
            out.append(Text(f"  {r.number} · {_pick(lang, '豁免理由：', 'exempted: ')}"
                            f"{r.reason_zh}", style="cyan"))
        for zh, en in r.warnings if warn else ():
            out.append(Text(f"  {r.number} · {_pick(lang, '警告：', 'warning: ')}"
                            f"{_pick(lang, zh, en)}", style="yellow"))
    return out


def settings_table(framework: Framework, dataset: Dataset, lang: str) -> Table:
    """Every setting of the framework: its value, where the value comes from, the default."""
    table = Table(title=_pick(lang, "设置（开放选项）", "Settings (open choices)"), expand=False)
    for header in (("设置", "setting"), ("名称", "name"), ("取值", "value"), ("来源", "origin"),
                   ("默认", "default")):
        table.add_column(_pick(lang, *header), overflow="fold")
    for name, setting in framework.spec.settings.items():
        chosen = dataset.settings.get(name)
        value = chosen.value if chosen is not None else setting.default
        origin = chosen.origin_text(lang) if chosen is not None else _pick(lang, "默认值",
                                                                         "default")
        style = "bold" if chosen is not None and chosen.origin == "dataset" else ""
        table.add_row(name, _pick(lang, setting.name_zh, setting.name_en),
                      Text(setting.label(value), style=style), origin,
                      setting.label(setting.default))
    return table


def _gates_table(evaluation: Evaluation, lang: str) -> Table:
    table = Table(title=_pick(lang, "申报条件", "Eligibility gates"), expand=False)
    for header in (("条件", "gate"), ("满足", "met"), ("证明材料", "evidence"), ("出处", "source")):
        table.add_column(_pick(lang, *header), overflow="fold")
    for gate in evaluation.verdict.gates:
        met = {True: Text(_pick(lang, "✓ 是", "✓ yes"), "green"),
               False: Text(_pick(lang, "✗ 否", "✗ no"), "bold red"),
               None: Text(_pick(lang, "… 未填报", "… not answered"), "yellow")}[gate.met]
        table.add_row(_pick(lang, gate.name_zh, gate.name_en), met, gate.evidence, gate.source)
    return table


def verdict_panel(verdict: Verdict, lang: str, framework: Framework | None = None) -> Panel:
    """The verdict and its reasons; with the framework, item ids in reasons read as names."""
    zh, en, style = VERDICT[verdict.status]

    def words(text: str) -> str:
        return text if framework is None else readable(framework, text, lang)

    lines = [Text(f"• {words(_pick(lang, r.zh, r.en))}",
                  style="red" if r.severity == "fail" else "yellow" if
                  r.severity == "incomplete" else "") for r in verdict.reasons]
    for group in verdict.groups:
        met = ", ".join(map(str, group.met)) or "—"
        lines.append(Text(_pick(lang, f"  {group.id} {group.name_zh}：达标 {met}",
                                f"  {group.id} {group.name_en}: met {met}"), style="dim"))
    for g in verdict.guidance:
        word = status_text(g.status, lang)
        line = Text(f"  {g.number} {_pick(lang, g.name_zh, g.name_en)}{_pick(lang, '：', ': ')}",
                    style="dim")
        line.append_text(word)
        if g.status is Status.EXEMPTED:
            line.append(_pick(lang, f"（{g.reason_zh}）", f" ({g.reason_en})"), style="dim")
        lines.append(line)
    if verdict.kind == "gate_guidance":
        zh = {VerdictStatus.PASSED: "核心指标判定：达到（引导性指标分别报告）",
              VerdictStatus.FAILED: "核心指标判定：未达到（原则上不得申请验收）",
              VerdictStatus.INCOMPLETE: "核心指标判定：无法判定"}[verdict.status]
        en = {VerdictStatus.PASSED: "Core verdict: MET (guidance reported separately)",
              VerdictStatus.FAILED: "Core verdict: NOT MET (may not apply for acceptance)",
              VerdictStatus.INCOMPLETE: "Core verdict: INCOMPLETE"}[verdict.status]
    return Panel(Group(*lines), title=_pick(lang, zh, en), border_style=style)


def verification(result: Verification, lang: str) -> RenderableType:
    table = Table(title=_pick(lang, "核查结果（表中数值 vs 按基础数据复算）",
                              "Verification (printed vs recomputed from the base rows)"),
                  expand=True)
    table.add_column(_pick(lang, "级别", "Severity"), no_wrap=True)
    table.add_column(_pick(lang, "序号", "No."), no_wrap=True)
    table.add_column(_pick(lang, "类型", "Kind"), overflow="fold")  # wraps before 说明 shrinks
    table.add_column(_pick(lang, "说明", "Finding"), overflow="fold", ratio=1, min_width=30)
    for f in result.findings:
        zh, en, style = SEVERITY[f.severity]
        kind = KIND_NAMES.get(f.kind, (f.kind, f.kind))
        table.add_row(Text(_pick(lang, zh, en), style=style), str(f.number or ""),
                      _pick(lang, *kind), _pick(lang, f.zh, f.en))
    counts = {s: sum(1 for f in result.findings if f.severity == s) for s in SEVERITY}
    summary = Text(_pick(lang, f"共 {len(result.findings)} 条：错误 {counts['error']}，警告 "
                         f"{counts['warning']}，提示 {counts['info']}",
                         f"{len(result.findings)} findings: {counts['error']} errors, "
                         f"{counts['warning']} warnings, {counts['info']} info"))
    fw = result.evaluation.framework
    settings = [settings_table(fw, result.evaluation.dataset, lang)] if fw.spec.settings else []
    return Group(table, summary, *settings, verdict_panel(result.evaluation.verdict, lang, fw))


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
    for c in result.companions:
        value = format_value(c.value, c.decimals) if c.value is not None else "—"
        node = tree.add(Text(f"{_pick(lang, '伴随值：', 'companion: ')}"
                             f"{_pick(lang, c.name_zh, c.name_en)} = {value} {pretty(c.unit)}",
                             style="cyan"))
        if c.trace is not None:
            _grow(node, c.trace, fw, lang)
    if fw.spec.settings:
        _settings_branch(tree, fw, evaluation.dataset, lang)
    return tree


def _settings_branch(tree: Tree, fw: Framework, dataset: Dataset, lang: str) -> None:
    branch = tree.add(_pick(lang, "设置（全部）", "settings (all)"))
    for name, setting in fw.spec.settings.items():
        chosen = dataset.settings.get(name)
        value = chosen.value if chosen is not None else setting.default
        origin = chosen.origin_text(lang) if chosen is not None else "default"
        branch.add(Text(f"{name} = {setting.label(value)}  ({origin})", style="dim"))


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


def frameworks_table(frameworks: list[tuple[Framework, Found]], lang: str) -> Table:
    """Each framework: its id, name (version and status below it), counts, and where it came
    from (a package's entry point, or a framework directory)."""
    table = Table(title=_pick(lang, "可用指标体系", "Available frameworks"))
    for header in (("标识", "id"), ("名称", "name"), ("指标", "indicators"), ("来源", "source")):
        table.add_column(_pick(lang, *header), no_wrap=header[1] == "id")
    for fw, found in frameworks:
        spec = fw.spec
        name = Text(_pick(lang, spec.name_zh, spec.name_en))
        name.append(f"\n{spec.version}" + (f" · {spec.status}" if spec.status else ""),
                    style="dim")
        mandatory = sum(1 for i in spec.indicators if i.mandatory)
        groups = len(spec.verdict.groups)
        counts = _pick(lang, f"{len(spec.indicators)}\n必选 {mandatory}\n可选组 {groups}",
                       f"{len(spec.indicators)}\n{mandatory} mandatory\n{groups} groups")
        table.add_row(spec.id, name, counts, _source(found, lang))
    return table


def _source(found: Found, lang: str) -> str:
    if found.kind == "entry_point":
        package = found.package.split(" ")[0]
        return _pick(lang, f"软件包 {package}", f"package {package}")
    return _pick(lang, f"目录 {found.name}", f"directory {found.name}")


def inventory_tree(result: InventoryResult, lang: str, park: str = "") -> RenderableType:
    """The inventory as a tree: every line with its amount × factor and the factor's source."""
    title = _pick(lang, f"{park} {result.year}年 碳排放核算清单（{result.method_id} "
                  f"{result.method_version}）", f"{park} {result.year}: carbon inventory "
                  f"({result.method_id} {result.method_version})").strip()
    co2 = Tree(Text(title, style="bold"))
    _line(co2, result.co2, lang)
    if result.memo:
        memo = co2.add(_pick(lang, "单独列出（不扣减）：国际航空航海燃料", "listed apart (not "
                             "deducted): international bunkers"))
        for line in result.memo:
            _line(memo, line, lang)
    _line(co2, result.energy, lang)
    q = result.quantities
    co2.add(Text(_pick(lang, "年综合能源消费量（电力当量值 0.1229 kgce/kWh）", "annual energy use "
                       "(electricity at equivalent value, 0.1229 kgce/kWh)") +
                 f" = {format_value(q['energy_equivalent'], 2)} tce"))
    if "direct_green_share" in q:
        basis = result.parameters.get("green_share_denominator", "received")
        co2.add(Text(_pick(lang, "直供绿电占比", "directly supplied green power") +
                     f" = {q['direct_green_share']:.1%}  " + _pick(
                         lang, f"（分母 denominator: {basis}；附件4 原则上 ≥50%）",
                         f"(denominator: {basis}; 附件4: ≥ 50 % in principle)")))
    params = co2.add(_pick(lang, "参数（设置）", "parameters (settings)"))
    for key, value in result.parameters.items():
        params.add(Text(f"{key} = {value}", style="dim"))
    for w in result.warnings:
        co2.add(Text(_pick(lang, "警告：", "warning: ") + _pick(lang, w.zh, w.en), "yellow"))
    return co2


def _line(parent: Tree, line: Line, lang: str) -> None:
    label = Text(f"{_pick(lang, line.zh, line.en)} = {format_value(line.value, 2)} "
                 f"{pretty(line.unit)}", style="bold" if line.children else "")
    if line.how:
        label.append(f"  [{line.how}]", style="")
    if line.source:
        label.append(f"  ← {line.source}", style="dim")
    node = parent.add(label)
    for child in line.children:
        _line(node, child, lang)


def crosswalk_view(cross: Crosswalk, lang: str) -> RenderableType:
    """Which raw items feed which indicator in each framework, and the related indicators."""
    names = [fw.id for fw in cross.frameworks]
    items = Table(title=_pick(lang, "数据项与指标对照", "Items and the indicators they feed"))
    items.add_column(_pick(lang, "数据项", "item"), overflow="fold")
    items.add_column(_pick(lang, "名称", "name"), overflow="fold")
    for name in names:
        items.add_column(name, overflow="fold")
    for row in cross.items:
        label = Text(_pick(lang, row.name_zh, row.name_en))
        if row.computed:
            label.append(_pick(lang, f"（核算清单 {row.computed}）", f" (inventory: {row.computed})"),
                        style="dim")
        if row.shared_from:
            label.append(_pick(lang, f"（与 {row.shared_from} 共用）", f" (shared with "
                              f"{row.shared_from})"), style="dim")
        items.add_row(row.item, label,
                      *(", ".join(map(str, row.feeds.get(n, ()))) or "—" for n in names))
    links = Table(title=_pick(lang, "相近指标的定义差异", "Similar indicators defined differently"))
    for header in (("指标", "indicator"), ("对应指标", "related"), ("公式", "formulas"),
                   ("要求", "requirements"), ("数值", "values"), ("差异", "difference")):
        links.add_column(_pick(lang, *header), overflow="fold")
    for link in cross.links:
        values = "\n".join(_side_value(side, lang) for side in (link.left, link.right))
        links.add_row(f"{link.left.framework} {link.left.number} "
                      f"{_pick(lang, link.left.name_zh, link.left.name_en)}",
                      f"{link.right.framework} {link.right.number} "
                      f"{_pick(lang, link.right.name_zh, link.right.name_en)}",
                      f"{link.left.formula}\n{link.right.formula}",
                      f"{_pick(lang, link.left.requirement_zh, link.left.requirement_en)}\n"
                      f"{_pick(lang, link.right.requirement_zh, link.right.requirement_en)}",
                      values, _pick(lang, link.note_zh, link.note_en))
    return Group(items, links)


def _side_value(side: Any, lang: str) -> str:
    if side.status is None:
        return "—"
    value = "—" if side.value is None else format_value(side.value, 4)
    zh, en, _ = STATUS[Status(side.status)]
    return f"{value} {pretty(side.unit)} {_pick(lang, zh, en)}"


def quality_table(findings: list[QualityFinding], lang: str, title: str | None = None) -> Table:
    """Data-quality findings as a table (check, rollup, assess and verify)."""
    zh = lang != "en"
    styles = {"error": ("错误", "bold red"), "warning": ("警告", "yellow"), "info": ("提示", "cyan")}
    table = Table(title=title or ("数据质量检查" if zh else "Data-quality checks"), expand=True)
    # the rule's id and version are for --json: a reader gets the level, indicators and why
    for header, width in ((("级别", "severity"), 8), (("指标", "indicators"), 8)):
        table.add_column(header[0] if zh else header[1], overflow="fold", max_width=width)
    table.add_column("说明" if zh else "finding", overflow="fold", ratio=1, min_width=30)
    for f in findings:
        word, style = styles[f.severity]
        fix = f.fix_zh if zh else f.fix_en
        text = (f.zh if zh else f.en) + (f"\n{'→ 建议：' if zh else '→ fix: '}{fix}" if fix else "")
        table.add_row(Text(word if zh else f.severity, style=style),
                      ", ".join(map(str, f.indicators)) or "—", text)
    return table
