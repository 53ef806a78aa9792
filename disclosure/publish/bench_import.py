"""Import figures for ``python manage.py bench``: the typical report of ``bench``
(2021 format, every table filled, about a page of narrative) written by this
application's own writers as a Word file (``docx.report_docx``), an HTML page
(``render.render_html``) and a PDF (``render.pdf_from_html``, without the embedded
data, so the tables are read from the pages), then read back by
``importers.detect.parse_report_bytes``: the median of several runs of each.

``import_bounded_overhead_ms`` is what reading in a child process bounded in time
(``importers.bounded.parse_bounded``, as uploads do) adds to reading the Word file
in process: the fork of the fork server's child and the report's trip back."""

from __future__ import annotations

import statistics
import time

from disclosure.importers.bounded import parse_bounded
from disclosure.importers.detect import parse_report_bytes

from .bench import typical_document
from .docx import report_docx
from .render import pdf_from_html, pdf_html, render_html

RUNS = 5
KINDS = ("docx", "html", "pdf")


def sample_files() -> dict[str, bytes]:
    """The typical report in each format an agency may upload."""
    document = typical_document()
    return {
        "docx": report_docx(document),
        "html": render_html(document).encode("utf-8"),
        "pdf": pdf_from_html(pdf_html(document)),
    }


def _median_ms(func, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def bench_figures(stdout, runs: int = RUNS) -> dict:
    files = sample_files()
    names = {kind: f"report.{kind}" for kind in KINDS}
    for kind in KINDS:
        parse_report_bytes(files[kind], names[kind])  # warm-up (and a file that cannot be read fails here)
    figures = {
        f"import_{kind}_ms": round(_median_ms(lambda k=kind: parse_report_bytes(files[k], names[k]), runs), 2)
        for kind in KINDS
    }
    parse_bounded(files["docx"], names["docx"])  # warm-up: the fork server starts
    bounded_ms = _median_ms(lambda: parse_bounded(files["docx"], names["docx"]), runs)
    figures["import_bounded_overhead_ms"] = round(max(0.0, bounded_ms - figures["import_docx_ms"]), 2)
    stdout.write(
        f"导入报告（{runs} 次中位数）：Word {figures['import_docx_ms']:.1f} 毫秒，"
        f"网页 {figures['import_html_ms']:.1f} 毫秒，PDF {figures['import_pdf_ms']:.1f} 毫秒；"
        f"限时读取（子进程）另加 {figures['import_bounded_overhead_ms']:.1f} 毫秒"
    )
    return figures
