"""Named checks of the park-profile fields, the settings and the gates."""

from __future__ import annotations

import re

from ecopark.core import units
from ecopark.core.errors import FrameworkError, UnitError
from ecopark.core.framework.model import Framework
from ecopark.core.framework.profile import profile_value_problem

__all__ = ["check_gates", "check_profile_defaults", "check_profile_kinds",
           "check_setting_choices", "check_settings"]


def check_profile_kinds(fw: Framework) -> None:
    """A choice has values and nothing else does; a number has a known unit and nothing else
    has one; only a text spans lines."""
    for name, field in fw.spec.profile_fields.items():
        where = f"profile_fields.{name}"
        if (field.kind == "choice") != bool(field.values):
            raise FrameworkError(fw.file, f"{where}.values", "取值列表只属于 kind: choice "
                                 f"values belong to a choice field only (kind: {field.kind})",
                                 "列出取值，或写 kind: text add values, or kind: text")
        if (field.kind == "number") != (field.unit is not None):
            raise FrameworkError(fw.file, f"{where}.unit", "单位只属于 kind: number，且数值必须有单位 "
                                 f"a number field needs a unit, no other has one (kind: "
                                 f"{field.kind})")
        if field.unit is not None:
            try:
                units.parse_unit(field.unit)
            except UnitError:
                raise FrameworkError(fw.file, f"{where}.unit",
                                     f"未知单位 unknown unit {field.unit!r}") from None
        if field.lines > 1 and field.kind != "text":
            raise FrameworkError(fw.file, f"{where}.lines", "多行只属于 kind: text "
                                 f"only a text field spans lines (kind: {field.kind})")


def check_profile_defaults(fw: Framework) -> None:
    """A field's default is a value of its kind (a choice: one of its values)."""
    for name, field in fw.spec.profile_fields.items():
        problem = profile_value_problem(field, field.default) if field.default else None
        if problem is not None:
            raise FrameworkError(fw.file, f"profile_fields.{name}.default",
                                 f"默认值不在 values 中 default {field.default!r} not in values"
                                 if field.kind == "choice" else
                                 f"默认值 default {field.default!r}: {problem}")


def check_settings(fw: Framework) -> None:
    """Setting ids are free (no item, variable, profile field, list or checklist of that id);
    a number setting's unit is known; a choice setting has values and its default is one."""
    spec = fw.spec
    taken = {*spec.items, *spec.variables, *spec.profile_fields, *spec.lists, *spec.checklists}
    for name, setting in spec.settings.items():
        where = f"settings.{name}"
        if name in taken:
            raise FrameworkError(fw.file, where, f"标识 {name!r} 已被占用 the id is already used")
        if setting.type == "number":
            try:
                units.parse_unit(setting.unit)
            except UnitError as exc:
                raise FrameworkError(fw.file, f"{where}.unit", exc.problem) from None
        if (setting.type == "choice") != bool(setting.values):
            raise FrameworkError(fw.file, f"{where}.values", "choice 类设置须有 values，其他类型不能"
                                 "有 a choice needs values; other types take none")
        if setting.type == "choice" and setting.default not in (setting.values or {}):
            raise FrameworkError(fw.file, f"{where}.default", f"默认值不在 values 中 default "
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
                    raise FrameworkError(fw.file, key_path, f"设置 {name} 没有取值 has no value "
                                         f"{value!r}", f"可用 allowed: "
                                         f"{sorted(setting.values or {})}")


def check_gates(fw: Framework) -> None:
    """Gate ids are unique and are identifiers."""
    seen: set[str] = set()
    for index, gate in enumerate(fw.spec.gates):
        if gate.id in seen or not gate.id.isidentifier():
            raise FrameworkError(fw.file, f"gates[{index}].id", f"重复或不合法的标识 duplicate or "
                                 f"invalid id {gate.id!r}")
        seen.add(gate.id)
