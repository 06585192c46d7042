"""Fuzzing `ecopark.io.load` with mutated workbooks and Word documents: whatever the bytes, it
returns a dataset or raises an `EcoparkError` subclass, never another exception.

The seeds are the committed fixtures (tests/data/workbooks/*.xlsx, tests/data/wujin-2018-table.docx)
and the same 对照考核表 written as a workbook. A mutation edits the zip container's bytes, or one
part's bytes (the part decompressed, edited, the zip written again): bits flipped, bytes
replaced, spans deleted or repeated, the file cut short, and tokens inserted that parsers meet
in hostile files (far cell references, second r attributes, entity declarations, huge merges and
grid spans, broken UTF-8, error values, formulas without values, far cells within one sheet's
limit, sheets listed twice, storms of paragraphs, control characters …). `derandomize=True` makes
every run try the same examples.
"""

from __future__ import annotations

import contextlib
import functools
import io
import re
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecopark.core.errors import EcoparkError
from ecopark.core.framework.loading import load_framework
from ecopark.core.framework.model import Framework
from ecopark.io import load
from tests.io.hostile import DOCX, WORKBOOKS, parts
from tests.io.test_printed_table import table_rows, write_xlsx

TOKENS = (
    b'<c r="XFD1048576"><v>1</v></c>', b'<c r="B2" r="XFD1048576"/>', b'<x:c r="ZZZ99999"/>',
    b"<c><v>1</v></c>" * 40, b'<row r="4294967297">', b"<row>", b"</row>", b"<c>", b"</c>",
    b"<f>1/0</f>", b' t="e"', b"<v>#DIV/0!</v>", b' s="9"', b' s="99999"', b' t="s"',
    b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>', b"&a;", b"&#0;", b"&#x110000;", b"\x00",
    b"\xff\xfe", b"\xe4\xb8", b'"', b"'", b"<", b">", b"&", b"]]>", b"<![CDATA[", b"<!--",
    b'<mergeCell ref="A1:XFD1048576"/>', b'<mergeCell ref="C3:A1"/>',
    b'<dimension ref="A1:XFD1048576"/>', b'<sheetData><row r="1"><c r="A1"/></row></sheetData>',
    b"<definedName name=\"park_name\">'\xe5\x9b\xad\xe5\x8c\xba\xe4\xbf\xa1\xe6\x81\xaf'!$B$1048576"
    b"</definedName>", b'<definedName name="base_year">Nowhere!$A$1</definedName>',
    b'Target="../../../etc/passwd"', b'Target="/xl/worksheets/sheet99.xml"', b' r:id="rId99"',
    b'numFmtId="10"', b'formatCode="0.' + b"0" * 60 + b'%"', b"<v>1e308</v>", b"<v>NaN</v>",
    b"<v>-inf</v>", b"<v>99999999999999999999999</v>", b"<v></v>", b"<v>2018</v>",
    b'<w:gridSpan w:val="2147483647"/>', b'<w:gridBefore w:val="2000000000"/>',
    b'<w:gridAfter w:val="99999999"/>', b"<w:vMerge/>", b'<w:vMerge w:val="restart"/>',
    b"<w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>", b"<w:tr>", b"</w:tc>", b"<w:tc>",
    "<w:t>数据基准年为9999年</w:t>".encode(), "<w:t>规划基准年（1066年）</w:t>".encode(),
    b"<w:t>1e999</w:t>", b"<w:t>/</w:t>", b'<sheet name="" sheetId="0" r:id="rId1"/>',
    "<sheet name=\"园区信息\" sheetId=\"9\" r:id=\"rId2\"/>".encode(), b"9" * 400,
    # the budgets of a whole file: far cells within one sheet's limit, a sheet listed twice, a
    # storm of paragraphs, control characters in text
    b'<c r="CV49999"><v>1</v></c>', b'<sheet name="x2" sheetId="10" r:id="rId1"/>',
    b"<w:p/>" * 300, b"<w:tr><w:tc><w:p/></w:tc></w:tr>" * 50, "\u202e".encode(), b"\x00",
)
VALUES = (  # what an attribute value or a text node becomes: well-formed XML, hostile content
    b"", b"0", b"-1", b"1", b"2018", b"99999999999", b"1e308", b"NaN", b"A1", b"XFD1048576",
    b"C3:A1", b"A1:XFD1048576", b"A0", b"$B$5", b"'\xe5\x9b\xad'!$B$3", b"#REF!", b"e", b"s", b"str",
    b"inlineStr", b"9", b"10", b"0.00%", b"/", b"\xe2\x80\x94", b"12,345.6", b"\xef\xbc\x91\xef\xbc\x92",
    b"rId1", b"../x.xml", b"true", b"x" * 300, b"&amp;", b"&lt;c r=&quot;A1&quot;&gt;",
    b"2147483647", "万元/".encode(), b"(", b"1/0", b"restart", b"continue", b"CV49999",
    "园区\u202etxt".encode(), b"9" * 400,
)
EDITS = ("flip", "byte", "delete", "repeat", "insert", "insert", "insert", "cut", "value", "value",
         "value", "text", "text")
