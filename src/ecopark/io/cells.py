"""One cell read as data, the way park offices type it.

A cell holds a number (12957, "12,957", "１２，９５７", "496758.52 万元", "81.17%", a number
formatted as a percentage), a "not reported" mark ("/", "-", "—", "／"), nothing at all, a
yes/no ("是", "否", "√", "×"), a year ("2018", "2018年") or words. Each reader here returns a
small typed result, `None` for an empty cell, or a `Problem` (zh-CN then English, with a hint)
that the caller turns into a `WorkbookError` naming the sheet and cell.

Bulk reading (a 100,000-row roster) takes the fast path first: `plain_number(raw)` is the value
of a cell that holds a stored int or float, with no object made, and None for every other cell,
which `read_number` then reads.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import unicodedata

from ecopark.core.numbers import ABSENT, parse_printed

__all__ = ["Absent", "Number", "Problem", "Raw", "cell_text", "is_empty", "plain_number",
           "read_bool", "read_int", "read_number"]

Raw = int | float | str | bool | datetime.date | datetime.time | datetime.timedelta | None

EXCEL_ERRORS = frozenset({"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!",
                          "#GETTING_DATA", "#SPILL!", "#CALC!"})
_WITH_UNIT = re.compile(r"^(?P<number>[+-]?[\d.,]*\d[\d.,]*)\s*(?P<unit>[^\d\s.,+-].*)$")
_EXPONENT = re.compile(r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")
_YEAR = re.compile(r"^(\d{4})(\.0+)?\s*年?(度)?$")
_TRUE = frozenset({"是", "y", "yes", "true", "√", "✓", "✔", "满足", "已满足", "1", "是的"})
_FALSE = frozenset({"否", "n", "no", "false", "×", "✗", "✘", "x", "不满足", "未满足", "0"})
_SIGNIFICANT = 15  # Excel keeps 15 significant digits
_EXACT = float(2**53)  # whole floats below this are exact integers


@dataclasses.dataclass(frozen=True, slots=True)
class Problem:
    """Why a cell cannot be read, and how to fix it (both zh-CN then English)."""

    problem: str
    hint: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class Number:
    """A number; `unit` is a unit written in the cell itself ("万元", "%"), else None."""

    value: int | float
    unit: str | None = None
    text: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class Absent:
    """Written as not reported: "/", "-", "—" (kept as written, never read as 0)."""

    text: str


def is_empty(raw: Raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def cell_text(raw: Raw) -> str:
    """Any cell as text: stripped strings, numbers without a spurious ".0", 是/否, ISO dates."""
    if type(raw) is str:
        return raw.strip()
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if isinstance(raw, float):
        return _number_text(_tidy(raw))
    if isinstance(raw, int):
        return str(raw)
    if isinstance(raw, datetime.date | datetime.time):
        return raw.isoformat()
    if isinstance(raw, datetime.timedelta):
        return str(raw)
    return raw.strip()


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().replace("−", "-").replace("–", "-")


def _tidy(value: float) -> int | float:
    """A whole float becomes an int (12957.0 → 12957); others keep their value."""
    if value.is_integer() and -_EXACT < value < _EXACT:
        return int(value)
    return value


def plain_number(raw: Raw) -> int | float | None:
    """The fast path: the value of a cell that holds a stored number (an int, or a float, whole
    floats as ints, exactly as `read_number` gives it); None for any other cell (empty, text,
    TRUE/FALSE, a date), which `read_number` then reads. A cell formatted as a percentage is
    `read_number(raw, percent_format=True)`'s to read."""
    if type(raw) is float:
        return int(raw) if raw.is_integer() and -_EXACT < raw < _EXACT else raw
    if type(raw) is int:
        return raw
    return None


def _number_text(value: int | float) -> str:
    return str(value) if isinstance(value, int) else repr(value)


def _not_a_number(shown: str) -> Problem:
    return Problem(f"不是数字 not a number: “{shown}”",
                   "填写数字（可带单位，如 496758.52 万元），未填报写 / write a number (a unit "
                   "may follow it), or / if not reported")


