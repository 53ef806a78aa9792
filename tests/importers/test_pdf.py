import pytest

from disclosure.importers.detect import parse_report_bytes
from disclosure.importers.text import ReportParseError
from disclosure.publish.render import pdf_from_html
from tests.importers.formats_common import assert_same_as_text
from tests.importers.make_docx import cms_html, sample_document
from tests.importers.samples import SAMPLES, parse_sample

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def pdfs():
    return {n: pdf_from_html(cms_html(sample_document(n))) for n in sorted(SAMPLES)}


@pytest.mark.parametrize("number", sorted(SAMPLES))
def test_pdf_tables_give_back_every_number_of_the_text_form(pdfs, number):
    """Table 三 runs over two pages, its merged label column and (sample 000) a header
    cell cut by the page break: the two parts are joined into one table."""
    assert parse_report_bytes(pdfs[number], "report.pdf").values == parse_sample(number).values


@pytest.mark.parametrize("number", sorted(SAMPLES))
def test_pdf_gives_back_the_text_form(pdfs, number):
    assert_same_as_text(number, parse_report_bytes(pdfs[number], "report.pdf"))


def test_scanned_pdf_refused():
    blank = pdf_from_html("<html><body><div style='height:10cm'></div></body></html>")
    with pytest.raises(ReportParseError, match="此PDF没有可提取的文字，请上传Word文件或网页"):
        parse_report_bytes(blank, "scan.pdf")
