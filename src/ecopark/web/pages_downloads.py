"""Downloads of a park-year: the 对照考核表 (.xlsx, .docx; with the printed values and the
findings when the park-year has a printed table), the dataset (YAML, as stored), the draft
the workbook template filled with what is
stored (one column per year the indicators read and per stored year; uploaded again, it gives
back the same values). The draft annual report is a background job (pages_jobs)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Literal
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from ecopark.core.framework.loading import load_framework
from ecopark.io.prefill import write_filled_template
from ecopark.io.yamlout import dataset_yaml
from ecopark.reports.marks import draft_table
from ecopark.reports.table import AssessmentTable, build_table, write_table
from ecopark.reports.wording import table_name
from ecopark.store import models as m
from ecopark.web.assessed import Assessed, assessed
from ecopark.web.deps import Db, Id, Year
from ecopark.web.editions import FINAL
from ecopark.web.forms import needed_years
from ecopark.web.page_deps import Viewer, readable_park
from ecopark.web.render import translator_of

__all__ = ["router", "template_years"]

router = APIRouter(include_in_schema=False)

_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".yaml": "application/yaml; charset=utf-8",
}
Kind = Literal["table.xlsx", "table.docx", "dataset.yaml", "template.xlsx"]


@router.get("/parks/{park_id}/years/{year}/download/{kind}")
def download(park_id: Id, year: Year, kind: Kind, request: Request, session: Db,
             who: Viewer) -> Response:
    park = readable_park(session, who, park_id)
    item = assessed(request, session, park, year)
    lang = translator_of(request).lang
    final = _state(session, item.park_year_id) in FINAL
    makers: dict[str, Callable[[], bytes]] = {
        "table.xlsx": lambda: _file(".xlsx", lambda p: write_table(_table(item, lang, final), p)),
        "table.docx": lambda: _file(".docx", lambda p: write_table(_table(item, lang, final), p)),
        "dataset.yaml": lambda: dataset_yaml(item.spec).encode("utf-8"),
        "template.xlsx": lambda: _file(".xlsx", lambda p: _template(item, year, p)),
    }
    suffix = Path(kind).suffix
    name = f"{park.name}-{year}-{_word(kind, item, lang)}{suffix}"
    return Response(makers[kind](), media_type=_TYPES[suffix], headers={
        "Content-Disposition": f"attachment; filename=\"ecopark-{year}{suffix}\"; "
                               f"filename*=UTF-8''{quote(name)}"})


def _word(kind: str, item: Assessed, lang: str) -> str:
    """What a downloaded file is, in its name: 对照考核表, 数据文件, 填报模板 (in English pages:
    assessment table, data, workbook template)."""
    if kind.startswith("table."):
        return table_name(item.framework, lang).replace(" ", "-")
    zh, en = {"dataset.yaml": ("数据文件", "data"),
              "template.xlsx": ("填报模板", "workbook-template")}[kind]
    return en if lang == "en" else zh


def _table(item: Assessed, lang: str, final: bool) -> AssessmentTable:
    """The table of the stored year: marked as a draft until the year is approved (an approved
    edition's own documents: `pages_lifecycle`)."""
    printed = item.evaluation.dataset.reported is not None
    table = build_table(item.evaluation, item.verification if printed else None, lang=lang)
    return table if final else draft_table(table, lang)


def _state(session: Session, park_year_id: int) -> str:
    return str(session.scalar(select(m.ParkYear.state).where(m.ParkYear.id == park_year_id)))


def template_years(item: Assessed, year: int) -> list[int]:
    """The template's year columns: every year an indicator reads (t, t−3, the base year …) and
    every stored year up to the evaluation year."""
    framework, spec = item.framework, item.spec
    stored = {y for series in spec.observations.values() for y in series.values if y <= year}
    numbers = [indicator.number for indicator in framework.indicators]
    return sorted({year, spec.park.base_year, *stored,
                   *needed_years(framework, numbers, year, spec.park.base_year)})


def _template(item: Assessed, year: int, path: Path) -> None:
    also = [load_framework(name) for name in item.spec.also_frameworks]
    write_filled_template(item.framework, item.spec, template_years(item, year), path, also)


def _file(suffix: str, write: Callable[[Path], object]) -> bytes:
    with tempfile.TemporaryDirectory(prefix="ecopark-download-") as folder:
        path = Path(folder) / f"download{suffix}"
        write(path)
        return path.read_bytes()
