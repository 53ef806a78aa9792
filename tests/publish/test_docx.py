"""The Word download: sections in order, tables merged as the layout declares,
every printed value present, fonts named, page set up as the PDF, draft note."""

import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.test import Client
from docx import Document
from docx.oxml.ns import qn

from disclosure.formats.layout import LabelCell, sections, table_grid
from disclosure.importers.detect import parse_report_bytes
from disclosure.publish.document import document_from_report, table_numbers
from disclosure.publish.docx import BODY_FONT, HEADING_FONT, LEVEL2_FONT, TITLE_FONT, report_docx
from disclosure.reports.models import AnnualReport, Status
from disclosure.reports.services import save_values
from tests.conftest import make_agency, make_clerk, make_report
from tests.review.builders import fill

pytestmark = pytest.mark.django_db


def filled_report():
    report = make_report(make_agency(), 2021)
    fill(
        report,
        applications__new__natural_person=17,
        applications__carried_over__commercial=3,
        appeals__cases__review_upheld=2,
    )
    save_values(report, {"active.fees.fee_amount": Decimal("1.25")})
    report.general = "（一）主动公开情况。本年度主动公开信息。\n第二段。"
    report.save()
    return report


def word(report) -> Document:
    return Document(io.BytesIO(report_docx(document_from_report(report))))


def spans(table):
    """Per Word row, its cells as (gridSpan, vMerge) in order, from the XML."""
    result = []
    for tr in table._tbl.tr_lst:
        row = []
        for tc in tr.tc_lst:
            pr = tc.tcPr
            span = pr.find(qn("w:gridSpan")) if pr is not None else None
            merge = pr.find(qn("w:vMerge")) if pr is not None else None
            row.append(
                (
                    int(span.get(qn("w:val"))) if span is not None else 1,
                    None if merge is None else (merge.get(qn("w:val")) or "continue"),
                )
            )
        result.append(row)
    return result


def expected_spans(grid):
    """The same, from the layout: a label merged down opens a vMerge, its continuations continue it."""
    result = []
    for grid_row in grid.rows:
        row = []
        for slot in grid_row.slots:
            if slot.kind == "continuation":
                row.append((slot.colspan, "continue"))
            elif isinstance(slot, LabelCell):
                row.append((slot.colspan, "restart" if slot.rowspan > 1 else None))
            else:
                row.append((slot.colspan, None))
        result.append(row)
    return result


def test_headings_in_order_title_and_level2():
    report = filled_report()
    doc = word(report)
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == [s.heading for s in sections(report.format)]
    assert doc.paragraphs[0].text == report.display_title
    level2 = [r for p in doc.paragraphs for r in p.runs if r.text == "（一）主动公开情况。"]
    assert level2 and level2[0].font.name == LEVEL2_FONT


def test_tables_merged_as_the_layout_declares():
    report = filled_report()
    doc = word(report)
    assert len(doc.tables) == 3
    for table, decl in zip(doc.tables, report.format.tables, strict=True):
        grid = table_grid(decl)
        assert len(table.rows) == len(grid.rows)
        assert spans(table) == expected_spans(grid)
    # 表三's header: the first cell spans its rows and the label columns
    applications = doc.tables[1]
    grid = table_grid(report.format.table("applications"))
    first = grid.rows[0].slots[0]
    got = spans(applications)
    assert got[0][0] == (first.colspan, "restart")
    assert all(row[0] == (first.colspan, "continue") for row in got[1 : first.rowspan])
    assert any(span > 1 for span, _ in got[0])  # a horizontally merged group header


def test_every_printed_value_is_in_the_tables():
    report = filled_report()
    doc = word(report)
    texts = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    document = document_from_report(report)
    for number in table_numbers(report.format, document.values):
        assert number in texts
    assert "1.25" in texts  # money printed as the PDF prints it (unit in the header)
    assert "17" in texts


def test_fonts_and_page_as_the_pdf():
    doc = word(filled_report())
    names = {r.font.name for p in doc.paragraphs for r in p.runs}
    assert {TITLE_FONT, HEADING_FONT, BODY_FONT, LEVEL2_FONT} <= names
    east_asian = {
        r._element.rPr.rFonts.get(qn("w:eastAsia")) for p in doc.paragraphs for r in p.runs if r.text
    }
    assert east_asian <= {TITLE_FONT, HEADING_FONT, BODY_FONT, LEVEL2_FONT}
    cell_fonts = {
        r.font.name
        for t in doc.tables
        for row in t.rows
        for c in row.cells
        for p in c.paragraphs
        for r in p.runs
    }
    assert cell_fonts == {BODY_FONT}
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.right_margin, section.bottom_margin, section.left_margin)
    assert [round(m.mm) for m in margins] == [37, 26, 35, 28]


def test_draft_has_header_note_and_draft_name_approved_has_none():
    agency = make_agency()
    clerk = make_clerk(agency)
    report = make_report(agency, 2021)
    fill(report)
    client = Client()
    client.force_login(clerk)
    response = client.get(f"/reports/{report.pk}/docx/")
    assert response.status_code == 200
    assert "%EF%BC%88%E8%8D%89%E7%A8%BF%EF%BC%89.docx" in response["Content-Disposition"]  # （草稿）
    doc = Document(io.BytesIO(response.content))
    assert "草稿" in doc.sections[0].header.paragraphs[0].text
    AnnualReport.objects.filter(pk=report.pk).update(status=Status.APPROVED)
    response = client.get(f"/reports/{report.pk}/docx/")
    doc = Document(io.BytesIO(response.content))
    assert "草稿" not in doc.sections[0].header.paragraphs[0].text
    assert "%E8%8D%89%E7%A8%BF" not in response["Content-Disposition"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_converts_the_docx(tmp_path):
    """LibreOffice opens the download (no repair: a damaged file fails the headless
    conversion) and what it writes back, as Word and as PDF, reads back to the report."""
    report = filled_report()
    document = document_from_report(report)
    path = tmp_path / "report.docx"
    path.write_bytes(report_docx(document))
    for target, outdir in (("pdf", tmp_path), ("docx", tmp_path / "resaved")):
        subprocess.run(
            ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", target,
             "--outdir", str(outdir), str(path)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
    pdf = tmp_path / "report.pdf"
    assert pdf.exists()
    for data, name in (
        ((tmp_path / "resaved" / "report.docx").read_bytes(), "report.docx"),
        (pdf.read_bytes(), "report.pdf"),
    ):
        parsed = parse_report_bytes(data, name)
        assert (parsed.title, parsed.year) == (document.title, document.year), name
        assert parsed.values == document.values, name
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        for s in sections(report.format):
            assert s.heading in text.replace(" ", "")
