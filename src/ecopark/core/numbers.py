"""Reading numbers as parks print them: "39.31", "１２，３４５．６％", "-0.89 ", "/" (not reported).

A printed value keeps its number of decimals, so a recomputation can be compared within the
precision it was printed with.
"""

from __future__ import annotations

import dataclasses
import math
import re
import unicodedata

__all__ = ["ABSENT", "MAX_MAGNITUDE", "Printed", "factor", "format_value", "parse_printed", "plain",
           "within_precision"]

MAX_MAGNITUDE = 1e30  # far beyond any quantity a park reports, in any unit
ABSENT = frozenset({"", "/", "-", "—", "--", "——", "－", "／", "无", "n/a", "N/A"})
_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$|^[+-]?\.\d+$")


@dataclasses.dataclass(frozen=True)
class Printed:
    """A printed value: a number with its decimals, a word ("达标"), or absent ("/")."""

    text: str
    number: float | None = None
    decimals: int = 0
    percent: bool = False

    @property
    def absent(self) -> bool:
        return self.number is None and self.text in ABSENT

    @property
    def word(self) -> str | None:
        return None if self.number is not None or self.absent else self.text


def parse_printed(raw: object) -> Printed:
    """Parse a printed value. Numbers from YAML keep the decimals of their repr."""
    if isinstance(raw, bool):
        return Printed(str(raw))
    if isinstance(raw, int | float):
        number = _float(raw)
        text = repr(raw) if math.isfinite(number) else repr(number)
        return Printed(text, number, _decimals(text))
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    text = text.replace("−", "-").replace("–", "-")
    if text in ABSENT:
        return Printed(text)
    percent = text.endswith("%")
    body = text.rstrip("%").strip().replace(" ", "")
    if _NUMBER.match(body):
        return Printed(text, float(body.replace(",", "")), _decimals(body), percent)
    return Printed(text)


def _float(number: int | float) -> float:
    """The number as a float; an integer beyond the float range is infinite (then refused)."""
    try:
        return float(number)
    except OverflowError:
        return math.inf if number > 0 else -math.inf


def _decimals(text: str) -> int:
    if "e" in text.lower():
        return 6
    return len(text.split(".")[1]) if "." in text else 0


def format_value(value: object, decimals: int = 2) -> str:
    """A value as a table prints it: numbers with the indicator's decimals, words as they are."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        return f"{value:,.{decimals}f}".replace(",", "") if abs(value) < 1e15 else f"{value:.6g}"
    return str(value)


def within_precision(computed: float, printed: Printed) -> bool:
    """Whether `computed`, rounded as `printed` was, gives the printed number."""
    assert printed.number is not None
    tolerance: float = 0.5 * 10.0 ** (-printed.decimals) + 1e-9
    return abs(computed - printed.number) <= tolerance


def plain(value: float) -> str:
    """A number as people write it in a sentence: thousands separators, at most six decimals,
    no trailing zeros, never an exponent (1,000,000; 0.5; 15)."""
    text = f"{value:,.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def factor(value: float) -> str:
    """How many times one number is another, as a sentence writes it: 3.05, 12.4, 9,070 (three
    significant figures below 1,000, whole numbers above, never an exponent)."""
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"
