"""The one intermediate every container reader (Word, HTML, PDF) produces, and the one
mapping from it to the items the text walker reads (``text.parse_items``).

A ``Document`` is paragraphs and tables in reading order; a table is rows of the cells
that *start* in that row, each with its row and column span (as HTML writes a table).
``to_items`` prints each table the way the text form does: a cell merged from above
becomes an empty cell in the rows below it, a cell merged across columns appears once.
Line numbers are those of the equivalent text form (a paragraph is a line followed by a
blank line; a row is one line per cell followed by a blank line), so every message names
a place the same way for every format.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .tables import TextCell, TextLine, TextRow


class DocumentError(Exception):
    """The document cannot be read (not a report container, unsafe, too large, no text)."""


# Bounds on what a reader accepts (the time itself is bounded by ``bounded.parse_bounded``).
MAX_BYTES = 20 * 1024 * 1024  # the issue: uploads up to 20 MB
MAX_CHARS = 2_000_000
MAX_PAGES = 200
MAX_CELLS = 50_000
MAX_SPAN = 1000


@dataclass
class Paragraph:
    text: str


@dataclass
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Table:
    rows: list[list[Cell]] = field(default_factory=list)


@dataclass
class Document:
    items: list[Paragraph | Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # reader's remarks (kind "document")


_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u2002\u2003\u2009\u200b\ufeff]+")
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－]\s*\d+\s*[-—–－]|第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|"
    r"page\s*\d+(?:\s*of\s*\d+)?)$",
    re.IGNORECASE,
)


def clean_line(text: str) -> str:
    """One line of a paragraph: no-break and zero-width spaces made plain, runs collapsed."""
    return _SPACE.sub(" ", text.replace("\u200b", "")).strip()


def join_lines(lines) -> str:
    """The lines of a wrapped cell as one: joined without a space between CJK text (as the
    text form joins “本年新” / “制作数量”), with one space between Latin words."""
    result = ""
    for line in lines:
        line = clean_line(line)
        if not line:
            continue
        if result and _latin(result[-1]) and _latin(line[0]):
            result += " "
        result += line
    return result


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(unicodedata.normalize("NFKC", text).strip()))


def table_text(table: Table) -> str:
    return " ".join(c.text for row in table.rows for c in row)


def expand(table: Table) -> list[list[str]]:
    """The table's rows as the text form prints them: one entry per printed cell, an empty
    entry where a cell merged from above covers the row, horizontally merged cells once."""
    covering: dict[int, tuple[int, int]] = {}  # grid column → (rows still covered, colspan)
    printed: list[list[str]] = []
    for row in table.rows:
        out: list[str] = []
        queue = list(row)
        x = 0
        while queue or any(col >= x for col in covering):
            if x in covering:
                remaining, span = covering.pop(x)
                if remaining > 1:
                    covering[x] = (remaining - 1, span)
                out.append("")
                x += span
                continue
            if not queue:
                # only covered columns remain further right
                x = min(col for col in covering if col >= x)
                continue
            cell = queue.pop(0)
            rowspan = max(1, min(cell.rowspan, MAX_SPAN))
            colspan = max(1, min(cell.colspan, MAX_SPAN))
            if rowspan > 1:
                covering[x] = (rowspan - 1, colspan)
            out.append(cell.text)
            x += colspan
        printed.append(out)
    return printed


def _same_row(a: list[str], b: list[str]) -> bool:
    return [clean_line(t) for t in a] == [clean_line(t) for t in b]


def to_items(document: Document) -> tuple[list, int]:
    """(TextLine/TextRow items, the number of the last line) for ``text.parse_items``.

    A table that continues the one before it (nothing but page numbers between them: a
    table split over two pages, or printed as two tables) joins it; header rows repeated
    at the top of the continuation are dropped."""
    items: list = []
    line = 1
    previous_rows: list[list[str]] | None = None  # the rows of the table being continued
    for item in document.items:
        if isinstance(item, Paragraph):
            text = clean_line(item.text)
            if not text:
                continue
            if is_page_number(text):
                continue  # a page footer between the two halves of a table
            items.append(TextLine(text, line))
            line += 2
            previous_rows = None
            continue
        rows = [r for r in expand(item) if any(clean_line(t) for t in r)]
        if previous_rows is not None:
            repeated = 0
            while (
                repeated < len(rows)
                and repeated < len(previous_rows)
                and _same_row(rows[repeated], previous_rows[repeated])
            ):
                repeated += 1
            rows = rows[repeated:]
        for row in rows:
            cells = [TextCell(text, line + n) for n, text in enumerate(row)]
            items.append(TextRow(cells))
            line += len(cells) + 1
        if previous_rows is None:
            previous_rows = [r for r in expand(item) if any(clean_line(t) for t in r)]
    return items, line
