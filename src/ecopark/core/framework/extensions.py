"""Framework-format extensions (all keys optional; a file without them reads as before): named
settings, eligibility gates, guidance indicators with exemption, companion values, warnings,
items computed by an inventory method, items shared with another framework, and crosswalk
links to a similar indicator of another framework. Documented in docs/framework-format.md §9.

The schema pieces are frozen pydantic models used by `ecopark.core.framework.model.FrameworkFile`; the
cross-reference rules are the named checks in `EXTENSION_CHECKS` (run by `build_framework`:
`check_shared_items` before `framework.CHECKS`, the others after), each failure a
`FrameworkError` naming the file and key path.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator

from ecopark.core import units
from ecopark.core.errors import FrameworkError, UnitError
from ecopark.core.formula import BOOL, TEXT, Scope

if TYPE_CHECKING:
    from ecopark.core.framework.model import Framework

__all__ = ["AFTER", "BEFORE", "EXTENSION_CHECKS", "Advisory", "Companion", "Gate",
           "InventoryLink", "Related", "SettingDef", "ValueLabel", "setting_unit"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ValueLabel(_Model):
    zh: str = ""
    en: str


class SettingDef(_Model):
    """A named open choice of the framework, with its default; a dataset may override it."""

    name_zh: str
    name_en: str
    type: Literal["number", "bool", "choice"]
    unit: str = "1"
    values: dict[str, ValueLabel] | None = None
    default: StrictBool | float | str | None = None
    source: str
    note_zh: str = ""
    note_en: str = ""

    @model_validator(mode="after")
    def _typed_default(self) -> SettingDef:
        ok = {"number": self.default is None or (isinstance(self.default, float)),
              "bool": isinstance(self.default, bool),
              "choice": isinstance(self.default, str)}[self.type]
        if not ok:
            raise ValueError(f"type: {self.type} 的默认值类型不符 the default does not fit "
                             f"type {self.type} (number: a number or null; bool: true/false; "
                             "choice: one of values)")
        return self

    def label(self, value: object) -> str:
        if value is None:
            return "未设定 not set"
        if self.type == "choice" and self.values and str(value) in self.values:
            label = self.values[str(value)]
            return f"{value}（{label.zh or label.en}）"
        if isinstance(value, bool):
            return "是 yes" if value else "否 no"
        unit = "" if self.unit in ("1", "") else f" {units.pretty(self.unit)}"
        return f"{value:g}{unit}" if isinstance(value, float) else f"{value}{unit}"


def setting_unit(setting: SettingDef) -> str:
    """The unit a formula sees for a setting: its unit, or TEXT (choice), or BOOL."""
    return {"number": setting.unit, "bool": BOOL, "choice": TEXT}[setting.type]


class Gate(_Model):
    """An eligibility gate (申报条件): a yes/no fact a dataset answers with evidence."""

    id: str
    name_zh: str
    name_en: str
    source: str


class Advisory(_Model):
    """A warning attached to indicators when its condition holds (e.g. the band changed)."""

    id: str
    indicators: list[int] = Field(min_length=1)
    when: str
    text_zh: str
    text_en: str
    source: str


class InventoryLink(_Model):
    """The inventory method whose quantities `computed` items take, and which framework setting
    feeds each of the method's parameters."""

    method: str
    settings: dict[str, str] = {}
    source: str = ""


class Companion(_Model):
    """A value computed and shown beside an indicator (never judged), e.g. the same intensity on
    another basis."""

    id: str
    name_zh: str
    name_en: str
    formula: str
    unit: str = "1"
    decimals: int = Field(4, ge=0, le=6)
    source: str


class Related(_Model):
    """A similar indicator of another framework, for the crosswalk, and how they differ."""

    framework: str
    number: int
    note_zh: str
    note_en: str


# ------------------------------------------------------------------------ named checks


def _fail(fw: Framework, key_path: str, problem: str, hint: str = "") -> FrameworkError:
    return FrameworkError(fw.file, key_path, problem, hint)


def check_shared_items(fw: Framework) -> None:
    """Shared items name items of another framework that shares none itself, and no local item
    has the same id; they are copied in, one definition for both frameworks."""
    from ecopark.core.framework.model import load_framework

    merged = dict(fw.spec.items)
    for other_id, names in fw.spec.shared_items.items():
        where = f"shared_items.{other_id}"
        if other_id == fw.spec.id:
            raise _fail(fw, where, "不能与自身共享 a framework cannot share with itself")
        other = load_framework(other_id)
        if other.spec.shared_items:
            raise _fail(fw, where, f"{other_id} 本身共享其他指标体系的数据项 shares items itself",
                        "只从不共享数据项的指标体系共享 share only from a framework that shares none")
        for index, name in enumerate(names):
            if name not in other.spec.items:
                raise _fail(fw, f"{where}[{index}]", f"{other_id} 没有数据项 has no item {name!r}")
            if name in merged:
                raise _fail(fw, f"{where}[{index}]", f"数据项 {name!r} 已在 items 中定义 is "
                            "already defined in items", "删去其一 keep one definition")
            merged[name] = other.spec.items[name]
            fw.shared_from[name] = other_id
    if fw.shared_from:
        fw.spec = fw.spec.model_copy(update={"items": merged})


