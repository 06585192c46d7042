"""Rebuild tests/data/verify-batch/*.docx: the seed's printed table (wujin-2018-table.docx) with
known differences, for the batch verification's tests.

    .venv/bin/python tests/data/make_verify_variants.py

- `corrected.docx`: the four printed values that differ from the recomputation (indicators 1,
  9, 15, 26) printed as recomputed: no verdict flip, no mismatch left.
- `mandatory.docx`: corrected, but the mandatory indicator 10 (综合能耗弹性系数) printed 0.20
  instead of 0.16: one mismatch on a mandatory indicator, still met.
- `optional.docx`: corrected, but indicator 15 (工业用水重复利用率, not mandatory) printed 81.17
  as in the seed: one mismatch on an optional indicator.
- `broken.docx`: not a Word document at all (a text file with the suffix).

The seed table itself (overall verdict flips, indicator 26 flips) is the worst of the batch.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.table import Table

DATA = Path(__file__).resolve().parent
SEED = DATA / "wujin-2018-table.docx"
OUT = DATA / "verify-batch"
CORRECTED = {  # the indicator's printed name (its start) → the value as recomputed
    "高新技术企业工业总产值占园区": "34.97",
    "单位工业用地面积工业增加值三": "7.94",
    "工业用水重复利用率": "80.23",
    "单位工业增加值二氧化碳排放量年均削减率": "-5.54",
}
VARIANTS = {
    "corrected.docx": {},
    "mandatory.docx": {"综合能耗弹性系数": "0.20"},
    "optional.docx": {"工业用水重复利用率": "81.17"},
}


def _set_value(table: Table, name: str, value: str) -> None:
    """The 数值 cell (the last) of the row whose 指标 cell starts with `name`."""
    for row in table.rows:
        cells = row.cells
        if len(cells) == 7 and cells[2].text.strip().startswith(name):
            paragraph = cells[6].paragraphs[0]
            for run in paragraph.runs[1:]:
                run.text = ""
            if paragraph.runs:
                paragraph.runs[0].text = value
            else:
                paragraph.add_run(value)
            return
    raise SystemExit(f"no row starts with {name}")


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for name, changes in VARIANTS.items():
        document = docx.Document(str(SEED))
        for row_name, value in {**CORRECTED, **changes}.items():
            _set_value(document.tables[0], row_name, value)
        document.save(str(OUT / name))
    (OUT / "broken.docx").write_text("这不是 Word 文档 not a Word document\n", encoding="utf-8")


if __name__ == "__main__":
    main()
