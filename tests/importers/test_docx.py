import pytest

from disclosure.importers.detect import parse_report_bytes
from disclosure.importers.document import Table
from disclosure.importers.docx import read_docx
from tests.importers.formats_common import assert_same_as_text
from tests.importers.make_docx import docx_bytes, sample_document
from tests.importers.samples import SAMPLES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("number", sorted(SAMPLES))
def test_word_report_gives_back_the_text_form(number):
    assert_same_as_text(number, parse_report_bytes(docx_bytes(sample_document(number)), "report.docx"))


def test_word_tables_have_real_merged_cells():
    document = read_docx(docx_bytes(sample_document("000")))
    spans = [
        (c.rowspan, c.colspan) for t in document.items if isinstance(t, Table) for r in t.rows for c in r
    ]
    assert any(r > 1 for r, _ in spans) and any(c > 1 for _, c in spans)
