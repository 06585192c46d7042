"""A park's dataset: the YAML format (a pydantic schema, published as JSON Schema) and its
validation against a framework into observations held in each item's canonical unit.

    format: ecopark-dataset/1
    framework: hj274-2015
    park: {name, base_year, region_class, selected: [...], area, location, …}
          (profile fields of the framework: choices, numbers, dates, texts; `ecopark.core.dataset.profile`)
    year: 2018
    observations: {item: {unit, source, values: {year: number | "/" | {value, unit, source, note}}}}
    checklists: {checklist: {year: [{name, done, evidence}]}}
    lists: {list: [{name, year, ...}]}
    reported: {year, source, indicators: {number: "as printed"}, rows: [...], text: [...]}
    contributions: {item: {year: [{enterprise, credit_code, value, row, parts, count}]}}   optional
    accounting: {method, electricity, grid_region, grid_set, grid_year, …, stated, carbon}   optional
    also_frameworks, settings, exemptions, gates, inventory                        optional

`contributions` and `accounting` are written by `ecopark rollup`: for each item computed from an
enterprise roster, the enterprises that make it up (largest first; the rest as one entry with a
`count`), and the accounting settings, the park-stated totals it replaced (`stated`) and the CO2
split (direct/indirect) by year. Both are optional and default to empty.

The last five go with the framework-format extensions (`ecopark.core.dataset.extensions`): the
frameworks the same data is also assessed under, setting overrides, exemptions with reasons,
eligibility-gate answers with evidence, and inventory lines from which `computed` items are
calculated.

"/" (and "-", "—", empty) means *not reported*: it is kept as such and never read as 0.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ecopark.accounting.inventory import InventoryYear
from ecopark.core import units
from ecopark.core.dataset.extensions import (
    GateAnswer,
    SettingEntry,
    SettingScalar,
    SettingValue,
    Warnings,
    check_inventory_section,
    derived_observations,
    exemptions_for,
    gates_for,
    other_frameworks,
    record_number,
    resolve_settings,
)
from ecopark.core.dataset.profile import Profile, profile_value
from ecopark.core.errors import DatasetError, UnitError
from ecopark.core.framework.model import Framework, Item, ProfileField, profile_value_problem
from ecopark.core.numbers import MAX_MAGNITUDE, parse_printed
from ecopark.core.text import HINT as TEXT_HINT
from ecopark.core.text import find_unsafe
from ecopark.core.text import problem as text_problem
from ecopark.core.yamlfile import read_yaml

__all__ = ["Accounting", "Contribution", "Dataset", "DatasetFile", "Observation",
           "dataset_json_schema", "load_dataset"]

FORMAT = "ecopark-dataset/1"
Scalar = float | int | str


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ValueEntry(_Model):
    value: Scalar = Field(description='the value; "/" = not reported (never 0)')
    unit: str | None = Field(None, description="unit of this value, if not the series unit")
    source: str | None = None
    note: str | None = None


class Series(_Model):
    unit: str | None = Field(None, description="unit of the values (any unit compatible with "
                             "the item's canonical unit)")
    source: str | None = Field(None, description="where the numbers come from")
    note: str | None = None
    values: dict[int, Scalar | ValueEntry | None]


class Park(BaseModel):
    model_config = ConfigDict(extra="allow")
    name: str = Field(description="园区名称 park name")
    base_year: int = Field(description="规划基准年 planning base year", ge=1900, le=2200)
    base_year_note: str = ""
    selected: list[int] = Field(default_factory=list, description="optional indicators the "
                                "park is assessed on (是否为考核指标 = 是)")


class ChecklistEntry(_Model):
    name: str
    done: bool
    evidence: str = ""


class ReportedRow(_Model):
    item: str
    year: int
    value: Scalar
    unit: str | None = None


class TextStatement(_Model):
    indicator: int | None = None
    item: str | None = None
    year: int | None = None
    value: Scalar
    unit: str | None = None
    where: str = ""


class Reported(_Model):
    year: int
    source: str = ""
    indicators: dict[int, Scalar] = {}
    rows: list[ReportedRow] = []
    text: list[TextStatement] = []


class Contribution(_Model):
    """One enterprise's share of a rolled-up item-year, in the item's canonical unit. An entry
    with `count` stands for that many smaller enterprises together (no credit code)."""

    enterprise: str
    credit_code: str = ""
    value: float
    row: int | None = Field(None, description="roster row the value comes from")
    parts: dict[str, float] = Field(default_factory=dict, description="e.g. CO2 direct/indirect")
    count: int | None = Field(None, description="for a remainder entry: enterprises it stands for")


class Accounting(_Model):
    """How items were computed from an enterprise roster (written by `ecopark rollup`)."""

    method: str = Field("", description="accounting method id (methods.yaml)")
    electricity: str = Field("", description="equivalent | equal_value")
    grid_region: str = ""
    grid_set: str = ""
    grid_year: int | None = Field(None, description="the one grid-factor vintage used for "
                                  "every year")
    equal_value_year: int | None = None
    roster: str = Field("", description="the roster file")
    enterprises: dict[int, int] = Field(default_factory=dict, description="roster rows per year")
    stated: dict[str, dict[int, float]] = Field(
        default_factory=dict, description="park-stated totals replaced by the roll-up, kept "
        "for comparison (item → year → value in the item's canonical unit)")
    carbon: dict[int, dict[str, float]] = Field(
        default_factory=dict, description="year → CO2 (t): combustion, process, electricity, "
        "heat, direct, indirect, total")
    note: str = ""


class DatasetFile(_Model):
    """One park's data for a framework (the whole file)."""

    format: Literal["ecopark-dataset/1"]
    framework: str
    park: Park
    year: int | None = Field(None, description="default evaluation year")
    observations: dict[str, Series] = {}
    checklists: dict[str, dict[int, list[ChecklistEntry]]] = {}
    lists: dict[str, list[dict[str, Any]]] = {}
    reported: Reported | None = None
    contributions: dict[str, dict[int, list[Contribution]]] = Field(
        default_factory=dict, description="enterprises that make up each rolled-up item-year "
        "(optional; written by ecopark rollup)")
    accounting: Accounting | None = Field(None, description="roll-up settings and results "
                                          "(optional; written by ecopark rollup)")
    also_frameworks: list[str] = Field(default_factory=list, description="further frameworks "
                                       "the same data is assessed under (ecopark assess "
                                       "--framework all)")
    settings: dict[str, SettingScalar | SettingEntry] = Field(
        default_factory=dict, description="overrides of the framework's settings (id → value or "
        "{value, note})")
    exemptions: dict[int | str, str | dict[int, str]] = Field(
        default_factory=dict, description="exempted indicators: {number: reason}, or "
        "{framework id: {number: reason}}; exemptible indicators only")
    gates: dict[str, GateAnswer] = Field(default_factory=dict, description="answers to the "
                                         "framework's eligibility gates")
    inventory: dict[int, InventoryYear] = Field(
        default_factory=dict, description="inventory lines by year (electricity, heat, fuels, "
        "conversion, process), from which `computed` items are calculated")

    @field_validator("exemptions", mode="before")
    @classmethod
    def _numbered(cls, value: Any) -> Any:
        """Indicator numbers stay numbers when the section comes back from JSON ("5" → 5),
        at the top and under a framework id."""
        if not isinstance(value, dict):
            return value
        return {_number_key(k): ({_number_key(n): r for n, r in v.items()}
                                 if isinstance(v, dict) else v) for k, v in value.items()}


