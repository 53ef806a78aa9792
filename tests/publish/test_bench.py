"""The rendering figures of ``python manage.py bench`` (no timing asserted)."""

import io

from django.core.management.base import OutputWrapper

from disclosure.publish import bench
from disclosure.publish.document import LEVEL2
from disclosure.reports.models import NARRATIVE_MAX_CHARS


def test_bench_figures_report_pdf_html_and_limits_times(monkeypatch):
    monkeypatch.setattr(bench, "PDF_RUNS", 1)
    monkeypatch.setattr(bench, "HTML_RUNS", 1)
    monkeypatch.setattr(bench, "LIMIT_CHARS", 300)  # the shape of the figure, not its cost
    out = io.StringIO()
    figures = bench.bench_figures(OutputWrapper(out))  # as the command passes it: a line per write
    assert sorted(figures) == ["html_render_ms", "pdf_render_cpu_s", "pdf_render_limits_s", "pdf_render_s"]
    assert all(isinstance(v, float) and v > 0 for v in figures.values())
    assert [line.split("：")[0] for line in out.getvalue().splitlines()] == [
        "报告渲染",
        "叙述部分达到上限（3 × 300 字）的报告",
    ]


def test_typical_document_fills_every_cell():
    document = bench.typical_document()
    assert sorted(document.values) == sorted(document.format.cell_keys())
    assert None not in document.values.values()


def test_limits_document_three_sections_at_the_limit():
    document = bench.limits_document()
    assert bench.LIMIT_CHARS == NARRATIVE_MAX_CHARS
    assert {code: len(text) for code, text in document.narratives.items()} == {
        "general": NARRATIVE_MAX_CHARS,
        "problems": NARRATIVE_MAX_CHARS,
        "other_matters": NARRATIVE_MAX_CHARS,
    }
    assert sorted(document.values) == sorted(document.format.cell_keys())


def test_long_narrative_paragraphs_with_level2_headings():
    paragraphs = bench.long_narrative(2000).splitlines()
    headed = [bool(LEVEL2.match(p)) for p in paragraphs]
    assert len("\n".join(paragraphs)) == 2000
    assert headed[:6] == [True, False, False, True, False, False]
