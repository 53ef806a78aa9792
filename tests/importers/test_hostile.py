"""Hostile files: too large, zip and entity bombs, paths climbing out, external
references and entities, macros, scripts and remote images, locked PDFs, and workbooks
uploaded back (openpyxl with defusedxml): refused with a message or read harmlessly,
nothing fetched from the network (``no_network``). Time bounds: ``test_bounded``."""

import io
import socket
import zipfile

import openpyxl
import pytest
from defusedxml import DTDForbidden, EntitiesForbidden

from disclosure.importers import docx as docx_reader
from disclosure.importers.bounded import parse_bounded
from disclosure.importers.detect import parse_report_bytes
from disclosure.importers.document import MAX_BYTES
from disclosure.importers.text import ReportParseError
from tests.importers.formats_common import assert_same_as_text
from tests.importers.make_docx import cms_html, docx_bytes, sample_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_network(monkeypatch):
    """Any network connection fails the test (a local Unix socket, as the fork server of
    ``bounded`` uses, is not the network)."""
    connect = socket.socket.connect

    def refuse(sock, *args, **kwargs):
        if sock.family == socket.AF_UNIX:
            return connect(sock, *args, **kwargs)
        raise AssertionError("network access while reading a document")

    def refuse_all(*args, **kwargs):
        raise AssertionError("network access while reading a document")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse_all)


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


# ------------------------------------------------------------------ sizes, archives, XML


@pytest.mark.parametrize(
    ("head", "name"),
    [
        (b"PK\x03\x04word/", "big.docx"),
        (b"%PDF-1.7\n", "big.pdf"),
        (b"<html><body>", "big.html"),
        (b"", "big.txt"),
    ],
)
def test_file_over_20_mb_refused_by_its_size(head, name):
    assert MAX_BYTES == 20 * 1024 * 1024
    data = head + b"0" * (MAX_BYTES + 1 - len(head))
    with pytest.raises(ReportParseError, match=r"过大（超过20MB）"):
        parse_report_bytes(data, name)
    with pytest.raises(ReportParseError, match=rf"文件“{name}”过大（超过20MB）"):
        parse_bounded(data, name)


