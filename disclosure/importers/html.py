"""A web page (.html/.htm) → ``document.Document``, with lxml.

The page a government CMS prints has menus, breadcrumbs and a footer around the report:
the report is found by its six headings (the smallest element holding both “一、总体情况”
and “六、…”) and its title (the nearest title-like line before them, when the content
does not start with it; the menus, breadcrumbs and title rules are ``chrome``'s, shared
with the PDF reader). Tables with ``rowspan``/``colspan`` keep their spans; a table
holding another table, or a single cell, is layout and read as the page's flow. ``&nbsp;``,
``<p>``/``<br>`` inside cells and Word's pasted markup (mso styles, ``<o:p>``) are plain
text here. Scripts, styles, frames and objects are dropped; nothing is fetched (the parser
has no network access and images are never loaded).
"""

from __future__ import annotations

import re
import unicodedata

from lxml import etree
from lxml import html as lxml_html

from .chrome import FIRST as _FIRST
from .chrome import LAST as _LAST
from .chrome import TITLE as _TITLE
from .chrome import drop_chrome, join_wrapped_title, starts_with_title, text_of, title_index
from .document import (
    MAX_BYTES,
    MAX_CELLS,
    MAX_CHARS,
    Cell,
    Document,
    DocumentError,
    Paragraph,
    Table,
    join_lines,
)

_DROP = {
    "script", "style", "noscript", "iframe", "frame", "frameset", "object", "embed", "applet", "template",
    "svg", "math", "canvas", "video", "audio", "img", "input", "select", "textarea", "button", "head", "title",
    "link", "meta",
}  # fmt: skip
_BLOCK = {
    "p", "div", "section", "article", "main", "header", "footer", "nav", "aside", "h1", "h2", "h3", "h4", "h5",
    "h6", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre", "center", "form", "fieldset", "address",
    "figure", "figcaption", "hr", "caption", "body", "html", "tr", "td", "th", "tbody", "thead", "tfoot",
}  # fmt: skip
MIN_DATA_CELLS = 10
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)


def decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    declared = _CHARSET.search(data[:4096])
    encodings = [declared.group(1).decode("ascii").lower()] if declared else []
    for encoding in [*encodings, "utf-8", "gb18030"]:
        try:
            return data.decode("gb18030" if encoding in ("gb2312", "gbk") else encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("utf-8", "replace")


def read_html(data: bytes | str, name: str = "") -> Document:
    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            raise DocumentError(f"文件过大（超过{MAX_BYTES // 1024 // 1024}MB）")
        data = decode(data)
    if len(data) > MAX_CHARS * 4:
        raise DocumentError(f"网页过大（超过{MAX_CHARS * 4}个字符），已停止读取")
    parser = lxml_html.HTMLParser(
        no_network=True, remove_comments=True, remove_pis=True, recover=True, huge_tree=False
    )
    data = re.sub(r"<\?xml[^>]*>", "", data, count=1)
    try:
        root = lxml_html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise DocumentError(f"无法读取网页：{exc}") from exc
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        tag = _tag(element)
        if tag in _DROP or _HIDDEN.search(element.get("style", "")) or element.get("hidden") is not None:
            if element.getparent() is not None:
                element.drop_tree()
    body = root.find("body") if root.find("body") is not None else root
    content = _content(body)
    reader = _Flow()
    reader.walk(content)
    reader.flush()
    document = reader.document
    document.items = drop_chrome(document.items)
    items = document.items
    join_wrapped_title(items)
    if not starts_with_title(items):
        start = title_index(items)
        if start is not None:
            del items[:start]  # menus and breadcrumbs above the title
        elif content is not body:
            title = _title_before(body, content)
            if title:
                items.insert(0, Paragraph(title))
    return document


def _tag(element) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag.rsplit("}", 1)[-1].lower()


def _text(element) -> str:
    return unicodedata.normalize("NFKC", " ".join(element.text_content().split()))


def _content(body):
    """The smallest element holding the report: its first heading (“一、总体情况”), the
    heading of 六 when there is one, and every data table."""
    anchors = [t for t in body.iter("table") if _data_table(t)]
    first = last = None
    for element in body.iter():
        if not isinstance(element.tag, str) or _tag(element) in ("table", "tbody", "tr", "td", "th"):
            continue
        text = _text(element)
        if len(text) > 80:
            continue
        if first is None and _FIRST.match(text):
            first = element
        elif first is not None and _LAST.match(text):
            last = element
    anchors += [e for e in (first, last) if e is not None]
    if len(anchors) < 2:
        return body
    common = [anchors[0], *anchors[0].iterancestors()]
    for anchor in anchors[1:]:
        chain = {anchor, *anchor.iterancestors()}
        common = [e for e in common if e in chain]
    return common[0] if common else body


def _data_table(table) -> bool:
    """A table of the report: no table inside it and at least ``MIN_DATA_CELLS`` cells."""
    if any(t is not table for t in table.iter("table")):
        return False
    return sum(1 for c in table.iter("td", "th")) >= MIN_DATA_CELLS


def _title_before(body, content) -> str:
    """The nearest title-like line before the content, in document order."""
    found = ""
    for element in body.iter():
        if element is content:
            break
        if not isinstance(element.tag, str) or _tag(element) not in _BLOCK | {"span", "strong", "b", "font"}:
            continue
        if content in element.iterdescendants():
            own = (element.text or "").strip()
            if own and _TITLE.search(text_of(own)):
                found = text_of(own)
            continue
        text = _text(element)
        if len(text) <= 80 and _TITLE.search(text):
            found = " ".join(element.text_content().split())
    return found


class _Flow:
    def __init__(self):
        self.document = Document()
        self.line: list[str] = []
        self.chars = 0
        self.cells = 0

    def flush(self) -> None:
        text = "".join(self.line)
        self.line = []
        if text.strip():
            self.document.items.append(Paragraph(text))

    def text(self, text: str | None) -> None:
        if text:
            self.chars += len(text)
            if self.chars > MAX_CHARS:
                raise DocumentError(f"网页文字过多（超过{MAX_CHARS}个字符），已停止读取")
            self.line.append(re.sub(r"[\r\n\t]+", " ", text))

    def walk(self, element) -> None:
        tag = _tag(element)
        if tag == "table":
            self.flush()
            self.table(element)
            self.text(element.tail)
            return
        if tag == "br":
            self.flush()
            self.text(element.tail)
            return
        block = tag in _BLOCK
        if block:
            self.flush()
        self.text(element.text)
        for child in element:
            if isinstance(child.tag, str):
                self.walk(child)
            else:
                self.text(child.tail)
        if block:
            self.flush()
        self.text(element.tail)

    def table(self, element) -> None:
        rows = [tr for tr in element.iter("tr") if _owner(tr) is element]
        nested = any(_owner(t) is not element for t in element.iter("table") if t is not element)
        cells = [c for tr in rows for c in tr if _tag(c) in ("td", "th")]
        if nested or len(cells) <= 1:
            for child in element:  # layout: the cells are flow
                self.walk(child)
            return
        table = Table()
        for tr in rows:
            out = []
            for cell in tr:
                if _tag(cell) not in ("td", "th"):
                    continue
                self.cells += 1
                if self.cells > MAX_CELLS:
                    raise DocumentError(f"表格单元格过多（超过{MAX_CELLS}个），已停止读取")
                out.append(Cell(_cell_text(cell), _span(cell, "rowspan"), _span(cell, "colspan")))
            table.rows.append(out)
        self.document.items.append(table)


def _owner(element):
    """The table an element belongs to (its nearest table ancestor)."""
    for ancestor in element.iterancestors():
        if _tag(ancestor) == "table":
            return ancestor
    return None


def _cell_text(cell) -> str:
    flow = _Flow()
    flow.walk(cell)
    flow.flush()
    return join_lines(p.text for p in flow.document.items if isinstance(p, Paragraph))


def _span(cell, name: str) -> int:
    try:
        return min(max(1, int((cell.get(name) or "1").strip())), 1000)
    except ValueError:
        return 1
