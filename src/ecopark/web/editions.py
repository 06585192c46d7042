"""An approved edition of a park-year as the pages and documents show it: read back from its
snapshot (the dataset export kept at approval), evaluated like the stored year, cached by the
snapshot (it never changes); its 对照考核表 rendered with the approval time as the document's
time, so two downloads are the same byte for byte (its report is a job: `jobs/editions.py`).
A year not approved yet gets the 草稿 mark.

    edition(request, snapshot) -> Assessed
    table_file(item, suffix, lang, approved_at=None) -> bytes (None: a draft, marked)
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from fastapi import Request

from ecopark.core.dataset.loading import build_dataset
from ecopark.core.dataset.schema import DatasetFile
from ecopark.jobs.editions import snapshot_spec as read_snapshot
from ecopark.reports.marks import draft_table, fixed_package
from ecopark.reports.table import build_table, write_table
from ecopark.store import models as m
from ecopark.web.assessed import Assessed, of_dataset
from ecopark.web.cache import ReplyCache

__all__ = ["FINAL", "edition", "snapshot_spec", "table_file"]

FINAL = frozenset({"approved", "published"})  # the states whose documents carry no draft mark


def snapshot_spec(snapshot: m.ParkYearSnapshot) -> DatasetFile:
    """The snapshot's dataset, read as an uploaded dataset file is."""
    return read_snapshot(snapshot)[0]


def edition(request: Request, snapshot: m.ParkYearSnapshot) -> Assessed:
    cache: ReplyCache[Assessed] = request.app.state.views
    return cache.get_or_make(("edition", snapshot.id, 0), lambda: _assess(snapshot))


def _assess(snapshot: m.ParkYearSnapshot) -> Assessed:
    from ecopark.core.framework.loading import load_framework

    spec = snapshot_spec(snapshot)
    framework = load_framework(spec.framework)
    dataset = build_dataset(spec, framework, f"edition {snapshot.edition}")
    return of_dataset(-snapshot.id, snapshot.edition, spec, framework, dataset, snapshot.year)


def table_file(item: Assessed, suffix: str, lang: str,
               approved_at: dt.datetime | None = None) -> bytes:
    """The 对照考核表 of `item` as .xlsx/.docx bytes: an approved edition's with its approval
    time everywhere (its 填报时间 too, when the park wrote none); else marked as a draft."""
    evaluation = item.evaluation
    printed = evaluation.dataset.reported is not None
    filled = evaluation.dataset.profile.filled_on(approved_at) if approved_at else None
    table = build_table(evaluation, item.verification if printed else None, lang=lang,
                        filled_on=filled)
    if approved_at is None:
        table = draft_table(table, lang)
    with tempfile.TemporaryDirectory(prefix="ecopark-download-") as folder:
        path = Path(folder) / f"table{suffix}"
        write_table(table, path)
        data = path.read_bytes()
    return fixed_package(data, approved_at) if approved_at else data
