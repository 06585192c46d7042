"""The annual evaluation report as a Word document (python-docx).

A4 portrait. Three sections: the title page (no header or footer); the body, whose pages are
numbered from 1 ("— 1 —" in the footer) under a running head with a rule; and the appendix, A4
landscape, holding the 对照考核表 exactly as `ecopark.reports.table_docx` writes it (`prepare`
and `append`). Fonts are those of the table writer: 宋体 for Chinese and Times New Roman for
Latin text in the body (小四, 12 pt, 1.5 lines, first line indented two characters), 黑体 for
headings (三号 16 pt and 四号 14 pt, Word's Heading 1 and 2, so they make the PDF's outline) and
captions; the font table names the fallbacks (SimSun, SimHei). Figures are the PNG charts, 15 cm
wide, each with its caption below (图1 …).
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.section import Section as DocxSection
from docx.shared import Cm, Emu, Length, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph as DocxParagraph

from ecopark.reports import table_docx
from ecopark.reports.charts import DPI, render
from ecopark.reports.narrative import Figure, Paragraph, Report, Section

__all__ = ["write"]

BODY_FONT = table_docx.BODY_FONT
HEADING_FONT = table_docx.TITLE_FONT
A4 = (Cm(21.0), Cm(29.7))
MARGINS = (Cm(2.8), Cm(2.6), Cm(2.5), Cm(2.5))  # left, right, top, bottom
FIGURE_WIDTH = Cm(15.0)
BODY = "报告正文"
ITEM = "报告条目"
NOTE = "报告注释"
CAPTION = "图题"
_THEME_FONTS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def write(report: Report, path: Path) -> None:
    """Write `report` to `path` (.docx)."""
    document = Document()
    _portrait(document.sections[0])
    table_docx.prepare(document)
    _styles(document)
    _title_page(document, report)
    body = document.add_section(WD_SECTION.NEW_PAGE)
    _head_and_foot(body, report)
    for section in report.sections:
        _section(document, section, 1, report.lang)
    _appendix(document, report)
    document.core_properties.title = report.title_page.title
    document.core_properties.author = "ecopark"
    document.save(str(path))


# ------------------------------------------------------------------ page


def _portrait(section: DocxSection) -> None:
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = A4
    section.left_margin, section.right_margin, section.top_margin, section.bottom_margin = MARGINS
    section.header_distance = section.footer_distance = Cm(1.5)


def _landscape(section: DocxSection) -> None:
    """The appendix pages: A4 landscape with the table writer's margins; their page numbers go
    on from the body's (the section was cloned from the body's, with its restart at 1)."""
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = table_docx.PAGE
    section.left_margin = section.right_margin = table_docx.MARGINS[0]
    section.top_margin = section.bottom_margin = table_docx.MARGINS[1]
    section.header_distance = section.footer_distance = Cm(0.9)
    for restart in section._sectPr.findall(qn("w:pgNumType")):
        section._sectPr.remove(restart)


def _head_and_foot(section: DocxSection, report: Report) -> None:
    """Running head with a rule under it; page number "— 1 —" centred, counted from this
    section."""
    section.header.is_linked_to_previous = False
    section.footer.is_linked_to_previous = False
    head = section.header.paragraphs[0]
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _small(head.add_run(report.running_head), Pt(9))
    head._p.get_or_add_pPr().append(parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="6" w:space="1" '
        'w:color="000000"/></w:pBdr>'))
    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _small(foot.add_run("— " if report.lang != "en" else ""), Pt(10.5))
    foot._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>1</w:t>'
                             "</w:r></w:fldSimple>"))
    _small(foot.add_run(" —" if report.lang != "en" else ""), Pt(10.5))
    section._sectPr.append(parse_xml(f'<w:pgNumType {nsdecls("w")} w:start="1"/>'))


def _small(run: object, size: Length) -> None:
    run.font.size = size  # type: ignore[attr-defined]


# ------------------------------------------------------------------ styles


def _styles(document: DocumentObject) -> None:
    body = _paragraph_style(document, BODY, Pt(12))
    body.paragraph_format.first_line_indent = Pt(24)
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _paragraph_style(document, ITEM, Pt(12)).paragraph_format.first_line_indent = Pt(24)
    note = _paragraph_style(document, NOTE, Pt(10.5))
    note.paragraph_format.first_line_indent = Pt(21)
    caption = _paragraph_style(document, CAPTION, Pt(10.5), HEADING_FONT)
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.space_after = Pt(10)
    caption.paragraph_format.line_spacing = 1.2
    _heading_style(document, "Heading 1", Pt(16), before=Pt(18), after=Pt(10))
    _heading_style(document, "Heading 2", Pt(14), before=Pt(12), after=Pt(6))


def _paragraph_style(document: DocumentObject, name: str, size: Length,
                     font: str = BODY_FONT) -> ParagraphStyle:
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    assert isinstance(style, ParagraphStyle)
    style.base_style = document.styles["Normal"]
    table_docx.set_fonts(style.element, font, size)
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.ONE_POINT_FIVE
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.widow_control = True
    return style


def _heading_style(document: DocumentObject, name: str, size: Length, *, before: Length,
                   after: Length) -> None:
    """Word's built-in heading, in 黑体, black, not bold (黑体 is bold enough), no theme fonts."""
    style = document.styles[name]
    assert isinstance(style, ParagraphStyle)
    table_docx.set_fonts(style.element, HEADING_FONT, size)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in _THEME_FONTS:
        fonts.attrib.pop(qn(attr), None)
    style.font.bold = False
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    fmt = style.paragraph_format
    fmt.space_before, fmt.space_after = before, after
    fmt.keep_with_next = True
    fmt.line_spacing = 1.2