def _number_key(key: Any) -> Any:
    return int(key) if isinstance(key, str) and key.isascii() and key.isdigit() else key


def dataset_json_schema() -> dict[str, Any]:
    schema = DatasetFile.model_json_schema()
    schema["$id"] = "https://ecopark.example/schema/dataset-1.json"
    schema["title"] = "ecopark dataset (ecopark-dataset/1)"
    return schema


@dataclasses.dataclass(frozen=True)
class Observation:
    """One value of an item in a year, in the item's canonical unit; `value` None = "/"."""

    item: str
    year: int
    value: float | str | None
    source: str | None = None
    note: str | None = None
    given: str = ""  # as written, with its unit, e.g. "3163000 立方米"
    printed: str = ""  # the value as written, e.g. "/"
    unit_given: str = ""  # the unit it was written in, e.g. "立方米"

    def as_written(self) -> tuple[str, str]:
        """(value text, unit) as written: ("3163000", "立方米")."""
        return self.given.removesuffix(self.unit_given).strip(), self.unit_given


@dataclasses.dataclass(frozen=True)
class Dataset:
    file: str
    framework_id: str
    profile: Profile
    year: int | None
    values: dict[tuple[str, int], Observation]
    checklists: dict[str, dict[int, list[ChecklistEntry]]]
    lists: dict[str, list[dict[str, Any]]]
    reported: Reported | None
    contributions: dict[str, dict[int, list[Contribution]]] = dataclasses.field(
        default_factory=dict)
    accounting: Accounting | None = None
    settings: dict[str, SettingValue] = dataclasses.field(default_factory=dict)
    exemptions: dict[int, str] = dataclasses.field(default_factory=dict)
    gates: dict[str, GateAnswer] = dataclasses.field(default_factory=dict)
    inventory: dict[int, Any] = dataclasses.field(default_factory=dict)  # year → InventoryResult
    derived_warnings: Warnings = dataclasses.field(default_factory=dict)

    def years(self) -> list[int]:
        return sorted({year for _, year in self.values})

    def with_values(self, changes: dict[tuple[str, int], Observation]) -> Dataset:
        return dataclasses.replace(self, values={**self.values, **changes})

    def with_base_year(self, year: int) -> Dataset:
        """The same printed base rows, read as if they belonged to `year` (base-year inference)."""
        old = self.profile.base_year
        moved = {(item, year): dataclasses.replace(obs, year=year)
                 for (item, y), obs in self.values.items() if y == old}
        return dataclasses.replace(self.with_values(moved),
                                   profile=self.profile.with_base_year(year))


