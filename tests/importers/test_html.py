import pytest

from disclosure.importers.detect import parse_report_bytes
from tests.importers.formats_common import assert_same_as_text
from tests.importers.make_docx import cms_html, sample_document
from tests.importers.samples import SAMPLES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("number", sorted(SAMPLES))
def test_cms_page_gives_back_the_text_form(number):
    page = cms_html(sample_document(number))
    assert page.count('class="MsoNormalTable"') >= 4  # a table printed as two tables
    assert_same_as_text(number, parse_report_bytes(page.encode("utf-8"), "report.html"))


def test_gbk_page_and_htm_extension():
    page = cms_html(sample_document("004")).replace('charset="utf-8"', 'charset="gbk"')
    assert_same_as_text("004", parse_report_bytes(page.encode("gb18030"), "report.htm"))