_VALUE = re.compile(rb'="[^"<>]*"')
_TEXT = re.compile(rb">[^<>]+<")


@functools.cache
def seeds() -> dict[str, tuple[str, bytes]]:
    """name → (suffix, bytes): the committed fixtures and the seed table as a workbook."""
    out = {path.name: (".xlsx", path.read_bytes()) for path in sorted(WORKBOOKS.glob("*.xlsx"))}
    out[DOCX.name] = (".docx", DOCX.read_bytes())
    with tempfile.TemporaryDirectory() as folder:  # write_xlsx writes a file
        out["table.xlsx"] = (".xlsx", write_xlsx(table_rows(), Path(folder) / "t.xlsx").read_bytes())
    return out


def mutate(data: bytes, edits: list[tuple[str, float, int, int]]) -> bytes:
    """Apply edits given as (kind, where in 0..1, a size or bit, a token or byte number)."""
    out = bytearray(data)
    for kind, where, size, pick in edits:
        at = min(int(where * len(out)), max(len(out) - 1, 0))
        if not out:
            break
        if kind == "flip":
            out[at] ^= 1 << (size % 8)
        elif kind == "byte":
            out[at] = pick % 256
        elif kind == "delete":
            del out[at:at + size]
        elif kind == "repeat":
            out[at:at] = out[at:at + size]
        elif kind == "insert":
            out[at:at] = TOKENS[pick % len(TOKENS)]
        elif kind in ("value", "text"):
            out = _replace(out, at, VALUES[pick % len(VALUES)], kind)
        else:
            del out[at:]
    return bytes(out)


def _replace(data: bytearray, at: int, value: bytes, kind: str) -> bytearray:
    """The first attribute value (or text node) from `at` on replaced by `value`."""
    found = (_VALUE if kind == "value" else _TEXT).search(data, at)
    if found is None:
        return data
    start, end = (found.start() + 2, found.end() - 1) if kind == "value" else \
        (found.start() + 1, found.end() - 1)
    data[start:end] = value
    return data


EDIT = st.tuples(st.sampled_from(EDITS), st.floats(0, 1), st.integers(1, 64), st.integers(0, 10_000))


@st.composite
def mutated(draw: st.DrawFn, kind: str) -> tuple[str, bytes]:
    """A seed of `kind` (".xlsx" / ".docx") with its container or one of its parts mutated."""
    names = [name for name, (suffix, _) in seeds().items() if suffix == kind]
    suffix, data = seeds()[draw(st.sampled_from(names))]
    edits = draw(st.lists(EDIT, min_size=1, max_size=4))
    if draw(st.integers(0, 3)) == 0:
        return suffix, mutate(data, edits)
    contents = parts_of(data)
    xml = sorted(name for name in contents if name.endswith((".xml", ".rels")))
    member = draw(st.sampled_from(xml))
    contents[member] = mutate(contents[member], edits)
    return suffix, zipped(contents)


def parts_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info.filename) for info in archive.infolist()}


def zipped(contents: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in contents.items():
            archive.writestr(zipfile.ZipInfo(name, (2024, 3, 1, 9, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
def framework() -> Framework:
    return load_framework("hj274-2015")


def loads_or_says_why(path: Path, framework: Framework) -> None:
    with contextlib.suppress(EcoparkError):
        load(path, framework, base_year=2012, year=2018)


FUZZ = settings(deadline=None, derandomize=True, database=None, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@settings(FUZZ, max_examples=1600)
@given(case=mutated(".xlsx"))
def test_mutated_workbooks_raise_only_ecopark_errors(case: tuple[str, bytes], folder: Path,
                                                     framework: Framework) -> None:
    path = folder / f"fuzz{case[0]}"
    path.write_bytes(case[1])
    loads_or_says_why(path, framework)


@settings(FUZZ, max_examples=500)
@given(case=mutated(".docx"))
def test_mutated_word_documents_raise_only_ecopark_errors(case: tuple[str, bytes], folder: Path,
                                                          framework: Framework) -> None:
    path = folder / f"fuzz{case[0]}"
    path.write_bytes(case[1])
    loads_or_says_why(path, framework)


def test_the_seeds_are_what_the_fuzzer_starts_from() -> None:
    assert {name: suffix for name, (suffix, _) in seeds().items()} == {
        "bad.xlsx": ".xlsx", "messy.xlsx": ".xlsx", "tiny-park.xlsx": ".xlsx",
        "uncalculated.xlsx": ".xlsx", "wujin-2018-table.docx": ".docx", "table.xlsx": ".xlsx"}
    assert "xl/workbook.xml" in parts(WORKBOOKS / "tiny-park.xlsx")
