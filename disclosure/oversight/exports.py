"""Tables as downloads: CSV (UTF-8 with a BOM, so Excel reads the Chinese) and XLSX.

A text starting with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) is
something Excel would run as a formula: CSV writes it behind a ``'``; XLSX stores it
as a plain string cell (quote-prefixed), never as a formula."""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_bytes(headings: list[str], rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for line in [headings, *rows]:
        writer.writerow(["'" + v if is_formula_like(v) else ("" if v is None else v) for v in line])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(headings: list[str], rows: list[list], title: str = "Sheet1") -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    bold = Font(bold=True)
    header = []
    for text in headings:
        cell = _cell(sheet, text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for line in rows:
        sheet.append([_cell(sheet, v) for v in line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(sheet, value):
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never "f": a name like "=1+1" stays text
        if is_formula_like(value):
            cell.quotePrefix = True
    return cell


def download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    ascii_name = filename.encode("ascii", "ignore").decode() or "download"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response


def csv_response(headings, rows, filename: str) -> HttpResponse:
    return download(csv_bytes(headings, rows), CSV_TYPE, filename)


def xlsx_response(headings, rows, filename: str, title: str = "Sheet1") -> HttpResponse:
    return download(xlsx_bytes(headings, rows, title), XLSX_TYPE, filename)
