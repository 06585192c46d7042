"""The choices a framework leaves to a park-year, on one form: each setting (a value and the
reason for it), each eligibility gate (是 / 否 / 未填 and its evidence), each exemptible
indicator (exempted, and why). What a submitted form makes of the dataset's `settings`, `gates`
and `exemptions` sections, and every problem named next to its field in the user's language;
the core's own check (`repository.set_sections`) runs last, its key path mapped back to a field.

What the dataset holds for another framework it names (`also_frameworks`) is kept as it is.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from starlette.datastructures import FormData

from ecopark.core.dataset.model import Dataset
from ecopark.core.dataset.schema import DatasetFile, SettingEntry
from ecopark.core.framework.indicators import Indicator
from ecopark.core.framework.model import Framework
from ecopark.core.framework.settings import Gate, SettingDef
from ecopark.core.numbers import parse_printed
from ecopark.web.forms import plain
from ecopark.web.i18n import Translator

__all__ = ["Choices", "ExemptionRow", "GateRow", "SettingRow", "choices_field", "choices_problems",
           "has_choices", "number_of", "sections_of", "stored_choices", "typed_choices"]

TEXT_LIMIT = 2000
YES, NO = "true", "false"


@dataclasses.dataclass(frozen=True)
class SettingRow:
    id: str
    spec: SettingDef
    value: str  # as the form writes it: "" = the default
    note: str

    @property
    def field(self) -> str:
        return f"setting:{self.id}"

    @property
    def note_field(self) -> str:
        return f"setting-note:{self.id}"

    @property
    def default(self) -> str:
        return _text(self.spec.default)


@dataclasses.dataclass(frozen=True)
class GateRow:
    id: str
    spec: Gate
    met: str  # "true" | "false" | "" (not answered)
    evidence: str

    @property
    def field(self) -> str:
        return f"gate:{self.id}"

    @property
    def evidence_field(self) -> str:
        return f"gate-evidence:{self.id}"


@dataclasses.dataclass(frozen=True)
class ExemptionRow:
    number: int
    indicator: Indicator
    exempt: bool
    reason: str

    @property
    def field(self) -> str:
        return f"exempt:{self.number}"

    @property
    def reason_field(self) -> str:
        return f"exempt-reason:{self.number}"


@dataclasses.dataclass(frozen=True)
class Choices:
    settings: tuple[SettingRow, ...]
    gates: tuple[GateRow, ...]
    exemptions: tuple[ExemptionRow, ...]


def has_choices(framework: Framework) -> bool:
    """Whether the framework leaves anything to this form (HJ 274-2015 does not)."""
    spec = framework.spec
    return bool(spec.settings or spec.gates or any(i.exemptible for i in framework.indicators))


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    return plain(value)


# --------------------------------------------------------------------------- the rows


def stored_choices(framework: Framework, dataset: Dataset) -> Choices:
    """The rows as the park-year has them (a setting at its default shows as the default)."""
    settings = tuple(
        SettingRow(name, spec, _text(given.value) if given.origin == "dataset" else "",
                   given.note)
        for name, spec in framework.spec.settings.items()
        for given in (dataset.settings[name],))
    gates = tuple(GateRow(g.id, g, _text(answer.met) if answer else "",
                          answer.evidence if answer else "")
                  for g in framework.spec.gates for answer in (dataset.gates.get(g.id),))
    exemptions = tuple(ExemptionRow(i.number, i, i.number in dataset.exemptions,
                                    dataset.exemptions.get(i.number, ""))
                       for i in framework.indicators if i.exemptible)
    return Choices(settings, gates, exemptions)


def typed_choices(stored: Choices, form: FormData) -> Choices:
    """The rows as the submitted form has them; a row the form does not carry at all (its
    value, answer or reason field is absent, not merely empty) stays as stored."""
    def text(name: str) -> str:
        value = form.get(name)
        return value.strip()[:TEXT_LIMIT] if isinstance(value, str) else ""

    settings = tuple(dataclasses.replace(row, value=text(row.field), note=text(row.note_field))
                     if row.field in form else row for row in stored.settings)
    gates = tuple(dataclasses.replace(row, met=text(row.field), evidence=text(row.evidence_field))
                  if row.field in form else row for row in stored.gates)
    exemptions = tuple(dataclasses.replace(row, exempt=bool(text(row.field)),
                                           reason=text(row.reason_field))
                       if row.reason_field in form else row for row in stored.exemptions)
    return Choices(settings, gates, exemptions)


# --------------------------------------------------------------------------- checks


def choices_problems(choices: Choices, t: Translator) -> dict[str, str]:
    """field → problem, for every row on its own (nothing is saved while one is left)."""
    problems: dict[str, str] = {}
    for setting in choices.settings:
        problem = _setting_problem(setting, t)
        if problem:
            problems[setting.field] = problem
    for gate in choices.gates:
        if gate.met not in ("", YES, NO):
            problems[gate.field] = t.gettext("Choose one of the listed answers.")
        elif gate.met == YES and not gate.evidence:
            problems[gate.evidence_field] = t.gettext("A gate that is met needs its evidence: "
                                                      "name the document or fact.")
        elif gate.met == "" and gate.evidence:
            problems[gate.field] = t.gettext("Choose yes or no for this evidence, or clear it.")
    for exemption in choices.exemptions:
        if exemption.exempt and not exemption.reason:
            problems[exemption.reason_field] = t.gettext(
                "An exemption needs a reason: say why the conditions do not permit it.")
        elif not exemption.exempt and exemption.reason:
            problems[exemption.field] = t.gettext(
                "Tick the box to exempt this indicator, or clear the reason.")
    return problems


def _setting_problem(row: SettingRow, t: Translator) -> str:
    if not row.value:
        return ""
    spec = row.spec
    if spec.type == "choice" and row.value not in (spec.values or {}):
        return t.gettext("Choose one of the listed answers.")
    if spec.type == "bool" and row.value not in (YES, NO):
        return t.gettext("Choose one of the listed answers.")
    if spec.type == "number":
        number = number_of(row.value)
        if number is None:
            return t.gettext("Not a number. Write digits (e.g. 1234.5), or leave it empty for "
                             "the default.")
        if number < 0:
            return t.gettext("Must not be negative.")
    return ""


def number_of(text: str) -> float | None:
    """A number typed in a form (digits, a decimal point, thousands separators), or None."""
    printed = parse_printed(text)
    if printed.number is None or printed.percent or not math.isfinite(printed.number):
        return None
    return float(printed.number)


# --------------------------------------------------------------------------- the sections


def sections_of(framework: Framework, spec: DatasetFile, choices: Choices) -> dict[str, Any]:
    """The dataset's `settings`, `gates` and `exemptions` after the form (checked first)."""
    return {"settings": _settings(framework, spec, choices),
            "gates": _gates(framework, spec, choices),
            "exemptions": _exemptions(framework, spec, choices)}


