"""The workbook sheets for a framework's open choices and declarations (the dataset's
`settings`, `gates` and `exemptions` sections), written by the template and read back.

    设置       指标体系 | 标识 | 设置 | 取值 | 默认值 | 说明 | 理由 | 依据
               one row per setting; a blank 取值 keeps the default, 理由 is kept as the note
    申报条件   指标体系 | 标识 | 申报条件 | 是否满足 | 证明材料 | 依据
               one row per eligibility gate; 是 needs its evidence, a blank answer is no answer
    豁免       指标体系 | 序号 | 指标 | 是否豁免 | 豁免理由 | 依据
               one row per exemptible indicator; 是 needs its reason

Each sheet appears when a framework of the workbook (its own or one it is also assessed under)
declares such entries. Rows are found by 标识 or name (序号 or name for indicators); the
指标体系 column tells frameworks apart (blank: the workbook's own). What the answers mean is
checked where a YAML dataset's are (`ecopark.core.dataset.settings`): its errors come back to the
cell here.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ecopark.core import units
from ecopark.core.errors import UnitError
from ecopark.core.framework.model import Framework
from ecopark.core.framework.settings import SettingDef
from ecopark.io.cells import Number, Problem, cell_text, read_bool, read_number
from ecopark.io.context import Context, Names
from ecopark.io.sheet import Column, Header, Row
from ecopark.io.sheetstyle import (
    body_rows,
    column_widths,
    dropdown,
    header_row,
    print_setup,
    title_row,
)

__all__ = ["CHOICE_SHEETS", "ChoiceSheets", "write_choice_sheets"]

_FRAMEWORK = Column("framework", ("指标体系", "framework"), required=False)
SETTING_COLUMNS = (
    _FRAMEWORK, Column("id", ("标识", "id"), required=False),
    Column("name", ("设置", "setting", "设置项"), required=False),
    Column("value", ("取值", "value", "设定值")),
    Column("default", ("默认值", "default"), required=False),
    Column("about", ("说明", "about", "notes"), required=False),
    Column("reason", ("理由", "reason", "设定理由"), required=False),
    Column("source", ("依据", "source"), required=False),
)
GATE_COLUMNS = (
    _FRAMEWORK, Column("id", ("标识", "id"), required=False),
    Column("name", ("申报条件", "gate", "条件"), required=False),
    Column("met", ("是否满足", "met")),
    Column("evidence", ("证明材料", "evidence", "佐证材料"), required=False),
    Column("source", ("依据", "source"), required=False),
)
EXEMPTION_COLUMNS = (
    _FRAMEWORK, Column("number", ("序号", "no.", "number")),
    Column("indicator", ("指标", "indicator"), required=False),
    Column("exempt", ("是否豁免", "exempted", "exempt")),
    Column("reason", ("豁免理由", "reason", "理由")),
    Column("source", ("依据", "source"), required=False),
)
CHOICE_SHEETS = {
    "settings": ("设置", "settings", "参数设置"),
    "gates": ("申报条件", "gates", "eligibility"),
    "exemptions": ("豁免", "exemptions", "豁免指标"),
}


def _shown(setting: SettingDef, value: Any) -> Any:
    """A setting's value as the sheet shows it: a choice by its zh label, a bool as 是/否."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if setting.type == "choice" and setting.values and value in setting.values:
        label = setting.values[str(value)]
        return label.zh or label.en
    return value


# ------------------------------------------------------------------------ writing


def write_choice_sheets(wb: Any, frameworks: list[Framework]) -> None:
    """The 设置, 申报条件 and 豁免 sheets that the frameworks need (none for HJ 274-2015)."""
    if any(fw.spec.settings for fw in frameworks):
        _settings(wb.create_sheet(CHOICE_SHEETS["settings"][0]), frameworks)
    if any(fw.spec.gates for fw in frameworks):
        _gates(wb.create_sheet(CHOICE_SHEETS["gates"][0]), frameworks)
    if any(ind.exemptible for fw in frameworks for ind in fw.indicators):
        _exemptions(wb.create_sheet(CHOICE_SHEETS["exemptions"][0]), frameworks)


def _sheet(ws: Any, title: str, columns: tuple[Column, ...], rows: list[list[Any]],
           widths: list[int]) -> None:
    title_row(ws, title, len(columns))
    header_row(ws, 2, [c.names[0] for c in columns])
    for number, values in enumerate(rows, 3):
        for column, value in enumerate(values, 1):
            ws.cell(row=number, column=column, value=value)
    column_widths(ws, widths)
    body_rows(ws, 3, 2 + len(rows), widths)
    ws.freeze_panes = "A3"
    print_setup(ws, 2)


