"""达标所需的改变 — what must change for a park-year to pass, on the web: for every indicator
not met or within 10 % of its requirement, the changes that would meet it among the inputs a
park can act on (`ecopark.analysis.levers`: never its size, never a denominator, never an
earlier year); the forecast's warnings (mandatory indicators and optional groups at risk); and
a what-if form that re-evaluates with typed values WITHOUT saving anything.

The what-if is a GET with the typed values in its query (`?item=co2&value=80000`, repeated):
nothing is written, so reloading or going back is safe and the result can be linked.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from ecopark.analysis.forecast import Forecast, forecast
from ecopark.analysis.gap import Gap, InputChange, gaps
from ecopark.analysis.levers import levers
from ecopark.analysis.whatif import Assignment, WhatIf, whatif
from ecopark.core import units
from ecopark.core.errors import EcoparkError, UnitError
from ecopark.core.evaluate import Evaluation
from ecopark.core.framework.items import Item
from ecopark.core.framework.model import Framework
from ecopark.core.numbers import parse_printed
from ecopark.core.results import Status
from ecopark.reports import sentences
from ecopark.web import plain_text
from ecopark.web.assessed import assessed
from ecopark.web.deps import Db, Id, Year
from ecopark.web.i18n import N_, Translator
from ecopark.web.page_deps import Viewer, readable_park
from ecopark.web.render import render, translator_of

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
ROWS = 5  # what-if rows offered on the form
Texts = Annotated[list[str], Query(max_length=60)]
_VALUE = re.compile(r"^\s*(?P<number>[-+]?[\d.,]+)\s*(?P<unit>.*?)\s*$")


@router.get("/parks/{park_id}/years/{year}/changes", response_class=HTMLResponse)
def changes(park_id: Id, year: Year, request: Request, session: Db, who: Viewer) -> Response:
    found = readable_park(session, who, park_id)
    ev = assessed(request, session, found, year).evaluation
    t = translator_of(request)
    return render(request, "changes.html", park=found, year=year, ev=ev,
                  gaps=[_gap(ev, g, t) for g in gaps(ev)], outlook=_outlook(ev, t),
                  choices=_choices(ev.framework, t), rows=[("", "")] * ROWS, errors={})


@router.get("/parks/{park_id}/years/{year}/whatif", response_class=HTMLResponse)
def what_if(park_id: Id, year: Year, request: Request, session: Db, who: Viewer,
            item: Texts = [], value: Texts = []) -> Response:  # noqa: B006 (FastAPI's default)
    found = readable_park(session, who, park_id)
    ev = assessed(request, session, found, year).evaluation
    t = translator_of(request)
    typed = [(i, v) for i, v in zip(item[:ROWS], value[:ROWS], strict=False) if i or v.strip()]
    assignments, errors = _assignments(ev, typed, t)
    result = whatif(ev.framework, ev.dataset, assignments, ev.year) \
        if assignments and not errors else None
    rows = typed + [("", "")] * (ROWS - len(typed))
    return render(request, "whatif.html", status=422 if errors else 200, park=found,
                  year=year, ev=ev, choices=_choices(ev.framework, t), rows=rows,
                  errors=errors, result=_result(result, t) if result else None)


# ---------------------------------------------------------------------------------- the gaps


def _gap(ev: Evaluation, gap: Gap, t: Translator) -> dict[str, Any]:
    """An indicator's gap as the page shows it: the sentence and the table of the levers."""
    acted = [c for c in levers(ev, gap) if c.required is not None]
    indicator = ev.framework.indicator(gap.number)
    return {"number": gap.number, "name": t.pick(indicator.name_zh, indicator.name_en),
            "status": gap.status.value, "text": _gap_text(ev, gap, t.lang),
            "changes": [_change_row(ev.framework, c, t) for c in acted]}


def _gap_text(ev: Evaluation, gap: Gap, lang: str) -> str:
    acted = levers(ev, gap)
    if any(c.required is not None for c in acted) or gap.status is Status.MET:
        return sentences.gap_text(ev, dataclasses.replace(gap, inputs=acted), lang)
    return sentences.gap_head(ev, gap, lang) + (
        " No single item the park can act on meets it alone: it needs several measures "
        "together." if lang == "en" else
        "园区可直接调整的数据中，没有一项单独改变即可使其达标，需要多项措施共同推进。")


def _change_row(framework: Framework, change: InputChange, t: Translator) -> dict[str, str]:
    assert change.required is not None
    unit = framework.spec.items[change.item].unit
    word = {"at_most": N_("at most %(amount)s"), "at_least": N_("at least %(amount)s")}
    return {"name": framework.item_name(change.item, t.lang), "year": str(change.year),
            "current": _quantity(_amount(change.current, t), unit, t),
            "needed": t.gettext(word.get(change.direction, "%(amount)s"),
                                amount=_quantity(_amount(change.required, t), unit, t)),
            "change": f"{(change.relative or 0.0) * 100:+.1f} %"}


def _amount(value: float, t: Translator) -> str:
    return t.number(value, 2 if abs(value) >= 1 else 4)


# ------------------------------------------------------------------------------ the forecast


def _outlook(ev: Evaluation, t: Translator) -> dict[str, Any]:
    """The forecast's warnings, one line per indicator or group with the years it concerns;
    a dataset with too few years says so instead."""
    try:
        result = forecast(ev.framework, ev.dataset, 3, ev.year)
    except EcoparkError as exc:
        return {"years": [], "lines": [], "problem": plain_text.message(exc, t.lang)}
    lines: dict[tuple[int, str, str], list[int]] = {}
    for warning in result.warnings:
        lines.setdefault((warning.number, warning.group, warning.kind), []).append(warning.year)
    return {"years": list(result.years), "problem": "",
            "lines": [_line(ev.framework, result, key, years, t) for key, years in lines.items()]}