def test_docx_zip_bomb_refused_before_inflating():
    """A member that inflates past the bound (100 MB of zeros: a few hundred kB packed)."""
    data = docx_bytes(sample_document("004"))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in zipfile.ZipFile(io.BytesIO(data)).infolist():
            target.writestr(item.filename, zipfile.ZipFile(io.BytesIO(data)).read(item.filename))
        with target.open("word/media/bomb.bin", "w") as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(docx_reader.MAX_UNCOMPRESSED // len(chunk) + 1):
                member.write(chunk)
    assert len(out.getvalue()) < MAX_BYTES
    with pytest.raises(ReportParseError, match="解压后过大"):
        parse_report_bytes(out.getvalue(), "bomb.docx")


def test_docx_member_climbing_out_is_never_written(tmp_path, monkeypatch):
    """A .docx is read in memory: a ``../`` member name writes nothing anywhere."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "inner").mkdir()
    monkeypatch.chdir(tmp_path / "inner")
    data = _rezip(docx_bytes(sample_document("004")), {"../../evil.txt": b"x", "/abs/evil.txt": b"x"})
    assert_same_as_text("004", parse_report_bytes(data, "report.docx"))
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["inner"]


def _with_document_xml(data: bytes, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "word/document.xml":
                content = change(content.decode("utf-8")).encode("utf-8")
            target.writestr(item.filename, content)
    return out.getvalue()


def _doctype(xml: str, root: str, entities: str, use: str, where: str) -> str:
    declaration, rest = xml.split("?>", 1)
    assert where in rest
    return f"{declaration}?><!DOCTYPE {root} [{entities}]>" + rest.replace(where, where + use, 1)


def _laughs(levels: int = 10) -> str:
    return '<!ENTITY a0 "ha">' + "".join(f'<!ENTITY a{n} "{f"&a{n - 1};" * 10}">' for n in range(1, levels))


def test_docx_external_entity_never_resolved(no_network, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT", encoding="utf-8")
    entities = f'<!ENTITY file SYSTEM "file://{secret}"><!ENTITY web SYSTEM "http://evil.example.invalid/x">'
    data = _with_document_xml(
        docx_bytes(sample_document("004")),
        lambda xml: _doctype(xml, "w:document", entities, "&file;&web;", "南关区民政局"),
    )
    try:
        parsed = parse_report_bytes(data, "report.docx")
    except ReportParseError:
        return  # refused: nothing was read either
    assert "SECRET-CONTENT" not in repr(parsed)


def test_docx_entity_expansion_bomb_refused(no_network):
    data = _with_document_xml(
        docx_bytes(sample_document("004")),
        lambda xml: _doctype(xml, "w:document", _laughs(), "&a9;", "南关区民政局"),
    )
    with pytest.raises(ReportParseError, match="无法打开Word文件"):
        parse_bounded(data, "bomb.docx")


def test_html_entity_expansion_bomb_harmless(no_network):
    page = cms_html(sample_document("004"))
    page = f"<!DOCTYPE html [{_laughs()}]>" + page.split("\n", 1)[1].replace("<body>", "<body><p>&a9;</p>", 1)
    try:
        parsed = parse_bounded(page.encode(), "bomb.html")
    except ReportParseError:
        return
    assert "haha" not in repr(parsed)


# ------------------------------------------------------------------ uploaded workbooks (openpyxl)


def _xlsx_with_sheet_change(data: bytes, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = change(content.decode("utf-8")).encode("utf-8")
            target.writestr(item.filename, content)
    return out.getvalue()


@pytest.fixture
def downloaded_workbook():
    from disclosure.publish.xlsx import report_xlsx  # noqa: PLC0415
    from disclosure.reports.services import load_values  # noqa: PLC0415
    from tests.conftest import make_agency, make_clerk, make_report  # noqa: PLC0415

    agency = make_agency()
    report = make_report(agency, 2021, make_clerk(agency))
    return report, report_xlsx(report, load_values(report))


def test_openpyxl_parses_with_defusedxml():
    assert openpyxl.DEFUSEDXML is True


def _sheet_doctype(entities: str, use: str):
    def change(xml: str) -> str:
        declaration, rest = xml.split("?>", 1) if xml.startswith("<?xml") else ("", xml)
        head = f"{declaration}?>" if declaration else ""
        start = rest.index("<sheetData>") + len("<sheetData>") if "<sheetData>" in rest else None
        assert start is not None, rest[:200]
        row = f'<row r="999"><c r="A999" t="inlineStr"><is><t>{use}</t></is></c></row>'
        return f"{head}<!DOCTYPE worksheet [{entities}]>" + rest[:start] + row + rest[start:]

    return change


@pytest.mark.parametrize("attack", ["external", "laughs"])
def test_uploaded_workbook_with_entities_refused_harmlessly(
    no_network, tmp_path, downloaded_workbook, attack
):
    from disclosure.reports.xlsx_upload import NotOurWorkbook, read_report_xlsx  # noqa: PLC0415

    report, data = downloaded_workbook
    assert read_report_xlsx(data, report.format, report.year).cells  # the untouched download is read
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT", encoding="utf-8")
    if attack == "external":
        change = _sheet_doctype(f'<!ENTITY file SYSTEM "file://{secret}">', "&file;")
    else:
        change = _sheet_doctype(_laughs(), "&a9;")
    hostile = _xlsx_with_sheet_change(data, change)
    with pytest.raises(ValueError, match="could not read worksheets") as refused:
        openpyxl.load_workbook(io.BytesIO(hostile))
    assert isinstance(refused.value.__cause__, (EntitiesForbidden, DTDForbidden))  # defusedxml refused it
    with pytest.raises(NotOurWorkbook, match="文件无法读取"):
        read_report_xlsx(hostile, report.format, report.year)