# --------------------------------------------------------------------------- loading


def load_dataset(path: str | Path, framework: Framework | None = None) -> Dataset:
    """Read a dataset file and check it against its framework (loaded by id if not given)."""
    from ecopark.core.framework.model import load_framework

    file = str(path)
    data = read_yaml(Path(path), floats_as_text=True)
    if not isinstance(data, dict):
        raise DatasetError(file, "(top)", "文件应为键值映射 the file must be a mapping",
                           f"参考 see examples/wujin-2018/dataset.yaml; format: {FORMAT}")
    try:
        spec = DatasetFile.model_validate(data)
    except ValidationError as exc:
        raise _schema_error(exc, file) from None
    return build_dataset(spec, framework or load_framework(spec.framework), file)


def _schema_error(exc: ValidationError, file: str) -> DatasetError:
    first = exc.errors()[0]
    key_path = ".".join(str(part) for part in first["loc"]) or "(top)"
    hint = ""
    if first["type"] == "missing" and first["loc"][-1] == "base_year":
        hint = "在 park 下填写 base_year（规划基准年，如 2012） add park.base_year"
    elif first["type"] == "literal_error":
        hint = f"写 format: {FORMAT}"
    more = f"（另有 {exc.error_count() - 1} 处 and {exc.error_count() - 1} more）" \
        if exc.error_count() > 1 else ""
    return DatasetError(file, key_path, f"{first['msg']}{more}", hint)


