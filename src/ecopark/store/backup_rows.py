"""The rows of a backup, checked against the schema they are restored into before any is
written: known tables and columns, rows of the right length, and every value of its column's
type (integers in range, text that is valid Unicode, fits the column and, for PostgreSQL, holds
no NUL character, instants in ISO 8601). A problem names the table, the row (1-based, as in
the backup) and the column.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger, Boolean, Column, DateTime, Float, Integer, Numeric, String, Table

from ecopark.core.errors import InputFileError

__all__ = ["check_rows"]

_INT_BITS = {"postgresql": 32, "sqlite": 64}


def check_rows(name: str, content: object, tables: dict[str, Table],
               dialect: str) -> dict[str, list[dict[str, Any]]]:
    """The backup's rows as insertable dicts, tables in dependency order; InputFileError on the
    first problem."""
    if not isinstance(content, dict):
        raise InputFileError(name, "备份缺少表数据 the backup has no tables")
    for table_name in content:
        if table_name not in tables:
            raise InputFileError(name, f"未知的表 unknown table: {str(table_name)[:80]}",
                                 "备份与 ecopark 的版本不符 the backup is not of this ecopark")
    return {table_name: _table_rows(name, table, content[table_name], dialect)
            for table_name, table in tables.items() if table_name in content}


def _table_rows(name: str, table: Table, content: object, dialect: str) -> list[dict[str, Any]]:
    if not isinstance(content, dict) or not isinstance(content.get("columns"), list) \
            or not isinstance(content.get("rows"), list):
        raise InputFileError(name, f"表 {table.name} 的内容应有 columns 与 rows the table "
                             f"{table.name} needs a list of columns and a list of rows")
    columns = [_column(name, table, column) for column in content["columns"]]
    return [_row(name, table, columns, number, row, dialect)
            for number, row in enumerate(content["rows"], start=1)]


def _column(name: str, table: Table, column: object) -> Column[Any]:
    if not isinstance(column, str) or column not in table.columns:
        raise InputFileError(name, f"表 {table.name} 没有列 {str(column)[:80]} table "
                             f"{table.name} has no such column")
    return table.columns[column]


def _row(name: str, table: Table, columns: list[Column[Any]], number: int, row: object,
         dialect: str) -> dict[str, Any]:
    if not isinstance(row, list) or len(row) != len(columns):
        raise InputFileError(name, f"表 {table.name} 第 {number} 行应有 {len(columns)} 个值 "
                             f"table {table.name}, row {number}: expected {len(columns)} values")
    values = {}
    for column, value in zip(columns, row, strict=True):
        problem = _problem(column, value, dialect)
        if problem:
            raise InputFileError(name, f"表 {table.name} 第 {number} 行 {column.name} 列"
                                 f"（table {table.name}, row {number}, column {column.name}）："
                                 f"{problem}", _hint(problem))
        values[column.name] = _value(column, value)
    return values


def _problem(column: Column[Any], value: Any, dialect: str) -> str:
    if value is None:
        return ""
    kind = column.type
    if isinstance(kind, Boolean):
        return "" if isinstance(value, bool) or value in (0, 1) else "应为真假值 not a boolean"
    if isinstance(kind, Integer):
        return _int_problem(value, 64 if isinstance(kind, BigInteger) else _INT_BITS[dialect])
    if isinstance(kind, Float | Numeric):
        return "" if isinstance(value, int | float) and not isinstance(value, bool) else \
            "应为数值 not a number"
    if isinstance(kind, DateTime):
        return _instant_problem(value)
    if isinstance(kind, String):
        return _text_problem(value, kind.length, dialect)
    return ""


def _int_problem(value: Any, bits: int) -> str:
    if not isinstance(value, int) or isinstance(value, bool):
        return "应为整数 not an integer"
    limit = 1 << (bits - 1)
    return "" if -limit <= value < limit else "整数超出范围 the integer is out of range"


def _instant_problem(value: Any) -> str:
    try:
        dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return "应为 ISO 8601 时间 not an ISO 8601 date and time"
    return ""


def _text_problem(value: Any, length: int | None, dialect: str) -> str:
    if not isinstance(value, str):
        return "应为文本 not text"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "不是有效的 Unicode 文本 not valid Unicode text"
    if length is not None and len(value) > length:
        return f"超过 {length} 个字符 longer than {length} characters"
    if dialect == "postgresql" and "\x00" in value:
        return _NUL
    return ""


_NUL = "含 NUL 字符（\\x00），PostgreSQL 的文本无法保存 holds a NUL character, which PostgreSQL text " \
    "cannot hold"


def _hint(problem: str) -> str:
    if problem == _NUL:
        return ("在原数据库中改掉该值后重新备份，或恢复到 SQLite（不会改动数据）change the value in "
                "the source database and back up again, or restore into SQLite (nothing is altered)")
    return "备份已损坏或被改动 the backup is damaged or was edited"


def _value(column: Column[Any], value: Any) -> Any:
    if isinstance(column.type, DateTime) and isinstance(value, str):
        parsed = dt.datetime.fromisoformat(value)
        return parsed.astimezone(dt.UTC).replace(tzinfo=None) if parsed.tzinfo else parsed
    if isinstance(column.type, Boolean) and value is not None:
        return bool(value)
    return value
