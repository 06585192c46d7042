"""Writing the workbook template a park office fills in (openpyxl), in the layout of
`ecopark.io.layout`, which the reader shares.

The reader finds everything by header text and defined names, never by position, so users may
insert rows and columns. Cells carry data validation (numbers or "/", dropdowns for units, facts
and 是/否) with warnings rather than refusals where a typed unit is legitimate; headers are frozen,
widths readable, the print setup set, and every item's definition is a comment on its name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ecopark.core.errors import InputFileError
from ecopark.core.framework.indicators import Indicator
from ecopark.core.framework.items import Item
from ecopark.core.framework.model import Framework
from ecopark.io.choice_sheets import write_choice_sheets
from ecopark.io.inventory_sheets import inventory_method, write_inventory_sheets
from ecopark.io.layout import (
    CHECKLIST_COLUMNS,
    DATA_COLUMNS,
    LIST_FIELD_LABELS,
    OPTIONAL_COLUMNS,
    PARK_FIELDS,
    REPORTED_COLUMNS,
    SHEETS,
    ParkField,
    park_fields,
    unit_choices,
    unit_display,
)
from ecopark.io.sheet import column_letters
from ecopark.io.sheetstyle import (
    BLANK_ROWS,
    body_rows,
    column_widths,
    dropdown,
    header_row,
    print_setup,
    styles,
    text_width,
    title_row,
    validation,
    whole,
)

# The layout's names stay importable from here, where they were first defined.
__all__ = ["CHECKLIST_COLUMNS", "DATA_COLUMNS", "LIST_FIELD_LABELS", "OPTIONAL_COLUMNS",
           "PARK_FIELDS", "REPORTED_COLUMNS", "SHEETS", "ParkField", "park_fields",
           "unit_choices", "unit_display", "write_template"]



# ------------------------------------------------------------------------ 说明


def _extension_lines(frameworks: list[Framework]) -> tuple[list[str], list[str]]:
    """The guide's lines (zh, en) for the sheets only some frameworks need."""
    zh: list[str] = []
    en: list[str] = []
    names = "、".join(fw.spec.name_zh for fw in frameworks[1:])
    if names:
        zh.append(f"同时评价：园区信息中“同时评价的指标体系”列出的{names}使用同一份数据；两者共用的数据项"
                  "只填一行。")
        en.append("Also assessed: the frameworks named in 园区信息 use the same data; an item they "
                  "share is one row.")
    if any(fw.spec.settings for fw in frameworks):
        zh.append("设置：指标体系的开放选项，取值留空即用默认值；改动时在“理由”中写明原因。")
        en.append("设置 (settings): the framework's open choices; blank keeps the default; give "
                  "the reason of any change.")
    if any(fw.spec.gates for fw in frameworks):
        zh.append("申报条件：逐项选择是否满足，满足的须写明证明材料。")
        en.append("申报条件 (eligibility): answer each gate; a gate met needs its evidence.")
    if any(i.exemptible for fw in frameworks for i in fw.indicators):
        zh.append("豁免：条件不具备的引导性指标可选“是”豁免，并写明豁免理由。")
        en.append("豁免 (exemptions): exempt a guidance indicator whose conditions do not exist, "
                  "with the reason.")
    if inventory_method(frameworks):
        zh.append("核算-电力/热力/燃料/加工转换/工业过程：碳排放核算清单，每行一项，按年份填写；"
                  "二氧化碳排放量等由清单计算，不在基础数据中填写。实测因子须同时填写数值、单位和来源。")
        en.append("核算-* (inventory): one line per row and year; CO2 and the other computed "
                  "items come from it, not from 基础数据. A measured factor needs its value, unit "
                  "and source.")
    return zh, en


