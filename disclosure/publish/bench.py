"""Rendering figures for ``python manage.py bench``: a typical report (2021
format, every table filled, about a page of narrative) and a report at the
narrative limits (each of the three narrative sections at its maximum length,
every table filled), built in memory so the benchmark touches no database."""

from __future__ import annotations

import statistics
import time
from dataclasses import replace
from decimal import Decimal

from disclosure.formats import Kind, format_for_year
from disclosure.reports.models import NARRATIVE_MAX_CHARS

from .document import ReportDocument
from .glyphs import clear_subset_cache
from .render import pdf_from_html, pdf_html, render_html, render_pdf

PDF_RUNS = 5
HTML_RUNS = 20
LIMITS_RUNS = 1  # the longest report is about 170 pages: seconds a render
LIMIT_CHARS = NARRATIVE_MAX_CHARS
YEAR = 2021

NARRATIVE = (
    "（一）主动公开。本机关严格落实《中华人民共和国政府信息公开条例》，"
    "围绕重点领域及时、准确公开政府信息，全年主动公开政府信息一百余条，"
    "并通过政府网站、政务新媒体等渠道同步发布，方便公众查阅。"
)


# Sentences of the kind real reports are made of, for text at the limits.
SENTENCES = (
    "本机关坚持以公开为常态、不公开为例外，围绕群众关切及时发布政策文件和工作动态。",
    "全年通过政府门户网站公开各类信息，涵盖规划计划、财政预决算、行政执法等重点领域。",
    "依申请公开工作严格按照法定时限答复，对申请人提出的疑问逐一说明依据和理由。",
    "动态调整主动公开基本目录，清理过时失效的文件，并在网站上标注文件的有效性。",
    "优化网站栏目设置，完善站内检索功能，提升政务新媒体的发布质量和互动水平。",
    "将政务公开纳入年度绩效考核，组织专题培训三次，提高工作人员的业务能力。",
    "下一步，我们将进一步拓展公开渠道，加强政策解读，回应社会关切，接受群众监督。",
)
LEVEL2_NUMBERS = "一二三四五六七八九十"


def long_narrative(limit: int) -> str:
    """``limit`` characters of paragraphs (four sentences each, a level-2
    heading leading every third), the last one cut where the limit falls."""
    paragraphs, size, index = [], 0, 0
    while size < limit:
        sentences = [SENTENCES[(index + k) % len(SENTENCES)] for k in range(4)]
        heading = f"（{LEVEL2_NUMBERS[index // 3 % 10]}）工作情况。" if index % 3 == 0 else ""
        paragraphs.append(heading + "".join(sentences))
        size += len(paragraphs[-1]) + 1
        index += 1
    return "\n".join(paragraphs)[:limit]


def limits_document() -> ReportDocument:
    """The typical report with each narrative section at ``LIMIT_CHARS``."""
    document = typical_document()
    text = long_narrative(LIMIT_CHARS)
    return replace(document, narratives=dict.fromkeys(document.narratives, text))


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


def _render_html_cold(document: ReportDocument) -> str:
    """The HTML download as a report's first download renders it: its fonts cut down anew."""
    clear_subset_cache()
    return render_html(document)


def bench_figures(stdout) -> dict:
    document = typical_document()
    render_html(document)  # warm-up: the subsets of the HTML download
    pdf_from_html(pdf_html(document))  # warm-up: fontconfig caches and font loading
    html_s, _ = _median(lambda: _render_html_cold(document), HTML_RUNS)
    pdf_s, pdf_cpu_s = _median(lambda: pdf_from_html(pdf_html(document)), PDF_RUNS)
    stdout.write(
        f"报告渲染：PDF {pdf_s:.2f} 秒（CPU {pdf_cpu_s:.2f} 秒，{PDF_RUNS} 次中位数），HTML {html_s * 1000:.1f} 毫秒"
    )
    limits = limits_document()
    limits_s, _ = _median(lambda: render_pdf(limits), LIMITS_RUNS)
    stdout.write(
        f"叙述部分达到上限（3 × {LIMIT_CHARS} 字）的报告：PDF {limits_s:.2f} 秒（{LIMITS_RUNS} 次中位数）"
    )
    return {
        "pdf_render_s": round(pdf_s, 3),
        "pdf_render_cpu_s": round(pdf_cpu_s, 3),
        "html_render_ms": round(html_s * 1000, 2),
        "pdf_render_limits_s": round(limits_s, 3),
    }