def build_dataset(spec: DatasetFile, framework: Framework, file: str) -> Dataset:
    _check_text(spec, file)
    _check_framework_id(spec, framework, file)
    others = other_frameworks(spec.framework, spec.also_frameworks, framework.id, file)
    values: dict[tuple[str, int], Observation] = {}
    for name, series in spec.observations.items():
        if name not in framework.spec.items and _elsewhere(others, "items", name):
            continue
        item = _known_item(framework, name, file)
        if item.computed:
            raise DatasetError(file, f"observations.{name}", f"{item.name_zh} 由核算清单计算，"
                               "不能直接填报 is computed from the inventory, not observed",
                               "在 inventory 中填写核算清单 give the inventory lines instead")
        for year, raw in series.values.items():
            values[(name, year)] = _observation(framework, item, name, year, raw, series, file)
    _check_declared(spec, framework, file, others)
    _check_contributions(spec, framework, file, others)
    settings = resolve_settings(framework, dict(spec.settings), others, file)
    check_inventory_section(framework, spec.inventory, others, file)
    derived, warnings, inventory = derived_observations(framework, spec.inventory, settings, file)
    values.update(derived)
    primary = spec.framework == framework.id
    listed = [spec.framework, *spec.also_frameworks]
    return Dataset(file, framework.id, _profile(spec, framework, file, others), spec.year, values,
                   spec.checklists, spec.lists, spec.reported if primary else None,
                   spec.contributions, spec.accounting, settings,
                   exemptions_for(framework, dict(spec.exemptions), spec.framework, listed, file),
                   gates_for(framework, spec.gates, others, file), inventory, warnings)


def _elsewhere(others: list[Framework], section: str, name: str) -> bool:
    """Whether another framework the dataset names declares `name` in `section`."""
    return any(name in getattr(fw.spec, section) for fw in others)


def _check_contributions(spec: DatasetFile, framework: Framework, file: str,
                         others: list[Framework] | None = None) -> None:
    """Contributions and stated totals name declared number items."""
    stated = spec.accounting.stated if spec.accounting else {}
    for section, names in (("contributions", spec.contributions), ("accounting.stated", stated)):
        for name in names:
            if name not in framework.spec.items and _elsewhere(others or [], "items", name):
                continue
            item = framework.spec.items.get(name)
            if item is None or item.kind != "number":
                _raise_unknown(file, f"{section}.{name}", name, framework)


def _check_framework_id(spec: DatasetFile, framework: Framework, file: str) -> None:
    if spec.framework != framework.id and framework.id not in spec.also_frameworks:
        raise DatasetError(file, "framework", f"数据文件针对 {spec.framework!r}，而当前指标体系是 "
                           f"{framework.id!r} the dataset is for {spec.framework!r}")


def _check_text(spec: DatasetFile, file: str) -> None:
    """No text of the dataset (names, notes, sources, labels, keys) holds a control character."""
    found = find_unsafe(spec.model_dump(exclude_none=True))
    if found is not None:
        raise DatasetError(file, found[0], text_problem(found[1]), TEXT_HINT)


def _known_item(framework: Framework, name: str, file: str) -> Item:
    item = framework.spec.items.get(name)
    if item is None:
        near = difflib.get_close_matches(name, list(framework.spec.items), n=1)
        hint = f"是否应为 did you mean {near[0]!r}?" if near else \
            f"运行 ecopark items --framework {framework.id} 查看数据项 list the items"
        raise DatasetError(file, f"observations.{name}", f"未知数据项 unknown item {name!r}", hint)
    return item


