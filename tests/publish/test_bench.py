"""The rendering figures of ``python manage.py bench`` (no timing asserted)."""

import io

from disclosure.publish import bench


def test_bench_figures_report_pdf_and_html_times(monkeypatch):
    monkeypatch.setattr(bench, "PDF_RUNS", 1)
    monkeypatch.setattr(bench, "HTML_RUNS", 1)
    out = io.StringIO()
    figures = bench.bench_figures(out)
    assert sorted(figures) == ["html_render_ms", "pdf_render_cpu_s", "pdf_render_s"]
    assert all(isinstance(v, float) and v > 0 for v in figures.values())
    assert out.getvalue().startswith("报告渲染：PDF ")


def test_typical_document_fills_every_cell():
    document = bench.typical_document()
    assert sorted(document.values) == sorted(document.format.cell_keys())
    assert None not in document.values.values()
