"""The standing of a document: the draft mark in a table's title, and the fixed metadata that
makes two renderings of an approved edition's table the same bytes (two seconds apart: a zip
member's time has a two-second resolution), the approval time in docProps/core.xml."""

from __future__ import annotations

import datetime as dt
import io
import time
import zipfile
from pathlib import Path

import pytest

from ecopark import evaluate, load_dataset, load_framework
from ecopark.reports.marks import draft_table, fixed_package
from ecopark.reports.table import build_table, write_table

from ..conftest import SEED

APPROVED = dt.datetime(2026, 3, 1, 8, 30, 5, tzinfo=dt.UTC)


def _render(tmp_path: Path, suffix: str, name: str) -> bytes:
    evaluation = evaluate(load_framework("hj274-2015"), load_dataset(SEED))
    path = tmp_path / f"{name}{suffix}"
    write_table(build_table(evaluation, filled_on=APPROVED.date()), path)
    return path.read_bytes()


@pytest.mark.parametrize("suffix", [".xlsx", ".docx"])
def test_two_renderings_with_fixed_metadata_are_the_same_bytes(tmp_path: Path,
                                                               suffix: str) -> None:
    first = _render(tmp_path, suffix, "a")
    time.sleep(2.1)
    second = _render(tmp_path, suffix, "b")
    assert fixed_package(first, APPROVED) == fixed_package(second, APPROVED)
    fixed = zipfile.ZipFile(io.BytesIO(fixed_package(first, APPROVED)))
    # every member at the approval time (a zip keeps even seconds: 05 is stored as 04)
    assert {m.date_time for m in fixed.infolist()} == {(2026, 3, 1, 8, 30, 4)}
    core = fixed.read("docProps/core.xml").decode()
    assert core.count("2026-03-01T08:30:05Z") == 2


def test_the_draft_mark_is_in_the_title() -> None:
    evaluation = evaluate(load_framework("hj274-2015"), load_dataset(SEED))
    table = build_table(evaluation)
    assert draft_table(table).title == table.title + "（草稿，尚未审核通过）"
    assert draft_table(build_table(evaluation, lang="en"), "en").title.endswith(
        " (draft, not yet approved)")
