"""The data a PDF produced by this system carries: its ``report-data.json``
attachment (see ``publish/render.py``: every saved report's PDF is a PDF/A-3
file embedding the same JSON as ``/reports/<id>/data.json``).

A reader of PDFs prefers this data to the printed text when it is there."""

from __future__ import annotations

import json
from io import BytesIO

from pypdf import PdfReader
from pypdf.errors import PdfReadError

DATA_ATTACHMENT = "report-data.json"
# The attachment is a few kilobytes; anything much larger is not ours.
MAX_DATA_BYTES = 2 * 1024 * 1024


def embedded_data(pdf_bytes: bytes) -> dict | None:
    """The report data embedded in the PDF, or None (not a PDF, no such
    attachment, or not a JSON object with ``format``, ``year`` and ``cells``)."""
    try:
        reader = PdfReader(BytesIO(pdf_bytes))
        contents = reader.attachments.get(DATA_ATTACHMENT)
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError):
        return None
    if not contents:
        return None
    content = contents[0]
    if len(content) > MAX_DATA_BYTES:
        return None
    try:
        data = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), dict):
        return None
    if "format" not in data or "year" not in data:
        return None
    return data
