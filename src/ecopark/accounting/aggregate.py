"""Summing a roster by the roll-up rules: each enterprise's computed values (综合能耗 and CO2
with one resolved coefficient set), each (item, year)'s values with the roster records they
come from, and the enterprises listed as an item-year's contributions (largest first, the rest
as one entry)."""

from __future__ import annotations

import dataclasses
import heapq
import math

from ecopark.accounting.carbon import carbon
from ecopark.accounting.energy import Use, energy
from ecopark.accounting.factors import Resolved
from ecopark.accounting.rollup_rules import COMPUTED, CONDITIONS, FLAGS, Parameters, RollupRules
from ecopark.accounting.roster import EnterpriseYear, Roster
from ecopark.accounting.steam import SteamState, SteamStateError
from ecopark.core.dataset.schema import Contribution
from ecopark.core.errors import WorkbookError, WorkbookProblems

__all__ = ["Sum", "aggregate", "compute", "contributions", "rounded"]

_NO_STEAM = SteamState()


def compute(roster: Roster, resolved: Resolved | None) -> list[dict[str, float]]:
    """Each record's computed values (energy_tce, renewable_tce, co2_*, and the CO2 parts);
    steam states that cannot be used are reported together, with their cells."""
    out: list[dict[str, float]] = []
    problems: list[WorkbookError] = []
    for record in roster.records:
        try:
            out.append(_computed(record, resolved))
        except SteamStateError as exc:
            problems.append(WorkbookError(roster.file, roster.sheet, roster.where(
                record, "steam_pressure").split("!")[-1], exc.problem))
            out.append({})
    if problems:
        raise WorkbookProblems(roster.file, problems)
    return out


def _computed(record: EnterpriseYear, resolved: Resolved | None) -> dict[str, float]:
    process = record.values.get("process_co2")
    if not record.carriers or resolved is None:
        return {} if process is None else {"co2_total": process, "co2_direct": process,
                                           "co2_indirect": 0.0, "process": process}
    use = Use(record.carriers, record.steam() if "steam" in record.carriers else _NO_STEAM)
    used = energy(use, resolved)
    co2 = carbon(use, resolved, process or 0.0)
    return {"energy_tce": used.total, "renewable_tce": used.renewable, "co2_total": co2.total,
            "co2_direct": co2.direct, "co2_indirect": co2.indirect,
            "combustion": co2.combustion, "process": co2.process,
            "electricity": co2.electricity, "heat": co2.heat}


@dataclasses.dataclass
class Sum:
    """What an item-year sums: each value with the index of the record it comes from, and
    its parts (e.g. CO2 direct/indirect) when they are not the record's computed ones."""

    values: list[float] = dataclasses.field(default_factory=list)
    records: list[int] = dataclasses.field(default_factory=list)
    parts: list[dict[str, float]] | None = None  # per value, when not taken from `computed`


_Plan = tuple[str, tuple[str, ...] | None, tuple[str, ...]]


def _plans(roster: Roster, rules: RollupRules) -> list[_Plan]:
    """Each rule as (item, summed fields or None for a count, condition names); counts whose
    columns the roster lacks are left out."""
    plans: list[_Plan] = []
    for name, rule in rules.spec.items.items():
        if rule.count is not None:
            if all(roster.has(CONDITIONS[c][0]) for c in rule.count):
                plans.append((name, None, tuple(rule.count)))
        else:
            assert rule.sum is not None
            plans.append((name, tuple(rule.sum), tuple(rule.when)))
    return plans


def _column(field: str, records: list[EnterpriseYear],
            computed: list[dict[str, float]]) -> list[float | None]:
    """One field for every record (None = not reported), aligned with the records."""
    if field in COMPUTED:
        return [c.get(field) for c in computed]
    return [r.values.get(field) for r in records]


def _sum_column(fields: tuple[str, ...], columns: dict[str, list[float | None]]) -> list[float | None]:
    """Per record, the sum of the fields it reported (None when it reported none)."""
    if len(fields) == 1:
        return columns[fields[0]]
    rows = zip(*(columns[f] for f in fields), strict=True)
    return [math.fsum(found) if (found := [v for v in row if v is not None]) else None
            for row in rows]