def _settings(framework: Framework, spec: DatasetFile, choices: Choices) -> dict[str, Any]:
    out: dict[str, Any] = {k: v.model_dump() if isinstance(v, SettingEntry) else v
                           for k, v in spec.settings.items() if k not in framework.spec.settings}
    for row in choices.settings:
        if not row.value and not row.note:
            continue
        value = _value(row.spec, row.value) if row.value else row.spec.default
        out[row.id] = {"value": value, "note": row.note} if row.note else value
    return out


def _value(setting: SettingDef, text: str) -> Any:
    if setting.type == "bool":
        return text == YES
    if setting.type == "number":
        return number_of(text)
    return text


def _gates(framework: Framework, spec: DatasetFile, choices: Choices) -> dict[str, Any]:
    declared = {g.id for g in framework.spec.gates}
    out: dict[str, Any] = {k: v.model_dump() for k, v in spec.gates.items() if k not in declared}
    for row in choices.gates:
        if row.met:
            out[row.id] = {"met": row.met == YES, "evidence": row.evidence}
    return out


def _exemptions(framework: Framework, spec: DatasetFile, choices: Choices) -> dict[Any, Any]:
    """This framework's exemptions where the dataset keeps them: under its id when the dataset
    keys them by framework, else as plain numbers (the dataset's own framework)."""
    given = {row.number: row.reason for row in choices.exemptions if row.exempt}
    out: dict[Any, Any] = dict(spec.exemptions)
    if isinstance(out.get(framework.id), dict) or spec.framework != framework.id:
        out[framework.id] = given
        return {k: v for k, v in out.items() if v}
    return {**{k: v for k, v in out.items() if isinstance(v, dict)}, **given}


def choices_field(key_path: str) -> str:
    """The form field a key path of the core's DatasetError is about ("" when none is)."""
    parts = key_path.split(".")
    if len(parts) >= 2 and parts[0] == "settings":
        return f"setting:{parts[1]}"
    if len(parts) >= 2 and parts[0] == "gates":
        return f"gate-evidence:{parts[1]}" if parts[-1] == "evidence" else f"gate:{parts[1]}"
    if len(parts) >= 2 and parts[0] == "exemptions":
        return f"exempt-reason:{parts[-1]}"
    return ""
