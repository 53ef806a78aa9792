"""Realistic report documents for the importer tests, built from the text form of the
five samples: the tables get their real merged cells from ``formats.layout`` (a label
merged down is one cell spanning rows, not empty cells), long labels wrap over two
lines inside their cell, and the same intermediate is written as Word (python-docx),
as the HTML a government CMS prints, and (through WeasyPrint) as PDF."""

from __future__ import annotations

import html
import io
import re

import docx
from docx.shared import Pt

from disclosure.formats.layout import table_grid
from disclosure.importers.document import Cell, Document, Paragraph, Table
from disclosure.importers.tables import TextLine, TextRow
from disclosure.importers.text import blocks
from tests.importers.samples import parse_sample, sample_text

WRAP_AT = 12


def sample_document(number: str) -> Document:
    """The sample as paragraphs and tables with real row/column spans."""
    text = sample_text(number)
    parsed = parse_sample(number)
    from disclosure.formats.layout import sections  # noqa: PLC0415 - test helper

    tables = [s.table for s in sections(parsed.format) if s.table is not None]
    items = blocks(text)
    document = Document()
    index = 0
    while index < len(items):
        item = items[index]
        if isinstance(item, TextLine):
            document.items.append(Paragraph(item.text))
            index += 1
            continue
        run = []
        while index < len(items) and isinstance(items[index], TextRow):
            run.append(items[index])
            index += 1
        run = [r for r in run if not all(c.blank for c in r.cells)]
        table = tables.pop(0) if tables else None
        document.items.append(_merged(run, table) or _plain(run))
    return document


def _merged(run: list[TextRow], table) -> Table | None:
    if table is None:
        return None
    grid = table_grid(table).rows
    if len(grid) != len(run):
        return None
    result = Table()
    for expected, row in zip(grid, run):
        if len(row.cells) != len(expected.slots):
            return None
        out = []
        for slot, cell in zip(expected.slots, row.cells):
            if slot.kind == "continuation":
                if not cell.blank:
                    return None
                continue
            rowspan = slot.rowspan if slot.kind == "label" else 1
            out.append(Cell(cell.text, rowspan, slot.colspan))
        result.rows.append(out)
    return result


def _plain(run: list[TextRow]) -> Table:
    width = max(len(r.cells) for r in run)
    rows = []
    for row in run:
        cells = [Cell(c.text) for c in row.cells]
        cells[-1].colspan = width - len(cells) + 1
        rows.append(cells)
    return Table(rows=rows)


def wrapped(text: str) -> list[str]:
    """A long label as the two lines Word wraps it into (never between two Latin characters)."""
    text = text.strip()
    if len(text) <= WRAP_AT or not re.search(r"[\u4e00-\u9fff]", text):
        return [text]
    cut = len(text) // 2
    while 0 < cut < len(text) - 1 and text[cut - 1].isascii() and text[cut].isascii():
        cut += 1
    return [text[:cut], text[cut:]]


def grid_positions(table: Table):
    """(y, x, cell) for every cell, x the grid column it starts at."""
    covered: set[tuple[int, int]] = set()
    width = 0
    placed = []
    for y, row in enumerate(table.rows):
        x = 0
        for cell in row:
            while (y, x) in covered:
                x += 1
            placed.append((y, x, cell))
            for dy in range(cell.rowspan):
                for dx in range(cell.colspan):
                    covered.add((y + dy, x + dx))
            x += cell.colspan
        width = max(width, x, *(cx + 1 for cy, cx in covered if cy == y))
    return placed, width


def docx_bytes(document: Document) -> bytes:
    word = docx.Document()
    word.styles["Normal"].font.size = Pt(10)
    for item in document.items:
        if isinstance(item, Paragraph):
            word.add_paragraph(item.text)
            continue
        placed, width = grid_positions(item)
        table = word.add_table(rows=len(item.rows), cols=width)
        table.style = "Table Grid"
        for y, x, cell in placed:
            target = table.cell(y, x)
            if cell.rowspan > 1 or cell.colspan > 1:
                target = target.merge(table.cell(y + cell.rowspan - 1, x + cell.colspan - 1))
            lines = wrapped(cell.text)
            target.text = lines[0]
            for line in lines[1:]:
                target.add_paragraph(line)
        word.add_paragraph("")
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _thousands(text: str) -> str:
    """7507 → 7,507 (how many sites print counts)."""
    stripped = text.strip().replace("\u3000", "")
    if re.fullmatch(r"\d{4,}", stripped):
        return f"{int(stripped):,}"
    return text