def _guide_lines(frameworks: list[Framework], years: list[int]) -> list[str]:
    framework = frameworks[0]
    spec = framework.spec
    extra_zh, extra_en = _extension_lines(frameworks)
    checklists = "、".join(c.name_zh for c in spec.checklists.values()) or "（无 none）"
    lists = "、".join(item.name_zh for item in spec.lists.values()) or "（无 none）"
    return [
        f"{spec.name_zh}（{spec.id}）数据填报模板",
        f"Data template for {spec.name_en} ({spec.id}); years {', '.join(map(str, years))}",
        "",
        "填写说明",
        "1. 园区信息：填写园区名称、规划基准年、评价年份和区域类别；在下方表格中为每项可选指标"
        "选择“是否为考核指标”（每个可选组至少选一项）。",
        "2. 基础数据：每行一个数据项，在年份列填写数值。单位可从下拉列表改为其他可换算的单位；"
        "也可在数值后直接写单位（如 496758.52 万元），此时以单元格中的单位为准。",
        "3. 未填报写 “/”（或 “-”、“—”），不会按 0 计算；留空同样视为未填报。",
        "4. 数字可以是文本数字、带千分位（12,345.6）或全角数字；百分比可写作 81.17%。",
        "5. 使用公式的单元格：导入读取公式的计算结果，请在 Excel/WPS 中打开并保存后再导入。",
        f"6. 清单（可不填）：{checklists} 的子项；不填时使用基础数据中直接填报的完善度。",
        f"7. 列表（可不填）：{lists}；不填时使用基础数据中直接填报的数量。",
        "8. 报告值（可不填）：园区对照考核表中印出的指标值，原样填写（文本），供核对。",
        *(f"{n}. {line}" for n, line in enumerate(extra_zh, 9)),
        f"{9 + len(extra_zh)}. 请勿修改工作表名称和表头文字；可以插入行、调整列宽、添加批注。",
        "导入：ecopark import 本文件.xlsx -o dataset.yaml    评价：ecopark assess 本文件.xlsx",
        "",
        "How to fill it in",
        "1. 园区信息 (park): park name, planning base year, evaluation year and region class; in "
        "the table below, mark each optional indicator 是 (assessed) or 否 — at least one per group.",
        "2. 基础数据 (data): one row per item, one column per year. Change the unit from the "
        "dropdown to any convertible unit, or write the unit after the number "
        "(496758.52 万元): a unit in the cell wins.",
        "3. Not reported: write / (or -, —); it is never read as 0. An empty cell is not reported too.",
        "4. Numbers may be text, with thousands separators or full-width digits; percentages as 81.17%.",
        "5. Formula cells are read by their calculated value: open and save the file in Excel/WPS "
        "before importing.",
        "6. 清单 (checklists, optional) and list sheets (optional): when empty, the directly "
        "reported rates and counts in 基础数据 are used.",
        "7. 报告值 (optional): the indicator values the park printed, as text, for verification.",
        *(f"{n}. {line}" for n, line in enumerate(extra_en, 8)),
        f"{8 + len(extra_en)}. Keep sheet names and header texts; inserting rows, resizing "
        "columns and comments are fine.",
        "Import: ecopark import this.xlsx -o dataset.yaml    Assess: ecopark assess this.xlsx",
    ]


_GUIDE_HEADINGS = ("填写说明", "How to fill it in")


def _guide(ws: Any, frameworks: list[Framework], years: list[int]) -> None:
    st = styles()
    ws.title = SHEETS["guide"][0]
    lines = _guide_lines(frameworks, years)
    for row, line in enumerate(lines, 1):
        ws.cell(row=row, column=1, value=line)
    column_widths(ws, [100])
    body_rows(ws, 1, len(lines), [100], border=False)
    for row, line in enumerate(lines, 1):
        if row == 1 or line in _GUIDE_HEADINGS:
            ws.cell(row=row, column=1).font = st.Font(bold=True, size=14 if row == 1 else 12)
            ws.row_dimensions[row].height = 24
    print_setup(ws, 0)


# ------------------------------------------------------------------------ 园区信息


