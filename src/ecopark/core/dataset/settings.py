"""What a dataset decides for the framework it is assessed under: its settings (the dataset's
value or the default, with where it comes from), its exemptions with reasons (exemptible
indicators only) and its answers to the eligibility gates (met needs evidence).

A dataset may name several frameworks; what only another named framework declares (a setting,
a gate) is skipped, and what none declares is an error naming it.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterable
from typing import Any

from ecopark.core.dataset.schema import GateAnswer, SettingEntry
from ecopark.core.errors import DatasetError
from ecopark.core.framework.model import Framework

__all__ = ["SettingValue", "exemptions_for", "gates_for", "near", "resolve_settings"]


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


def near(name: str, choices: Iterable[str]) -> str:
    """A "did you mean" hint for a misspelt name, or ""."""
    found = difflib.get_close_matches(name, list(choices), n=1)
    return f"是否应为 did you mean {found[0]!r}?" if found else ""


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
                               near(name, declared) or f"可用 available: {', '.join(declared)}")
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
                               near(name, declared) or f"可用 available: {', '.join(declared)}")
        if answer.met and not answer.evidence.strip():
            raise DatasetError(file, f"gates.{name}.evidence", "满足的条件须有证明材料 a gate "
                               "met needs its evidence", "写明文件或事实 name the document")
    return {k: v for k, v in given.items() if k in declared}

