"""Hostile files: zip bombs, encrypted and legacy files, the wrong kind of file, sparse sheets
that would make calamine allocate a huge grid, XML entity bombs, macros. Each is refused with a
typed error that says what is wrong, or read safely; none crashes or runs away with memory."""

from __future__ import annotations

import json
import random
import shutil
import struct
import subprocess
import sys
import time
import warnings
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ecopark.cli import app
from ecopark.core.errors import WorkbookError, WorkbookProblems
from ecopark.core.framework.loading import load_framework
from ecopark.core.framework.model import Framework
from ecopark.io import load
from ecopark.io.docx_budget import MAX_XML_BYTES
from ecopark.io.printed_table import read_printed_table
from ecopark.io.sheet import MAX_CELLS, MAX_SHEETS, open_workbook
from ecopark.io.workbook import read_workbook
from tests.io.hostile import (
    DOCX,
    MAIN_NS,
    WORKBOOKS,
    lie_about_size,
    paragraph_bomb,
    parts,
    rezip,
    sheet_workbook,
    sheets_workbook,
    sparse_sheets,
    with_entities,
    write_zip,
)

TINY = WORKBOOKS / "tiny-park.xlsx"
TOO_BIG = f"工作表超过 {MAX_CELLS:,} 个单元格 the sheet has more than {MAX_CELLS:,} cells"
TOGETHER = f"各工作表合计超过 {MAX_CELLS:,} 个单元格（计至此表）the sheets together have more " \
    f"than {MAX_CELLS:,} cells"
PASSWORD = "文件已加密（设有打开密码）或为旧版 .xls/.doc 格式 the file is password-protected or a " \
    "legacy .xls/.doc"


def refusal(path: Path) -> WorkbookError:
    with pytest.raises((WorkbookError, WorkbookProblems)) as caught:
        load(path)
    error = caught.value
    return error.problems[0] if isinstance(error, WorkbookProblems) else error


# ------------------------------------------------------------------------ zip bombs


@pytest.mark.parametrize("source", [TINY, DOCX], ids=["xlsx", "docx"])
def test_a_part_that_expands_hugely_is_refused_before_it_is_read(tmp_path: Path, source: Path) -> None:
    bomb = rezip(source, tmp_path / f"bomb{source.suffix}", add={"customXml/item9.xml": bytes(60 << 20)})
    assert bomb.stat().st_size < 200_000
    started = time.perf_counter()
    error = refusal(bomb)
    assert error.problem.endswith(" MB）the file decompresses to too much data")
    assert time.perf_counter() - started < 1


@pytest.mark.parametrize(("source", "member"), [
    (TINY, "xl/worksheets/sheet3.xml"), (TINY, "xl/styles.xml"), (TINY, "xl/workbook.xml"),
    (DOCX, "word/document.xml")], ids=["sheet", "styles", "workbook", "document"])
def test_a_part_that_lies_about_its_size_is_refused(tmp_path: Path, source: Path, member: str) -> None:
    """The zip directory says a few KB; the part inflates to 40 MB. Readers stop at the declared
    size (and the checksum fails): a damaged file, not a memory blow-up."""
    declared = len(parts(source)[member])
    path = rezip(source, tmp_path / f"liar{source.suffix}",
                 change={member: lambda xml: xml + b"<!--" + b" " * (40 << 20) + b"-->"})
    lie_about_size(path, member, declared)
    started = time.perf_counter()
    error = refusal(path)
    assert "损坏" in error.problem or "无法读取" in error.problem, error.problem
    assert time.perf_counter() - started < 5


# ------------------------------------------------------------------------ encrypted, legacy, wrong kind


@pytest.mark.parametrize("name", ["locked.xlsx", "locked.docx", "old.xlsm"])
def test_an_ole_file_is_refused_as_encrypted_or_legacy(tmp_path: Path, name: str) -> None:
    """An Office file with an open password is an OLE compound file (EncryptedPackage), as is a
    legacy .xls/.doc."""
    path = tmp_path / name
    stream = "EncryptedPackage".encode("utf-16-le")
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + stream)
    error = refusal(path)
    assert (error.problem, error.hint) == (PASSWORD, "去掉打开密码，另存为 .xlsx / .docx remove the "
                                                     "password and save as .xlsx / .docx")