def _park(wb: Any, framework: Framework, years: list[int], also: Sequence[Framework]) -> None:
    ws = wb.create_sheet(SHEETS["park"][0])
    title_row(ws, "园区信息 Park information", 3)
    header_row(ws, 2, ["项目 Field", "填写 Value", "说明 Notes"])
    fields = park_fields(framework, also)
    for row, field in enumerate(fields, 3):
        _park_row(wb, ws, row, field, framework, years, also)
    widths = [30, 40, 50, 40]
    column_widths(ws, widths)
    body_rows(ws, 3, 2 + len(fields), widths[:3])
    _optional_table(ws, 4 + len(fields), framework, widths)
    ws.freeze_panes = "A3"
    print_setup(ws, 2)


def _park_row(wb: Any, ws: Any, row: int, field: ParkField, framework: Framework,
              years: list[int], also: Sequence[Framework]) -> None:
    from openpyxl.workbook.defined_name import (  # type: ignore[import-untyped, unused-ignore]
        DefinedName,
    )

    ws.cell(row=row, column=1, value=f"{field.name_zh} {field.name_en}")
    value = ws.cell(row=row, column=2)
    note = ""
    if field.key == "framework":
        value.value, note = framework.id, "指标体系标识，请勿修改 framework id, keep it"
    elif field.key == "also_frameworks":
        value.value = ", ".join(fw.id for fw in also) or None
        note = "同一数据同时按这些指标体系评价（标识，逗号分隔，可留空） also assessed under " \
            "these frameworks (ids, comma-separated; may be blank)"
    elif field.key == "eval_year":
        value.value, note = max(years), "评价的年份 the year assessed"
    elif field.key == "base_year":
        note = "建设规划的基准年，如 2012 the plan's base year"
    elif field.choices:
        value.value, note = field.default, "从下拉列表选择 choose from the list"
        dropdown(ws, value.coordinate, list(field.choices))
    if field.key in ("base_year", "eval_year"):
        whole(ws, value.coordinate, 1900, 2200, "年份 year")
    ws.cell(row=row, column=3, value=note)
    if _valid_name(field.key):  # otherwise the reader finds the value by its label
        ref = f"'{ws.title}'!${column_letters(2)}${row}"
        wb.defined_names[field.key] = DefinedName(field.key, attr_text=ref)


def _valid_name(name: str) -> bool:
    """Whether Excel accepts `name` as a defined name (not like a cell such as AB1 or R1C1)."""
    return bool(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]{0,254}", name)) and not (
        re.fullmatch(r"[A-Za-z]{1,3}[0-9]+|[RrCc]|[Rr][0-9]*[Cc][0-9]*", name))


def _selectable(framework: Framework) -> list[Indicator]:
    """The indicators a park chooses to be assessed on (not the mandatory ones, not guidance
    indicators, which are always reported and may only be exempted)."""
    return [ind for ind in framework.indicators if not ind.mandatory and not ind.guidance]


def _optional_table(ws: Any, row: int, framework: Framework, widths: list[int]) -> None:
    if not _selectable(framework):
        return
    ws.cell(row=row, column=1, value="可选指标 Optional indicators（每组至少选一项 at least one "
            "per group）").font = styles().Font(bold=True)
    header_row(ws, row + 1, [c.names[0] for c in OPTIONAL_COLUMNS])
    groups = framework.spec.verdict.groups
    optional = _selectable(framework)
    for offset, ind in enumerate(optional, row + 2):
        group = groups[ind.group] if ind.group else None
        ws.cell(row=offset, column=1, value=ind.number)
        ws.cell(row=offset, column=2, value=ind.name_zh)
        ws.cell(row=offset, column=4, value=f"{ind.group} {group.name_zh}" if group else "")
    body_rows(ws, row + 2, row + 1 + len(optional), widths)
    if optional:
        dropdown(ws, f"C{row + 2}:C{row + 1 + len(optional)}", ["是", "否"])


# ------------------------------------------------------------------------ 基础数据


