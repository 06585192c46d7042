"""The 对照考核表 as a Word document (python-docx), laid out like the appendix of an annual report.

A4 landscape; the centred title, then the header block (园区名称 / 填报单位, 填报人 / 填报时间,
规划基准年 / 数据基准年) on three lines (the right part right-aligned by a tab stop); then one
table with a repeating header row, rows that never break across pages, an indicator's rows kept
on one page with its 序号 and 项目 cells merged over them (so every page names the category),
numbers right-aligned, units on one line (column widths), the indicator rows shaded. Text is
10.5 pt (五号): 宋体 for Chinese, Times New Roman for Latin letters and digits. The font table
names the fonts' English names and classes (SimSun, serif; SimHei, sans) so Word, WPS and
LibreOffice substitute a similar font where 宋体/黑体 are not installed. Notes follow the table.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.opc.oxml import serialize_part_xml
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Length, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

from ecopark.reports.table import ASSESSED, COLUMNS, VERIFY_COLUMNS, AssessmentTable, Placed

__all__ = ["append", "prepare", "set_fonts", "write"]

LATIN_FONT = "Times New Roman"
BODY_FONT = "宋体"
TITLE_FONT = "黑体"
SIZE = Pt(10.5)
ROW_HEIGHT = Cm(0.6)
ERROR_COLOUR = RGBColor(0xC0, 0x00, 0x00)
PAGE = (Cm(29.7), Cm(21.0))
MARGINS = (Cm(1.8), Cm(2.0))  # left/right, top/bottom
# column widths in cm (sum = 26.1 = the text width): (verified, English) → widths
_WIDTHS = {(False, False): (1.1, 1.9, 7.1, 2.8, 4.6, 1.9, 1.9, 2.9, 1.9),
           (True, False): (1.1, 1.5, 4.1, 2.8, 3.0, 1.3, 1.5, 2.9, 1.5, 2.6, 3.8),
           (False, True): (1.1, 2.8, 4.9, 3.3, 3.6, 2.6, 2.4, 2.8, 2.6),
           (True, True): (1.1, 2.2, 3.1, 3.0, 2.2, 2.5, 2.3, 2.4, 1.8, 2.4, 3.1)}
_LEFT = ("指标", "核查结果")
_RIGHT = ("数值", "复算值")
_ONE_LINE = ("单位", "数值", "复算值")  # never wrapped (w:noWrap)
_HEADER_FILL = "D9D9D9"
_INDICATOR_FILL = "F2F2F2"
# the font table entries: name → (alternative name, panose, family)
_FONTS = {BODY_FONT: ("SimSun", "02010600030101010101", "roman"),
          TITLE_FONT: ("SimHei", "02010609060101010101", "modern")}
_CELL_MARGIN = 85  # twips, 0.15 cm left and right


def write(table: AssessmentTable, path: Path) -> None:
    document = Document()
    _page(document, table.lang)
    prepare(document)
    append(document, table)
    document.core_properties.title = table.title
    document.core_properties.author = "ecopark"
    document.save(str(path))


def prepare(document: DocumentObject) -> None:
    """The styles and font table the table needs: Normal in 宋体 / Times New Roman 10.5 pt, the
    表格文字 paragraph styles, 宋体 and 黑体 with their fallbacks in the font table."""
    _styles(document)
    _font_table(document)


def append(document: DocumentObject, table: AssessmentTable) -> None:
    """Add the table to the end of `document` (prepared with `prepare`): its title and header
    lines, the table, the notes. The table fills the text width of the document's last section,
    which must be A4 landscape with `MARGINS` (as `write` makes it), e.g. an appendix section."""
    _heading(document, table)
    _table(document, table)
    _notes(document, table)


def set_fonts(element: BaseOxmlElement, east_asian: str, size: Length | None = None) -> None:
    """Latin text in Times New Roman and Chinese in `east_asian` for a style's or a run's rPr."""
    _fonts(element, east_asian, size)


# ------------------------------------------------------------------ page and styles


def _page(document: DocumentObject, lang: str = "zh") -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = PAGE
    section.left_margin = section.right_margin = MARGINS[0]
    section.top_margin = section.bottom_margin = MARGINS[1]
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    before, between, after = ("Page ", " of ", "") if lang == "en" else ("第 ", " 页，共 ", " 页")
    footer.add_run(before)
    footer._p.append(_field("PAGE"))
    footer.add_run(between)
    footer._p.append(_field("NUMPAGES"))
    if after:
        footer.add_run(after)


def _field(code: str) -> BaseOxmlElement:
    return parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" {code} "><w:r><w:t>1</w:t></w:r>'
                     "</w:fldSimple>")


def _text_width(document: DocumentObject) -> Length:
    section = document.sections[-1]
    assert section.page_width is not None
    return Length(section.page_width - 2 * MARGINS[0])


def _styles(document: DocumentObject) -> None:
    normal = document.styles["Normal"]
    assert isinstance(normal, ParagraphStyle)
    _fonts(normal.element, BODY_FONT, SIZE)
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    rpr = normal.element.get_or_add_rPr()
    rpr.append(parse_xml(f'<w:lang {nsdecls("w")} w:val="en-US" w:eastAsia="zh-CN"/>'))
    for name, align in (("表格文字", WD_ALIGN_PARAGRAPH.CENTER),
                        ("表格文字左", WD_ALIGN_PARAGRAPH.LEFT),
                        ("表格文字右", WD_ALIGN_PARAGRAPH.RIGHT)):
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        assert isinstance(style, ParagraphStyle)
        style.base_style = normal
        style.paragraph_format.alignment = align


def _fonts(element: BaseOxmlElement, east_asian: str, size: Length | None = None) -> None:
    """Latin text in Times New Roman, Chinese in `east_asian` (a style's or a run's rPr)."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:hint"), "eastAsia")
    if size is not None:
        rpr.sz_val = size


