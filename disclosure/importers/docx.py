"""Word (.docx) → ``document.Document``, with python-docx.

Paragraphs and tables of the body in order; a table's merged cells come from the Word
markup itself (``w:gridSpan`` across, ``w:vMerge`` down). A table that holds another
table is a layout table: its cells' contents are read as the page's flow. Nothing is
fetched (python-docx never follows external relationships) and nothing is run: a
document with macros (.docm, a ``vbaProject``) is refused before it is opened.
"""

from __future__ import annotations

import io
import zipfile

import docx
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph

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

MACRO_MESSAGE = "此Word文件含有宏（.docm），出于安全原因不予读取，请另存为不含宏的.docx文件后上传"
_MACRO_MARKERS = ("macroEnabled", "vbaProject", "ms-office.activeX", "vbaData")
MAX_UNCOMPRESSED = 100 * 1024 * 1024


def read_docx(data: bytes, name: str = "") -> Document:
    if name.lower().endswith((".docm", ".dotm")):
        raise DocumentError(MACRO_MESSAGE)
    _inspect_zip(data)
    try:
        word = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds for a damaged package
        raise DocumentError(f"无法打开Word文件：{exc}") from exc
    reader = _Reader()
    reader.flow(word.element.body, word)
    return reader.document


def _inspect_zip(data: bytes) -> None:
    if len(data) > MAX_BYTES:
        raise DocumentError(f"文件过大（超过{MAX_BYTES // 1024 // 1024}MB），请拆分或精简后上传")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise DocumentError("Word文件已损坏（不是有效的.docx压缩包）") from exc
    with archive:
        names = archive.namelist()
        if "word/document.xml" not in names:
            raise DocumentError("不是Word文件：压缩包中没有 word/document.xml")
        if sum(i.file_size for i in archive.infolist()) > MAX_UNCOMPRESSED:
            raise DocumentError("Word文件解压后过大，拒绝读取")
        types = (
            archive.read("[Content_Types].xml").decode("utf-8", "replace")
            if "[Content_Types].xml" in names
            else ""
        )
        if any(m.lower() in types.lower() for m in _MACRO_MARKERS) or any(
            n.lower().endswith(("vbaproject.bin", "vbadata.xml")) for n in names
        ):
            raise DocumentError(MACRO_MESSAGE)


class _Reader:
    def __init__(self):
        self.document = Document()
        self.chars = 0
        self.cells = 0

    def _count(self, text: str) -> None:
        self.chars += len(text)
        if self.chars > MAX_CHARS:
            raise DocumentError(f"文件文字过多（超过{MAX_CHARS}个字符），不像一份年度报告，已停止读取")

    def flow(self, element, parent) -> None:
        for child in element.iterchildren():
            tag = child.tag
            if tag == qn("w:p"):
                text = DocxParagraph(child, parent).text
                self._count(text)
                for line in text.split("\n"):
                    self.document.items.append(Paragraph(line))
            elif tag == qn("w:tbl"):
                self.table(child, parent)
            elif tag in (qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")):
                self.flow(child.find(qn("w:sdtContent")) if tag == qn("w:sdt") else child, parent)

    def table(self, tbl, parent) -> None:
        rows = tbl.findall(qn("w:tr"))
        if tbl.find(".//" + qn("w:tc") + "/" + qn("w:tbl")) is not None:
            for tr in rows:  # a layout table: its cells are the page's flow
                for tc in tr.findall(qn("w:tc")):
                    self.flow(tc, parent)
            return
        # (x, tc, colspan, merge) per row; merge is "restart", "continue" or None
        grid: list[list[tuple[int, object, int, str | None]]] = []
        for tr in rows:
            x = _int(tr.find(f"{qn('w:trPr')}/{qn('w:gridBefore')}"), 0, least=0)
            line = []
            for tc in tr.iter(qn("w:tc")):
                if tc.getparent() is not tr and tc.getparent().tag != qn("w:sdtContent"):
                    continue
                props = tc.find(qn("w:tcPr"))
                span = _int(props.find(qn("w:gridSpan")) if props is not None else None, 1)
                merge = None
                vmerge = props.find(qn("w:vMerge")) if props is not None else None
                if vmerge is not None:
                    merge = "restart" if vmerge.get(qn("w:val")) == "restart" else "continue"
                line.append((x, tc, span, merge))
                x += span
            grid.append(line)
        table = Table()
        for y, line in enumerate(grid):
            out = []
            for x, tc, span, merge in line:
                if merge == "continue":
                    continue
                rowspan = 1
                if merge == "restart":
                    for below in grid[y + 1 :]:
                        if any(bx == x and bm == "continue" for bx, _, _, bm in below):
                            rowspan += 1
                        else:
                            break
                text = join_lines(
                    line for p in tc.iter(qn("w:p")) for line in DocxParagraph(p, parent).text.split("\n")
                )
                self._count(text)
                self.cells += 1
                if self.cells > MAX_CELLS:
                    raise DocumentError(f"表格单元格过多（超过{MAX_CELLS}个），已停止读取")
                out.append(Cell(text, rowspan, span))
            table.rows.append(out)
        self.document.items.append(table)


def _int(element, default: int, least: int = 1) -> int:
    if element is None:
        return default
    try:
        return min(max(least, int(element.get(qn("w:val")))), 1000)
    except (TypeError, ValueError):
        return default
