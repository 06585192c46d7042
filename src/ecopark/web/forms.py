"""Data entry per category: which items a category's indicators read, one row per item with
one cell per year (value and unit dropdown), what a submitted form changes, and a check of
every changed cell — each problem named in the user's language next to its field, nothing
written while any is left (the core's own check runs last, as for any dataset).
"""

from __future__ import annotations

import dataclasses
import re

from starlette.datastructures import FormData

from ecopark.core import units
from ecopark.core.dataset.loading import build_dataset
from ecopark.core.dataset.model import Dataset
from ecopark.core.dataset.schema import DatasetFile, Series, ValueEntry
from ecopark.core.errors import DatasetError, EcoparkError, UnitError
from ecopark.core.formula.reads import item_years
from ecopark.core.framework.items import Item
from ecopark.core.framework.model import Framework
from ecopark.core.numbers import ABSENT, parse_printed
from ecopark.io.layout import unit_choices, unit_display
from ecopark.web import plain_text
from ecopark.web.i18n import Translator

__all__ = ["Cell", "ItemRow", "Problem", "category_rows", "check", "computed_texts", "entry",
           "form_changes", "needed_years", "plain", "quick_problem"]

_FIELD = re.compile(r"^v:([A-Za-z_][A-Za-z0-9_]*):(\d{4})$")
MAX_YEARS = 6


@dataclasses.dataclass(frozen=True)
class Cell:
    item: str
    year: int
    text: str  # the stored value as written ("" when none)
    unit: str  # the unit it is written in (display spelling)

    @property
    def field(self) -> str:
        return f"v:{self.item}:{self.year}"

    @property
    def unit_field(self) -> str:
        return f"u:{self.item}:{self.year}"


@dataclasses.dataclass(frozen=True)
class ItemRow:
    item: str
    spec: Item
    choices: tuple[str, ...]  # unit dropdown (empty: a count or a fact)
    cells: tuple[Cell, ...]

    @property
    def computed(self) -> bool:
        """Computed from the carbon inventory: shown, never typed in."""
        return self.spec.computed is not None


Problem = tuple[str, str]  # (field, message in the user's language)


def category_rows(framework: Framework, spec: DatasetFile, category: str,
                  year: int) -> tuple[list[int], list[ItemRow]]:
    """The years (columns) and items (rows) of one category's form."""
    numbers = [i.number for i in framework.indicators if i.category == category]
    items = list(dict.fromkeys(item for n in numbers for item in framework.items_of(n)))
    stored = {y for item in items for y in (spec.observations.get(item) or Series(values={})).values}
    recent = sorted({year, spec.park.base_year, *(y for y in stored if y <= year)})[-MAX_YEARS:]
    years = sorted({*recent, *needed_years(framework, numbers, year, spec.park.base_year)})
    return years, [_row(framework.spec.items[item], item, spec, years) for item in items]


def needed_years(framework: Framework, numbers: list[int], year: int, base_year: int) -> set[int]:
    """Every year the indicators' formulas and requirements read an item in (t, t−3, the base
    year …), whether a value is stored or not: the form offers a cell for each."""
    variables = {name: formula.typed.expr for name, (formula, _) in framework.variables.items()}
    exprs = []
    for number in numbers:
        requirement = framework.requirements.get(number)
        rules = [requirement.rule] if requirement and requirement.rule else []
        cases = [f for case in requirement.cases for f in case] if requirement else []
        exprs += [f.typed.expr for f in (framework.formulas[number], *rules, *cases)]
    pairs = item_years(exprs, year, base_year, variables)
    return {y for item, y in pairs if item in framework.spec.items}


def _row(item: Item, name: str, spec: DatasetFile, years: list[int]) -> ItemRow:
    series = spec.observations.get(name)
    default = series.unit if series and series.unit else unit_display(item.unit)
    cells = tuple(_cell(name, y, series, default) for y in years)
    choices = tuple(unit_choices(item.unit)) if item.kind == "number" else ()
    extra = tuple(c.unit for c in cells if c.unit and c.unit not in choices and choices)
    return ItemRow(name, item, choices + tuple(dict.fromkeys(extra)), cells)