def test_a_zip_with_encrypted_parts_is_refused(tmp_path: Path) -> None:
    path = shutil.copy(TINY, tmp_path / "zipcrypto.xlsx")
    data = bytearray(Path(path).read_bytes())
    at = 0
    while (at := data.find(b"PK\x03\x04", at)) >= 0:  # set "encrypted" in every local header
        struct.pack_into("<H", data, at + 6, struct.unpack_from("<H", data, at + 6)[0] | 1)
        at += 4
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) >= 0:  # … and in the central directory
        struct.pack_into("<H", data, at + 8, struct.unpack_from("<H", data, at + 8)[0] | 1)
        at += 4
    Path(path).write_bytes(bytes(data))
    assert refusal(Path(path)).problem == PASSWORD


def test_a_word_document_named_xlsx_is_read_as_what_it_is(tmp_path: Path, hj274: Framework) -> None:
    """By content, not by name: the printed table of a .docx renamed .xlsx is read the same; the
    workbook importer, which needs a workbook, says it is a Word document."""
    renamed = Path(shutil.copy(DOCX, tmp_path / "report.xlsx"))
    renamed_table, table = load(renamed).dataset.reported, read_printed_table(DOCX, hj274).reported
    assert renamed_table is not None and table is not None
    assert (renamed_table.indicators, renamed_table.rows) == (table.indicators, table.rows)
    with pytest.raises(WorkbookError, match="这是 Word 文档，不是 Excel 工作簿 this is a Word document"):
        read_workbook(renamed)


def test_a_workbook_named_docx_is_read_as_what_it_is(tmp_path: Path) -> None:
    renamed = Path(shutil.copy(TINY, tmp_path / "park.docx"))
    loaded = load(renamed)
    assert (loaded.kind, loaded.dataset.profile.name) == ("workbook", "示例生态工业园")


def test_a_zip_that_is_neither_is_refused(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "other.xlsx", {"content.xml": b"<office:document/>"})  # ODF, say
    error = refusal(path)
    assert error.problem == "既不是 Excel 工作簿也不是 Word 文档 neither a workbook nor a Word document"


# ------------------------------------------------------------------------ sparse sheets

SPARSE = {  # the XML inside <sheetData>; each spans far more than MAX_CELLS cells
    "A1 and XFD1048576": '<row r="1"><c r="A1"><v>1</v></c></row>'
                         '<row r="1048576"><c r="XFD1048576"><v>2</v></c></row>',
    "far cell first": '<row r="1048576"><c r="XFD1048576"><v>2</v></c></row>'
                      '<row r="1"><c r="A1"><v>1</v></c></row>',
    "far ref in row 1": '<row r="1"><c r="A1"><v>1</v></c><c r="XFD1048576"><v>2</v></c></row>',
    "second r attribute": '<row r="1"><c r="A1"><v>1</v></c><c r="B1" r="XFD1048576"><v>2</v></c></row>',
    "prefixed cell": '<row r="1"><c r="A1"><v>1</v></c><x:c r="XFD1048576"><x:v>2</x:v></x:c></row>',
    "lower-case ref": '<row r="1"><c r="A1"><v>1</v></c><c r="xfd1048576"><v>2</v></c></row>',
    "row beyond 32 bits": '<row r="1"><c r="A1"><v>1</v></c><c r="B99999999999"><v>2</v></c></row>',
    "spaced attribute": '<row r="1"><c r="A1"><v>1</v></c><c\n r = \'XFD1048576\'><v>2</v></c></row>',
    "cells without r": '<row r="1">' + "<c><v>1</v></c>" * 5000 + '</row>'
                       '<row r="2000"><c r="A2000"><v>2</v></c></row>',
}