# ------------------------------------------------------------------ title page


def _title_page(document: DocumentObject, report: Report) -> None:
    page = report.title_page
    lines = ((page.park, Pt(22), HEADING_FONT, Pt(150)),
             (page.title, Pt(18), HEADING_FONT, Pt(24)),
             (page.basis, Pt(14), BODY_FONT, Pt(30)),
             (page.date, Pt(14), BODY_FONT, Pt(250)),
             (page.provenance, Pt(10.5), BODY_FONT, Pt(12)))
    for text, size, font, before in lines:
        line = document.add_paragraph()
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        line.paragraph_format.space_before = before
        run = line.add_run(text)
        table_docx.set_fonts(run.element, font, size)


# ------------------------------------------------------------------ body


def _section(document: DocumentObject, section: Section, level: int, lang: str) -> None:
    document.add_heading(section.title, level=level)
    for block in section.blocks:
        if isinstance(block, Figure):
            _figure(document, block)
        else:
            _paragraph(document, block, lang)
    for sub in section.subsections:
        _section(document, sub, level + 1, lang)


def _paragraph(document: DocumentObject, block: Paragraph, lang: str) -> DocxParagraph:
    """A paragraph; its lead-in in bold, then an ideographic space (a full stop in English)."""
    style = {"body": BODY, "item": ITEM, "note": NOTE}[block.kind]
    paragraph = _styled(document, style)
    if block.lead:
        paragraph.add_run(block.lead).bold = True
        paragraph.add_run(". " if lang == "en" else "\u3000")
    paragraph.add_run(block.text)
    return paragraph


def _figure(document: DocumentObject, figure: Figure) -> None:
    picture = document.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.keep_with_next = True
    picture.paragraph_format.space_before = Pt(6)
    png = render(figure.chart)
    picture.add_run().add_picture(io.BytesIO(png), width=min(FIGURE_WIDTH, _natural_width(png)))
    _styled(document, CAPTION, figure.caption)


def _styled(document: DocumentObject, style: str, text: str = "") -> DocxParagraph:
    """A paragraph in `style`, set by its id (python-docx's `style=` looks the default style up
    in the whole styles part on every paragraph: a third of writing the document)."""
    paragraph = document.add_paragraph(text)
    paragraph._p.style = document.styles[style].style_id
    return paragraph


def _natural_width(png: bytes) -> Length:
    """The width a PNG of `charts.DPI` dots per inch was drawn for (from its IHDR chunk)."""
    pixels = int.from_bytes(png[16:20], "big")
    return Emu(round(pixels / DPI * 914400))


# ------------------------------------------------------------------ appendix


def _appendix(document: DocumentObject, report: Report) -> None:
    section = document.add_section(WD_SECTION.NEW_PAGE)
    _landscape(section)
    heading = document.add_heading(report.appendix.title, level=1)
    heading.paragraph_format.space_before = Pt(0)
    table_docx.append(document, report.appendix.table)
    quality = document.add_section(WD_SECTION.NEW_PAGE)  # 附录二, portrait again
    _portrait(quality)
    _section(document, report.quality, 1, report.lang)