def _settings(ws: Any, frameworks: list[Framework]) -> None:
    rows = [[fw.id, key, s.name_zh, None, _shown(s, s.default), s.note_zh, None, s.source]
            for fw in frameworks for key, s in fw.spec.settings.items()]
    _sheet(ws, "设置 Settings — 取值留空即用默认值；改动时请写明理由 blank keeps the default; say why "
           "when you change one", SETTING_COLUMNS, rows, [18, 24, 36, 16, 22, 40, 30, 40])
    settings = [s for fw in frameworks for s in fw.spec.settings.values()]
    for number, setting in enumerate(settings, 3):
        if setting.type == "bool":
            dropdown(ws, f"D{number}", ["是", "否"])
        elif setting.type == "choice" and setting.values:
            dropdown(ws, f"D{number}", [v.zh or v.en for v in setting.values.values()])


def _gates(ws: Any, frameworks: list[Framework]) -> None:
    rows = [[fw.id, g.id, g.name_zh, None, None, g.source]
            for fw in frameworks for g in fw.spec.gates]
    _sheet(ws, "申报条件 Eligibility — 逐项选择是否满足，满足的写明证明材料 answer each; name the "
           "evidence of each met", GATE_COLUMNS, rows, [18, 22, 50, 10, 40, 30])
    if rows:
        dropdown(ws, f"D3:D{2 + len(rows)}", ["是", "否"])


def _exemptions(ws: Any, frameworks: list[Framework]) -> None:
    rows = [[fw.id, ind.number, ind.name_zh, None, None, ind.source]
            for fw in frameworks for ind in fw.indicators if ind.exemptible]
    _sheet(ws, "豁免 Exemptions — 条件不具备的引导性指标可豁免，须写明理由 an exemptible indicator "
           "whose conditions do not exist may be exempted, with the reason", EXEMPTION_COLUMNS,
           rows, [18, 8, 36, 10, 50, 30])
    if rows:
        dropdown(ws, f"D3:D{2 + len(rows)}", ["是", "否"])


# ------------------------------------------------------------------------ reading


@dataclasses.dataclass
class _Found:
    settings: dict[str, Any] = dataclasses.field(default_factory=dict)
    gates: dict[str, Any] = dataclasses.field(default_factory=dict)
    exemptions: dict[Any, Any] = dataclasses.field(default_factory=dict)


