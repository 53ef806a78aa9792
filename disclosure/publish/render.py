"""Report → HTML and PDF.

One Django template (``publish/report.html``) produces the HTML; WeasyPrint
(imported inside ``pdf_from_html`` so it never slows start-up) turns the same
HTML into the PDF with the static-only URL fetcher. The stylesheet is inlined
so the HTML download stands alone; its fonts are the project's static files.

``render_html``/``render_pdf`` take a saved ``AnnualReport`` or a
``ParsedReport`` from the importer (published text, never watermarked).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.safestring import mark_safe

from .document import ReportDocument, document_from_parsed, document_from_report

STYLESHEET = "disclosure/css/report.css"
_FONT_URL = re.compile(r"""url\((["']?)\.\./fonts/([^"')]+)\1\)""")
_UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|\s]+')


def stylesheet_text() -> str:
    """report.css with its font URLs made site-absolute, ready to inline."""
    path = Path(finders.find(STYLESHEET))
    return _stylesheet(str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _stylesheet(path: str, mtime: int) -> str:
    css = Path(path).read_text(encoding="utf-8")
    css = _FONT_URL.sub(lambda m: f'url("{static("disclosure/fonts/" + m.group(2))}")', css)
    if "</" in css:  # pragma: no cover - guards the inlining below
        raise ValueError("report.css must not contain '</'")
    return css


def to_document(source) -> ReportDocument:
    if isinstance(source, ReportDocument):
        return source
    if hasattr(source, "_meta"):  # a saved AnnualReport
        return document_from_report(source)
    return document_from_parsed(source)


def render_html(source) -> str:
    """The report as a standalone HTML page (saved report or ParsedReport)."""
    document = to_document(source)
    return render_to_string(
        "publish/report.html",
        {"document": document, "stylesheet": mark_safe(stylesheet_text())},  # noqa: S308 - our own file
    )


def pdf_from_html(html: str, fetcher=None) -> bytes:
    """Any HTML → PDF through the static-only fetcher (pass one to inspect it)."""
    from weasyprint import HTML

    from .fetcher import BASE_URL, StaticOnlyFetcher

    fetcher = fetcher or StaticOnlyFetcher()
    return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf()


def render_pdf(source) -> bytes:
    """The report as PDF bytes (saved report or ParsedReport)."""
    return pdf_from_html(render_html(source))


def download_name(source, ext: str) -> str:
    """``<title>.ext``, or ``<title>（草稿）.ext`` for a report not yet approved."""
    if hasattr(source, "_meta"):  # a saved report: no need to load its values
        title, draft = source.display_title, source.status != "approved"
    else:
        document = to_document(source)
        title, draft = document.title, document.draft
    title = _UNSAFE_IN_NAME.sub("", title) or "年度报告"
    return f"{title}{'（草稿）' if draft else ''}.{ext}"