def _observation(framework: Framework, item: Item, name: str, year: int,
                 raw: Scalar | ValueEntry | None, series: Series, file: str) -> Observation:
    entry = raw if isinstance(raw, ValueEntry) else ValueEntry(value="" if raw is None else raw)
    where = f"observations.{name}.values.{year}"
    if not 1900 <= year <= 2200:
        raise DatasetError(file, where, f"年份不合理 implausible year {year}")
    printed = parse_printed(entry.value)
    unit = "%" if printed.percent else entry.unit or series.unit or item.unit
    source = entry.source or series.source
    given = f"{printed.text} {unit}".strip()
    if printed.absent:
        return Observation(name, year, None, source, entry.note or series.note, given,
                           printed.text, unit if item.kind == "number" else "")
    if item.kind == "fact":
        return Observation(name, year, _fact(item, printed.text, where, file), source,
                           entry.note or series.note, given)
    if printed.number is None:
        raise DatasetError(file, where, f"不是数字 not a number: {printed.text!r}",
                           "填写数字，未填报写 \"/\" write a number, or \"/\" if not reported")
    if not math.isfinite(printed.number):
        raise DatasetError(file, where, f"不是有限数 not a finite number: {_short(printed.text)}")
    if abs(printed.number) > MAX_MAGNITUDE:
        raise DatasetError(file, where, f"数值过大（超过 {MAX_MAGNITUDE:.0e}）the number is larger "
                           f"than {MAX_MAGNITUDE:.0e}: {_short(printed.text)}",
                           "检查数值与单位 check the number and its unit")
    value = printed.number * _factor(unit, item, where, file, printed.text)
    if value < 0 and not item.allow_negative:
        raise DatasetError(file, where, f"{item.name_zh} 不能为负 cannot be negative: {value:g}",
                           "检查符号 check the sign")
    return Observation(name, year, value, source, entry.note or series.note, given,
                       unit_given=unit)


def _short(text: str) -> str:
    """A value as quoted in a message, cut to 40 characters."""
    return repr(text if len(text) <= 40 else f"{text[:37]}...")


def _factor(unit: str, item: Item, where: str, file: str, text: str) -> float:
    try:
        return units.conversion_factor(unit, item.unit)
    except UnitError as exc:
        hint = f"{item.name_zh} 的单位应可换算为 {item.unit} use a unit convertible to {item.unit}"
        raise dataclasses.replace(exc, file=file, key_path=where, value=text, hint=hint,
                                  to_unit=item.unit) from None


def _fact(item: Item, text: str, where: str, file: str) -> str:
    allowed = item.values or {}
    for key, label in allowed.items():
        if text in (key, label.zh, label.en):
            return key
    raise DatasetError(file, where, f"{item.name_zh} 的取值 {text!r} 不在允许范围 not allowed",
                       f"可用 allowed: {', '.join(allowed)}")


def _profile(spec: DatasetFile, framework: Framework, file: str,
             others: list[Framework] | None = None) -> Profile:
    extra = {k: v for k, v in (spec.park.model_extra or {}).items()
             if k in framework.spec.profile_fields or not _elsewhere(others or [],
                                                                     "profile_fields", k)}
    fields: dict[str, str] = {}
    for name, declared in framework.spec.profile_fields.items():
        if declared.kind != "choice":
            kept = profile_value(declared, extra.pop(name, None), file, f"park.{name}")
            if kept is not None:
                fields[name] = kept
            continue
        value = extra.pop(name, declared.default)
        if value is None:
            raise DatasetError(file, f"park.{name}", f"缺少 {declared.name_zh} missing",
                               f"可用 allowed: {', '.join(declared.values)}")
        text = _profile_value(declared, name, value, file)
        if text:  # a text, date or zone left empty is not filled in
            fields[name] = text
    if extra:
        raise DatasetError(file, f"park.{next(iter(extra))}", "未知的园区信息字段 unknown field",
                           f"可用 allowed: name, base_year, base_year_note, selected, "
                           f"{', '.join(framework.spec.profile_fields)}")
    if spec.framework != framework.id:  # `selected` belongs to the dataset's own framework
        return Profile(spec.park.name, spec.park.base_year, fields, frozenset(),
                       spec.park.base_year_note)
    _check_selected(spec, framework, file)
    return Profile(spec.park.name, spec.park.base_year, fields, frozenset(spec.park.selected),
                   spec.park.base_year_note)


def _profile_value(declared: ProfileField, name: str, value: object, file: str) -> str:
    text = str(value).strip()
    problem = profile_value_problem(declared, text)
    if problem is None:
        return text
    hint = f"可用 allowed: {', '.join(f'{k}（{v.zh}）' for k, v in declared.values.items())}" \
        if declared.kind == "choice" else ""
    raise DatasetError(file, f"park.{name}", f"{declared.name_zh} 的取值 {value!r} {problem}",
                       hint)