class ChoiceSheets:
    """Reads 设置, 申报条件 and 豁免 into the dataset's `settings`, `gates`, `exemptions`."""

    def __init__(self, context: Context, frameworks: list[Framework]) -> None:
        self.context, self.problems, self.places = context, context.problems, context.places
        self.frameworks = frameworks  # the workbook's own first
        self.found = _Found()

    def read(self) -> dict[str, Any]:
        for key, columns, reader in (("settings", SETTING_COLUMNS, self._setting),
                                     ("gates", GATE_COLUMNS, self._gate),
                                     ("exemptions", EXEMPTION_COLUMNS, self._exemption)):
            sheet = self.context.sheet(CHOICE_SHEETS[key])
            rows = sheet.rows() if sheet else iter(())
            header = self.context.header(sheet, rows, columns) if sheet else None
            if sheet is None or header is None:
                continue
            for row in rows:
                if not row.blank(header.columns.values()):
                    reader(sheet.name, header, row)
        return {k: v for k, v in dataclasses.asdict(self.found).items() if v}

    def _framework(self, sheet: str, header: Header, row: Row) -> Framework | None:
        text = cell_text(row.value(header.columns.get("framework", 0)))
        if not text:
            return self.frameworks[0]
        fw = next((f for f in self.frameworks if Names({f.id: [f.spec.name_zh]}).find(text)),
                  None)
        if fw is None:
            self.problems.add(sheet, row.ref(header.columns["framework"]), f"“{text}” 不是本工作簿"
                              "的指标体系 not a framework of this workbook", "可用 available: "
                              f"{', '.join(f.id for f in self.frameworks)}")
        return fw

    def _named(self, sheet: str, header: Header, row: Row, entries: dict[str, list[str]],
               what: str) -> str | None:
        """The entry of a row by its 标识 or its name."""
        names = Names(entries)
        texts = [(c, t) for c in ("id", "name")
                 if (t := cell_text(row.value(header.columns.get(c, 0))))]
        key = next((k for _, t in texts if (k := names.find(t)) is not None), None)
        if key is None:
            column, text = texts[0] if texts else ("value", "")
            self.problems.add(sheet, row.ref(header.columns.get(column, 1)), f"未知{what} unknown "
                              f"“{text}”", names.hint(text) or "用模板中的标识 use the template's ids")
        return key

    # -- 设置

    def _setting(self, sheet: str, header: Header, row: Row) -> None:
        fw = self._framework(sheet, header, row)
        if fw is None:
            return
        entries = {k: [s.name_zh, s.name_en] for k, s in fw.spec.settings.items()}
        key = self._named(sheet, header, row, entries, "设置 setting")
        column = header.columns["value"]
        if key is None or not cell_text(row.value(column)):
            return  # blank: the default
        value = _setting_value(fw.spec.settings[key], row, column)
        if isinstance(value, Problem):
            self.problems.cell(sheet, row.ref(column), value)
            return
        reason = cell_text(row.value(header.columns.get("reason", 0)))
        self.found.settings[key] = {"value": value, "note": reason} if reason else value
        self.places.note(f"settings.{key}", sheet, row.ref(column))

    # -- 申报条件

    def _gate(self, sheet: str, header: Header, row: Row) -> None:
        fw = self._framework(sheet, header, row)
        if fw is None:
            return
        key = self._named(sheet, header, row, {g.id: [g.name_zh, g.name_en]
                                               for g in fw.spec.gates}, "申报条件 gate")
        column = header.columns["met"]
        met = read_bool(row.value(column))
        if isinstance(met, Problem):
            self.problems.cell(sheet, row.ref(column), met)
        if key is None or not isinstance(met, bool):
            return  # blank: not answered
        evidence = cell_text(row.value(header.columns.get("evidence", 0)))
        self.found.gates[key] = {"met": met, "evidence": evidence}
        self.places.note(f"gates.{key}", sheet, row.ref(column))
        self.places.note(f"gates.{key}.evidence", sheet, row.ref(header.columns.get("evidence",
                                                                                   column)))

    # -- 豁免

    def _exemption(self, sheet: str, header: Header, row: Row) -> None:
        fw = self._framework(sheet, header, row)
        if fw is None:
            return
        column = header.columns["exempt"]
        exempt = read_bool(row.value(column))
        if isinstance(exempt, Problem):
            self.problems.cell(sheet, row.ref(column), exempt)
        number = self.context.indicator(fw, sheet, header, row)
        if number is None or exempt is not True:
            return
        reason = cell_text(row.value(header.columns["reason"]))
        own = fw is self.frameworks[0]
        target = self.found.exemptions if own else self.found.exemptions.setdefault(fw.id, {})
        target[number] = reason
        path = f"exemptions.{number}" if own else f"exemptions.{fw.id}.{number}"
        self.places.note(path, sheet, row.ref(header.columns["reason"]))


def _setting_value(setting: SettingDef, row: Row, column: int) -> Any:
    """A setting's cell as its typed value: 是/否, a choice by id or label, a number in the
    setting's unit (converted from a unit written in the cell)."""
    raw = row.value(column)
    if setting.type == "bool":
        return read_bool(raw)
    if setting.type == "choice":
        labels = {k: [v.zh, v.en] for k, v in (setting.values or {}).items()}
        key = Names(labels).find(cell_text(raw))
        return key if key is not None else Problem(
            f"“{cell_text(raw)}” 不是可选值 not an allowed value",
            f"可选 choose one of: {'、'.join(v.zh or v.en for v in (setting.values or {}).values())}")
    found = read_number(raw, row.is_percent(column))
    if not isinstance(found, Number):
        return found if isinstance(found, Problem) else Problem(
            "应为数字 a number expected", f"填写数字（单位 {units.pretty(setting.unit)}）或留空 "
            "write a number, or leave it blank for the default")
    if found.unit is None or found.unit == setting.unit:
        return float(found.value)
    try:
        return float(found.value) * units.conversion_factor(found.unit, setting.unit)
    except UnitError:
        return Problem(f"单位 “{found.unit}” 不能换算为 {units.pretty(setting.unit)} the unit "
                       "cannot be converted", f"用 use {units.pretty(setting.unit)}")