def fill_in_items(framework: Framework, also: Sequence[Framework] = ()) -> dict[str, Item]:
    """The items a park fills in: the framework's, then those only the other frameworks have
    (an item two frameworks share is one row), never an item computed from the inventory."""
    merged = {k: v for fw in (*reversed(also), framework) for k, v in fw.spec.items.items()}
    ordered = [*framework.spec.items, *(k for fw in also for k in fw.spec.items)]
    return {k: merged[k] for k in dict.fromkeys(ordered) if merged[k].computed is None}


def _data(ws: Any, items: dict[str, Item], years: list[int]) -> None:
    labels = ["标识", "数据项", "Item", "单位", *map(str, years), "来源", "备注"]
    title_row(ws, "基础数据 Basic data — 每行一个数据项，按年份填写；未填报写 /；单位可改 "
           "one item per row, one column per year; / = not reported", len(labels))
    header_row(ws, 2, labels)
    for column, year in enumerate(years, 5):
        ws.cell(row=2, column=column, value=year)
    for row, (key, item) in enumerate(items.items(), 3):
        _item_row(ws, row, key, item, len(years))
    widths = [26, 36, 40, 12, *[14] * len(years), 30, 24]
    column_widths(ws, widths)
    body_rows(ws, 3, 2 + len(items), widths)
    ws.freeze_panes = "E3"
    print_setup(ws, 2)