def test_sparse_sheets_are_refused_before_calamine_allocates_them(tmp_path: Path) -> None:
    """Run in a child process whose address space is capped at 2 GB: had calamine been asked to
    read one of these sheets it would allocate the whole grid (17 billion cells for A1:XFD1048576)
    and abort the process, instead of raising."""
    files = {case: str(sheet_workbook(tmp_path / f"sparse{n}.xlsx", xml))
             for n, (case, xml) in enumerate(SPARSE.items())}
    files["lying dimension"] = str(sheet_workbook(tmp_path / "dimension.xlsx", SPARSE["far ref in row 1"],
                                                  head='<dimension ref="A1:B1"/>'))
    files["target in upper case"] = str(rezip(Path(files["far cell first"]), tmp_path / "case.xlsx", change={
        "xl/_rels/workbook.xml.rels": lambda xml: xml.replace(b"worksheets/", b"WORKSHEETS/")}))
    files["two parts of one name"] = str(two_parts_of_one_name(Path(files["far cell first"]),
                                                               tmp_path / "twice.xlsx"))
    for n, quoted in enumerate(('foo=">"', "foo='<'")):  # XML allows < and > in attributes
        files[f"quoted {quoted}"] = str(sheet_workbook(tmp_path / f"quoted{n}.xlsx", (
            '<row r="1"><c r="A1"><v>1</v></c></row>'
            f'<row r="1048576"><c {quoted} r="XFD1048576"><v>2</v></c></row>')))
    child = """
import json, resource, sys
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
from ecopark.core.errors import WorkbookError
from ecopark.io.sheet import open_workbook
out = {}
for case, path in json.loads(sys.argv[1]).items():
    try:
        with open_workbook(Path(path)) as book:
            book.sheet("名册")
        out[case] = "read"
    except WorkbookError as exc:
        out[case] = exc.problem
print(json.dumps(out))
"""
    done = subprocess.run([sys.executable, "-c", child, json.dumps(files)], capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    same_name = "压缩包内有重名部件 the file holds two parts of the same name"
    found = json.loads(done.stdout)
    damaged = {case: found.pop(case) for case in list(found) if case.startswith("quoted")}
    assert found == {case: same_name if case == "two parts of one name" else TOO_BIG
                     for case in found}
    assert len(damaged) == 2 and all(p.startswith("工作簿已损坏") for p in damaged.values())


def two_parts_of_one_name(source: Path, target: Path) -> Path:
    """The hostile sheet first, an innocent one of the same name (in other case) after it: a
    reader taking the first and one taking the last would read different sheets."""
    contents = parts(source)
    with warnings.catch_warnings(), zipfile.ZipFile(target, "w") as archive:
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name
        for name, data in contents.items():
            archive.writestr(name, data)
        archive.writestr("xl/Worksheets/sheet1.xml", contents["xl/worksheets/sheet1.xml"].replace(
            b"XFD1048576", b"B2"))
    return target


def test_a_sparse_sheet_in_a_printed_table_is_refused_too(tmp_path: Path) -> None:
    path = sheet_workbook(tmp_path / "table.xlsx", SPARSE["far cell first"])
    assert refusal(path).problem == TOO_BIG


def test_unusual_but_honest_sheets_are_read_where_calamine_puts_them(tmp_path: Path) -> None:
    """Cells without r follow the cell before them, a row without r the row before it; prefixed
    names, spaces around =, rows out of order: nothing is refused, the values are where calamine
    puts them."""
    path = sheet_workbook(tmp_path / "odd.xlsx",
                          '<row r="3"><x:c r="B3"><x:v>3</x:v></x:c><c><v>4</v></c></row>'
                          '<row r="1"><c r = "A1"><v>1</v></c></row><row><c><v>9</v></c></row>')
    with open_workbook(path) as book:
        rows = [row.values for row in book.sheet("名册").rows()]
    assert rows == [[1.0, "", ""], [9.0, "", ""], ["", 3.0, 4.0]]


def test_a_prefixed_sheet_still_reports_formulas_never_calculated(tmp_path: Path) -> None:
    path = sheet_workbook(tmp_path / "prefixed.xlsx",
                          '<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c><x:c r="B1"><x:f>A1*2</x:f>'
                          '</x:c><x:c r="C1"><x:f>A1*3</x:f><x:v>3</x:v></x:c></x:row>',
                          root="x:worksheet")
    with open_workbook(path) as book:
        assert book.sheet("名册").uncalculated == ["B1"]


# ------------------------------------------------------------------------ XML entities


def test_entities_in_workbook_xml_are_refused(tmp_path: Path) -> None:
    path = rezip(TINY, tmp_path / "laughs.xlsx",
                 change={"xl/workbook.xml": lambda xml: with_entities(xml, b"<sheets>")})
    error = refusal(path)
    assert error.problem == "文件含有 XML 实体声明（DTD），拒绝读取 the file declares XML entities " \
        "(a DTD); refused"


@pytest.mark.parametrize(("source", "member", "after"), [
    (DOCX, "word/document.xml", b"<w:t>"),
    (TINY, "xl/worksheets/sheet2.xml", b"<t>"),
    (TINY, "xl/styles.xml", b"<fonts"),
], ids=["document.xml", "sheet", "styles"])
def test_entities_elsewhere_are_never_expanded(tmp_path: Path, source: Path, member: str,
                                               after: bytes) -> None:
    """lxml (python-docx) stops at its amplification limit, quick_xml (calamine) does not know
    the entity, defusedxml refuses the DTD: a typed error, at once, in a few MB."""
    path = rezip(source, tmp_path / f"laughs{source.suffix}",
                 change={member: lambda xml: with_entities(xml, after)})
    started = time.perf_counter()
    error = refusal(path)
    assert "损坏" in error.problem or "无法读取" in error.problem or "XML 实体" in error.problem
    assert time.perf_counter() - started < 5


# ------------------------------------------------------------------------ macros


def macro_workbook(tmp_path: Path) -> Path:
    return rezip(TINY, tmp_path / "park.xlsm", add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + bytes(60)})


