"""The 园区信息 sheet of a park's workbook: the park's name, framework, planning base year and
evaluation year, the framework's profile fields (region class …), and the optional indicators
chosen for assessment.

Each field is a label | value row whose value cell carries a workbook defined name (the field's
key); a copied sheet that lost its names is read by the labels. The optional indicators are a
table 序号 | 指标 | 是否为考核指标 below the fields. Every problem goes to the import's
`Context` with its sheet and cell.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from ecopark.core.framework.loading import available_frameworks, load_framework
from ecopark.core.framework.model import Framework
from ecopark.core.text import label_matches, normalize_label
from ecopark.io.cells import Problem, cell_text, read_bool, read_int
from ecopark.io.context import Context, Found, Names
from ecopark.io.layout import OPTIONAL_COLUMNS, PARK_FIELDS, SHEETS, ParkField, park_fields
from ecopark.io.sheet import Header, Row, Sheet, parse_ref

__all__ = ["DEFAULT_FRAMEWORK", "ParkInfo"]

DEFAULT_FRAMEWORK = "hj274-2015"


class ParkInfo:
    """Reads 园区信息 into the dataset's `park`, `year` and `framework`."""

    def __init__(self, context: Context) -> None:
        self.context, self.book, self.problems = context, context.book, context.problems
        self.places = context.places
        self.framework: Framework | None = None
        self.others: list[Framework] = []  # the frameworks the park is also assessed under
        self._park_sheet: Sheet | None = None

    def read(self, framework: Framework | None) -> dict[str, Any] | None:
        """`park`, `year` and `framework` of the dataset; None (problems noted) when the
        framework is unknown, since nothing else can be read without it."""
        park = self.context.sheet(SHEETS["park"], required=True)
        rows = list(park.rows()) if park else []
        if park is not None:
            self.context.small[park.name] = rows
        self._park_sheet = park
        fixed = self._park_cells(park, rows, list(PARK_FIELDS))
        self.framework = fw = self._framework(fixed.get("framework"), framework,
                                              fixed.get("also_frameworks"))
        if fw is None:
            return None
        self.others = self._also(fixed.get("also_frameworks"), fw)
        fields = park_fields(fw, self.others)[len(PARK_FIELDS):]
        cells = {**fixed, **self._park_cells(park, rows, fields)}
        data: dict[str, Any] = {"framework": fw.id, "park": self._park(fw, cells, fields)}
        if self.others:
            data["also_frameworks"] = [other.id for other in self.others]
        data["park"]["selected"] = self._selected(fw, park, rows) if park else []
        data["year"] = self._year(cells, PARK_FIELDS[3])
        return data

    def _park_cells(self, sheet: Sheet | None, rows: list[Row],
                    fields: list[ParkField]) -> dict[str, Found]:
        """Each field's value cell: its defined name, else the cell next to its label."""
        names = self.book.defined_names
        out: dict[str, Found] = {}
        for field in fields:
            place = names.get(field.key.casefold())
            found = self._named(place) if place else None
            if found is None and sheet is not None:
                found = _by_label(sheet.name, rows, field.labels)
            if found is not None:
                out[field.key] = found
        return out

    def _named(self, place: tuple[str, str]) -> Found | None:
        if place[0] not in self.book.sheet_names:
            return None
        if place[0] not in self.context.small:
            self.context.small[place[0]] = list(self.book.sheet(place[0]).rows())
        row_number, column = parse_ref(place[1])
        row = next((r for r in self.context.small[place[0]] if r.number == row_number), None)
        return Found(row.value(column) if row else "", place[0], place[1])

    def _framework(self, found: Found | None, given: Framework | None,
                   also: Found | None = None) -> Framework | None:
        """The workbook's own framework: the one 园区信息 names, or `given`. A workbook read
        under a framework it is also assessed under keeps its own (the caller assesses the
        data under `given`, as for a YAML dataset)."""
        written = cell_text(found.value) if found else ""
        if given is None:
            return self._load_framework(written or DEFAULT_FRAMEWORK, found)
        listed = re.split(r"[\s,，、;；]+", cell_text(also.value)) if also else []
        if written and given.id in listed and written in available_frameworks():
            return self._load_framework(written, found)
        if found is not None and written and normalize_label(written) != normalize_label(given.id):
            self.problems.add(found.sheet, found.cell, f"工作簿的指标体系为 “{written}”，而指定的是 "
                              f"{given.id} the workbook is for {written!r}, not {given.id}",
                              f"改为 {given.id}，或不指定 --framework change it, or drop --framework")
        return given

    def _load_framework(self, name: str, found: Found | None) -> Framework | None:
        """Only the frameworks shipped with ecopark: a workbook must not name a file to load."""
        available = available_frameworks()
        key = next((k for k in available if normalize_label(k) == normalize_label(name)), None)
        if key is not None:
            return load_framework(key)
        self.problems.add(found.sheet if found else SHEETS["park"][0], found.cell if found else "",
                          f"未知指标体系 unknown framework “{name}”",
                          f"可用 available: {', '.join(available)}；自定义指标体系请用 --framework "
                          "指定文件 give a framework file with --framework")
        return None

    def _also(self, found: Found | None, fw: Framework) -> list[Framework]:
        """The shipped frameworks named in 同时评价的指标体系 (comma-separated), not the own."""
        text = cell_text(found.value) if found else ""
        out: list[Framework] = []
        for name in filter(None, re.split(r"[\s,，、;；]+", text)):
            other = self._load_framework(name, found)
            if other is not None and other.id != fw.id and other not in out:
                out.append(other)
        if found is not None and text:
            self.places.note("also_frameworks", found.sheet, found.cell)
        return out

    def _park(self, fw: Framework, cells: dict[str, Found],
              fields: list[ParkField]) -> dict[str, Any]:
        park: dict[str, Any] = {"name": self._name(cells.get("park_name"))}
        park["base_year"] = self._year(cells, PARK_FIELDS[2])
        for field in fields:
            value = self._profile(fw, field, cells.get(field.key))
            if value:  # a text or date left empty is not filled in
                park[field.key] = value
        for key, path in (("park_name", "park.name"), ("base_year", "park.base_year"),
                          ("eval_year", "year"), ("framework", "framework")):
            if key in cells:
                self.places.note(path, cells[key].sheet, cells[key].cell)
        return park

    def _missing(self, field: ParkField, found: Found | None) -> None:
        if found is None and self._park_sheet is None:
            return  # the missing sheet is the problem already reported
        sheet = found.sheet if found else SHEETS["park"][0]
        self.problems.add(sheet, found.cell if found else "", f"未填写{field.name_zh} "
                          f"{field.name_en} not filled in", f"在工作表 {SHEETS['park'][0]} 中填写"
                          f"{field.name_zh} fill in the {field.name_en.lower()}")

    def _name(self, found: Found | None) -> str:
        text = cell_text(found.value) if found else ""
        if not text:
            self._missing(PARK_FIELDS[0], found)
        return text

    def _year(self, cells: dict[str, Found], field: ParkField) -> int | None:
        found = cells.get(field.key)
        year = read_int(found.value, 1900, 2200) if found else None
        if isinstance(year, int):
            return year
        if isinstance(year, Problem) and found is not None:
            self.problems.cell(found.sheet, found.cell, year)
        else:
            self._missing(field, found)
        return None

    def _profile(self, fw: Framework, field: ParkField, found: Found | None) -> str | None:
        declared = next(f.spec.profile_fields[field.key] for f in (fw, *self.others)
                        if field.key in f.spec.profile_fields)
        value = found.value if found else None
        text = value.date().isoformat() if isinstance(value, datetime.datetime) else \
            cell_text(value) if found else ""
        if declared.kind != "choice":  # a number, date, text or time zone: checked by the dataset
            if text and found is not None:
                self.places.note(f"park.{field.key}", found.sheet, found.cell)
            return text or None
        if not text:
            if declared.default is None:
                self._missing(field, found)
            return declared.default
        names = Names({k: [v.zh or v.en, v.en] for k, v in declared.values.items()})
        key = names.find(text)
        if found is not None and key is None:
            self.problems.add(found.sheet, found.cell, f"{declared.name_zh}的取值 “{text}” 不在允许"
                              f"范围 not an allowed {declared.name_en}",
                              f"可选 choose one of: {'、'.join(field.choices)}")
        elif found is not None:
            self.places.note(f"park.{field.key}", found.sheet, found.cell)
        return key

    def _selected(self, fw: Framework, sheet: Sheet, rows: list[Row]) -> list[int]:
        """The optional-indicator table (是否为考核指标 = 是); absent table: none selected."""
        if not any(label_matches(cell_text(v), OPTIONAL_COLUMNS[2].names) for r in rows for v in r.values):
            return []
        stream = iter(rows)
        header = self.context.header(sheet, stream, OPTIONAL_COLUMNS, scan=len(rows))
        if header is None:
            return []
        chosen: list[int] = []
        for row in stream:
            number = self._optional_row(fw, sheet.name, header, row)
            if number is not None:
                self.places.note(f"park.selected[{len(chosen)}]", sheet.name,
                                 row.ref(header.columns["selected"]))
                chosen.append(number)
        return chosen

    def _optional_row(self, fw: Framework, sheet: str, header: Header, row: Row) -> int | None:
        column = header.columns["selected"]
        chosen = read_bool(row.value(column))
        if isinstance(chosen, Problem):
            self.problems.cell(sheet, row.ref(column), chosen)
        if chosen is not True:
            return None
        number = self.context.indicator(fw, sheet, header, row)
        if number is not None and fw.by_number[number].mandatory:
            self.problems.add(sheet, row.ref(column), f"指标 {number} 是必选指标，无需选择 "
                              f"indicator {number} is mandatory, always assessed",
                              "删除此行或改为“否” delete the row or choose 否")
            return None
        return number


def _by_label(sheet: str, rows: list[Row], labels: tuple[str, ...]) -> Found | None:
    """A label | value row: the first non-empty cell is the label, the cell right of it (and of
    its merged copies) the value."""
    for row in rows:
        label = next((c for c in range(1, len(row.values) + 1) if cell_text(row.value(c))), 0)
        if label and label_matches(cell_text(row.value(label)), labels):
            column = label + 1
            while column <= len(row.values) and row.value(column) == row.value(label):
                column += 1
            return Found(row.value(column), sheet, row.ref(column))
    return None
