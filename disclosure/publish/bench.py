"""Rendering figures for ``python manage.py bench``: a typical report (2021
format, every table filled, about a page of narrative), built in memory so the
benchmark touches no database."""

from __future__ import annotations

import statistics
import time
from decimal import Decimal

from disclosure.formats import Kind, format_for_year

from .document import ReportDocument
from .render import pdf_from_html, render_html

PDF_RUNS = 5
HTML_RUNS = 20
YEAR = 2021

NARRATIVE = (
    "（一）主动公开。本机关严格落实《中华人民共和国政府信息公开条例》，"
    "围绕重点领域及时、准确公开政府信息，全年主动公开政府信息一百余条，"
    "并通过政府网站、政务新媒体等渠道同步发布，方便公众查阅。"
)


def typical_document() -> ReportDocument:
    fmt = format_for_year(YEAR)
    values = {}
    for index, key in enumerate(fmt.cell_keys()):
        column = fmt.locate(key)[3]
        values[key] = Decimal("12.5") if column.kind == Kind.MONEY else index % 9
    general = "\n".join(NARRATIVE.replace("（一）", f"（{n}）") for n in "一二三四五")
    return ReportDocument(
        title=f"示例区民政局{YEAR}年政府信息公开工作年度报告",
        year=YEAR,
        agency_name="示例区民政局",
        format=fmt,
        preface="本报告根据《中华人民共和国政府信息公开条例》第五十条的规定编制。" * 3,
        narratives={"general": general, "problems": general[:200], "other_matters": "无"},
        values=values,
        draft=False,
    )


def _median(func, runs: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds of ``runs`` calls (CPU time shows the
    cost when other processes share the machine)."""
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        func()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


def bench_figures(stdout) -> dict:
    document = typical_document()
    html = render_html(document)
    pdf_from_html(html)  # warm-up: fontconfig caches and font loading
    html_s, _ = _median(lambda: render_html(document), HTML_RUNS)
    pdf_s, pdf_cpu_s = _median(lambda: pdf_from_html(render_html(document)), PDF_RUNS)
    stdout.write(
        f"报告渲染：PDF {pdf_s:.2f} 秒（CPU {pdf_cpu_s:.2f} 秒，{PDF_RUNS} 次中位数），HTML {html_s * 1000:.1f} 毫秒"
    )
    return {
        "pdf_render_s": round(pdf_s, 3),
        "pdf_render_cpu_s": round(pdf_cpu_s, 3),
        "html_render_ms": round(html_s * 1000, 2),
    }