def _mask(names: tuple[str, ...], records: list[EnterpriseYear], params: Parameters,
          cache: dict[str, list[bool]]) -> list[bool] | None:
    """Per record, whether every condition holds (None when there are no conditions)."""
    if not names:
        return None
    for name in names:
        if name in cache:
            continue
        column, test = CONDITIONS[name]
        if name in FLAGS:  # a 是/否 column: read it directly
            cache[name] = [r.values.get(column) is True for r in records]
        else:
            cache[name] = [test(r, r.year, params) for r in records]
    return [all(row) for row in zip(*(cache[n] for n in names), strict=True)]


def aggregate(roster: Roster, computed: list[dict[str, float]],
               rules: RollupRules) -> dict[tuple[str, int], Sum]:
    """Per (item, year): the value each enterprise contributes, with its record index."""
    params, records = rules.spec.parameters, roster.records
    by_year: dict[int, list[int]] = {}
    for index, record in enumerate(records):
        by_year.setdefault(record.year, []).append(index)
    plans = _plans(roster, rules)
    columns = {f: _column(f, records, computed) for _, fields, _ in plans for f in fields or ()}
    tests: dict[str, list[bool]] = {}
    sums: dict[tuple[str, int], Sum] = {}
    for name, fields, conditions in plans:
        mask = _mask(conditions, records, params, tests)
        column = None if fields is None else _sum_column(fields, columns)
        for year, indices in sorted(by_year.items()):
            chosen = indices if mask is None else [i for i in indices if mask[i]]
            if column is None:
                sums[(name, year)] = Sum([1.0] * len(chosen), chosen)
                continue
            kept = [i for i in chosen if column[i] is not None]
            if kept:
                sums[(name, year)] = Sum([column[i] for i in kept], kept)  # type: ignore[misc]
    return _drop_zero_counts(sums, rules)


def _drop_zero_counts(sums: dict[tuple[str, int], Sum],
                      rules: RollupRules) -> dict[tuple[str, int], Sum]:
    for (name, year), entry in list(sums.items()):
        rule = rules.spec.items[name]
        if rule.omit_zero and not entry.values:
            del sums[(name, year)]
    for (name, year) in list(sums):
        required = rules.spec.items[name].requires
        if required is not None and (required, year) not in sums:
            del sums[(name, year)]
    return sums


def rounded(value: float) -> float:
    """A value as written in the dataset: 10 significant digits."""
    return float(f"{value:.10g}")


def contributions(roster: Roster, entry: Sum, factor: float, top: int,
                  computed: list[dict[str, float]], name: str) -> list[Contribution]:
    """The enterprises that make up an item-year, largest first: `top` of them (0: all) and
    the rest as one entry with their count; zeros are not listed."""
    values = entry.values
    nonzero = [i for i, v in enumerate(values) if v != 0]  # zeros add nothing: not listed
    if top <= 0 or len(nonzero) <= top + 1:
        ordered = sorted(nonzero, key=values.__getitem__, reverse=True)
    else:
        ordered = heapq.nlargest(top, nonzero, key=values.__getitem__)
    out = [_contribution(roster.records[entry.records[i]], entry.values[i] * factor,
                         computed[entry.records[i]], name,
                         None if entry.parts is None else entry.parts[i]) for i in ordered]
    rest = len(nonzero) - len(ordered)
    if rest:
        shown = math.fsum(entry.values[i] for i in ordered)
        out.append(Contribution(enterprise=f"其余 {rest} 家企业 {rest} other enterprises",
                                value=rounded((math.fsum(entry.values) - shown) * factor),
                                count=rest))
    return out


def _contribution(record: EnterpriseYear, value: float, computed: dict[str, float],
                  name: str, parts: dict[str, float] | None = None) -> Contribution:
    if parts is None:
        parts = {"direct": rounded(computed["co2_direct"]), "indirect": rounded(
            computed["co2_indirect"])} if name == "co2" and "co2_direct" in computed else {}
    return Contribution(enterprise=record.name, credit_code=record.code, value=rounded(value),
                        row=record.row, parts=parts)