def test_an_xlsm_is_read_as_data_and_says_it_has_macros(tmp_path: Path) -> None:
    loaded = load(macro_workbook(tmp_path))
    assert (loaded.kind, loaded.has_macros, loaded.dataset.profile.name) == \
        ("workbook", True, "示例生态工业园")


@pytest.mark.parametrize("command", ["assess", "import"])
def test_the_cli_says_macros_were_not_run(tmp_path: Path, command: str) -> None:
    path = macro_workbook(tmp_path)
    args = [command, str(path)] + (["-o", str(tmp_path / "out.yaml")] if command == "import" else [])
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "注意：文件含宏，宏未运行，仅读取数据 / note: the file has macros; they were not run" \
        in result.stderr


# ------------------------------------------------------------------------ Word tables


@pytest.mark.parametrize(("old", "new"), [
    (b"<w:tcPr>", b'<w:tcPr><w:gridSpan w:val="2147483647"/>'),
    (b"<w:tr>", b'<w:tr><w:trPr><w:gridBefore w:val="2000000000"/></w:trPr>')],
    ids=["gridSpan", "gridBefore"])
def test_a_word_table_spanning_billions_of_columns_is_refused(tmp_path: Path, old: bytes,
                                                              new: bytes) -> None:
    """python-docx would list the spanning cell once per column: 16 GB and a MemoryError."""
    path = rezip(DOCX, tmp_path / "span.docx",
                 change={"word/document.xml": lambda xml: xml.replace(old, new, 1)})
    error = refusal(path)
    assert (error.sheet, error.cell) == ("表格1", "第1行")
    assert error.problem.startswith("表格跨 2,")


def test_a_tall_vertical_merge_is_read_in_linear_time(tmp_path: Path) -> None:
    """python-docx resolves a merged-down cell by walking up the rows, once per row: quadratic
    (and a RecursionError past 1,000 rows). The grid is read from the XML, row by row."""
    cell = "<w:tc><w:tcPr>{}</w:tcPr><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>"
    restart = '<w:vMerge w:val="restart"/>'
    rows = ["<w:tr>" + cell.format(restart, "项目") + cell.format("", "r0") + "</w:tr>"]
    rows += ["<w:tr>" + cell.format("<w:vMerge/>", "") + cell.format("", f"r{n}") + "</w:tr>"
             for n in range(1, 3000)]
    table = f"<w:tbl>{''.join(rows)}</w:tbl>".encode()
    path = rezip(DOCX, tmp_path / "tall.docx", change={
        "word/document.xml": lambda xml: xml.replace(b"<w:body>", b"<w:body>" + table, 1)})
    from ecopark.io.grids import read_grids

    started = time.perf_counter()
    grids, _ = read_grids(path)
    assert time.perf_counter() - started < 5
    assert [row[0] for row in grids[0].rows] == ["项目"] * 3000
    assert grids[0].rows[2999] == ["项目", "r2999"]


# ------------------------------------------------------------------------ units pint cannot parse


