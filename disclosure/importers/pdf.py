"""A text-based PDF → ``document.Document``, with pdfplumber (pdfminer.six).

Tables are found from their ruling lines; a cell's row and column span come from its box
against the table's row tops and column edges, and a cell's wrapped lines are joined.
Text outside the tables is read line by line and wrapped lines are joined back into
paragraphs (a line that reaches the right margin continues on the next one unless the
next is indented or a heading). Page numbers between the halves of a split table are
dropped and a header repeated on the next page is read once (``document.to_items``).

A PDF a browser printed from a web page keeps the site's menus, breadcrumbs and footer:
they are dropped as the web page reader drops them (``chrome``), and a centred title the
page wrapped over two lines is joined.

Refused with a message: a scan (no text), a password-protected file, more than
``MAX_PAGES`` pages. PDFs have no scripts pdfplumber would run, and nothing is fetched.

``embedded_values`` is the hook for the report data a PDF/A-3 written by this application
embeds (``importers.embedded.embedded_data``, when that module is installed).
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import io
import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from disclosure.formats import FORMATS
from disclosure.formats.values import normalize_text

from .chrome import drop_above_title, drop_chrome, is_title, join_wrapped_title, tighten_title
from .document import (
    MAX_BYTES,
    MAX_CELLS,
    MAX_CHARS,
    MAX_PAGES,
    Cell,
    Document,
    DocumentError,
    Paragraph,
    Table,
    is_page_number,
    join_lines,
)

SCANNED_MESSAGE = "此PDF没有可提取的文字，请上传Word文件或网页"
PASSWORD_MESSAGE = "此PDF受密码保护，无法读取，请上传未加密的PDF、Word文件或网页"
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[）)])")
_SENTENCE_END = ("。", "：", ":", "；", "！", "？")
EMBEDDED_MODULE = "disclosure.importers.embedded"


def read_pdf(data: bytes, name: str = "") -> Document:
    if len(data) > MAX_BYTES:
        raise DocumentError(f"文件过大（超过{MAX_BYTES // 1024 // 1024}MB）")
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except (PdfminerException, PDFPasswordIncorrect, PDFEncryptionError) as exc:
        if _password(exc):
            raise DocumentError(PASSWORD_MESSAGE) from exc
        raise DocumentError(f"无法读取PDF：{exc.__class__.__name__}") from exc
    except Exception as exc:  # pdfminer raises many kinds for a damaged file
        raise DocumentError(f"无法读取PDF（文件已损坏？）：{exc.__class__.__name__}") from exc
    with pdf:
        try:
            pages = pdf.pages
        except Exception as exc:
            if _password(exc):
                raise DocumentError(PASSWORD_MESSAGE) from exc
            raise DocumentError(f"无法读取PDF：{exc.__class__.__name__}") from exc
        if len(pages) > MAX_PAGES:
            raise DocumentError(f"PDF页数过多（{len(pages)}页，上限{MAX_PAGES}页），不像一份年度报告")
        document = Document()
        chars = cells = 0
        last: _Part | None = None  # the table that ended the previous page: it may go on
        carry: Paragraph | None = None  # the paragraph that ended the previous page open
        for whole in pages:
            page = whole.filter(_visible)  # a white background box is no table's border
            try:
                found = page.find_tables(table_settings=_closing_lines(page))
            except Exception as exc:
                if _password(exc):
                    raise DocumentError(PASSWORD_MESSAGE) from exc
                raise
            chars += len(page.chars)
            if chars > MAX_CHARS:
                raise DocumentError(f"PDF文字过多（超过{MAX_CHARS}个字符），已停止读取")
            placed: list[tuple[float, Paragraph | Table]] = []
            found = sorted(found, key=lambda t: t.bbox[1])
            parts: list[_Part] = []
            for n, table in enumerate(found):
                previous = last if n == 0 and _nothing_beside(page, 0, table.bbox[1]) else None
                part = _part(table, page, previous)
                parts.append(part)
                cells += len(part.boxes)
                if cells > MAX_CELLS:
                    raise DocumentError(f"表格单元格过多（超过{MAX_CELLS}个），已停止读取")
                if previous is not None and _merge(previous, part):
                    part.table = previous.table
                    continue
                placed.append((part.bbox[1], part.table))
            boxes = [part.bbox for part in parts]
            outside = page.filter(lambda obj, boxes=boxes: not _inside(obj, boxes))
            outside = _without_side_columns(outside)
            text = _paragraphs(outside)
            placed += text.paragraphs
            placed.sort(key=lambda pair: pair[0])
            if carry is not None and text.continues and placed and placed[0][1] is text.paragraphs[0][1]:
                carry.text += placed.pop(0)[1].text  # a paragraph going on from the previous page
            document.items.extend(item for _, item in placed)
            ends = text.paragraphs[-1][1] if text.open_end else None
            carry = ends if placed and placed[-1][1] is ends else None
            last = parts[-1] if parts and _nothing_beside(page, parts[-1].bbox[3], page.height) else None
        if chars == 0:
            raise DocumentError(SCANNED_MESSAGE)
    # a page printed from a web site: its menus, breadcrumbs and footer are not the report
    document.items = drop_chrome(document.items)
    join_wrapped_title(document.items)
    drop_above_title(document.items)
    tighten_title(document.items)
    return document


def _without_side_columns(page):
    """The page without a narrow side column printed beside the text: a web page's menu
    column (a layout table's cell) squeezed by the print to a stack of one or two
    characters a line, left or right of the text's margins (the ones most long lines
    share) and apart from the text beside it. Its characters would be read into the
    lines beside them."""
    lines = [
        line for line in page.extract_text_lines(layout=False, strip=True) if len(line["chars"]) >= _LONG_LINE
    ]
    if not lines:
        return page
    left = Counter(round(line["x0"]) for line in lines).most_common(1)[0][0]
    right = Counter(round(line["x1"]) for line in lines).most_common(1)[0][0]
    side: set[tuple] = set()
    for outside, apart in (
        (lambda c: c["x1"] <= left - c["size"] / 2, lambda c, o: o["x0"] >= c["x1"] + c["size"] / 2),
        (lambda c: c["x0"] >= right + c["size"] / 2, lambda c, o: o["x1"] <= c["x0"] - c["size"] / 2),
    ):
        chars = [c for c in page.chars if outside(c)]
        keys = {_char_key(c) for c in chars}
        text = [c for c in page.chars if _char_key(c) not in keys]
        # the first (last) characters of the text's own lines are no column of their own
        chars = [
            c for c in chars if all(apart(c, o) for o in text if abs(o["top"] - c["top"]) < c["size"] / 2)
        ]
        keys = {_char_key(c) for c in chars}
        rows: dict[int, list] = {}
        for char in chars:
            rows.setdefault(round(char["top"] / _TOLERANCE / 3), []).append(char)
        narrow = all(
            max(c["x1"] for c in row) - min(c["x0"] for c in row) <= _SIDE_WIDTH * max(c["size"] for c in row)
            for row in rows.values()
        )
        if len(rows) >= _SIDE_ROWS and narrow:
            side |= keys
    if not side:
        return page
    return page.filter(lambda obj: obj.get("object_type") != "char" or _char_key(obj) not in side)


def _char_key(char) -> tuple:
    return (char["text"], round(char["x0"], 2), round(char["top"], 2))


_WHITE = ((1,), (1.0,), 1, 1.0, (1, 1, 1), (1.0, 1.0, 1.0), (0, 0, 0, 0), (0.0, 0.0, 0.0, 0.0))


def _visible(obj) -> bool:
    """False for a drawn shape that shows nothing: neither stroked nor filled, or only
    filled white (a page's or a block's background, which would read as a table's border)."""
    if obj.get("object_type") not in ("rect", "curve"):
        return True
    if obj.get("stroke"):
        return True
    if not obj.get("fill"):
        return False
    colour = obj.get("non_stroking_color")
    return colour is None or (tuple(colour) if isinstance(colour, (list, tuple)) else colour) not in _WHITE


def _password(exc: BaseException) -> bool:
    seen = exc
    while seen is not None:
        if isinstance(seen, (PDFPasswordIncorrect, PDFEncryptionError)) or "password" in str(seen).lower():
            return True
        if isinstance(seen, PdfminerException) and seen.args and isinstance(seen.args[0], BaseException):
            seen = seen.args[0]
            continue
        seen = seen.__cause__ or seen.__context__
    return False


def _inside(obj, boxes) -> bool:
    if obj.get("object_type") != "char":
        return False
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)


