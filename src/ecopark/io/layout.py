"""The layout of the workbook template, shared by the writer (`io.template`) and the readers
(`io.workbook`, `io.parkinfo`): the sheets and the names of their columns (the first name is the
one the template writes, the others are accepted too), the 园区信息 fields, and the unit spellings
the 单位 dropdowns offer.

    说明          how to fill it in, zh-CN first, English below
    园区信息      label | value rows; the value cells are workbook defined names (park_name,
                  framework, base_year, eval_year, also_frameworks, one per profile field of
                  the frameworks), then a table
                  序号 | 指标 | 是否为考核指标 of the optional indicators
    基础数据      标识 | 数据项 | Item | 单位 | <one column per year> | 来源 | 备注, one row per item
    清单          清单 | 年份 | 子项 | 是否满足 | 佐证材料 (the framework's checklists)
    <list name>   one sheet per framework list, e.g. 生态工业链项目: 项目名称 | 参与单位 | 交换内容 | 投运年份
    报告值        序号 | 指标 | 单位 | 报告值 (the values the park printed, as text)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from ecopark.core import units
from ecopark.core.errors import UnitError
from ecopark.core.framework.model import Framework
from ecopark.io.sheet import Column

__all__ = ["CHECKLIST_COLUMNS", "DATA_COLUMNS", "LIST_FIELD_LABELS", "OPTIONAL_COLUMNS",
           "PARK_FIELDS", "REPORTED_COLUMNS", "SHEETS", "UNIT_SPELLINGS", "ParkField",
           "park_fields", "unit_choices", "unit_display"]

SHEETS = {
    "guide": ("说明", "guide", "instructions"),
    "park": ("园区信息", "park", "park information", "园区基本信息"),
    "data": ("基础数据", "data", "basic data", "数据"),
    "checklists": ("清单", "checklists", "核查清单"),
    "reported": ("报告值", "reported", "reported values"),
}

DATA_COLUMNS = (
    Column("id", ("标识", "id", "key", "标识符"), required=False),
    Column("name", ("数据项", "数据项名称", "名称", "name")),
    Column("name_en", ("Item", "英文名称", "name_en", "item (en)"), required=False),
    Column("unit", ("单位", "unit", "计量单位"), required=False),
    Column("source", ("来源", "source", "数据来源"), required=False),
    Column("note", ("备注", "note", "notes", "remark"), required=False),
)
OPTIONAL_COLUMNS = (
    Column("number", ("序号", "no.", "number", "no")),
    Column("indicator", ("指标", "indicator", "指标名称"), required=False),
    Column("selected", ("是否为考核指标", "selected", "assessed", "考核指标")),
    Column("group", ("可选组", "group"), required=False),
)
CHECKLIST_COLUMNS = (
    Column("checklist", ("清单", "checklist", "核查清单")),
    Column("year", ("年份", "year")),
    Column("name", ("子项", "sub-item", "subitem", "item")),
    Column("done", ("是否满足", "done", "met", "satisfied")),
    Column("evidence", ("佐证材料", "evidence"), required=False),
)
REPORTED_COLUMNS = (
    Column("number", ("序号", "no.", "number", "no")),
    Column("indicator", ("指标", "indicator", "指标名称"), required=False),
    Column("unit", ("单位", "unit"), required=False),
    Column("value", ("报告值", "reported value", "reported", "数值", "value")),
)
LIST_FIELD_LABELS = {
    "name": ("项目名称", "name", "project", "项目"),
    "partners": ("参与单位", "partners", "参与企业"),
    "exchange": ("交换内容", "exchange", "交换物质"),
    "year": ("投运年份", "year", "年份", "建成年份"),
}


@dataclasses.dataclass(frozen=True)
class ParkField:
    """One label | value row of 园区信息; `key` is also the value cell's defined name."""

    key: str
    name_zh: str
    name_en: str
    choices: tuple[str, ...] = ()  # dropdown (zh labels) for a profile field
    default: str = ""
    aliases: tuple[str, ...] = ()

    @property
    def labels(self) -> tuple[str, ...]:
        """Every label the reader accepts for this row."""
        return (self.name_zh, self.name_en, self.key, *self.aliases)


PARK_FIELDS = (
    ParkField("park_name", "园区名称", "Park name", aliases=("园区",)),
    ParkField("framework", "指标体系", "Framework", aliases=("评价标准",)),
    ParkField("base_year", "规划基准年", "Planning base year", aliases=("base year", "基准年")),
    ParkField("eval_year", "评价年份", "Evaluation year", aliases=("评价年度", "评价年")),
    ParkField("also_frameworks", "同时评价的指标体系", "Also assessed under",
              aliases=("also frameworks", "其他指标体系")),
)

# Unit spellings offered in the 单位 dropdowns: every one compatible with an item's unit.
# Electricity (千瓦时) is left out on purpose: converting kWh to coal equivalent depends on the
# accounting method (equivalent vs. equal-value), which a dropdown must not decide.
UNIT_SPELLINGS = (
    "元", "万元", "亿元", "吨", "t", "万吨", "千克", "吨标准煤", "吨标煤", "tce", "万吨标准煤",
    "千克标准煤", "立方米", "m³", "万立方米", "万m³", "平方公里", "km²",
    "公顷", "亩", "平方米", "人", "万人", "%",
)

def park_fields(framework: Framework, others: Sequence[Framework] = ()) -> list[ParkField]:
    """The 园区信息 rows: the fixed ones, then one per profile field of the framework and of the
    frameworks the park is also assessed under (each field once)."""
    out = list(PARK_FIELDS)
    declared = {k: f for fw in (*reversed(others), framework)
                for k, f in fw.spec.profile_fields.items()}
    ordered = [*framework.spec.profile_fields, *(k for fw in others
                                                 for k in fw.spec.profile_fields)]
    for key in dict.fromkeys(ordered):
        field = declared[key]
        labels = tuple(label.zh or label.en for label in field.values.values())
        chosen = field.values.get(field.default) if field.default else None
        default = (chosen.zh or chosen.en) if chosen else field.default or ""
        unit = f"（{units.pretty(field.unit)}）" if field.unit else ""
        out.append(ParkField(key, f"{field.name_zh}{unit}", field.name_en, labels, default,
                             aliases=(field.name_zh,) if unit else ()))
    return out


def _compatible(spelling: str, unit: str) -> bool:
    try:
        units.conversion_factor(spelling, unit)
    except UnitError:
        return False
    return True


def unit_display(unit: str) -> str:
    """How the template writes an item's unit: a Chinese spelling when one equals it exactly
    (t → 吨, 万m3 → 万立方米), else the unit as the framework writes it (km2 → km²)."""
    if unit in ("1", "dimensionless"):
        return ""
    same = [s for s in UNIT_SPELLINGS if not s.isascii() and _compatible(s, unit)
            and units.conversion_factor(s, unit) == 1.0]
    return same[0] if same else units.pretty(unit)


def unit_choices(unit: str) -> list[str]:
    """The 单位 dropdown of an item: its own spelling, then every compatible spelling.
    Counts (个, 家, 次 …) and persons keep their own word only."""
    own = unit_display(unit)
    if not own:
        return []
    if _compatible(unit, "个") or _compatible(unit, "人"):
        return [own]
    return [own, *(s for s in UNIT_SPELLINGS if s != own and _compatible(s, unit))]