@pytest.mark.parametrize("unit", ["万元/", "(万元", "1/0", "万元**", "@"])
def test_a_unit_pint_cannot_parse_is_a_problem_at_its_cell(tmp_path: Path, unit: str) -> None:
    """pint's parser fails on these with AssertionError, TokenError or ZeroDivisionError."""
    import openpyxl

    book = openpyxl.load_workbook(TINY)
    data = book["基础数据"]
    row = next(r for r in range(3, data.max_row + 1) if data.cell(r, 1).value == "iva")
    data.cell(row, 4).value = unit
    book.save(tmp_path / "unit.xlsx")
    with pytest.raises(WorkbookProblems) as caught:
        read_workbook(tmp_path / "unit.xlsx")
    assert [(p.sheet, p.cell) for p in caught.value.problems] == [("基础数据", f"D{row}")]
    assert caught.value.problems[0].problem == f"无法识别的单位 unknown unit “{unit}”"


# ------------------------------------------------------------------------ merges, long tables


def test_a_merge_over_the_whole_grid_is_cut_to_the_sheet(tmp_path: Path) -> None:
    path = sheet_workbook(tmp_path / "merge.xlsx", '<row r="1"><c r="A1"><v>7</v></c></row>'
                          '<row r="3"><c r="B3"><v>8</v></c></row>',
                          tail='<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>')
    started = time.perf_counter()
    with open_workbook(path) as book:
        sheet = book.sheet("名册")
        assert sheet.merged == [((0, 0), (2, 1))]
        assert [row.values for row in sheet.rows()] == [[7.0, 7.0]] * 3
    assert time.perf_counter() - started < 1


def test_overlapping_merges_beyond_the_cell_limit_are_refused(tmp_path: Path) -> None:
    """1,100 copies of A1:E1000 would have every row filled 1,100 times over."""
    rows = "".join(f'<row r="{r}">' + "".join(f'<c r="{c}{r}"><v>1</v></c>' for c in "ABCDE")
                   + "</row>" for r in range(1, 1001))
    merges = '<mergeCell ref="A1:E1000"/>' * 1100
    path = sheet_workbook(tmp_path / "merges.xlsx", rows, tail=f"<mergeCells>{merges}</mergeCells>")
    with open_workbook(path) as book, pytest.raises(WorkbookError) as caught:
        book.sheet("名册")
    assert caught.value.problem.startswith("合并单元格共覆盖 5,500,000 个单元格")


def test_a_document_with_too_many_tables_is_refused(tmp_path: Path) -> None:
    tables = b"<w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>" * 1000
    path = rezip(DOCX, tmp_path / "tables.docx", change={
        "word/document.xml": lambda xml: xml.replace(b"<w:body>", b"<w:body>" + tables, 1)})
    assert refusal(path).problem.startswith("文件中有 1,001 个表格或工作表，超过 1,000 个")


def test_a_long_table_is_read_to_its_limit_and_lists_a_bounded_number_of_problems(
        tmp_path: Path) -> None:
    """20,000 unrecognised rows below the seed's table: 2,000 rows are read, 200 are listed."""
    from tests.io.test_printed_table import table_rows, write_xlsx

    extra = [["", str(9000 + n), f"某项数据{n}", "吨", "-", "否", f"{n}.5"] for n in range(20000)]
    path = write_xlsx(table_rows() + extra, tmp_path / "long.xlsx")
    started = time.perf_counter()
    with pytest.raises(WorkbookProblems) as caught:
        load(path)
    assert time.perf_counter() - started < 15
    problems = caught.value.problems
    assert len(problems) == 201 and problems[-1].problem.startswith("另有 ")


# ------------------------------------------------------------------------ one sheet, two readings

SECOND = ('<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
          'relationships/worksheet" Target="worksheets/sheet2.xml"/>')


@pytest.mark.parametrize(("workbook", "rels"), [
    (('r:id="rId1"', 'r:id="rId1"/><sheet name="名册" sheetId="2" r:id="rId2"'), ("", SECOND)),
    (('r:id="rId1"', 'r:id="rId1" x:id="rId2" xmlns:x="urn:x"'), ("", SECOND)),
    (('r:id="rId1"', 'r:id="rId1"'), ("", SECOND.replace('Id="rId2"', 'Id="rId1"'))),
], ids=["two sheets of one name", "two id attributes", "two relationships of one id"])
def test_a_sheet_that_two_readers_would_read_differently_is_refused(
        tmp_path: Path, workbook: tuple[str, str], rels: tuple[str, str]) -> None:
    """calamine reads the first sheet of a name and the last attribute whose local name is id;
    the sheet scanned for its extent must be the one calamine reads, so such a file is refused."""
    base = sheet_workbook(tmp_path / "base.xlsx", '<row r="1"><c r="A1"><v>1</v></c></row>')
    contents = parts(base)
    path = rezip(base, tmp_path / "two.xlsx", change={
        "xl/workbook.xml": lambda xml: xml.replace(workbook[0].encode(), workbook[1].encode()),
        "xl/_rels/workbook.xml.rels": lambda xml: xml.replace(
            b"</Relationships>", rels[1].encode() + b"</Relationships>")},
        add={"xl/worksheets/sheet2.xml": contents["xl/worksheets/sheet1.xml"]})
    with pytest.raises(WorkbookError) as caught:
        open_workbook(path)
    assert caught.value.problem.startswith("工作簿已损坏，无法读取 the workbook is damaged (ValueError: ")