def read_number(raw: Raw, percent_format: bool = False) -> Number | Absent | Problem | None:
    """A number cell. `percent_format`: the cell is formatted as a percentage, so its stored
    0.8117 means 81.17 %."""
    if type(raw) is str:  # what bulk readers leave after plain_number: "/", "12,345.60" …
        return _typed_number(raw) if raw.strip() else None
    if not percent_format:
        value = plain_number(raw)
        if value is not None:
            return Number(value)
    if is_empty(raw):
        return None
    if isinstance(raw, bool):
        return Problem(f"是逻辑值而不是数字 a TRUE/FALSE value, not a number: {cell_text(raw)}",
                       "填写数字 write a number")
    if isinstance(raw, int | float):
        return _stored_number(raw, percent_format)
    if isinstance(raw, datetime.date | datetime.time | datetime.timedelta):
        return Problem(f"是日期/时间而不是数字 a date or time, not a number: {cell_text(raw)}",
                       "把单元格格式设为“常规”或“数值”后重新输入 set the cell format to General "
                       "or Number and type the number again")
    return _typed_number(str(raw))


def _stored_number(raw: int | float, percent_format: bool) -> Number:
    if not percent_format:
        return Number(_tidy(float(raw)) if isinstance(raw, float) else raw)
    value = float(f"{raw * 100:.{_SIGNIFICANT}g}")
    return Number(_tidy(value), "%", f"{_number_text(_tidy(value))}%")


def _typed_number(written: str) -> Number | Absent | Problem:
    text = _normal(written)
    if text in ABSENT:
        return Absent(text)
    if text in EXCEL_ERRORS:
        return Problem(f"公式结果为错误值 the formula gives an error value: {text}",
                       "修正公式或改填数值 fix the formula or type the value")
    printed = parse_printed(text)
    if printed.absent:
        return Absent(printed.text)
    if printed.number is not None:
        return Number(_tidy(printed.number), "%" if printed.percent else None, written.strip())
    if _EXPONENT.match(text):
        return Number(_tidy(float(text)), None, written.strip())
    return _number_with_unit(text, written)


def _number_with_unit(text: str, written: str) -> Number | Problem:
    match = _WITH_UNIT.match(text)
    if match is None:
        return _not_a_number(written.strip())
    printed = parse_printed(match["number"])
    if printed.number is None or printed.percent:
        return _not_a_number(written.strip())
    return Number(_tidy(printed.number), match["unit"].strip(), written.strip())


def read_bool(raw: Raw) -> bool | Problem | None:
    """是/否, √/×, yes/no, TRUE/FALSE, 1/0; None when empty."""
    if is_empty(raw):
        return None
    if isinstance(raw, bool):
        return raw
    text = _normal(cell_text(raw)).casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return Problem(f"应填“是”或“否” expected 是 (yes) or 否 (no), got “{cell_text(raw)}”",
                   "从下拉列表选择 是 或 否 choose 是 or 否 from the list")


def read_int(raw: Raw, low: int, high: int) -> int | Problem | None:
    """A whole number in [low, high]: a year ("2018", "2018年", "２０１８") or a number like 序号."""
    if is_empty(raw) or isinstance(raw, bool):
        return None if is_empty(raw) else _not_whole(raw, low, high)
    value: float | None = None
    if isinstance(raw, int | float):
        value = float(raw)
    elif isinstance(raw, str):
        text = _normal(raw)
        match = _YEAR.match(text)
        value = float(match[1]) if match else parse_printed(text).number
    if value is None or not value.is_integer() or not low <= value <= high:
        return _not_whole(raw, low, high)
    return int(value)


def _not_whole(raw: Raw, low: int, high: int) -> Problem:
    return Problem(f"应为 {low}–{high} 之间的整数 expected a whole number from {low} to {high}, "
                   f"got “{cell_text(raw)}”", "填写整数（年份写四位数字，如 2018）write a whole "
                   "number (a year as four digits, e.g. 2018)")
