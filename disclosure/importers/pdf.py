"""A text-based PDF → ``document.Document``, with pdfplumber (pdfminer.six).

Tables are found from their ruling lines; a cell's row and column span come from its box
against the table's row tops and column edges, and a cell's wrapped lines are joined.
Text outside the tables is read line by line and wrapped lines are joined back into
paragraphs (a line that reaches the right margin continues on the next one unless the
next is indented or a heading). Page numbers between the halves of a split table are
dropped and a header repeated on the next page is read once (``document.to_items``).

Refused with a message: a scan (no text), a password-protected file, more than
``MAX_PAGES`` pages. PDFs have no scripts pdfplumber would run, and nothing is fetched.

``embedded_values`` is the hook for the report data a PDF/A-3 written by this application
embeds (``importers.embedded.embedded_data``, when that module is installed).
"""

from __future__ import annotations

import importlib
import importlib.util
import io
import re
from decimal import Decimal, InvalidOperation

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

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
        for page in pages:
            try:
                found = page.find_tables()
            except Exception as exc:
                if _password(exc):
                    raise DocumentError(PASSWORD_MESSAGE) from exc
                raise
            chars += len(page.chars)
            if chars > MAX_CHARS:
                raise DocumentError(f"PDF文字过多（超过{MAX_CHARS}个字符），已停止读取")
            placed: list[tuple[float, Paragraph | Table]] = []
            boxes = [t.bbox for t in found]
            for table in found:
                read = _table(table, page)
                cells += sum(len(r) for r in read.rows)
                if cells > MAX_CELLS:
                    raise DocumentError(f"表格单元格过多（超过{MAX_CELLS}个），已停止读取")
                placed.append((table.bbox[1], read))
            outside = page.filter(lambda obj, boxes=boxes: not _inside(obj, boxes))
            for top, paragraph in _paragraphs(outside, page.width):
                placed.append((top, paragraph))
            placed.sort(key=lambda pair: pair[0])
            document.items.extend(item for _, item in placed)
        if chars == 0:
            raise DocumentError(SCANNED_MESSAGE)
    return document


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


def _table(table, page) -> Table:
    """pdfplumber's table → rows of starting cells with their spans."""
    boxes = table.cells
    tolerance = 1.0
    left, top, right, bottom = table.bbox
    rules = [
        e["x0"]
        for e in page.edges
        if e["orientation"] == "v" and left - tolerance <= e["x0"] < right - tolerance
        and e["top"] < bottom - tolerance and e["bottom"] > top + tolerance
    ]  # fmt: skip
    xs = _distinct(sorted([b[0] for b in boxes] + rules), tolerance)
    tops = _distinct(sorted(b[1] for b in boxes), tolerance)
    texts = table.extract()
    by_start: dict[tuple[int, int], str] = {}
    for y, row in enumerate(table.rows):
        for x, box in enumerate(row.cells):
            if box is not None:
                by_start[(_index(tops, box[1]), _index(xs, box[0]))] = (
                    (texts[y][x] or "") if y < len(texts) else ""
                )
    placed: list[tuple[int, int, Cell]] = []
    covered: set[tuple[int, int]] = set()
    for box in boxes:
        y, x = _index(tops, box[1]), _index(xs, box[0])
        colspan = max(1, sum(1 for edge in xs if box[0] - tolerance <= edge < box[2] - tolerance))
        rowspan = max(1, sum(1 for edge in tops if box[1] - tolerance <= edge < box[3] - tolerance))
        placed.append((y, x, Cell(_join(by_start.get((y, x), "")), rowspan, colspan)))
        covered.update((y + dy, x + dx) for dy in range(rowspan) for dx in range(colspan))
    # A cell merged down across a page break has no bottom rule on its page, so no box:
    # the uncovered run of grid positions is that cell (its text, if any, read from the page).
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
            placed.append((y, x, Cell(_join(text), end - y + 1, 1)))
            covered.update((row, x) for row in range(y, end + 1))
            y = end + 1
    rows: list[list[Cell]] = [[] for _ in tops]
    for y, _, cell in sorted(placed, key=lambda item: (item[0], item[1])):
        rows[y].append(cell)
    return Table(rows=rows)


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


def _paragraphs(page, width: float):
    """(top, Paragraph) for the text lines outside tables, wrapped lines joined."""
    lines = [line for line in page.extract_text_lines(layout=False, strip=True) if line["text"].strip()]
    if not lines:
        return []
    left = min(line["x0"] for line in lines)
    right = max(line["x1"] for line in lines)
    result: list[tuple[float, Paragraph]] = []
    previous = None
    for line in lines:
        size = _char_size(line)
        text = line["text"].strip()
        if (
            previous is not None
            and previous["x1"] >= right - 1.5 * size
            and line["x0"] <= left + 0.5 * size
            and not previous["text"].rstrip().endswith(_SENTENCE_END)
            and not _HEADING.match(text)
            and line["top"] - previous["bottom"] < 1.2 * size
        ) or (
            previous is not None
            and previous["x1"] >= right - 1.5 * size
            and line["x0"] <= left + 0.5 * size
            and not _HEADING.match(text)
            and line["top"] - previous["bottom"] < 1.2 * size
            and previous["text"].rstrip().endswith(("，", ",", "、"))
        ):
            result[-1][1].text += text
        else:
            result.append((line["top"], Paragraph(text)))
        previous = line
    return result


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
