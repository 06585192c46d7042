"""One series per park: a value is stored once per (park, item, year), with a version and a
history, instead of once per evaluation year that printed it.

    series(park_id, position, item, unit, source, note)          was keyed by park_year_id
    observations(park_id, …, version, via, via_detail)           was keyed by park_year_id
    observation_history(observation_id, park_id, version, value, value_text, value_kind, unit,
                        by, at, via, via_detail, reason)         new: every version of a value
    park_years.version                                           new: its own settings' version

Where evaluation years held different copies of one value, the most recently entered copy
stands and the others go into its history, oldest first (each copy's history entry says which
evaluation year it came from; equal copies in a row are one version). An observation's `unit`
now always holds the unit the value was written in (before, None meant "the series unit of that
park-year"), since the series header is now shared. What was merged is printed. The downgrade
gives every park-year a copy of the park's values up to its year again (histories are dropped).

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None

APP_ROLE_ENV = "ECOPARK_DB_APP_ROLE"
_VALUE = ("value", "value_text", "value_kind", "unit", "source", "note", "detailed")


def _observations_table(keyed_by_park_year: bool) -> list[Any]:
    columns: list[Any] = [
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("park_id", sa.Integer(), sa.ForeignKey("parks.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("item", sa.Text(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("value_text", sa.Text(), nullable=False),
        sa.Column("value_kind", sa.String(8), nullable=False),
        sa.Column("unit", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("detailed", sa.Boolean(), nullable=False),
    ]
    if keyed_by_park_year:
        return [*columns,
                sa.Column("park_year_id", sa.Integer(),
                          sa.ForeignKey("park_years.id", ondelete="CASCADE"), nullable=False),
                sa.Column("entered_by", sa.Text(), nullable=False),
                sa.Column("entered_at", sa.DateTime(), nullable=False),
                sa.UniqueConstraint("park_year_id", "item", "year")]
    return [*columns,
            sa.Column("unit_given", sa.Boolean(), nullable=False, server_default=sa.false()),
            sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
            sa.Column("via", sa.String(16), nullable=False, server_default="cli"),
            sa.Column("via_detail", sa.Text(), nullable=False, server_default=""),
            sa.Column("entered_by", sa.Text(), nullable=False),
            sa.Column("entered_at", sa.DateTime(), nullable=False),
            sa.UniqueConstraint("park_id", "item", "year")]


def _series_table(keyed_by_park_year: bool) -> list[Any]:
    key = (sa.Column("park_year_id", sa.Integer(),
                     sa.ForeignKey("park_years.id", ondelete="CASCADE"), nullable=False)
           if keyed_by_park_year else
           sa.Column("park_id", sa.Integer(), sa.ForeignKey("parks.id", ondelete="CASCADE"),
                     nullable=False))
    return [sa.Column("id", sa.Integer(), primary_key=True), key,
            sa.Column("position", sa.Integer(), nullable=False),
            sa.Column("item", sa.Text(), nullable=False),
            sa.Column("unit", sa.Text(), nullable=True),
            sa.Column("source", sa.Text(), nullable=True),
            sa.Column("note", sa.Text(), nullable=True),
            sa.UniqueConstraint(key.name, "item")]


def _create(name: str, columns: list[Any], key: str) -> sa.Table:
    table = op.create_table(name, *columns)
    op.create_index(f"ix_{name}_{key}", name, [key])
    assert table is not None
    return table


def _rows(bind: Any, sql: str) -> list[dict[str, Any]]:
    """Rows as dicts; SQLite gives instants back as text, read here as naive UTC datetimes."""
    return [{k: dt.datetime.fromisoformat(v) if k in _INSTANTS and isinstance(v, str) else v
             for k, v in row.items()} for row in bind.execute(sa.text(sql)).mappings()]


_INSTANTS = ("entered_at", "at")


# --------------------------------------------------------------------------- upgrade


def upgrade() -> None:
    bind = op.get_bind()
    years = {r["id"]: r for r in _rows(bind, "SELECT id, park_id, year FROM park_years")}
    series = _rows(bind, "SELECT * FROM series")
    observations = _rows(bind, "SELECT * FROM observations")
    op.drop_table("observations")
    op.drop_table("series")
    with op.batch_alter_table("park_years") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    new_series = _create("series", _series_table(False), "park_id")
    new_observations = _create("observations", _observations_table(False), "park_id")
    history = _create("observation_history", _history_columns(), "observation_id")
    op.create_index("ix_observation_history_park_id", "observation_history", ["park_id"])
    units = {(s["park_year_id"], s["item"]): s["unit"] for s in series}
    merged_series, merged, log = _merge(years, series, observations, units)
    op.bulk_insert(new_series, merged_series)
    op.bulk_insert(new_observations, [row for row, _ in merged])
    op.bulk_insert(history, [entry for _, entries in merged for entry in entries])
    for line in log:
        print(line)
    if bind.dialect.name == "postgresql":
        _reset_sequences(bind, ("series", "observations"))
        _grant_app_role(bind)


def _history_columns() -> list[Any]:
    return [
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("observation_id", sa.Integer(),
                  sa.ForeignKey("observations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("park_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("value_text", sa.Text(), nullable=False),
        sa.Column("value_kind", sa.String(8), nullable=False),
        sa.Column("unit", sa.Text(), nullable=True),
        sa.Column("by", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("via", sa.String(16), nullable=False),
        sa.Column("via_detail", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
    ]


def _merge(years: dict[int, dict[str, Any]], series: list[dict[str, Any]],
           observations: list[dict[str, Any]], units: dict[tuple[int, str], str | None]
           ) -> tuple[list[dict[str, Any]], list[tuple[dict[str, Any], list[dict[str, Any]]]],
                      list[str]]:
    """The park-level series (the latest evaluation year's header stands), the observations
    (one per park, item, year: the most recently entered copy, its history every copy)."""
    headers: dict[tuple[int, str], dict[str, Any]] = {}
    for s in sorted(series, key=lambda s: (years[s["park_year_id"]]["year"], s["position"])):
        park = years[s["park_year_id"]]["park_id"]
        headers[(park, s["item"])] = {"park_id": park, "item": s["item"], "unit": s["unit"],
                                      "source": s["source"], "note": s["note"]}
    merged_series = [{**h, "position": i} for i, h in enumerate(headers.values())]
    groups: dict[tuple[int, str, int], list[dict[str, Any]]] = defaultdict(list)
    for o in observations:
        o["unit_given"] = o["unit"] is not None
        o["unit"] = o["unit"] if o["unit"] is not None else units.get(
            (o["park_year_id"], o["item"]))
        groups[(o["park_id"], o["item"], o["year"])].append(o)
    merged, log = [], []
    order = sorted(groups, key=lambda k: (k[0], min(o["position"] for o in groups[k]), k[2]))
    for position, key in enumerate(order):
        copies = sorted(groups[key], key=lambda o: (o["entered_at"],
                                                    years[o["park_year_id"]]["year"], o["id"]))
        kept = copies[-1]
        runs = [o for i, o in enumerate(copies) if i == 0 or _written(o) != _written(copies[i - 1])]
        row = {"id": kept["id"], "park_id": key[0], "position": position, "item": key[1],
               "year": key[2], **{c: kept[c] for c in _VALUE}, "unit_given": kept["unit_given"],
               "version": len(runs),
               "via": "migration", "via_detail": _evaluation(years, kept),
               "entered_by": kept["entered_by"], "entered_at": kept["entered_at"]}
        merged.append((row, [_history(years, kept["id"], i + 1, o) for i, o in enumerate(runs)]))
        if len(runs) > 1:
            log.append(_merged_line(years, key, runs))
    return merged_series, merged, log


def _written(row: dict[str, Any]) -> tuple[Any, ...]:
    return row["value_text"], row["value_kind"], row["unit"]


def _evaluation(years: dict[int, dict[str, Any]], row: dict[str, Any]) -> str:
    return f"{years[row['park_year_id']]['year']} 年度评价 evaluation"


def _history(years: dict[int, dict[str, Any]], observation: int, version: int,
             copy: dict[str, Any]) -> dict[str, Any]:
    return {"observation_id": observation, "park_id": copy["park_id"], "version": version,
            "value": copy["value"], "value_text": copy["value_text"],
            "value_kind": copy["value_kind"], "unit": copy["unit"], "by": copy["entered_by"],
            "at": copy["entered_at"], "via": "migration", "via_detail": _evaluation(years, copy),
            "reason": ""}


def _merged_line(years: dict[int, dict[str, Any]], key: tuple[int, str, int],
                 copies: list[dict[str, Any]]) -> str:
    def shown(o: dict[str, Any]) -> str:
        return (f"{o['value_text']} {o['unit'] or ''}".strip()
                + f" ({years[o['park_year_id']]['year']})")
    kept, others = copies[-1], copies[:-1]
    return (f"合并 merged: park {key[0]} {key[1]} {key[2]}: kept {shown(kept)}; "
            f"history {', '.join(shown(o) for o in others)}")


def _reset_sequences(bind: Any, tables: tuple[str, ...]) -> None:
    for table in tables:
        bind.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                             f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"))


def _grant_app_role(bind: Any) -> None:
    """The new tables for the application's role, as 0006 granted the others."""
    role = os.environ.get(APP_ROLE_ENV, "").strip()
    if not role or role == bind.execute(sa.text("SELECT current_user")).scalar():
        return
    if not bind.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).scalar():
        return
    quoted = bind.dialect.identifier_preparer.quote(role)
    for table in ("series", "observations", "observation_history"):
        op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {quoted}")
    for table in ("series", "observations", "observation_history"):
        op.execute(f"GRANT USAGE, SELECT ON SEQUENCE {table}_id_seq TO {quoted}")