def check_settings(fw: Framework) -> None:
    """Setting ids are free (no item, variable, profile field, list or checklist of that id);
    a number setting's unit is known; a choice setting has values and its default is one."""
    spec = fw.spec
    taken = {*spec.items, *spec.variables, *spec.profile_fields, *spec.lists, *spec.checklists}
    for name, setting in spec.settings.items():
        where = f"settings.{name}"
        if name in taken:
            raise _fail(fw, where, f"标识 {name!r} 已被占用 the id is already used")
        if setting.type == "number":
            try:
                units.parse_unit(setting.unit)
            except UnitError as exc:
                raise _fail(fw, f"{where}.unit", exc.problem) from None
        if (setting.type == "choice") != bool(setting.values):
            raise _fail(fw, f"{where}.values", "choice 类设置须有 values，其他类型不能有 a choice "
                        "needs values; other types take none")
        if setting.type == "choice" and setting.default not in (setting.values or {}):
            raise _fail(fw, f"{where}.default", f"默认值不在 values 中 default "
                        f"{setting.default!r} not in values")


def _texts(fw: Framework) -> list[tuple[str, str]]:
    """Every formula-like text of the file with its key path."""
    out: list[tuple[str, str]] = []
    for ind in fw.spec.indicators:
        where = f"indicators[number={ind.number}]"
        out.append((f"{where}.formula", ind.formula))
        req = ind.requirement
        if req.rule:
            out.append((f"{where}.requirement.rule", req.rule))
        for i, case in enumerate(req.cases or ()):
            out += [(f"{where}.requirement.cases[{i}].when", case.when),
                    (f"{where}.requirement.cases[{i}].rule", case.rule)]
        out += [(f"{where}.companions.{c.id}", c.formula) for c in ind.companions]
    out += [(f"variables.{k}.formula", v.formula) for k, v in fw.spec.variables.items()]
    out += [(f"warnings[{i}].when", a.when) for i, a in enumerate(fw.spec.warnings)]
    return out


def check_setting_choices(fw: Framework) -> None:
    """A quoted word compared with a choice setting (`band_year == 'base'`) is one of its
    values."""
    for name, setting in fw.spec.settings.items():
        if setting.type != "choice":
            continue
        pattern = re.compile(rf"\b{re.escape(name)}\s*[!=]=\s*['\"]([^'\"]*)['\"]")
        for key_path, text in _texts(fw):
            for value in pattern.findall(text):
                if value not in (setting.values or {}):
                    raise _fail(fw, key_path, f"设置 {name} 没有取值 has no value {value!r}",
                                f"可用 allowed: {sorted(setting.values or {})}")


def check_list_rules(fw: Framework) -> None:
    """A list's record rule is a condition over its declared number fields; `numbers` and
    `applies_if` name declared fields."""
    from ecopark.core.framework.model import _compile

    for name, lst in fw.spec.lists.items():
        where = f"lists.{name}"
        for key in (*lst.numbers, *([lst.applies_if] if lst.applies_if else [])):
            if key not in lst.fields:
                raise _fail(fw, where, f"字段 {key!r} 未在 fields 中声明 not a declared field",
                            f"fields: {lst.fields}")
        if lst.record_rule is None:
            continue
        scope = Scope(items={field: "1" for field in lst.numbers})
        rule = _compile(fw, lst.record_rule, f"{where}.record_rule", scope)
        if rule.kind != "bool":
            raise _fail(fw, f"{where}.record_rule", "应为条件 a condition is expected")
        fw.list_rules[name] = rule


def check_guidance(fw: Framework) -> None:
    """Under a gate_guidance verdict there are no groups and at least one core (mandatory)
    indicator; guidance indicators need that verdict; only non-mandatory indicators are
    exemptible."""
    verdict = fw.spec.verdict
    for ind in fw.spec.indicators:
        where = f"indicators[number={ind.number}]"
        if ind.exemptible and ind.mandatory:
            raise _fail(fw, f"{where}.exemptible", "必选（核心）指标不能豁免 a mandatory (core) "
                        "indicator cannot be exempted")
        if ind.guidance and verdict.kind != "gate_guidance":
            raise _fail(fw, f"{where}.guidance", "引导性指标需要 verdict.kind: gate_guidance "
                        "guidance indicators need verdict.kind: gate_guidance")
    if verdict.kind == "gate_guidance":
        if verdict.groups:
            raise _fail(fw, "verdict.groups", "gate_guidance 规则没有可选组 takes no groups")
        if not any(ind.mandatory for ind in fw.spec.indicators):
            raise _fail(fw, "verdict.kind", "gate_guidance 至少需要一项核心（必选）指标 needs "
                        "at least one core (mandatory) indicator")