def _font_table(document: DocumentObject) -> None:
    """Add 宋体 and 黑体 to the font table with their English names and classes (the fallback)."""
    part = next(p for p in document.part.package.iter_parts()
                if str(p.partname) == "/word/fontTable.xml")
    fonts = parse_xml(part.blob)
    for name, (alt, panose, family) in _FONTS.items():
        fonts.append(parse_xml(
            f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alt}"/>'
            f'<w:panose1 w:val="{panose}"/><w:charset w:val="86"/><w:family w:val="{family}"/>'
            '<w:pitch w:val="variable"/></w:font>'))
    _replace_blob(part, fonts)


def _replace_blob(part: Part, element: BaseOxmlElement) -> None:
    # python-docx keeps the font table as an opaque part (no API to edit it): replace its bytes
    part._blob = serialize_part_xml(element)


# ------------------------------------------------------------------ heading and notes


def _heading(document: DocumentObject, table: AssessmentTable) -> None:
    title = document.add_paragraph(style="Normal")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(10)
    run = title.add_run(table.title)
    run.bold = True
    _fonts(run.element, TITLE_FONT, Pt(16))
    for left, right in table.header_lines:
        line = document.add_paragraph(f"{left}\t{right}")
        line.paragraph_format.tab_stops.add_tab_stop(_text_width(document),
                                                     WD_TAB_ALIGNMENT.RIGHT)
        line.paragraph_format.space_after = Pt(3)


def _notes(document: DocumentObject, table: AssessmentTable) -> None:
    if not table.notes:
        return
    _note_line(document, table.notes_label, Pt(4))
    for index, note in enumerate(table.notes, start=1):
        line = _note_line(document, f"{index}. {note}", Pt(0))
        line.paragraph_format.left_indent = Pt(18)
        line.paragraph_format.first_line_indent = Pt(-9)


def _note_line(document: DocumentObject, text: str, before: Length) -> Paragraph:
    line = document.add_paragraph()
    line.paragraph_format.space_before = before
    line.add_run(text).font.size = Pt(9)
    return line


# ------------------------------------------------------------------ the table


def _table(document: DocumentObject, table: AssessmentTable) -> None:
    placed = table.placed()
    grid = document.add_table(rows=1 + len(placed), cols=len(table.columns))
    grid.autofit = False
    _grid_properties(grid)
    widths = _column_widths(table)
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
    rows = list(grid.rows)
    styles = _style_ids(document)
    _header(rows[0], table.headings, widths, styles)
    for index, (row, place) in enumerate(zip(rows[1:], placed, strict=True)):
        _body_row(row, table, place, widths, styles)
        if index + 1 < len(placed) and placed[index + 1].row.number == place.row.number:
            _keep_with_next(row)
    _merge(grid, placed)


def _column_widths(table: AssessmentTable) -> list[Length]:
    """The widths of the table's columns; without 是否为考核指标 its room goes to 指标."""
    every = COLUMNS + (VERIFY_COLUMNS if table.verified else ())
    widths = dict(zip(every, _WIDTHS[table.verified, table.lang == "en"], strict=True))
    if ASSESSED not in table.columns:
        widths["指标"] += widths.pop(ASSESSED)
    return [Cm(widths[name]) for name in table.columns]


def _style_ids(document: DocumentObject) -> dict[str, str]:
    """The 表格文字 styles' ids, looked up once (python-docx looks a style name up in the whole
    styles part on every assignment: 0.8 of the 1.4 s a ten-year table took)."""
    return {name: document.styles[name].style_id for name in ("表格文字", "表格文字左", "表格文字右")}


