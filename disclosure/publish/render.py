"""Report → HTML and PDF.

One Django template (``publish/report.html``) produces the HTML; WeasyPrint
(imported inside ``pdf_from_html`` so it never slows start-up) turns the same
HTML into the PDF with the static-only URL fetcher. The stylesheet is inlined
in both. For the PDF its fonts are the project's static files; the HTML
download embeds each face cut down to the characters it prints in this report
(``data:`` URLs, WOFF), so the file looks the same opened from disk or posted on
another site, with no request for anything.

``render_html``/``render_pdf`` take a saved ``AnnualReport`` or a
``ParsedReport`` from the importer (published text, never watermarked).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from html.parser import HTMLParser
from importlib.resources import files
from io import BytesIO
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import get_template, render_to_string
from django.templatetags.static import static
from django.utils.safestring import mark_safe

from disclosure.reports.values import load_values

from .data import report_data
from .document import ReportDocument, document_from_parsed, document_from_report
from .glyphs import STYLESHEET, bundled_fonts, faces_for, subset_woff

_FONT_URL = re.compile(r"""url\((["']?)\.\./fonts/([^"')]+)\1\)""")
_FACE_RULE = re.compile(r"@font-face\s*{[^}]*}")
_FACE_FAMILY = re.compile(r'font-family:\s*"([^"]+)"')
_FACE_SRC = re.compile(r"src:[^;]*;")
_UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|\s]+')
# The title's closing phrase, kept on one line by the stylesheet (.title-tail).
_TITLE_TAIL = re.compile(r"(政府信息公开工作)?年度报告")
# Printed by the stylesheet itself (page numbers "— 1 —"), in the page's body face.
PAGE_NUMBER_TEXT = "— 0123456789"


def stylesheet_text() -> str:
    """report.css with its font URLs made site-absolute, ready to inline."""
    path = Path(finders.find(STYLESHEET))
    return _stylesheet(str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _stylesheet(path: str, mtime: int) -> str:
    css = Path(path).read_text(encoding="utf-8")
    return _FONT_URL.sub(lambda m: f'url("{static("disclosure/fonts/" + m.group(2))}")', css)


def embedded_stylesheet(text_by_role: dict[str, str]) -> str:
    """report.css with every face that prints some of ``text_by_role`` cut down
    to those characters and embedded as a ``data:`` URL; the other faces are
    left out (the page needs them for nothing)."""
    fonts, used = bundled_fonts(), faces_for(text_by_role)

    def embed(match: re.Match) -> str:
        family = _FACE_FAMILY.search(match.group(0)).group(1)
        if family not in used:
            return ""
        woff = subset_woff(fonts.faces[family], frozenset(used[family]))
        src = f'src: url("data:font/woff;base64,{base64.b64encode(woff).decode()}") format("woff");'
        return _FACE_SRC.sub(src, match.group(0))

    return _FACE_RULE.sub(embed, stylesheet_text())


class _TextByRole(HTMLParser):
    """The text of a page's body, by the font role (report.css's stacks) that
    prints it: an element's role comes from its class, else its tag, else its
    parent's, as the stylesheet's rules set them."""

    VOID = frozenset(
        {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
    )

    def __init__(self, roles: dict[str, str]):
        super().__init__(convert_charrefs=True)
        self.roles = roles
        self.open: list[tuple[str, str | None]] = [("", None)]  # (tag, role); no role outside <body>
        self.text: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        role = self.open[-1][1]
        if tag == "body":
            role = self.roles.get("body", self.roles.get("html"))
        if role is not None:
            classes = [f".{c}" for c in (dict(attrs).get("class") or "").split()]
            role = next((self.roles[c] for c in classes if c in self.roles), self.roles.get(tag, role))
        self.open.append((tag, role))

    def handle_endtag(self, tag):
        tags = [t for t, _ in self.open]
        if tag in tags[1:]:
            del self.open[len(tags) - 1 - tags[::-1].index(tag) :]

    def handle_data(self, data):
        role = self.open[-1][1]
        if role is not None:
            self.text.setdefault(role, []).append(data)


def text_by_role(html: str) -> dict[str, str]:
    """What each font role prints on the page (the page numbers included)."""
    fonts = bundled_fonts()
    parser = _TextByRole(fonts.element_roles)
    parser.feed(html)
    parser.close()
    text = {role: "".join(parts) for role, parts in parser.text.items()}
    body = fonts.element_roles["html"]
    text[body] = text.get(body, "") + PAGE_NUMBER_TEXT
    return text


def to_document(source) -> ReportDocument:
    if isinstance(source, ReportDocument):
        return source
    if hasattr(source, "_meta"):  # a saved AnnualReport
        return document_from_report(source)
    return document_from_parsed(source)


def title_parts(title: str) -> tuple[str, str]:
    """The title split before its closing phrase ("政府信息公开工作年度报告"),
    which prints on one line: a long agency name never leaves "报告" alone."""
    match = _TITLE_TAIL.search(title)
    return (title[: match.start()], title[match.start() :]) if match else (title, "")


def _page(document: ReportDocument, css: str) -> str:
    if "</" in css:  # pragma: no cover - guards the inlining
        raise ValueError("the stylesheet must not contain '</'")
    context = {"document": document, "title": title_parts(document.title), "stylesheet": mark_safe(css)}
    return render_to_string("publish/report.html", context)


def render_html(source) -> str:
    """The report as a self-contained HTML page, its fonts embedded (the
    download; saved report or ParsedReport)."""
    document = to_document(source)
    page = _page(document, stylesheet_text())
    return _page(document, embedded_stylesheet(text_by_role(page)))


def pdf_html(source) -> str:
    """The report's HTML for the PDF: fonts by static URL, for the static-only fetcher."""
    return _page(to_document(source), stylesheet_text())


# Every PDF is a PDF/A-3 archival file (fonts embedded, sRGB output intent, XMP
# metadata); a saved report's PDF carries its data as an embedded JSON file.
PDF_VARIANT = "pdf/a-3b"
DATA_ATTACHMENT = "report-data.json"
# The attachment's dates when the report holds none (a report not yet saved).
_FIXED_DATE = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class PdfAttachment:
    """A file embedded in the PDF, given as bytes (never a URL: nothing is fetched)."""

    name: str
    content: bytes
    description: str = ""
    relationship: str = "Data"  # PDF/A-3 AFRelationship
    modified: datetime = _FIXED_DATE


def data_attachment(report, values: dict | None = None) -> PdfAttachment:
    """The report's data (``data.json``'s shape) as the PDF's ``report-data.json``;
    its dates are the report's last change, so the bytes depend on the report only."""
    data = report_data(report, load_values(report) if values is None else values)
    content = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False).encode("utf-8")
    modified = getattr(report, "updated_at", None) or _FIXED_DATE
    return PdfAttachment(DATA_ATTACHMENT, content, "报告数据（与 data.json 相同）", "Data", modified)


def pdf_from_html(html: str, fetcher=None, attachments=()) -> bytes:
    """Any HTML → PDF/A-3 through the static-only fetcher (pass one to inspect it),
    with ``attachments`` (``PdfAttachment``, given as bytes) embedded."""
    from weasyprint import HTML, Attachment  # noqa: PLC0415 - WeasyPrint loads only when a PDF is rendered

    from .fetcher import BASE_URL, StaticOnlyFetcher  # noqa: PLC0415 - imports WeasyPrint

    fetcher = fetcher or StaticOnlyFetcher()
    embedded = [
        # string= is read from memory (weasyprint.urls.select_source): the fetcher is never asked.
        Attachment(
            string=a.content,
            url_fetcher=fetcher,
            name=a.name,
            description=a.description,
            created=a.modified.astimezone(UTC).replace(tzinfo=None),
            modified=a.modified.astimezone(UTC).replace(tzinfo=None),
            relationship=a.relationship,
        )
        for a in attachments
    ]
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    return document.write_pdf(
        pdf_variant=PDF_VARIANT,
        attachments=embedded,
        output_intent=_OUTPUT_INTENT,
        color_profiles={_OUTPUT_INTENT: _srgb_profile()},
    )


# PDF/A's output intent: WeasyPrint's own sRGB profile, read from memory (its
# "srgb" default opens the file and never closes it).
_OUTPUT_INTENT = "report-srgb"


@lru_cache(maxsize=1)
def _srgb_bytes() -> bytes:
    return (files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()


def _srgb_profile():
    from weasyprint.css import ColorProfile  # noqa: PLC0415 - WeasyPrint loads only when a PDF is rendered

    return ColorProfile(
        BytesIO(_srgb_bytes()), "sRGB2014.icc", "relative-colorimetric", (["r"], ["g"], ["b"])
    )


def render_pdf(source) -> bytes:
    """The report as PDF/A-3 bytes (saved report, ParsedReport or ReportDocument);
    a saved report's PDF embeds its data (``report-data.json``), drafts included."""
    if hasattr(source, "_meta"):  # a saved AnnualReport: one load of its values for both
        values = load_values(source)
        document = document_from_report(source, values)
        return pdf_from_html(pdf_html(document), attachments=[data_attachment(source, values)])
    return pdf_from_html(pdf_html(source))


# What a rendered file depends on besides the report: the templates, the
# stylesheet, the code that lays the page out, and the PDF engine.
_TEMPLATES = ("publish/report.html", "publish/_table.html")
_LAYOUT_MODULES = ("render.py", "document.py", "data.py", "glyphs.py", "fetcher.py")


def template_version() -> str:
    """A digest of everything but the report that a rendered file depends on
    (templates, stylesheet, layout code, WeasyPrint's version): the draft cache's
    ``template_version``, so a deployment that changes the layout renders afresh."""
    return _template_version(stylesheet_text())


@lru_cache(maxsize=4)
def _template_version(css: str) -> str:
    from weasyprint import __version__ as weasyprint_version  # noqa: PLC0415 - WeasyPrint loads lazily

    digest = hashlib.sha256()
    for name in _TEMPLATES:
        digest.update(Path(get_template(name).origin.name).read_bytes())
    here = Path(__file__).resolve().parent
    for module in _LAYOUT_MODULES:
        digest.update((here / module).read_bytes())
    digest.update(css.encode("utf-8"))
    digest.update(f"{PDF_VARIANT} weasyprint {weasyprint_version}".encode())
    return digest.hexdigest()


def download_name(source, ext: str) -> str:
    """``<title>.ext``, or ``<title>（草稿）.ext`` for a report not yet approved."""
    if hasattr(source, "_meta"):  # a saved report: no need to load its values
        title, draft = source.display_title, not source.is_record
    else:
        document = to_document(source)
        title, draft = document.title, document.draft
    title = _UNSAFE_IN_NAME.sub("", title) or "年度报告"
    return f"{title}{'（草稿）' if draft else ''}.{ext}"