# ------------------------------------------------------------------------ budgets of a whole file

CAPPED = """
import json, resource, sys, time
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, (512 << 20, 512 << 20))
from ecopark.core.errors import EcoparkError
from ecopark.io import load
started = time.perf_counter()
try:
    load(Path(sys.argv[1]))
    out = {"read": True}
except EcoparkError as exc:
    out = {"error": type(exc).__name__, "sheet": getattr(exc, "sheet", ""), "problem": exc.problem}
out["seconds"] = time.perf_counter() - started
print(json.dumps(out))
"""


def capped_load(path: Path) -> dict[str, object]:
    """`ecopark.io.load(path)` in a child whose address space is capped at 512 MB."""
    done = subprocess.run([sys.executable, "-c", CAPPED, str(path)], capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return dict(json.loads(done.stdout))


@pytest.mark.parametrize(("sheets", "size"), [(60, 19_202), (10, 4_144)])
def test_many_sparse_sheets_are_refused_before_any_is_read(tmp_path: Path, sheets: int,
                                                           size: int) -> None:
    """Each sheet spans A1:CV49999, just under the cell limit: read one by one and kept, 60 of
    them took 7.5 GB. Their extents are added up when the workbook is opened: the second sheet
    passes the budget, nothing is read."""
    path = sparse_sheets(tmp_path / "sheets.xlsx", sheets)
    assert path.stat().st_size == size
    found = capped_load(path)
    assert found.pop("seconds", 9) < 3  # type: ignore[operator]
    assert found == {"error": "WorkbookError", "sheet": "表2", "problem": TOGETHER}


def test_a_workbook_of_too_many_sheets_is_refused(tmp_path: Path) -> None:
    xml = f'<worksheet xmlns="{MAIN_NS}"><sheetData/></worksheet>'
    path = sheets_workbook(tmp_path / "many.xlsx", {f"表{n}": xml for n in range(MAX_SHEETS + 1)})
    with pytest.raises(WorkbookError) as caught:
        open_workbook(path)
    assert caught.value.problem == f"工作簿有 251 个工作表，超过 {MAX_SHEETS} 个 the workbook has " \
        f"more than {MAX_SHEETS} sheets"


def test_a_word_document_of_empty_paragraphs_is_refused_while_streaming(tmp_path: Path) -> None:
    """3.4 million `<w:p/>` (20 MB of XML in a 370 KB file, within the guard's ratio): python-docx
    would build a tree of them all. Counted while streaming, refused at the 200,001st."""
    path = paragraph_bomb(tmp_path / "paragraphs.docx", 3_400_000)
    assert path.stat().st_size < 400_000
    found = capped_load(path)
    assert found.pop("seconds", 9) < 3  # type: ignore[operator]
    assert found == {"error": "WorkbookError", "sheet": "", "problem": "文件过大或过于复杂：文档的"
                     "段落超过 200,000 个 the document has more than 200,000 paragraphs"}


def test_a_word_document_whose_xml_is_too_large_is_refused_from_the_zip_directory(
        tmp_path: Path) -> None:
    filler = random.Random(13).randbytes(400_000)  # keeps the zip within the guard's ratio
    path = rezip(DOCX, tmp_path / "big.docx", add={"word/padding.xml": b" " * (MAX_XML_BYTES + 1),
                                                   "word/media/filler.bin": filler})
    with pytest.raises(WorkbookError) as caught:
        read_printed_table(path, load_framework("hj274-2015"))
    assert caught.value.problem == "文档 XML 解压后 65 MB，超过 64 MB the document's XML is too large"
