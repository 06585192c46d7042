"""The template filled with a dataset (`io.prefill`) reads back to the same dataset."""

from __future__ import annotations

from pathlib import Path

import openpyxl  # type: ignore[import-untyped, unused-ignore]
import pytest

from ecopark.core.errors import WorkbookProblems
from ecopark.core.framework.model import Framework
from ecopark.io.prefill import write_filled_template
from ecopark.io.workbook import read_workbook, read_workbook_spec

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


def test_the_park_profile_goes_round_the_filled_template(tmp_path: Path,
                                                         hj274: Framework) -> None:
    spec = read_workbook_spec(TINY)
    facts = {"area": "3.5", "location": "某市某区，东临某河", "leading_industries": "新材料、装备制造",
             "enterprises": "120", "enterprises_above_size": "45", "approval_doc": "环发〔2013〕41号",
             "approval_date": "2013-04", "plan_approval_date": "2013-09-16",
             "problems_text": "一是碳排放强度偏高。\n二是统计口径不一。"}
    spec = spec.model_validate({**spec.model_dump(by_alias=True),
                                "park": {**spec.park.model_dump(), **facts}})
    path = tmp_path / "filled.xlsx"
    write_filled_template(hj274, spec, [2015, 2018], path)
    park = openpyxl.load_workbook(path)["园区信息"]
    labels = {park.cell(row=r, column=1).value: park.cell(row=r, column=2).value
              for r in range(1, 40)}
    assert (labels["园区面积（km²） area"], labels["企业数量（家） number of enterprises"],
            labels["主导产业 leading industries"]) == (
        "3.5", "120", "新材料、装备制造")
    back = read_workbook_spec(path)
    assert {k: (back.park.model_extra or {}).get(k) for k in facts} == facts


def test_an_area_that_is_no_number_is_named_by_sheet_and_cell(tmp_path: Path,
                                                              hj274: Framework) -> None:
    path = tmp_path / "filled.xlsx"
    write_filled_template(hj274, read_workbook_spec(TINY), [2015, 2018], path)
    book = openpyxl.load_workbook(path)
    park = book["园区信息"]
    row = next(r for r in range(1, 40) if park.cell(row=r, column=1).value == "园区面积（km²） area")
    park.cell(row=row, column=2).value = "大约二十"
    book.save(path)
    with pytest.raises(WorkbookProblems) as caught:
        read_workbook(path)
    assert (f"工作表 园区信息，单元格 B{row}：园区面积不是数字 is not a number: '大约二十'。"
            "建议：填写以 km² 计的数字 write a number in km²") in str(caught.value)
