import pytest

from disclosure.importers.detect import detect_kind, parse_report_path
from disclosure.importers.text import ReportParseError
from tests.importers.formats_common import assert_same_as_text
from tests.importers.make_docx import cms_html, docx_bytes, sample_document
from tests.importers.samples import SAMPLES

pytestmark = pytest.mark.django_db


def test_kind_from_content_not_extension():
    assert detect_kind(docx_bytes(sample_document("004")), "report.txt") == "docx"
    assert detect_kind(b"%PDF-1.7\n...", "report.docx") == "pdf"
    assert detect_kind(b"<html><body>x</body></html>", "report.txt") == "html"
    assert detect_kind(b"  <table><tr><td>1</td></tr></table>", "") == "html"
    assert detect_kind("2020年报告\n".encode(), "report.html") == "text"


def test_parse_report_path_reads_each_kind(tmp_path):
    word = tmp_path / "a.bin"
    word.write_bytes(docx_bytes(sample_document("004")))
    assert_same_as_text("004", parse_report_path(word))
    page = tmp_path / "b.txt"
    page.write_text(cms_html(sample_document("004")), encoding="utf-8")
    assert_same_as_text("004", parse_report_path(page))
    assert_same_as_text("004", parse_report_path(SAMPLES["004"]))


def test_other_zip_and_old_word_refused():
    with pytest.raises(ReportParseError, match="不是Word"):
        from disclosure.importers.detect import parse_report_bytes  # noqa: PLC0415

        parse_report_bytes(b"PK\x03\x04" + b"\0" * 40, "a.zip")
    with pytest.raises(ReportParseError, match=".doc"):
        from disclosure.importers.detect import parse_report_bytes  # noqa: PLC0415

        parse_report_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 40, "a.doc")


def test_check_report_command_reads_word(tmp_path):
    from django.core.management import call_command  # noqa: PLC0415

    word = tmp_path / "report.docx"
    word.write_bytes(docx_bytes(sample_document("004")))
    try:
        call_command("check_report", str(word), "--json")
    except SystemExit:
        pass
    except Exception as exc:  # CommandError with returncode 1 for error findings is fine
        assert getattr(exc, "returncode", None) == 1