# --------------------------------------------------------------------------- downgrade


def downgrade() -> None:
    """Every park-year gets a copy of its park's values up to its year again."""
    bind = op.get_bind()
    years = _rows(bind, "SELECT id, park_id, year FROM park_years")
    series = _rows(bind, "SELECT * FROM series")
    observations = _rows(bind, "SELECT * FROM observations")
    op.drop_table("observation_history")
    op.drop_table("observations")
    op.drop_table("series")
    with op.batch_alter_table("park_years") as batch:
        batch.drop_column("version")
    old_series = _create("series", _series_table(True), "park_year_id")
    old_observations = _create("observations", _observations_table(True), "park_year_id")
    op.create_index("ix_observations_park_item_year", "observations", ["park_id", "item", "year"])
    series_rows, observation_rows = [], []
    for park_year in years:
        mine = [o for o in observations
                if o["park_id"] == park_year["park_id"] and o["year"] <= park_year["year"]]
        items = {o["item"] for o in mine}
        series_rows += [{"park_year_id": park_year["id"], "position": s["position"],
                         "item": s["item"], "unit": s["unit"], "source": s["source"],
                         "note": s["note"]}
                        for s in series if s["park_id"] == park_year["park_id"]
                        and s["item"] in items]
        observation_rows += [{"park_year_id": park_year["id"], "park_id": o["park_id"],
                              "position": o["position"], "item": o["item"], "year": o["year"],
                              **{c: o[c] for c in _VALUE},
                              "unit": o["unit"] if o["unit_given"] else None,
                              "entered_by": o["entered_by"],
                              "entered_at": o["entered_at"]} for o in mine]
    op.bulk_insert(old_series, series_rows)
    op.bulk_insert(old_observations, observation_rows)