def _check_selected(spec: DatasetFile, framework: Framework, file: str) -> None:
    for index, number in enumerate(spec.park.selected):
        indicator = framework.by_number.get(number)
        if indicator is None or indicator.mandatory:
            raise DatasetError(file, f"park.selected[{index}]",
                               f"{number} 不是可选指标 is not an optional indicator",
                               "只列可选指标的序号 list optional indicator numbers only")


def _check_declared(spec: DatasetFile, framework: Framework, file: str,
                    others: list[Framework] | None = None) -> None:
    for name in spec.checklists:
        if name not in framework.spec.checklists and not _elsewhere(others or [], "checklists",
                                                                    name):
            raise DatasetError(file, f"checklists.{name}", "未声明的清单 unknown checklist",
                               f"可用 declared: {', '.join(framework.spec.checklists)}")
    for name, records in spec.lists.items():
        if name not in framework.spec.lists and _elsewhere(others or [], "lists", name):
            continue
        if name not in framework.spec.lists:
            raise DatasetError(file, f"lists.{name}", "未声明的列表 unknown list",
                               f"可用 declared: {', '.join(framework.spec.lists)}")
        for index, record in enumerate(records):
            if not isinstance(record.get("year"), int):
                raise DatasetError(file, f"lists.{name}[{index}].year",
                                   "每条记录须有整数年份 every record needs an integer year")
        _check_record_numbers(framework, name, records, file)
    if spec.reported is not None and spec.framework == framework.id:
        _check_reported(spec.reported, framework, file)


def _check_record_numbers(framework: Framework, name: str, records: list[dict[str, Any]],
                          file: str) -> None:
    """Records a list rule judges give numbers in its number fields."""
    declared = framework.spec.lists[name]
    if declared.record_rule is None:
        return
    for index, record in enumerate(records):
        if declared.applies_if and not record.get(declared.applies_if):
            continue
        for field in declared.numbers:
            value = record.get(field)
            if record_number(value) is None:
                raise DatasetError(file, f"lists.{name}[{index}].{field}",
                                   f"应为数字 expected a number, got {value!r}",
                                   f"{declared.applies_if or ''} 已填，须填写 {field}".strip())


def _check_reported(reported: Reported, framework: Framework, file: str) -> None:
    for number in reported.indicators:
        if number not in framework.by_number:
            raise DatasetError(file, f"reported.indicators.{number}",
                               f"没有序号为 {number} 的指标 no such indicator")
    for index, row in enumerate(reported.rows):
        if row.item not in framework.spec.items:
            _raise_unknown(file, f"reported.rows[{index}].item", row.item, framework)
        _check_unit(framework, row.item, row.unit, f"reported.rows[{index}].unit", file)
    for index, stated in enumerate(reported.text):
        where = f"reported.text[{index}]"
        if (stated.indicator is None) == (stated.item is None):
            raise DatasetError(file, where, "须有 indicator 或 item 之一 give either indicator "
                               "or item")
        if stated.item is not None and stated.item not in framework.spec.items:
            _raise_unknown(file, f"{where}.item", stated.item, framework)
        if stated.item is not None:
            _check_unit(framework, stated.item, stated.unit, f"{where}.unit", file)
        if stated.indicator is not None and stated.indicator not in framework.by_number:
            raise DatasetError(file, f"{where}.indicator", f"没有序号为 {stated.indicator} 的指标")


def _check_unit(framework: Framework, name: str, unit: str | None, where: str,
                file: str) -> None:
    item = framework.spec.items[name]
    if unit is not None and item.kind == "number":
        _factor(unit, item, where, file, unit)


def _raise_unknown(file: str, where: str, name: str, framework: Framework) -> None:
    near = difflib.get_close_matches(name, list(framework.spec.items), n=1)
    raise DatasetError(file, where, f"未知数据项 unknown item {name!r}",
                       f"是否应为 did you mean {near[0]!r}?" if near else "")
