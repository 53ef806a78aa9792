"""The import figures of ``python manage.py bench`` (no timing asserted), and the files
they read: the typical report as this application writes it in each format reads back
to the same report."""

import io

import pytest
from django.core.management.base import OutputWrapper

from disclosure.importers.detect import parse_report_bytes
from disclosure.publish import bench_import
from disclosure.publish.bench import typical_document

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def files():
    return bench_import.sample_files()


@pytest.mark.parametrize("kind", bench_import.KINDS)
def test_each_written_format_reads_back_to_the_report(files, kind):
    document = typical_document()
    parsed = parse_report_bytes(files[kind], f"report.{kind}")
    assert (parsed.title, parsed.year, parsed.agency_name) == (
        document.title,
        document.year,
        document.agency_name,
    )
    assert parsed.values == document.values
    assert parsed.preface == document.preface
    assert parsed.narratives == document.narratives
    assert parsed.notes == []


def test_bench_figures_shape():
    out = io.StringIO()
    figures = bench_import.bench_figures(OutputWrapper(out), runs=1)
    assert sorted(figures) == [
        "import_bounded_overhead_ms",
        "import_docx_ms",
        "import_html_ms",
        "import_pdf_ms",
    ]
    assert all(isinstance(v, float) for v in figures.values())
    assert all(figures[f"import_{kind}_ms"] > 0 for kind in bench_import.KINDS)
    assert [line.split("：")[0] for line in out.getvalue().splitlines()] == ["导入报告（1 次中位数）"]