def _grid_properties(grid: Table) -> None:
    """Black borders (outer 1 pt, inner 0.5 pt), narrow cell margins, centred on the page."""
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl_pr = grid._tbl.tblPr
    edges = "".join(f'<w:{side} w:val="single" w:sz="{size}" w:space="0" w:color="000000"/>'
                    for side, size in (("top", 8), ("left", 8), ("bottom", 8), ("right", 8),
                                       ("insideH", 4), ("insideV", 4)))
    tbl_pr.insert_element_before(
        parse_xml(f'<w:tblBorders {nsdecls("w")}>{edges}</w:tblBorders>'),
        "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")
    tbl_pr.insert_element_before(
        parse_xml(f'<w:tblCellMar {nsdecls("w")}><w:left w:w="{_CELL_MARGIN}" w:type="dxa"/>'
                  f'<w:right w:w="{_CELL_MARGIN}" w:type="dxa"/></w:tblCellMar>'),
        "w:tblLook", "w:tblCaption", "w:tblDescription")


def _row_properties(row: _Row, header: bool) -> None:
    row.height, row.height_rule = ROW_HEIGHT, WD_ROW_HEIGHT_RULE.AT_LEAST
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(parse_xml(f'<w:cantSplit {nsdecls("w")}/>'))
    if header:
        tr_pr.append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))


def _keep_with_next(row: _Row) -> None:
    """Keep an indicator's rows on one page (Word keeps a row with the next one)."""
    for cell in row.cells:
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = True


def _header(row: _Row, columns: tuple[str, ...], widths: list[Length],
            styles: dict[str, str]) -> None:
    _row_properties(row, header=True)
    for cell, name, width in zip(row.cells, columns, widths, strict=True):
        _fill(cell, name, width, styles["表格文字"], bold=True)
        _shade(cell, _HEADER_FILL)


def _body_row(row: _Row, table: AssessmentTable, place: Placed, widths: list[Length],
              styles: dict[str, str]) -> None:
    _row_properties(row, header=False)
    texts = place.row.cells(table.columns)
    indicator = place.row.kind == "indicator"
    spans = (place.number_span, place.category_span)
    for index, (cell, name, width) in enumerate(zip(row.cells, table.columns, widths,
                                                    strict=True)):
        text = texts[index] if index > 1 or spans[index] else ""
        numeric = name in _RIGHT and texts[index] not in ("", "/", "-")
        style = "表格文字左" if name in _LEFT else "表格文字右" if numeric else "表格文字"
        if name in _ONE_LINE:
            _no_wrap(cell)
        flagged = place.row.worst == "error" and name in ("复算值", "核查结果")
        _fill(cell, text, width, styles[style], bold=indicator and name in ("指标", "数值"),
              small=name == "核查结果", colour=ERROR_COLOUR if flagged else None)
        if indicator and index > 1:
            _shade(cell, _INDICATOR_FILL)


def _fill(cell: _Cell, text: str, width: Length, style_id: str, *, bold: bool = False,
          small: bool = False, colour: RGBColor | None = None) -> None:
    cell.width = width
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph: Paragraph = cell.paragraphs[0]
    paragraph._p.style = style_id
    for index, line in enumerate(text.split("\n") if text else []):
        if index:
            paragraph = cell.add_paragraph()
            paragraph._p.style = style_id
        run = paragraph.add_run(line)
        run.bold = bold or None
        if small:
            run.font.size = Pt(9)
        if colour is not None:
            run.font.color.rgb = colour


def _no_wrap(cell: _Cell) -> None:
    cell._tc.get_or_add_tcPr().insert_element_before(
        parse_xml(f'<w:noWrap {nsdecls("w")}/>'),
        "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark")


def _shade(cell: _Cell, fill: str) -> None:
    cell._tc.get_or_add_tcPr().insert_element_before(
        parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>'),
        "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark")


def _merge(grid: Table, placed: list[Placed]) -> None:
    """Merge 序号 and 项目 down each indicator's rows. The cells are taken from the rows' own
    elements (no merge spans a column, so each row's first two are columns 0 and 1): `grid.cell`
    lays the whole table out again on every call."""
    first_two = [tr.tc_lst[:2] for tr in grid._tbl.tr_lst]
    for index, place in enumerate(placed, start=1):
        for column, span in ((0, place.number_span), (1, place.category_span)):
            if span > 1:
                top, bottom = first_two[index][column], first_two[index + span - 1][column]
                _Cell(top, grid).merge(_Cell(bottom, grid))