def _item_row(ws: Any, row: int, key: str, item: Item, year_count: int) -> None:
    from openpyxl.comments import Comment  # type: ignore[import-untyped, unused-ignore]

    ws.cell(row=row, column=1, value=key)
    name = ws.cell(row=row, column=2, value=item.name_zh)
    ws.cell(row=row, column=3, value=item.name_en)
    text = _definition(item)
    name.comment = Comment(text, "ecopark", height=60 + 18 * (text_width(text) // 44), width=320)
    values = f"E{row}:{column_letters(4 + year_count)}{row}"
    if item.kind == "fact":
        labels = [label.zh or key for key, label in (item.values or {}).items()]
        dropdown(ws, values, [*labels, "/"])
        return
    choices = unit_choices(item.unit)
    ws.cell(row=row, column=4, value=choices[0] if choices else "")
    if len(choices) > 1:
        dropdown(ws, f"D{row}", choices, strict=False)
    _number_rule(ws, values, f"E{row}", item)


def _definition(item: Item) -> str:
    lines = [item.name_zh, item.definition_zh, f"{item.name_en}: {item.definition_en}"]
    if item.kind == "number":
        lines.append(f"单位 unit: {unit_display(item.unit) or '—'}")
    return "\n".join(line for line in lines if line.strip(": "))


def _number_rule(ws: Any, sqref: str, first: str, item: Item) -> None:
    number = f"ISNUMBER({first})" if item.allow_negative else \
        f"AND(ISNUMBER({first}),{first}>=0)"
    formula = f'OR({number},{first}="/",{first}="-",{first}="—")'
    sign = "" if item.allow_negative else "（≥0）"
    validation(ws, sqref, type="custom", formula1=formula, errorStyle="warning",
                errorTitle="应为数字 number expected",
                error=f"应填数字{sign}，未填报写 /；数字后可写单位，如 496758.52 万元（选“是”保留）。"
                "Write a number, or / if not reported; a unit may follow the number.")


# ------------------------------------------------------------------------ 清单, lists, 报告值


def _checklists(ws: Any, framework: Framework) -> None:
    labels = [c.names[0] for c in CHECKLIST_COLUMNS]
    title_row(ws, "清单 Checklists — 每行一个子项（可不填）one sub-item per row (optional)", 5)
    header_row(ws, 2, labels)
    last = 2 + BLANK_ROWS
    dropdown(ws, f"A3:A{last}", [c.name_zh for c in framework.spec.checklists.values()])
    whole(ws, f"B3:B{last}", 1900, 2200, "年份 year")
    dropdown(ws, f"D3:D{last}", ["是", "否"])
    column_widths(ws, [36, 10, 50, 12, 50])
    ws.freeze_panes = "A3"
    print_setup(ws, 2)


def _list_sheet(ws: Any, name: str, fields: list[str]) -> None:
    labels = [LIST_FIELD_LABELS.get(field, (field,))[0] for field in fields]
    title_row(ws, f"{name} — 每行一条记录（可不填）one record per row (optional)", len(labels))
    header_row(ws, 2, labels)
    if "year" in fields:
        column = column_letters(fields.index("year") + 1)
        whole(ws, f"{column}3:{column}{2 + BLANK_ROWS}", 1900, 2200, "年份 year")
    column_widths(ws, [14 if field == "year" else 36 for field in fields])
    ws.freeze_panes = "A3"
    print_setup(ws, 2)


def _reported(ws: Any, framework: Framework) -> None:
    title_row(ws, "报告值 Reported values — 对照考核表中印出的指标值，原样填写（可不填）"
           "values as printed by the park (optional)", 4)
    header_row(ws, 2, [c.names[0] for c in REPORTED_COLUMNS])
    for row, ind in enumerate(framework.indicators, 3):
        ws.cell(row=row, column=1, value=ind.number)
        ws.cell(row=row, column=2, value=ind.name_zh)
        ws.cell(row=row, column=3, value=unit_display(ind.unit) or "—")
        ws.cell(row=row, column=4).number_format = "@"
    widths = [8, 60, 16, 16]
    column_widths(ws, widths)
    body_rows(ws, 3, 2 + len(framework.indicators), widths)
    ws.freeze_panes = "A3"
    print_setup(ws, 2)


# ------------------------------------------------------------------------ the workbook


def _check_years(years: list[int], path: Path) -> list[int]:
    clean = sorted(set(years))
    if not clean or any(not 1900 <= y <= 2200 for y in clean):
        raise InputFileError(str(path), f"年份应为 1900–2200 之间的整数且至少一个 years must be "
                             f"one or more whole numbers from 1900 to 2200: {years}",
                             "例如 --years 2012,2015,2018 e.g. --years 2012,2015,2018")
    return clean


def write_template(framework: Framework, years: list[int], path: Path,
                   also: Sequence[Framework] = (), fill: Callable[[Any], None] | None = None
                   ) -> None:
    """Write the fill-in workbook for `framework` (and the frameworks the same data is also
    assessed under, `also`) with one value column per year; `fill` writes values into the
    workbook before it is saved (`io.prefill`: a park-year's stored data)."""
    from openpyxl import Workbook  # type: ignore[import-untyped, unused-ignore]

    years = _check_years(years, path)
    also = list({fw.id: fw for fw in also if fw.id != framework.id}.values())
    frameworks = [framework, *also]
    wb = Workbook()
    _guide(wb.active, frameworks, years)
    _park(wb, framework, years, also)
    _data(wb.create_sheet(SHEETS["data"][0]), fill_in_items(framework, also), years)
    write_choice_sheets(wb, frameworks)
    method = inventory_method(frameworks)
    if method is not None:
        write_inventory_sheets(wb, method)
    if framework.spec.checklists:
        _checklists(wb.create_sheet(SHEETS["checklists"][0]), framework)
    for spec in framework.spec.lists.values():
        _list_sheet(wb.create_sheet(spec.name_zh), spec.name_zh, spec.fields)
    _reported(wb.create_sheet(SHEETS["reported"][0]), framework)
    wb.properties.creator = "ecopark"
    wb.properties.title = f"{framework.spec.name_zh} 数据填报模板"
    if fill is not None:
        fill(wb)
    try:
        wb.save(path)
    except OSError as exc:
        raise InputFileError(str(path), f"无法写入 cannot write: {exc}",
                             "检查目录是否存在、文件是否已在 Excel 中打开 check the folder and "
                             "close the file in Excel") from None
