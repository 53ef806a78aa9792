"""Which reader a file needs, from its content (the extension only breaks ties), and
the one entry point of every command: ``parse_report_path`` / ``parse_report_bytes``.

PK zip holding ``word/document.xml`` → Word; ``%PDF-`` → PDF; ``<html``/``<table``
(or an .htm/.html name with markup) → a web page; anything else → the text form.
Every container becomes a ``document.Document``, then the same items and the same walker
as the text form (``text.parse_items``), so tolerance and findings are the same.
"""

from __future__ import annotations

import re
from pathlib import Path

from . import docx as docx_reader
from . import html as html_reader
from . import pdf as pdf_reader
from .document import MAX_BYTES, DocumentError, to_items
from .labels import shorten
from .notes import ImportNote
from .text import ParsedReport, ReportParseError, parse_items, parse_report_text

KINDS = ("docx", "pdf", "html", "text")
_MARKUP = re.compile(rb"<\s*(?:!doctype\s+html|html|table|body|head|meta|div|p)[\s>/]", re.IGNORECASE)


def detect_kind(data: bytes, name: str = "") -> str:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if data[:4] == b"PK\x03\x04":
        if b"word/" in data[:65536] or name.lower().endswith((".docx", ".docm")):
            return "docx"
        raise ReportParseError(f"文件“{name}”是压缩包但不是Word文件（.docx）", None)
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ReportParseError(f"文件“{name}”是旧版Word（.doc）或Excel格式，请另存为.docx后上传", None)
    if _MARKUP.search(head) or (_MARKUP.search(data[:65536]) and name.lower().endswith((".htm", ".html"))):
        return "html"
    return "text"


def parse_report_bytes(data: bytes, name: str = "", *, year: int | None = None) -> ParsedReport:
    """Read a report of any supported kind. Raises ReportParseError with a message."""
    if len(data) > MAX_BYTES:
        raise ReportParseError(
            f"文件“{name}”过大（超过{MAX_BYTES // 1024 // 1024}MB），请拆分或精简后上传", None
        )
    kind = detect_kind(data, name)
    if kind == "text":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ReportParseError(f"文件“{name}”不是 UTF-8 编码的文本", None) from exc
        return parse_report_text(text, source=name, year=year)
    try:
        if kind == "docx":
            document = docx_reader.read_docx(data, name)
        elif kind == "pdf":
            document = pdf_reader.read_pdf(data, name)
        else:
            document = html_reader.read_html(data, name)
    except DocumentError as exc:
        raise ReportParseError(str(exc), None) from exc
    items, end = to_items(document)
    if not items:
        raise ReportParseError(f"文件“{name}”中没有可导入的内容", None)
    notes = [ImportNote(text, None, kind="document") for text in document.notes]
    parsed = parse_items(items, source=name, year=year, end_line=end, notes=notes)
    if kind == "pdf":
        _prefer_embedded(parsed, pdf_reader.embedded_values(data))
    return parsed


def parse_report_path(path, *, year: int | None = None) -> ParsedReport:
    path = Path(path)
    with path.open("rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    return parse_report_bytes(data, path.name, year=year)


def _prefer_embedded(parsed: ParsedReport, data: dict | None) -> None:
    """The data embedded by this application wins over the tables read from the pages;
    every cell where they differ is noted."""
    if not data or not isinstance(data.get("cells"), dict):
        return
    cells = data["cells"]
    if data.get("format") not in (None, parsed.format.code):
        parsed.notes.append(
            ImportNote(
                f"PDF附带的数据为{data.get('format')}格式，与页面不符，已按页面表格导入",
                None,
                kind="embedded",
            )
        )
        return
    differences = []
    for key in parsed.values:
        if key not in cells:
            continue
        value = pdf_reader.json_cell(cells[key])
        if value != parsed.values[key]:
            differences.append(key)
            parsed.values[key] = value
    parsed.notes.append(
        ImportNote("已按PDF附带的报告数据（report-data.json）导入数字", None, kind="embedded")
    )
    if differences:
        names = "、".join(shorten(parsed.format.cell_label(k), 30) for k in differences[:5])
        more = f"等{len(differences)}个" if len(differences) > 5 else ""
        parsed.notes.append(
            ImportNote(
                f"PDF附带的数据与页面表格有{len(differences)}处不同（{names}{more}），已按附带数据导入",
                None,
                differences,
                kind="embedded",
            )
        )