_KINDS = {"not_met": N_("on trend, will not be met"),
          "at_risk": N_("not met at the unfavourable end of the trend range"),
          "group_not_met": N_("on trend, still has too few indicators met"),
          "group_at_risk": N_("too few indicators met at the unfavourable end of the trend range")}


def _line(framework: Framework, result: Forecast, key: tuple[int, str, str], years: list[int],
          t: Translator) -> dict[str, Any]:
    number, group, kind = key
    if group:
        spec = framework.spec.verdict.groups[group]
        subject = t.gettext("Optional group “%(name)s”", name=t.pick(spec.name_zh, spec.name_en))
        projection = ""
    else:
        ind = framework.indicator(number)
        subject = t.gettext("Mandatory indicator %(number)s (%(name)s)", number=number,
                            name=t.pick(ind.name_zh, ind.name_en))
        projection = _projected(result, number, (ind.decimals, ind.unit), years, t)
    listed = ("、" if t.lang == "zh" else ", ").join(map(str, years))
    return {"kind": kind, "subject": subject, "number": number, "projection": projection,
            "what": t.gettext("%(what)s (%(years)s)", what=t.gettext(_KINDS[kind]), years=listed)}


def _projected(result: Forecast, number: int, shape: tuple[int, str], years: list[int],
               t: Translator) -> str:
    """The central projection of each year (with its range when the scenarios differ)."""
    decimals, unit = shape
    parts = []
    for year in years:
        value = result.evaluations[(year, "central")].result(number).value
        span = result.range(number, year)
        text = _quantity(t.value(value, decimals), unit, t)
        if span and span[0] != span[1]:
            text += f" ({t.value(span[0], decimals)} – {t.value(span[1], decimals)})"
        parts.append(t.pick(f"{year}年 {text}", f"{year}: {text}"))
    return t.pick("；", "; ").join(parts)


# ------------------------------------------------------------------------------- the what-if


def _choices(framework: Framework, t: Translator) -> list[tuple[str, str]]:
    """(item, "name (unit)") of every number item a park types in, by name."""
    return [(key, f"{t.pick(item.name_zh, item.name_en)} ({units.pretty(item.unit, t.lang)})")
            for key, item in framework.spec.items.items()
            if item.kind == "number" and item.computed is None]


def _assignments(ev: Evaluation, typed: list[tuple[str, str]],
                 t: Translator) -> tuple[list[Assignment], dict[int, str]]:
    out, errors = [], {}
    for index, (key, text) in enumerate(typed):
        item = ev.framework.spec.items.get(key)
        if item is None or item.kind != "number" or item.computed is not None:
            errors[index] = t.gettext("Choose a data item.")
            continue
        try:
            out.append(_assignment(key, item, ev.year, text))
        except ValueError as exc:
            errors[index] = t.gettext(str(exc))
        except UnitError:
            errors[index] = t.gettext("This unit does not fit the item: use %(unit)s or one "
                                      "convertible to it.", unit=units.pretty(item.unit, t.lang))
    return out, errors


def _assignment(key: str, item: Item, year: int, text: str) -> Assignment:
    """A typed value ("80000", "50亿元", "8 万吨") in the item's unit; ValueError names the
    problem as a catalog message."""
    match = _VALUE.match(text)
    printed = parse_printed(match["number"]) if match else None
    if match is None or printed is None or printed.number is None:
        raise ValueError(N_("Write a number, optionally with its unit (e.g. 80000 or 500 t)."))
    unit = match["unit"] or item.unit
    value = printed.number * units.conversion_factor(unit, item.unit)
    if value < 0 and not item.allow_negative:
        raise ValueError(N_("This amount cannot be negative."))
    return Assignment(key, year, value, f"{printed.text} {unit}")


def _result(result: WhatIf, t: Translator) -> dict[str, Any]:
    fw = result.before.framework
    rows = []
    for change in result.changes:
        ind = fw.indicator(change.number)
        rows.append({"number": change.number, "name": t.pick(ind.name_zh, ind.name_en),
                     "before": _quantity(t.value(change.before, ind.decimals), ind.unit, t),
                     "after": _quantity(t.value(change.after, ind.decimals), ind.unit, t),
                     "was": change.status_before.value, "now": change.status_after.value})
    assumed = [_assumed(fw, result.before, a, t) for a in result.assignments]
    return {"rows": rows, "assumed": assumed, "verdict_before": result.before.verdict.status.value,
            "verdict_after": result.after.verdict.status.value}


def _quantity(text: str, unit: str, t: Translator) -> str:
    """A value with its unit; a dimensionless one (a ratio, an elasticity) alone."""
    shown = units.pretty(unit, t.lang)
    return text if shown == "—" or text == "—" else f"{text} {shown}"


def _assumed(fw: Framework, before: Evaluation, a: Assignment, t: Translator) -> str:
    unit = fw.spec.items[a.item].unit
    was = before.dataset.values.get((a.item, a.year))
    old = _amount(was.value, t) if was and isinstance(was.value, float) else "—"
    return t.gettext("%(name)s (%(year)s): %(old)s → %(new)s", name=fw.item_name(a.item, t.lang),
                     year=a.year, old=_quantity(old, unit, t),
                     new=_quantity(_amount(a.value, t), unit, t))
