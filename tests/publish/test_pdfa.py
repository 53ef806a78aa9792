"""Every report PDF is a PDF/A-3 file; a saved report's PDF (the one stored at
approval, and every draft download) embeds the report's data as
``report-data.json``, which ``importers.embedded.embedded_data`` reads back."""

import json
from io import BytesIO

import pytest
from pypdf import PdfReader

from disclosure.importers.embedded import embedded_data
from disclosure.publish.data import cells_json
from disclosure.publish.fetcher import StaticOnlyFetcher
from disclosure.publish.models import Rendition
from disclosure.publish.render import PdfAttachment, pdf_from_html, pdf_html, render_pdf
from disclosure.reports.values import load_values
from disclosure.review.workflow import submit_report
from tests.importers.samples import parse_sample
from tests.publish.pdftools import bundled_families, pdffonts
from tests.review.builders import approve_committed, team

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved():
    _, clerk, reviewer, _, report = team()
    submit_report(report.pk, clerk)
    report = approve_committed(report.pk, reviewer)
    return report, bytes(Rendition.objects.get(report=report, kind="pdf").content)


def xmp(pdf: bytes) -> str:
    return PdfReader(BytesIO(pdf)).trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")


def data_filespec(pdf: bytes):
    root = PdfReader(BytesIO(pdf)).trailer["/Root"]
    names = root["/Names"]["/EmbeddedFiles"]["/Names"]
    specs = {str(names[i]): names[i + 1].get_object() for i in range(0, len(names), 2)}
    return root, specs["report-data.json"]


def test_approval_pdf_embeds_exactly_the_reports_cells(approved):
    report, pdf = approved
    data = embedded_data(pdf)
    assert data["cells"] == cells_json(report.format, load_values(report))
    assert {k: v for k, v in data.items() if k != "cells"} == {
        "format": report.format.code,
        "agency": report.agency.name,
        "region": report.agency.region.full_name,
        "year": report.year,
        "status": "approved",
        "version": report.version,
    }


def test_approval_pdf_attachment_is_json_with_data_relationship(approved):
    _, pdf = approved
    root, spec = data_filespec(pdf)
    assert spec["/AFRelationship"] == "/Data"
    assert spec["/EF"]["/F"].get_object()["/Subtype"] == "/application/json"
    assert spec["/Desc"] == "报告数据（与 data.json 相同）"
    # The catalog's associated files name it (WeasyPrint 70 lists it twice).
    assert {ref.idnum for ref in root["/AF"]} == {spec.indirect_reference.idnum}


def test_approval_pdf_declares_pdfa_3(approved):
    _, pdf = approved
    metadata = xmp(pdf)
    assert 'pdfaid:part="3"' in metadata
    assert 'pdfaid:conformance="B"' in metadata
    root = PdfReader(BytesIO(pdf)).trailer["/Root"]
    assert root["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"


def test_approval_pdf_fonts_still_embedded(approved, tmp_path):
    _, pdf = approved
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    fonts = pdffonts(path)
    assert fonts and all(fonts.values())
    assert set(fonts) <= set(bundled_families())


def test_draft_pdf_embeds_its_data_as_draft():
    _, _, _, _, report = team()
    data = embedded_data(render_pdf(report))
    assert (data["status"], data["version"]) == ("draft", report.version)
    assert data["cells"] == cells_json(report.format, load_values(report))


def test_rendering_is_deterministic_per_report_state():
    _, _, _, _, report = team()
    assert render_pdf(report) == render_pdf(report)


def test_attachment_is_read_from_memory_never_fetched():
    fetcher = StaticOnlyFetcher()
    document = parse_sample("002")
    content = json.dumps({"format": "gov2021", "year": 2021, "cells": {}}).encode()
    pdf = pdf_from_html(pdf_html(document), fetcher, [PdfAttachment("report-data.json", content)])
    assert fetcher.refused == []
    assert all(url.startswith("file:///static/disclosure/") for url in fetcher.served)
    assert embedded_data(pdf) == {"format": "gov2021", "year": 2021, "cells": {}}


def test_parsed_report_pdf_is_pdfa_without_data():
    pdf = render_pdf(parse_sample("002"))
    assert 'pdfaid:part="3"' in xmp(pdf)
    assert embedded_data(pdf) is None


@pytest.mark.parametrize("content", [b"", b"not a pdf", b"%PDF-1.7\n%broken"])
def test_embedded_data_of_garbage_is_none(content):
    assert embedded_data(content) is None


def test_embedded_data_refuses_non_report_json():
    html = pdf_html(parse_sample("002"))
    for content in (b"[1, 2]", b"{not json", json.dumps({"cells": {}}).encode()):
        pdf = pdf_from_html(html, attachments=[PdfAttachment("report-data.json", content)])
        assert embedded_data(pdf) is None
