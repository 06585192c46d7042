"""Fixtures of the accounting tests: the coefficient library, the roster fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecopark.accounting.coefficients import Library
from ecopark.accounting.library import load_library

DATA = Path(__file__).resolve().parent.parent / "data" / "accounting"
ROSTER_CSV = DATA / "roster-10.csv"
ROSTER_XLSX = DATA / "roster-10.xlsx"
BAD_CSV = DATA / "roster-bad.csv"
BAD_XLSX = DATA / "roster-bad.xlsx"
DUP_CSV = DATA / "roster-dup.csv"
DUP_XLSX = DATA / "roster-dup.xlsx"
CODE_JIA = "91320412MA1AB0001C"  # 甲, on rows 2 and 4 of roster-dup


@pytest.fixture(scope="session")
def library() -> Library:
    return load_library()