def _cell_html(cell: Cell, tag: str = "td") -> str:
    span = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + (
        f' colspan="{cell.colspan}"' if cell.colspan > 1 else ""
    )
    lines = wrapped(_thousands(cell.text))
    if not cell.text.strip():
        inner = '<p class="MsoNormal">&nbsp;<o:p></o:p></p>'
    else:
        inner = "".join(
            f'<p class="MsoNormal" style="text-align:center;mso-line-height-rule:exactly">'
            f'<span style="font-family:仿宋_GB2312;mso-bidi-font-size:10.5pt">{html.escape(line)}</span>'
            f"<o:p></o:p></p>"
            for line in lines
        )
    return f'<{tag}{span} style="border:solid windowtext 1.0pt;mso-border-alt:solid windowtext .5pt">{inner}</{tag}>'


def _table_html(rows: list[list[Cell]]) -> str:
    body = "\n".join("<tr>" + "".join(_cell_html(c) for c in row) + "</tr>" for row in rows)
    return f'<table class="MsoNormalTable" border="1" cellspacing="0" style="border-collapse:collapse">\n<tbody>{body}</tbody></table>'


def cms_html(document: Document, split_after: int = 2) -> str:
    """The page a government website's CMS prints: menus, breadcrumbs, a title block, the
    report pasted from Word (mso styles, ``<o:p>``, ``&nbsp;``) with the second table split in
    two at the first row boundary from ``split_after`` on (the second part repeating nothing), a script, a remote
    image, and a footer; the content sits inside a nested layout table."""
    parts = []
    tables_seen = 0
    for item in document.items:
        if isinstance(item, Paragraph):
            parts.append(
                f'<p class="MsoNormal" style="text-indent:2em">&nbsp;{html.escape(item.text)}&nbsp;<o:p></o:p></p>'
            )
            continue
        tables_seen += 1
        cuts = [i for i in range(split_after, len(item.rows) - 1) if _splittable(item, i)]
        if tables_seen == 2 and cuts:
            parts.append(_table_html(item.rows[: cuts[0]]))
            parts.append('<p class="MsoNormal">&nbsp;</p>')
            parts.append(_table_html(item.rows[cuts[0] :]))
        else:
            parts.append(_table_html(item.rows))
    lines = []
    for item in document.items[:3]:
        if not isinstance(item, Paragraph):
            break
        lines.append(item.text)
        if re.search(r"(报告|总结)$", item.text):
            break
    title = "".join(lines)
    content = "\n".join(parts[len(lines) :])
    return f"""<!DOCTYPE html>
<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><meta charset="utf-8">
<title>{html.escape(title)}_政府信息公开年报_某某区人民政府门户网站</title>
<script src="https://stats.example.invalid/track.js"></script>
<script>document.write('<img src="https://evil.example.invalid/x.gif">');</script>
<style>.nav li{{display:inline}} table.MsoNormalTable td{{border:1px solid #000;padding:2px}}</style></head>
<body>
<div class="header"><img src="https://www.example.invalid/logo.png" alt="门户网站"><ul class="nav">
<li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/hdjl/">互动交流</a></li>
<li><a href="/bsfw/">办事服务</a></li></ul></div>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政府信息公开</a> &gt; 政府信息公开年报</div>
<table width="100%" class="layout"><tr><td width="200" valign="top">
<table><tr><td><a href="/zwgk/zn/">信息公开指南</a></td></tr><tr><td><a href="/zwgk/nb/">信息公开年报</a></td></tr></table>
</td><td valign="top">
<div class="article">
<h1 class="title">{html.escape(title)}</h1>
<div class="info">发布日期：2021-01-28 &nbsp; 来源：本机关 &nbsp; 字号：[大 中 小] &nbsp; 浏览次数：<span id="hits">1024</span></div>
<div class="TRS_Editor" id="zoom">
{content}
</div>
<div class="share">分享到：微信 微博 &nbsp; 【打印本页】【关闭窗口】</div>
</div>
</td></tr></table>
<div class="footer"><p>主办单位：某某区人民政府办公室 &nbsp; 地址：某某路1号 &nbsp; 电话：0000-12345678</p>
<p>网站标识码：3303020001 &nbsp; 浙ICP备00000000号</p></div>
<script>alert("never run")</script>
</body></html>"""


def _splittable(table: Table, at: int) -> bool:
    """No cell above ``at`` spans past it (a page or paste break between whole rows)."""
    return all(y + c.rowspan <= at for y, row in enumerate(table.rows[:at]) for c in row)