@dataclass
class _Box:
    """A cell as drawn: its box (y in the coordinates of the part's first page, for a part
    continued from earlier pages), its text, and whether a rule closes its top and bottom."""

    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    open_top: bool = False
    open_bottom: bool = False


@dataclass
class _Part:
    """A table as found on one page (or several pages' parts joined)."""

    boxes: list[_Box]
    bbox: tuple[float, float, float, float]  # on the last page it reaches
    edges: list[float]  # its column edges, the right one included
    bottom: float  # the y of the last page's bottom in the boxes' coordinates
    table: Table | None = None


_TOLERANCE = 1.0
_NUMBER = re.compile(r"^[-+]?[\d,，.]+$")
_LONG_LINE = 10  # characters: a line of the text (not a caption) that shows the margins
_SIDE_ROWS = 3  # a side column is a stack of at least this many lines …
_SIDE_WIDTH = 3  # … each at most this many characters wide
# how far (in characters) a wrapped line may stop short of the right margin: a browser does
# not justify Chinese text, and a closing mark may not start a line, so it wraps early
_RAGGED = 3
_RAGGED_INDENTED = 6  # … and when the paragraphs are indented (a line at the margin goes on)
_INDENT_MIN, _INDENT_MAX = 1.5, 2.5  # a first-line indent, in characters
_ALIGN = 2.5  # how far the same column edge may move between two pages


