"""One cell read as data: numbers as parks type them, "not reported" marks, 是/否, years."""

from __future__ import annotations

import datetime

import pytest

from ecopark.io.cells import (
    Absent,
    Number,
    Problem,
    Raw,
    cell_text,
    is_empty,
    read_bool,
    read_int,
    read_number,
)


@pytest.mark.parametrize(("raw", "expected"), [
    (496758.52, Number(496758.52)),
    (12957.0, Number(12957)),  # a whole float becomes an int
    (0, Number(0)),
    ("39.31", Number(39.31, None, "39.31")),
    ("12,957", Number(12957, None, "12,957")),
    ("2,069,827.16", Number(2069827.16, None, "2,069,827.16")),
    (" 12 345 ", Number(12345, None, "12 345")),
    ("１２，３４５．６", Number(12345.6, None, "１２，３４５．６")),
    ("１２，３４５．６％", Number(12345.6, "%", "１２，３４５．６％")),
    ("81.17%", Number(81.17, "%", "81.17%")),
    ("-0.89", Number(-0.89, None, "-0.89")),
    ("−0.89", Number(-0.89, None, "−0.89")),  # a typographic minus sign
    ("1.2E+05", Number(120000, None, "1.2E+05")),
    ("496758.52 万元", Number(496758.52, "万元", "496758.52 万元")),
    ("3163000立方米", Number(3163000, "立方米", "3163000立方米")),
    ("3.10 km²", Number(3.1, "km2", "3.10 km²")),  # full-width and superscripts normalised
    ("12,957人", Number(12957, "人", "12,957人")),
])
def test_numbers_as_parks_type_them(raw: Raw, expected: Number) -> None:
    assert read_number(raw) == expected


@pytest.mark.parametrize("raw", ["/", "-", "—", "--", "——", "／", "－", "无", "n/a"])
def test_not_reported_marks_are_kept_never_zero(raw: str) -> None:
    found = read_number(raw)
    assert isinstance(found, Absent) and found.text != "" and not isinstance(found, Number)


@pytest.mark.parametrize("raw", [None, "", "   ", "\u3000"])
def test_empty_cells_are_none(raw: Raw) -> None:
    assert read_number(raw) is None and is_empty(raw)


def test_a_percentage_formatted_cell_is_a_percentage() -> None:
    assert read_number(0.8117, percent_format=True) == Number(81.17, "%", "81.17%")
    assert read_number(1, percent_format=True) == Number(100, "%", "100%")
    assert read_number(0.3497, percent_format=True) == Number(34.97, "%", "34.97%")


@pytest.mark.parametrize(("raw", "fragment"), [
    ("五万", "不是数字 not a number: “五万”"),
    ("约100", "不是数字"),
    ("12,34", "不是数字"),  # a misplaced thousands separator is not guessed at
    (True, "逻辑值"),
    (datetime.date(2018, 12, 31), "日期"),
    (datetime.datetime(2018, 12, 31, 8, 0), "日期"),
    ("#DIV/0!", "错误值 the formula gives an error value: #DIV/0!"),
    ("#N/A", "错误值"),
])
def test_what_is_not_a_number_says_so(raw: Raw, fragment: str) -> None:
    found = read_number(raw)
    assert isinstance(found, Problem) and fragment in found.problem and found.hint


@pytest.mark.parametrize(("raw", "expected"), [
    ("是", True), ("否", False), (True, True), (False, False), ("√", True), ("×", False),
    ("Yes", True), ("no", False), ("TRUE", True), (1, True), (0, False), ("满足", True),
    ("不满足", False), (" 是 ", True), (None, None), ("", None),
])
def test_yes_and_no(raw: Raw, expected: bool | None) -> None:
    assert read_bool(raw) is expected


def test_neither_yes_nor_no() -> None:
    found = read_bool("也许")
    assert isinstance(found, Problem)
    assert found.problem == "应填“是”或“否” expected 是 (yes) or 否 (no), got “也许”"


@pytest.mark.parametrize(("raw", "expected"), [
    (2018, 2018), (2018.0, 2018), ("2018", 2018), ("2018年", 2018), ("２０１８年", 2018),
    (" 2018 ", 2018), ("2018年度", 2018), (None, None), ("", None),
])
def test_years(raw: Raw, expected: int | None) -> None:
    assert read_int(raw, 1900, 2200) == expected


@pytest.mark.parametrize("raw", ["2018.5", 1899, "二〇一八", "明年", True, 2201])
def test_not_a_year(raw: Raw) -> None:
    found = read_int(raw, 1900, 2200)
    assert isinstance(found, Problem)
    assert found.problem.startswith("应为 1900–2200 之间的整数 expected a whole number from 1900 "
                                    "to 2200")


@pytest.mark.parametrize(("raw", "expected"), [
    (None, ""), (" 江苏 ", "江苏"), (12957.0, "12957"), (39.31, "39.31"), (7, "7"),
    (True, "是"), (datetime.date(2019, 5, 22), "2019-05-22"),
])
def test_cell_text(raw: Raw, expected: str) -> None:
    assert cell_text(raw) == expected
