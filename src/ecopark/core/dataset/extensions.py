"""The optional dataset sections that go with the framework-format extensions, and how a dataset
serves more than one framework.

    also_frameworks: [zero-carbon-park-2025]     the same park data assessed under these too
    settings: {id: value | {value, note}}        overrides of the framework's settings
    exemptions: {number: reason}                 exempted indicators (exemptible ones only);
                                                 or {framework-id: {number: reason}}
    gates: {id: {met: true|false, evidence}}     answers to the eligibility gates
    inventory: {year: {electricity, heat, fuels, conversion, process}}   inventory lines

Loaded under one framework, a multi-framework dataset keeps what that framework declares and
skips what only another listed framework declares (items, park fields, settings, gates);
anything declared by none is an error naming it. `park.selected` and `reported` belong to the
dataset's own `framework:`.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from ecopark.core.errors import DatasetError

if TYPE_CHECKING:
    from ecopark.accounting.inventory import InventoryYear
    from ecopark.accounting.zerocarbon import InventoryResult
    from ecopark.core.framework.model import Framework

__all__ = [
    "GateAnswer",
    "SettingEntry",
    "SettingValue",
    "Warnings",
    "derived_observations",
    "exemptions_for",
    "gates_for",
    "other_frameworks",
    "record_number",
    "resolve_settings",
]

SettingScalar = StrictBool | float | str | None
Warnings = dict[tuple[str, int], tuple[tuple[str, str], ...]]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SettingEntry(_Model):
    value: SettingScalar = Field(description="the setting's value (null: not set)")
    note: str = Field("", description="why this value (shown with every result)")


class GateAnswer(_Model):
    met: bool = Field(description="whether the park meets the gate")
    evidence: str = Field("", description="the document or fact that shows it (required when "
                          "met)")


@dataclasses.dataclass(frozen=True)
class SettingValue:
    """A framework setting as one dataset sees it: the value and where it comes from."""

    id: str
    value: Any
    origin: str  # "default" | "dataset"
    note: str = ""

    def origin_text(self, lang: str = "zh") -> str:
        zh = {"default": "默认值", "dataset": "数据文件设定"}[self.origin]
        en = {"default": "default", "dataset": "set by the dataset"}[self.origin]
        text = en if lang == "en" else zh
        return f"{text}：{self.note}" if self.note and lang != "en" else \
            f"{text}: {self.note}" if self.note else text


def other_frameworks(own: str, also: Iterable[str], current: str, file: str = ""
                     ) -> list[Framework]:
    """The frameworks other than `current` that a dataset names (its own, `framework:`, and
    `also_frameworks`), loaded. `also_frameworks` takes ids of frameworks ecopark ships only: a
    dataset must not make ecopark read a file it names."""
    from ecopark.core.framework.model import available_frameworks, load_framework

    shipped = available_frameworks()
    names = [own, *also]
    for name in also:
        if name not in shipped:
            raise DatasetError(file, "also_frameworks", f"未知指标体系 unknown framework {name!r}",
                               _near(name, shipped) or f"可用 available: {', '.join(shipped)}")
    return [load_framework(name) for name in dict.fromkeys(names) if name != current]


def _near(name: str, choices: Iterable[str]) -> str:
    near = difflib.get_close_matches(name, list(choices), n=1)
    return f"是否应为 did you mean {near[0]!r}?" if near else ""


# ------------------------------------------------------------------------ settings


def resolve_settings(framework: Framework, given: dict[str, Any], others: list[Framework],
                     file: str) -> dict[str, SettingValue]:
    """Every setting of the framework: the dataset's value (checked against the declared type)
    or the default."""
    declared = framework.spec.settings
    elsewhere = {k for fw in others for k in fw.spec.settings}
    for name in given:
        if name not in declared and name not in elsewhere:
            raise DatasetError(file, f"settings.{name}", "未知设置 unknown setting",
                               _near(name, declared) or f"可用 available: {', '.join(declared)}")
    out: dict[str, SettingValue] = {}
    for name, setting in declared.items():
        if name not in given:
            out[name] = SettingValue(name, setting.default, "default")
            continue
        raw = given[name]
        value, note = (raw.value, raw.note) if isinstance(raw, SettingEntry) else (raw, "")
        out[name] = SettingValue(name, _typed(setting, value, f"settings.{name}", file),
                                 "dataset", note)
    return out


def _typed(setting: Any, value: Any, where: str, file: str) -> Any:
    if setting.type == "number" and isinstance(value, str):  # decimals are read as text
        value = _float(value)
    if setting.type == "bool" and isinstance(value, bool):
        return value
    if setting.type == "number" and (value is None or (isinstance(value, int | float) and
                                                       not isinstance(value, bool))):
        return None if value is None else float(value)
    if setting.type == "choice" and value in (setting.values or {}):
        return value
    allowed = {"bool": "true / false", "number": "a number (or null)",
               "choice": ", ".join(setting.values or {})}[setting.type]
    raise DatasetError(file, where, f"取值 {value!r} 不符合设置类型 {setting.type} does not fit "
                       "the setting", f"可用 allowed: {allowed}")


# ------------------------------------------------------------------------ exemptions, gates


def exemptions_for(framework: Framework, given: dict[Any, Any], primary: str,
                   listed: list[str], file: str) -> dict[int, str]:
    """The exemptions that apply to this framework: {number: reason}, exemptible indicators
    only, each with a reason."""
    flat = {k: v for k, v in given.items() if not isinstance(v, dict)}
    keyed = {str(k): v for k, v in given.items() if isinstance(v, dict)}
    for name in keyed:
        if name not in listed:
            raise DatasetError(file, f"exemptions.{name}", "不是本数据文件所列的指标体系 not a "
                               "framework this dataset names", f"可用 named: {', '.join(listed)}")
    if framework.id in keyed:
        chosen, prefix = keyed[framework.id], f"exemptions.{framework.id}"
    elif framework.id == primary:
        chosen, prefix = flat, "exemptions"
    else:
        return {}
    out: dict[int, str] = {}
    for key, reason in chosen.items():
        where = f"{prefix}.{key}"
        number = _number(key, where, file)
        indicator = framework.by_number.get(number)
        if indicator is None or not indicator.exemptible:
            allowed = [i.number for i in framework.indicators if i.exemptible]
            raise DatasetError(file, where, f"指标 {number} 不可豁免 cannot be exempted",
                               f"可豁免 exemptible: {allowed or '—'}")
        if not isinstance(reason, str) or not reason.strip():
            raise DatasetError(file, where, "豁免须说明理由 an exemption needs a reason",
                               "写明条件为何不具备 say why the conditions do not permit it")
        out[number] = reason.strip()
    return out


def _float(text: str) -> float | str:
    try:
        return float(text)
    except ValueError:
        return text


def record_number(value: Any) -> float | None:
    """A list record's number field (decimals are read as text), or None if it is not one."""
    if isinstance(value, str):
        value = _float(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _number(key: Any, where: str, file: str) -> int:
    try:
        return int(key)
    except (TypeError, ValueError):
        raise DatasetError(file, where, f"应为指标序号 expected an indicator number, got "
                           f"{key!r}") from None


def gates_for(framework: Framework, given: dict[str, GateAnswer], others: list[Framework],
              file: str) -> dict[str, GateAnswer]:
    """The gate answers of this framework; met: true needs evidence."""
    declared = {g.id for g in framework.spec.gates}
    elsewhere = {g.id for fw in others for g in fw.spec.gates}
    for name, answer in given.items():
        if name not in declared and name not in elsewhere:
            raise DatasetError(file, f"gates.{name}", "未知申报条件 unknown gate",
                               _near(name, declared) or f"可用 available: {', '.join(declared)}")
        if answer.met and not answer.evidence.strip():
            raise DatasetError(file, f"gates.{name}.evidence", "满足的条件须有证明材料 a gate "
                               "met needs its evidence", "写明文件或事实 name the document")
    return {k: v for k, v in given.items() if k in declared}


# ------------------------------------------------------------------------ inventory


def derived_observations(framework: Framework, inventory: dict[int, InventoryYear],
                         settings: dict[str, SettingValue], file: str
                         ) -> tuple[dict[tuple[str, int], Any], Warnings,
                                    dict[int, InventoryResult]]:
    """The `computed` items of every inventory year, each with how it was computed, and the
    inventory's warnings attached to the items they concern."""
    from ecopark.accounting.coefficients import load_library
    from ecopark.accounting.inventory import MODULES, load_method
    from ecopark.core.dataset.model import Observation
    from ecopark.core.units import conversion_factor

    link = framework.spec.inventory
    if link is None or not inventory:
        return {}, {}, {}
    method = load_method(link.method)
    module = MODULES[method.spec.module]
    params = {param: settings[setting].value for param, setting in link.settings.items()}
    values: dict[tuple[str, int], Any] = {}
    warnings: Warnings = {}
    results: dict[int, InventoryResult] = {}
    for year, lines in sorted(inventory.items()):
        result = module.compute(method, load_library(), year, lines, params, file)
        results[year] = result
        for name, item in framework.spec.items.items():
            quantity = item.computed
            if quantity is None or quantity not in result.quantities:
                continue
            factor = conversion_factor(module.quantities[quantity], item.unit)
            value = float(f"{result.quantities[quantity] * factor:.12g}")
            values[(name, year)] = Observation(name, year, value, result.how(quantity),
                                               given=f"{value:g} {item.unit}")
            found = tuple((w.zh, w.en) for w in result.warnings if quantity in w.quantities)
            if found:
                warnings[(name, year)] = found
    return values, warnings, results


def check_inventory_section(framework: Framework, inventory: dict[int, Any],
                            others: list[Framework], file: str) -> None:
    """An inventory section needs a framework (this one or another listed) that uses one."""
    if inventory and framework.spec.inventory is None and not any(
            fw.spec.inventory for fw in others):
        raise DatasetError(file, "inventory", "指标体系没有核算清单方法 the framework has no "
                           "inventory method", "删去 inventory，或列出使用它的指标体系 remove it or "
                           "name a framework that uses it (also_frameworks)")