def check_gates(fw: Framework) -> None:
    """Gate ids are unique and are identifiers."""
    seen: set[str] = set()
    for index, gate in enumerate(fw.spec.gates):
        if gate.id in seen or not gate.id.isidentifier():
            raise _fail(fw, f"gates[{index}].id", f"重复或不合法的标识 duplicate or invalid id "
                        f"{gate.id!r}")
        seen.add(gate.id)


def check_companions(fw: Framework) -> None:
    """Companion formulas use declared names, give a number, and convert to their unit; ids
    are unique per indicator."""
    from ecopark.core.framework.model import _compile, _factor

    for ind in fw.spec.indicators:
        seen: set[str] = set()
        for companion in ind.companions:
            where = f"indicators[number={ind.number}].companions.{companion.id}"
            if companion.id in seen:
                raise _fail(fw, where, f"重复 duplicate companion id {companion.id!r}")
            seen.add(companion.id)
            formula = _compile(fw, companion.formula, f"{where}.formula")
            if formula.kind != "number":
                raise _fail(fw, f"{where}.formula", "伴随值须为数值 a companion is a number")
            factor = _factor(fw, formula, companion.unit, f"{where}.unit")
            fw.companions[(ind.number, companion.id)] = (formula, factor)


def check_advisories(fw: Framework) -> None:
    """Warnings name existing indicators, have unique ids, and their `when` is a condition."""
    from ecopark.core.framework.model import _condition

    seen: set[str] = set()
    for index, advisory in enumerate(fw.spec.warnings):
        where = f"warnings[{index}]"
        if advisory.id in seen:
            raise _fail(fw, f"{where}.id", f"重复 duplicate id {advisory.id!r}")
        seen.add(advisory.id)
        for number in advisory.indicators:
            if number not in fw.by_number:
                raise _fail(fw, f"{where}.indicators", f"没有序号为 {number} 的指标 no such "
                            "indicator")
        fw.advisories[advisory.id] = _condition(fw, advisory.when, f"{where}.when", fw.scope())


def check_inventory(fw: Framework) -> None:
    """`computed` items name a quantity of the framework's inventory method in a compatible
    unit; every parameter of the method is fed by a declared setting of its type."""
    computed = {k: v for k, v in fw.spec.items.items() if v.computed}
    link = fw.spec.inventory
    if link is None:
        if computed:
            raise _fail(fw, f"items.{next(iter(computed))}.computed", "没有 inventory 声明 the "
                        "framework declares no inventory method", "添加 add `inventory: "
                        "{method: ...}`")
        return
    module = _inventory_module(fw, link)
    for name, item in computed.items():
        where = f"items.{name}.computed"
        if item.computed not in module.quantities:
            raise _fail(fw, where, f"方法没有量 the method has no quantity {item.computed!r}",
                        f"可用 available: {', '.join(module.quantities)}")
        try:
            units.conversion_factor(module.quantities[str(item.computed)], item.unit)
        except UnitError as exc:
            raise _fail(fw, f"items.{name}.unit", exc.problem) from None
    for param, kind in module.parameters.items():
        setting_id = link.settings.get(param)
        setting = fw.spec.settings.get(setting_id or "")
        if setting is None or setting.type != kind:
            raise _fail(fw, f"inventory.settings.{param}", f"方法参数 {param}（{kind}）须由一个"
                        f"同类型的设置提供 the method parameter needs a declared {kind} setting")
    for param in link.settings:
        if param not in module.parameters:
            raise _fail(fw, f"inventory.settings.{param}", f"方法没有参数 the method has no "
                        f"parameter {param!r}", f"可用 available: {', '.join(module.parameters)}")


def _inventory_module(fw: Framework, link: InventoryLink) -> Any:
    from ecopark.accounting.inventory import MODULES, load_method
    from ecopark.core.errors import DataFileError

    try:
        method = load_method(link.method)
    except DataFileError as exc:
        raise _fail(fw, "inventory.method", exc.problem, exc.hint) from None
    return MODULES[method.spec.module]


def check_related(fw: Framework) -> None:
    """Crosswalk links name another framework's existing indicator."""
    from ecopark.core.framework.model import is_loading, load_framework

    for ind in fw.spec.indicators:
        for index, link in enumerate(ind.related):
            where = f"indicators[number={ind.number}].related[{index}]"
            if link.framework == fw.spec.id:
                raise _fail(fw, f"{where}.framework", "应为另一个指标体系 another framework")
            if is_loading(link.framework):
                continue  # a mutual link: checked when that framework finishes loading
            other = load_framework(link.framework)
            if link.number not in other.by_number:
                raise _fail(fw, f"{where}.number", f"{link.framework} 没有序号为 {link.number} "
                            "的指标 has no such indicator")


BEFORE: tuple[Callable[[Framework], None], ...] = (check_shared_items,)
AFTER: tuple[Callable[[Framework], None], ...] = (
    check_settings, check_setting_choices, check_list_rules, check_guidance, check_gates,
    check_companions, check_advisories, check_inventory, check_related,
)
EXTENSION_CHECKS: tuple[Callable[[Framework], None], ...] = BEFORE + AFTER
