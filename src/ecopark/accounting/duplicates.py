"""One enterprise, one row per year: a 统一社会信用代码 on two rows of one year stops the roll-up.

A duplicate is never summed twice. Unless the user says which row stands (`ecopark rollup
--keep-row CODE=ROW`, the row number in the file), `resolve` raises `WorkbookProblems` with one
`DuplicateEnterprise` per code and year, naming the rows and the enterprise names; with a choice
the other rows of that code and year are left out of the roll-up, and each is said in a note.
A choice that names no duplicated row is refused rather than ignored.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from ecopark.accounting import creditcode
from ecopark.accounting.roster import EnterpriseYear, Roster
from ecopark.core.errors import DuplicateEnterprise, InvalidValue, WorkbookProblems

__all__ = ["Keep", "duplicates", "first_rows", "parse_keep", "refuse", "resolve"]

Keep = tuple[str, int]  # (credit code, the row number that stands)
OPTION = "--keep-row"


def parse_keep(texts: Sequence[str]) -> list[Keep]:
    """`CODE=ROW` options as (normalized code, row); a malformed one is refused."""
    out = []
    for text in texts:
        code, _, row = text.partition("=")
        normalized = creditcode.normalize(code)
        if not row.strip().isdigit() or creditcode.problem(normalized) is not None:
            raise InvalidValue(OPTION, f"“{text}” 应写成 统一社会信用代码=行号 should be CODE=ROW",
                               f"如 e.g. {OPTION} 91320412MA1AB0001C=7（行号为名录文件中的行 the "
                               "row number in the roster file）")
        out.append((normalized, int(row)))
    return out


def duplicates(roster: Roster) -> dict[tuple[str, int], list[EnterpriseYear]]:
    """Per (code, year) found on more than one row, its rows in file order."""
    rows: dict[tuple[str, int], list[EnterpriseYear]] = defaultdict(list)
    for record in roster.records:
        rows[(record.code, record.year)].append(record)
    return {key: found for key, found in rows.items() if len(found) > 1}


def resolve(roster: Roster, keep: Sequence[Keep] = ()) -> tuple[Roster, tuple[str, ...]]:
    """The roster with the rows the choices set aside left out, and a note for each; raise
    WorkbookProblems naming every duplicate no choice settles."""
    groups = duplicates(roster)
    _check_choices(roster, groups, keep)
    chosen = set(keep)
    unsettled = {key: rows for key, rows in groups.items()
                 if not any((key[0], r.row) in chosen for r in rows)}
    if unsettled:
        raise _problems(roster, unsettled)
    dropped = {r.row for (code, _), rows in groups.items() for r in rows
               if (code, r.row) not in chosen}
    notes = tuple(_note(roster, key, rows, chosen) for key, rows in groups.items())
    kept = [r for r in roster.records if r.row not in dropped]
    return dataclasses.replace(roster, records=kept), notes


def refuse(roster: Roster) -> None:
    """Raise when a code still appears twice in a year (the roll-up's own guard)."""
    groups = duplicates(roster)
    if groups:
        raise _problems(roster, groups)


def first_rows(roster: Roster) -> Roster:
    """The roster with only the first row of each duplicate (for `ecopark check`, whose
    duplicate_enterprise finding reports the others)."""
    dropped = {r.row for rows in duplicates(roster).values() for r in rows[1:]}
    return dataclasses.replace(roster, records=[r for r in roster.records if r.row not in dropped])


def _check_choices(roster: Roster, groups: dict[tuple[str, int], list[EnterpriseYear]],
                   keep: Sequence[Keep]) -> None:
    """Refuse a choice that names no duplicated row, and two choices for one code and year."""
    rows = {(code, r.row): year for (code, year), found in groups.items() for r in found}
    seen: dict[tuple[str, int], int] = {}
    for code, row in keep:
        year = rows.get((code, row))
        if year is not None and seen.setdefault((code, year), row) != row:
            raise InvalidValue(OPTION, f"{code}：{year} 年只能保留一行，却指明了第 {seen[(code, year)]}"
                               f" 行和第 {row} 行 only one row per code and year can stand",
                               "每个代码和年份只写一个 --keep-row one choice per code and year")
        if year is None:
            raise InvalidValue(OPTION, f"{code}={row}：名录 {Path(roster.file).name} 中第 {row} 行"
                               f"不是代码 {code} 的重复行 row {row} is not a duplicated row of "
                               "this code", "只为重复的代码指明保留的行 name a kept row only for a "
                               "duplicated code")


def _problems(roster: Roster, groups: dict[tuple[str, int], list[EnterpriseYear]]
              ) -> WorkbookProblems:
    found = [_duplicate(roster, code, year, rows) for (code, year), rows in groups.items()]
    return WorkbookProblems(roster.file, list(found))


def _duplicate(roster: Roster, code: str, year: int, rows: list[EnterpriseYear]
               ) -> DuplicateEnterprise:
    cells = "、".join(roster.where(r, "credit_code").split("!")[-1] for r in rows)
    names = "、".join(f"第 {r.row} 行 {r.name}" for r in rows)
    return DuplicateEnterprise(
        roster.file, roster.sheet, cells, "", f"删去重复的行，或用 {OPTION} {code}={rows[0].row} "
        f"指明保留哪一行 delete the extra rows, or say which row stands with {OPTION}",
        code, year, "、".join(str(r.row) for r in rows), names)


def _note(roster: Roster, key: tuple[str, int], rows: list[EnterpriseYear],
          chosen: set[Keep]) -> str:
    code, year = key
    kept = next(r for r in rows if (code, r.row) in chosen)
    others = "、".join(str(r.row) for r in rows if r is not kept)
    return (f"名录 {Path(roster.file).name}：统一社会信用代码 {code} 在 {year} 年出现于第 "
            f"{'、'.join(str(r.row) for r in rows)} 行，按 {OPTION} 只计第 {kept.row} 行（{kept.name}），"
            f"第 {others} 行不计入 credit code {code} appears on rows "
            f"{', '.join(str(r.row) for r in rows)} in {year}: only row {kept.row} is counted")
