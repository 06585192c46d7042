"""The template filled with a dataset (`io.prefill`) reads back to the same dataset."""

from __future__ import annotations

from pathlib import Path

import openpyxl  # type: ignore[import-untyped, unused-ignore]

from ecopark.framework import Framework
from ecopark.io.prefill import write_filled_template
from ecopark.io.workbook import read_workbook_spec

TINY = Path(__file__).resolve().parents[1] / "data" / "workbooks" / "tiny-park.xlsx"


def test_the_tiny_park_goes_round_the_filled_template(tmp_path: Path, hj274: Framework) -> None:
    spec = read_workbook_spec(TINY)
    path = tmp_path / "filled.xlsx"
    write_filled_template(hj274, spec, [2015, 2018], path)
    back = read_workbook_spec(path)
    assert back.model_dump(exclude={"reported"}) == spec.model_dump(exclude={"reported"})
    assert back.reported is not None and spec.reported is not None
    assert back.reported.indicators == spec.reported.indicators == {2: "20.00", 11: "0.410"}


def test_what_the_office_sees_in_the_filled_template(tmp_path: Path, hj274: Framework) -> None:
    spec = read_workbook_spec(TINY)
    path = tmp_path / "filled.xlsx"
    write_filled_template(hj274, spec, [2015, 2016, 2018], path)
    book = openpyxl.load_workbook(path)
    data = book["基础数据"]
    row = {data.cell(row=r, column=1).value: r for r in range(3, data.max_row + 1)}
    assert [data.cell(row=row["iva"], column=c).value for c in range(4, 8)] == \
        ["万元", 40000, None, 53240]
    assert data.cell(row=row["key_source_compliance"], column=7).value == "达标"
    assert data.cell(row=row["recycling_industry_va"], column=7).value == "/"
    park = book["园区信息"]
    chosen = {park.cell(row=r, column=1).value: park.cell(row=r, column=3).value
              for r in range(1, park.max_row + 1) if park.cell(row=r, column=3).value in ("是", "否")}
    assert chosen[2] == chosen[11] == "是" and chosen[8] == "否"
    assert book["清单"]["C3"].value == "环境管理机构" and book["清单"]["D4"].value == "否"
