"""A1 references: "E7" ↔ (row 7, column 5), both 1-based."""

from __future__ import annotations

import re

__all__ = ["cell_ref", "column_letters", "column_number", "parse_ref"]

_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")


def column_letters(column: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(letters: str) -> int:
    """A → 1, AA → 27 (any case, any length)."""
    column = 0
    for letter in letters.upper():
        column = column * 26 + ord(letter) - 64
    return column


def cell_ref(row: int, column: int) -> str:
    """A1 reference of a 1-based (row, column)."""
    return f"{column_letters(column)}{row}"


def parse_ref(ref: str) -> tuple[int, int]:
    """"E7" or "$E$7" → (7, 5)."""
    match = _REF.match(ref.strip())
    if match is None:
        raise ValueError(f"not an A1 reference: {ref!r}")
    return int(match[2]), column_number(match[1])
