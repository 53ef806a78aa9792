"""Report → Word (.docx) in the official layout, for leaders who revise in Word.

Only the mapping lives here: the content is the ``ReportDocument`` the HTML
and PDF print (title, preface, narratives with their level-2 headings, values
as printed by ``value_text``, units included), the six sections come in order
from ``formats.layout.sections`` and each table's cells, spans and positions
from ``formats.layout.table_grid`` (a label merged down is a vertical merge,
``w:vMerge``; a label or value across grid columns a horizontal one,
``w:gridSpan``).

Page and type as report.css sets them for the PDF (GB/T 9704 style): A4,
margins 37/26/35/28 mm (top/right/bottom/left), body 16 pt on a 28 pt line,
paragraphs indented two characters; page numbers "— n —" outside at the foot.
The PDF's bundled faces are substitutes for the national standard faces; in
Word the standard names are used, as an agency's machine has them:
``方正小标宋简体`` for the title (the PDF: Noto Serif SC Bold), ``黑体`` for
the section headings (Noto Sans SC Bold), ``仿宋_GB2312`` for the body and the
tables (FandolFang), ``楷体_GB2312`` for level-2 headings (FandolKai).

A draft (not approved) carries "草稿" in red in every page header, and its
file name says （草稿） (``render.download_name``), as the PDF does.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from disclosure.formats.layout import LabelCell, sections, table_grid

from .document import ReportDocument, paragraphs, value_text

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
LEVEL2_FONT = "楷体_GB2312"
FONTS = (TITLE_FONT, HEADING_FONT, BODY_FONT, LEVEL2_FONT)

MARGINS_MM = {"top": 37, "right": 26, "bottom": 35, "left": 28}
TEXT_WIDTH_MM = 210 - MARGINS_MM["left"] - MARGINS_MM["right"]  # 156 mm
BODY_PT, LINE_PT = 16, 28
TABLE_PT = {"active": 10.5, "applications": 10, "appeals": 9}  # as report.css sizes each grid
DATA_SHARE = {"active": 0.22, "applications": 0.064}  # a data column's share of the width (report.css)
LABEL_SHARE = 0.09
DRAFT_NOTE = "草稿"


def _font(run, name: str, size: float, bold: bool = False) -> None:
    """Name the face for every script (Latin and East Asian), as Word reads it."""
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)


def _paragraph(container, *, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY, style=None, line=LINE_PT):
    p = container.add_paragraph(style=style)
    f = p.paragraph_format
    f.alignment = align
    f.space_before = f.space_after = Pt(0)
    f.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    f.line_spacing = Pt(line)
    f.first_line_indent = Pt(BODY_PT * 2) if indent else Pt(0)
    return p


def _page(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side, mm in MARGINS_MM.items():
        setattr(section, f"{side}_margin", Mm(mm))
    section.footer_distance = Mm(28)
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)


def _page_number(footer, align) -> None:
    p = footer.paragraphs[0]
    p.alignment = align
    _font(p.add_run("— "), BODY_FONT, 14)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = p.add_run("1")
    _font(run, BODY_FONT, 14)
    field.append(run._element)
    p._p.append(field)
    _font(p.add_run(" —"), BODY_FONT, 14)


def _headers_and_footers(document, draft: bool) -> None:
    """Page numbers outside (odd right, even left); a draft's note in every header."""
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)
    if draft:
        for header in (section.header, section.even_page_header):
            p = header.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(DRAFT_NOTE)
            _font(run, HEADING_FONT, 26, bold=True)
            run.font.color.rgb = RGBColor(0xC8, 0x00, 0x00)


def _text_paragraphs(document, text: str) -> None:
    for item in paragraphs(text):
        p = _paragraph(document)
        if item.heading:
            _font(p.add_run(item.heading), LEVEL2_FONT, BODY_PT)
        if item.text:
            _font(p.add_run(item.text), BODY_FONT, BODY_PT)


def _widths(grid) -> list[int]:
    """Each grid column's width in twips, in report.css's proportions."""
    width = grid.grid_width
    labels = grid.label_columns
    share = DATA_SHARE.get(grid.code)
    if share is None or labels == 0:
        shares = [1 / width] * width
    else:
        shares = [LABEL_SHARE] * labels + [share] * (width - labels)
        shares[labels - 1] = max(0.05, 1 - sum(shares) + shares[labels - 1])
    total = Mm(TEXT_WIDTH_MM).twips
    return [round(total * s / sum(shares)) for s in shares]


def _set_widths(table, widths) -> None:
    grid = table._tbl.tblGrid
    for col, twips in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(twips))
    for row in table.rows:
        for tc, twips in zip(row._tr.tc_lst, widths, strict=False):
            tc.get_or_add_tcPr()
            tc.width = twips * 635  # twips → EMU


def _cell_text(cell, text: str, size: float) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    p = cell.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    f = p.paragraph_format
    f.first_line_indent = Pt(0)
    f.space_before = f.space_after = Pt(0)
    f.line_spacing_rule = WD_LINE_SPACING.SINGLE
    if text:
        _font(p.add_run(text), BODY_FONT, size)


def _table(document, table_decl, values: dict) -> None:
    """The printed grid: one Word row per printed row, one Word column per grid column."""
    grid = table_grid(table_decl)
    size = TABLE_PT.get(grid.code, 10.5)
    table = document.add_table(rows=len(grid.rows), cols=grid.grid_width)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _set_widths(table, _widths(grid))
    for r, grid_row in enumerate(grid.rows):
        if grid_row.is_header and len(grid.groups) == 1:
            _repeat_header(table.rows[r])
        for slot in grid_row.printed:
            if isinstance(slot, LabelCell):
                rows, cols, text = slot.rowspan, slot.colspan, slot.text
            else:
                rows, cols = 1, slot.colspan
                text = value_text(values.get(slot.key), slot.column)
            cell = table.cell(r, slot.x)
            if rows > 1 or cols > 1:
                cell = cell.merge(table.cell(r + rows - 1, slot.x + cols - 1))
            _cell_text(cell, text, size)


def _repeat_header(row) -> None:
    """A single-group table's header rows repeat on every page it spans (as the PDF's thead)."""
    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    tr_pr.append(element)


def report_docx(document: ReportDocument) -> bytes:
    """The report as .docx bytes (see the module's docstring)."""
    word = Document()
    _page(word)
    _headers_and_footers(word, document.draft)
    word.core_properties.title = document.title + ("（草稿）" if document.draft else "")
    word.core_properties.author = document.agency_name

    title = _paragraph(word, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, line=35)
    title.paragraph_format.space_after = Pt(28)
    _font(title.add_run(document.title), TITLE_FONT, 22, bold=True)
    _text_paragraphs(word, document.preface)

    for section in sections(document.format):
        heading = _paragraph(word, style="Heading 1", align=WD_ALIGN_PARAGRAPH.LEFT)
        heading.paragraph_format.keep_with_next = True
        run = heading.add_run(section.heading)
        _font(run, HEADING_FONT, BODY_PT, bold=True)
        run.font.color.rgb = RGBColor(0, 0, 0)
        if section.table is not None:
            _table(word, section.table, document.values)
            _paragraph(word, indent=False, line=14)  # the space after a table, as the PDF's margin
        else:
            _text_paragraphs(word, document.narratives.get(section.narrative.code, ""))

    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()
