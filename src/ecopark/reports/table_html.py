"""The 对照考核表 as one self-contained HTML page (Jinja2, autoescaped, inline CSS, no scripts).

The template is `templates/table.html`; 项目 and 序号 cells span their rows (rowspan), the header
row repeats on printed pages and the page prints on A4 landscape.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from ecopark.reports.table import AssessmentTable

__all__ = ["render", "write"]


def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("ecopark.reports", "templates"),
                              autoescape=True, undefined=jinja2.StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True)


def render(table: AssessmentTable) -> str:
    template = _environment().get_template("table.html")
    return template.render(table=table, placed=table.placed())


def write(table: AssessmentTable, path: Path) -> None:
    path.write_text(render(table), encoding="utf-8")