def _cell(item: str, year: int, series: Series | None, default: str) -> Cell:
    raw = series.values.get(year) if series else None
    if isinstance(raw, ValueEntry):
        return Cell(item, year, plain(raw.value), raw.unit or default)
    return Cell(item, year, "" if raw is None else plain(raw), default)


def computed_texts(dataset: Dataset, rows: list[ItemRow]) -> dict[str, str]:
    """field → the value the inventory gives a computed item's cell, in the item's unit."""
    out: dict[str, str] = {}
    for row in rows:
        for cell in row.cells if row.computed else ():
            found = dataset.values.get((cell.item, cell.year))
            value = found.value if found is not None else None
            out[cell.field] = "—" if not isinstance(value, float) else \
                f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.6g}"
    return out


def plain(value: object) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def form_changes(form: FormData, rows: list[ItemRow]) -> dict[str, tuple[Cell, str, str]]:
    """field → (cell, new text, new unit) for every cell whose value or unit was changed."""
    out: dict[str, tuple[Cell, str, str]] = {}
    for row in rows:
        for cell in row.cells if not row.computed else ():
            text = _text(form, cell.field)
            unit = _text(form, cell.unit_field) or cell.unit
            if text is None or (text == "" and not cell.text):
                continue
            if text != cell.text or (unit != cell.unit and text):
                out[cell.field] = (cell, text or "/", unit)
    return out


def _text(form: FormData, name: str) -> str | None:
    value = form.get(name)
    return value.strip()[:200] if isinstance(value, str) else None


def entry(text: str, unit: str, item: Item) -> ValueEntry:
    """The value as the dataset will keep it: plain numbers as numbers, words as written."""
    printed = parse_printed(text)
    value: float | int | str = text
    if printed.number is not None and not printed.percent and re.fullmatch(r"-?[\d.]+", text):
        value = int(text) if text.lstrip("-").isdigit() else float(text)
    return ValueEntry(value=value, unit=unit if item.kind == "number" and unit else None,
                      source="网页填报 entered on the web")


def check(framework: Framework, spec: DatasetFile, changes: dict[str, tuple[Cell, str, str]],
          t: Translator) -> list[Problem]:
    """Every changed cell checked on its own; the messages in the user's language."""
    problems: list[Problem] = []
    for name, (cell, text, unit) in changes.items():
        item = framework.spec.items[cell.item]
        problem = quick_problem(item, text, unit, t) or _core(framework, spec, cell, text, unit, t)
        if problem:
            problems.append((name, problem))
    return problems


def quick_problem(item: Item, text: str, unit: str, t: Translator) -> str:
    if item.kind == "fact":
        allowed = set(item.values or {})
        return "" if text in allowed or text in ABSENT else t.gettext("Choose one of the listed answers.")
    printed = parse_printed(text)
    if printed.number is None and text not in ABSENT:
        return t.gettext("Not a number. Write digits (e.g. 1234.5), or / if not reported.")
    if printed.number is not None and printed.number < 0 and not item.allow_negative:
        return t.gettext("Must not be negative.")
    if unit:
        try:
            units.conversion_factor(unit, item.unit)
        except UnitError:
            return t.gettext("The unit %(unit)s cannot be converted to %(target)s.", unit=unit,
                             target=units.pretty(item.unit, t.lang))
    return ""


def _core(framework: Framework, spec: DatasetFile, cell: Cell, text: str, unit: str,
          t: Translator) -> str:
    changed = spec.model_copy(deep=True)
    series = changed.observations.setdefault(cell.item, Series(values={}))
    series.values[cell.year] = entry(text, unit, framework.spec.items[cell.item])
    try:
        build_dataset(changed, framework, "form")
    except UnitError as exc:  # e.g. "12%" typed in a cell of 万元
        return t.gettext("The unit %(unit)s cannot be converted to %(target)s.",
                         unit=units.pretty(exc.from_unit, t.lang),
                         target=units.pretty(framework.spec.items[cell.item].unit, t.lang))
    except DatasetError as exc:  # the field is named by the form: its problem is enough
        return _sentence(plain_text.one_language(exc.problem, t.lang), t.lang)
    except EcoparkError as exc:
        return plain_text.message(exc, t.lang)
    return ""


def _sentence(text: str, lang: str) -> str:
    text = text.strip()
    if lang == "en":
        return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
    return text + ("" if text.endswith("。") else "。")