def _closing_lines(page) -> dict:
    """Table settings closing a table cut by the page: vertical rules that start at the top
    of the page (or run to its bottom) with nothing printed above (below) them get an
    explicit horizontal line there, so the cells cut by the page break are found."""
    verticals = [e for e in page.edges if e["orientation"] == "v" and e["bottom"] - e["top"] > 1]
    if len(verticals) < 2:
        return {}
    lines = []
    top = min(e["top"] for e in verticals)
    bottom = max(e["bottom"] for e in verticals)
    for y, near in ((top, "top"), (bottom, "bottom")):
        ends = [e["x0"] for e in verticals if abs(e[near] - y) <= _ALIGN]
        if len(ends) < 2:
            continue
        if near == "top" and not _nothing_beside(page, 0, y):
            continue
        if near == "bottom" and not _nothing_beside(page, y, page.height):
            continue
        x0, x1 = min(ends), max(ends)
        lines.append(
            {"object_type": "line", "x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0}
        )
    return {"explicit_horizontal_lines": lines} if lines else {}


def _nothing_beside(page, top: float, bottom: float) -> bool:
    """No text between ``top`` and ``bottom`` on the page other than a page number."""
    inside = [c for c in page.chars if c["top"] >= top - _TOLERANCE and c["bottom"] <= bottom + _TOLERANCE]
    if not inside:
        return True
    lines = page.crop((0, max(0, top - _TOLERANCE), page.width, min(page.height, bottom + _TOLERANCE)))
    return all(is_page_number(line["text"]) for line in lines.extract_text_lines(layout=False, strip=True))


def _part(table, page, previous: _Part | None) -> _Part:
    """pdfplumber's table → its cells' boxes. A table that continues ``previous`` (at the top
    of the page, its columns the right-hand ones of the previous part) gets the previous
    part's columns at its left: cells merged down from the previous page, without rules
    across them on this page."""
    left, top, right, bottom = table.bbox
    extra: list[float] = []
    if previous is not None and _continues(previous, table.bbox, page):
        extra = [x for x in previous.edges if x < left - _ALIGN]
        if extra:
            left = extra[0]
    boxes = _boxes(table, page, (left, top, right, bottom), extra)
    edges = _distinct(sorted([b.x0 for b in boxes] + [right]), _TOLERANCE)
    return _Part(boxes, (left, top, right, bottom), edges, bottom, Table(rows=_rows(boxes)))


def _continues(previous: _Part, bbox, page) -> bool:
    left, top, right, _ = bbox
    if abs(right - previous.edges[-1]) > _ALIGN or left < previous.edges[0] - _ALIGN:
        return False
    if not any(abs(left - x) <= _ALIGN for x in previous.edges):
        return False
    # the previous part's left rule runs down this page too (a merged cell continued)
    return any(
        e["orientation"] == "v"
        and abs(e["x0"] - previous.edges[0]) <= _ALIGN
        and e["top"] <= top + _ALIGN
        and e["bottom"] > top + _ALIGN
        for e in page.edges
    )


def _boxes(table, page, bbox, extra: list[float]) -> list[_Box]:
    """The table's cells with their text; a cell merged down across a page break has no
    rule closing it on this page, so no box: the uncovered run of grid positions is that
    cell (its text, if any, read from the page)."""
    found = table.cells
    tolerance = _TOLERANCE
    left, top, right, bottom = bbox
    rules = [
        e["x0"]
        for e in page.edges
        if e["orientation"] == "v" and left - tolerance <= e["x0"] < right - tolerance
        and e["top"] < bottom - tolerance and e["bottom"] > top + tolerance
    ]  # fmt: skip
    xs = _distinct(sorted([b[0] for b in found] + rules + extra), tolerance)
    tops = _distinct(sorted(b[1] for b in found), tolerance)
    texts = table.extract()
    by_start: dict[tuple[int, int], str] = {}
    for y, row in enumerate(table.rows):
        for x, box in enumerate(row.cells):
            if box is not None:
                by_start[(_index(tops, box[1]), _index(xs, box[0]))] = (
                    (texts[y][x] or "") if y < len(texts) else ""
                )
    boxes: list[_Box] = []
    covered: set[tuple[int, int]] = set()
    for box in found:
        y, x = _index(tops, box[1]), _index(xs, box[0])
        colspan = max(1, sum(1 for edge in xs if box[0] - tolerance <= edge < box[2] - tolerance))
        rowspan = max(1, sum(1 for edge in tops if box[1] - tolerance <= edge < box[3] - tolerance))
        boxes.append(_Box(box[0], box[1], box[2], box[3], _join(by_start.get((y, x), ""))))
        covered.update((y + dy, x + dx) for dy in range(rowspan) for dx in range(colspan))
    for x in range(len(xs)):
        y = 0
        while y < len(tops):
            if (y, x) in covered:
                y += 1
                continue
            end = y
            while end + 1 < len(tops) and (end + 1, x) not in covered:
                end += 1
            box = (
                xs[x],
                tops[y],
                xs[x + 1] if x + 1 < len(xs) else right,
                tops[end + 1] if end + 1 < len(tops) else bottom,
            )
            text = page.crop(box).extract_text() or ""
            boxes.append(_Box(*box, _join(text)))
            covered.update((row, x) for row in range(y, end + 1))
            y = end + 1
    horizontal = [e for e in page.edges if e["orientation"] == "h"]
    for box in boxes:
        box.open_top = not _ruled(horizontal, box.top, box.x0, box.x1)
        box.open_bottom = not _ruled(horizontal, box.bottom, box.x0, box.x1)
    return boxes


def _ruled(horizontal, y: float, x0: float, x1: float) -> bool:
    """A rule is drawn at ``y`` along most of ``x0``–``x1``."""
    length = sum(
        max(0.0, min(e["x1"], x1) - max(e["x0"], x0)) for e in horizontal if abs(e["top"] - y) <= _ALIGN
    )
    return length >= 0.5 * (x1 - x0)


def _merge(previous: _Part, part: _Part) -> bool:
    """Joins ``part`` to ``previous`` when a cell cut by the page break goes on at its top
    (no rule above it, one without a rule below in the same columns before the break):
    the two pieces become one cell, their texts joined. False (nothing changed) otherwise."""
    top = part.bbox[1]
    pairs: list[tuple[_Box, _Box]] = []
    ends = [b for b in previous.boxes if b.open_bottom and abs(b.bottom - previous.bottom) <= _ALIGN]
    for box in part.boxes:
        if not box.open_top or abs(box.top - top) > _ALIGN:
            continue
        match = next((b for b in ends if abs(b.x0 - box.x0) <= _ALIGN and abs(b.x1 - box.x1) <= _ALIGN), None)
        if match is not None:
            pairs.append((match, box))
    if not pairs:
        pairs = _split_row(previous, part)
    if not pairs:
        return False
    shift = previous.bottom - top
    snap = previous.edges

    def snapped(x: float) -> float:
        return min(snap, key=lambda edge: abs(edge - x)) if min(abs(e - x) for e in snap) <= _ALIGN else x

    joined = {id(box): match for match, box in pairs}
    for box in part.boxes:
        match = joined.get(id(box))
        if match is not None:
            match.bottom = box.bottom + shift
            match.text = join_lines([match.text, box.text])
            match.open_bottom = box.open_bottom
            continue
        box.x0, box.x1 = snapped(box.x0), snapped(box.x1)
        box.top += shift
        box.bottom += shift
        previous.boxes.append(box)
    previous.bottom = part.bottom + shift
    previous.bbox = part.bbox
    previous.edges = _distinct(sorted(set(previous.edges) | {b.x0 for b in previous.boxes}), _TOLERANCE)
    previous.table.rows = _rows(previous.boxes)
    part.boxes = previous.boxes
    part.edges = previous.edges
    part.bottom = previous.bottom
    return True


def _split_row(previous: _Part, part: _Part) -> list[tuple[_Box, _Box]]:
    """A row LibreOffice let break over the page, ruled closed on both pages: the first
    row of ``part`` has a cell under each cell of the previous part's last row, and is
    empty wherever that row holds a number (the numbers stand at the top of their
    cells, all on the first page; only wrapped labels go on). The pairs of pieces, or
    none when the first row is a row of its own."""
    top = part.bbox[1]
    ends = [b for b in previous.boxes if abs(b.bottom - previous.bottom) <= _ALIGN]
    firsts = [b for b in part.boxes if abs(b.top - top) <= _ALIGN]
    pairs = []
    for box in firsts:
        match = next((b for b in ends if abs(b.x0 - box.x0) <= _ALIGN and abs(b.x1 - box.x1) <= _ALIGN), None)
        if match is None:
            return []
        pairs.append((match, box))
    if len(pairs) != len(ends):
        return []
    numbers = [(match, box) for match, box in pairs if _NUMBER.match(match.text.strip())]
    if numbers and not any(box.text.strip() for _, box in numbers):
        return pairs
    # no numbers to tell (a row left blank): the wrapped labels tell, when each piece on
    # this page only makes a label of the templates together with the piece above it
    pieces = [(match, box) for match, box in pairs if box.text.strip()]
    if pieces and all(_continues_label(match.text, box.text) for match, box in pieces):
        return pairs
    return []


def _continues_label(above: str, below: str) -> bool:
    known = _known_labels()
    above, below = normalize_text(_join(above)), normalize_text(_join(below))
    return bool(above) and below not in known and above not in known and above + below in known


@functools.cache
def _known_labels() -> frozenset[str]:
    """Every label cell and row label the templates print (normalized)."""
    texts = set()
    for fmt in FORMATS.values():
        for table in fmt.tables:
            for group in table.groups:
                texts.update(cell.text for header in group.header for cell in header)
                for row in group.rows:
                    texts.update((row.label, *row.aliases, *(cell.text for cell in row.cells)))
    return frozenset(normalize_text(text) for text in texts if text)


def _rows(boxes: list[_Box]) -> list[list[Cell]]:
    """The boxes as rows of the cells starting in each row, with their spans."""
    tolerance = _TOLERANCE
    xs = _distinct(sorted(b.x0 for b in boxes), tolerance)
    tops = _distinct(sorted(b.top for b in boxes), tolerance)
    placed: list[tuple[int, int, Cell]] = []
    for box in boxes:
        colspan = max(1, sum(1 for edge in xs if box.x0 - tolerance <= edge < box.x1 - tolerance))
        rowspan = max(1, sum(1 for edge in tops if box.top - tolerance <= edge < box.bottom - tolerance))
        placed.append((_index(tops, box.top), _index(xs, box.x0), Cell(box.text, rowspan, colspan)))
    rows: list[list[Cell]] = [[] for _ in tops]
    for y, _, cell in sorted(placed, key=lambda item: (item[0], item[1])):
        rows[y].append(cell)
    return rows


def _join(text: str) -> str:
    return join_lines(text.split("\n"))


def _distinct(values: list[float], tolerance: float) -> list[float]:
    result: list[float] = []
    for value in values:
        if not result or value - result[-1] > tolerance:
            result.append(value)
    return result


def _index(edges: list[float], value: float) -> int:
    return min(range(len(edges)), key=lambda n: abs(edges[n] - value))


@dataclass
class _Text:
    """A page's paragraphs outside its tables, with (top, Paragraph) each; ``open_end``: the
    last line reaches the right margin (the paragraph may go on over the page);
    ``continues``: the first line starts at the left margin and is no heading."""

    paragraphs: list[tuple[float, Paragraph]]
    open_end: bool = False
    continues: bool = False


def _paragraphs(page) -> _Text:
    """The text lines outside tables as paragraphs, wrapped lines joined; page numbers dropped."""
    lines = [
        line
        for line in page.extract_text_lines(layout=False, strip=True)
        if line["text"].strip() and not is_page_number(line["text"])
    ]
    if not lines:
        return _Text([])
    # the margins of the text: the left one most long lines share (a web page's menus and
    # breadcrumbs may stand further left), the right one the furthest a long line reaches
    long = [line for line in lines if len(line["chars"]) >= _LONG_LINE] or lines
    left = Counter(round(line["x0"], 1) for line in long).most_common(1)[0][0]
    right = max(line["x1"] for line in long)
    # paragraphs whose first line is indented (a web page's text-indent, Word's first-line
    # indent): a line at the left margin goes on the paragraph above it, even after a full
    # stop that happened to fall at the end of a line
    indented = any(
        _INDENT_MIN <= (line["x0"] - left) / _char_size(line) <= _INDENT_MAX
        and not _HEADING.match(line["text"])
        for line in long
    )
    result: list[tuple[float, Paragraph]] = []
    previous = None
    for line in lines:
        size = _char_size(line)
        text = line["text"].strip()
        if previous is not None and (
            _continues_line(previous, line, text, size, (left, right), indented)
            or _centred_wrap(previous, line, (left, right))
        ):
            result[-1][1].text += text
        else:
            result.append((line["top"], Paragraph(text)))
        previous = line
    first, last = lines[0], lines[-1]
    return _Text(
        result,
        open_end=_reaches_margin(last, right, indented),
        continues=first["x0"] <= left + 0.5 * _char_size(first) and not _HEADING.match(first["text"].strip()),
    )


def _continues_line(previous, line, text: str, size: float, margins, indented: bool) -> bool:
    """``line`` is the wrapped continuation of ``previous``: it starts at the left margin
    right below a line that reached (nearly) the right margin, and is no heading."""
    left, right = margins
    if (
        line["x0"] > left + 0.5 * size
        or _HEADING.match(text)
        or line["top"] - previous["bottom"] >= 1.2 * size
    ):
        return False
    return _reaches_margin(previous, right, indented)


def _centred_wrap(previous, line, margins) -> bool:
    """``line`` goes on the centred line above it: a title wrapped by the page (both
    centred between the margins, the same size, close, ``line`` not at the left margin,
    and the line above neither a whole title nor a sentence's end)."""
    left, right = margins
    size = _char_size(line)
    centre = (left + right) / 2
    above = previous["text"].strip()
    return (
        all(abs((each["x0"] + each["x1"]) / 2 - centre) <= size for each in (previous, line))
        and abs(_char_size(previous) - size) <= 0.1 * size
        and line["x0"] > left + size
        and line["top"] - previous["bottom"] < 1.2 * size
        and not above.endswith(_SENTENCE_END)
        and not is_title(above)
        and not _HEADING.match(line["text"].strip())
    )


def _reaches_margin(line, right: float, indented: bool) -> bool:
    """The line stops at the right margin, as a line the page wrapped does (with paragraphs
    indented, also after a full stop)."""
    size = _char_size(line)
    if indented:
        return line["x1"] >= right - _RAGGED_INDENTED * size
    return line["x1"] >= right - _RAGGED * size and not line["text"].rstrip().endswith(_SENTENCE_END)


def _char_size(line) -> float:
    chars = line.get("chars") or []
    if chars:
        return max(c["x1"] - c["x0"] for c in chars) or 10.0
    return 10.0


# ------------------------------------------------------------------ the embedded data


def embedded_values(data: bytes) -> dict | None:
    """HOOK: the report data a PDF/A-3 of this application carries (``report-data.json``),
    read by ``importers.embedded.embedded_data`` when that module exists; None otherwise."""
    if importlib.util.find_spec(EMBEDDED_MODULE) is None:
        return None
    reader = importlib.import_module(EMBEDDED_MODULE)
    try:
        return reader.embedded_data(data)
    except Exception:  # a damaged attachment: the visible tables are read instead
        return None


def json_cell(value):
    """A cell of the embedded JSON → the importer's value (money is a string with decimals)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None
