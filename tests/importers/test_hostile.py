import io
import socket
import zipfile

import pytest

from disclosure.importers.detect import parse_report_bytes
from disclosure.importers.text import ReportParseError
from tests.importers.formats_common import assert_same_as_text
from tests.importers.make_docx import cms_html, docx_bytes, sample_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("network access while reading a document")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def _rezip(data: bytes, extra: dict[str, bytes], types_from: str = "", types_to: str = "") -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "[Content_Types].xml" and types_from:
                content = content.replace(types_from.encode(), types_to.encode())
            target.writestr(item, content)
        for name, content in extra.items():
            target.writestr(name, content)
    return out.getvalue()


def test_docm_and_macros_refused():
    data = docx_bytes(sample_document("004"))
    with pytest.raises(ReportParseError, match="宏"):
        parse_report_bytes(data, "report.docm")
    with pytest.raises(ReportParseError, match="宏"):
        parse_report_bytes(_rezip(data, {"word/vbaProject.bin": b"\0" * 10}), "report.docx")
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    macro = "application/vnd.ms-word.document.macroEnabled.main+xml"
    with pytest.raises(ReportParseError, match="宏"):
        parse_report_bytes(_rezip(data, {}, main, macro), "report.docx")


def test_docx_external_reference_never_fetched(no_network):
    data = docx_bytes(sample_document("004"))
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
        'Target="http://evil.example.invalid/x.png" TargetMode="External"/></Relationships>'
    )
    data = _rezip(data, {"word/_rels/extra.xml.rels": rels.encode()})
    assert_same_as_text("004", parse_report_bytes(data, "report.docx"))


def test_html_scripts_and_remote_images_never_fetched(no_network):
    page = cms_html(sample_document("004"))
    page = page.replace(
        "<body>",
        '<body><iframe src="http://evil.example.invalid/"></iframe>'
        '<img src="http://evil.example.invalid/a.png"><script>var 一、总体情况 = 1</script>',
    )
    parsed = parse_report_bytes(page.encode(), "report.html")
    assert_same_as_text("004", parsed)
    assert "alert" not in str(parsed.narratives)


def test_html_entities_never_expanded_from_outside(no_network):
    page = '<!DOCTYPE html [<!ENTITY x SYSTEM "http://evil.example.invalid/">]><html><body>&x;</body></html>'
    with pytest.raises(ReportParseError):
        parse_report_bytes(page.encode(), "report.html")


def test_too_many_pages_and_characters_refused(monkeypatch):
    from disclosure.importers import html  # noqa: PLC0415

    monkeypatch.setattr(html, "MAX_CHARS", 1000)
    with pytest.raises(ReportParseError, match="过多|过大"):
        parse_report_bytes(cms_html(sample_document("004")).encode(), "report.html")


def test_password_pdf_refused():
    pypdf = pytest.importorskip("pypdf")
    from disclosure.publish.render import pdf_from_html  # noqa: PLC0415

    reader = pypdf.PdfReader(io.BytesIO(pdf_from_html("<p>2020年某局政府信息公开工作年度报告</p>")))
    writer = pypdf.PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(ReportParseError, match="密码"):
        parse_report_bytes(out.getvalue(), "locked.pdf")
