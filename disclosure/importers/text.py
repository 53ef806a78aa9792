"""Published report text → a ParsedReport (title, agency, year, narratives, every cell).

The text form is what a Word report becomes as plain text (the samples in
``fixtures/published``): paragraphs are lines, a table row is a run of lines
starting with a tab (one cell per line) and rows are separated by blank lines.

Published reports deviate from the template in many small ways; every
deviation the importer tolerates becomes an ``ImportNote`` (a warning). Only
text that cannot be read as the template raises ``ReportParseError``, with the
section and the line. Arithmetic is not judged here: the checker does that on
the published figures, which are kept as printed (totals are not recomputed).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from disclosure.formats import format_for_year
from disclosure.formats.layout import sections
from disclosure.formats.spec import Format
from disclosure.formats.structure import Outline, SeenHeading

from .labels import match_heading, shorten, similarity
from .notes import ImportNote
from .tables import TableError, TableReader, TextCell, TextLine, TextRow


class ReportParseError(Exception):
    """The text cannot be read as a report; the message names the section and the line."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


@dataclass
class ParsedReport:
    title: str
    agency_name: str
    year: int
    format: Format
    preface: str
    narratives: dict[str, str]
    values: dict[str, int | Decimal | None]
    notes: list[ImportNote]
    contact: dict[str, str]
    source: str = ""
    headings: tuple[SeenHeading, ...] = ()  # the sections as found (for the structure rules)
    title_line: int | None = None

    @property
    def outline(self) -> Outline:
        """What ``formats.structure.check_structure`` reads."""
        return Outline(
            title=self.title,
            year=self.year,
            narratives=self.narratives,
            preface=self.preface,
            headings=self.headings,
            title_line=self.title_line,
        )


# ------------------------------------------------------------------ lines

_JUNK = re.compile(r"^\[(bookmark|image|footnote)[^\]]*\]$", re.IGNORECASE)
_HEADING_START = re.compile(r"^[一二三四五六七八九十]+\s*[、.．]")
CONTINUATION_MAX_LENGTH = 20
_CJK = re.compile(r"[\u4e00-\u9fff]")


def blocks(text: str) -> list[TextLine | TextRow]:
    """Paragraph lines and table rows, in order; junk lines dropped."""
    result: list[TextLine | TextRow] = []
    row: TextRow | None = None
    for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), 1):
        stripped = raw.strip()
        if _JUNK.match(stripped):
            continue
        if raw.startswith("\t"):
            cell = TextCell(raw[1:].replace("\t", " "), number)
            if row is None:
                row = TextRow([cell])
                result.append(row)
            else:
                row.cells.append(cell)
        elif not stripped:
            row = None
        elif row is not None and _continues_cell(row.cells[-1].text, stripped):
            # a label broken over two lines: "本年新" / "制作数量"
            row.cells[-1].text = row.cells[-1].text.strip() + stripped
        else:
            row = None
            result.append(TextLine(stripped, number))
    return result


def _continues_cell(cell: str, text: str) -> bool:
    """A short line right after a label cell (not a number) is the rest of that label."""
    return bool(_CJK.search(cell)) and len(text) <= CONTINUATION_MAX_LENGTH and not _HEADING_START.match(text)


# ------------------------------------------------------------------ title, year, agency

_TITLE_END = re.compile(r"(报告|总结)$")
_TITLE_MAX_LINES = 3
_TITLE_MAX_LENGTH = 50
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年度?")
_AGENCY_END = ("政府信息公开", "政务公开", "信息公开")


def _title(items: list) -> tuple[str, int]:
    """(title, number of blocks it used): the first short line(s), up to the one
    ending in 报告/总结."""
    first = items[0]
    if not isinstance(first, TextLine) or _HEADING_START.match(first.text):
        raise ReportParseError(
            f"标题，第{first.line}行：找不到报告标题（第一行应为“××机关××年政府信息公开工作年度报告”）",
            first.line,
        )
    lines = []
    for item in items[:_TITLE_MAX_LINES]:
        if (
            not isinstance(item, TextLine)
            or len(item.text) > _TITLE_MAX_LENGTH
            or _HEADING_START.match(item.text)
        ):
            break
        lines.append(item.text)
        if _TITLE_END.search(item.text):
            return "".join(lines), len(lines)
    return first.text, 1


def _year(title: str, items: list, notes: list[ImportNote]) -> int:
    found = _YEAR.search(unicodedata.normalize("NFKC", title))
    if found:
        return int(found.group(1))
    for item in items:
        if isinstance(item, TextLine):
            found = _YEAR.search(unicodedata.normalize("NFKC", item.text))
            if found:
                notes.append(
                    ImportNote(
                        f"标题中没有年度，按第{item.line}行识别为{found.group(1)}年", item.line, kind="year"
                    )
                )
                return int(found.group(1))
    raise ReportParseError(f"标题，第1行：无法识别报告年度（标题“{shorten(title, 40)}”中没有年份）", 1)


def _agency(title: str) -> str:
    text = _YEAR.sub("", unicodedata.normalize("NFKC", title), count=1).strip()
    text = text.removeprefix("关于")
    for end in _AGENCY_END:
        if end in text:
            return text.split(end, 1)[0].strip()
    return ""


# ------------------------------------------------------------------ contact details

_CONTACT = {
    "address": re.compile(r"(?:通讯地址|通信地址|联系地址|地址)\s*[:：]\s*([^，,。；;）)\n]+)"),
    "postcode": re.compile(r"(?:邮政编码|邮编)\s*[:：]\s*(\d{6})"),
    "phone": re.compile(r"(?:联系电话|咨询电话|电话)\s*[:：]\s*([0-9][0-9\-－—–()（） ]*[0-9])"),
    "website": re.compile(r"(https?://[A-Za-z0-9./_\-?=&%#:]+)"),
    "email": re.compile(r"([A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,})"),
}


def contact_details(text: str) -> dict[str, str]:
    found = {}
    for name, pattern in _CONTACT.items():
        match = pattern.search(text)
        if match:
            found[name] = match.group(1).strip()
    return found


# ------------------------------------------------------------------ the walk


class _Walker:
    """Walks the blocks section by section; tables are read by TableReader."""

    def __init__(self, fmt: Format, items: list, end_line: int):
        self.fmt, self.items, self.end_line = fmt, items, end_line
        self.sections = sections(fmt)
        self.current = -1  # -1: the preface; headings are looked for after it
        self.target = -1  # the section paragraphs go to (an earlier one after an out-of-order heading)
        self.seen: set[int] = set()
        self.headings: list[SeenHeading] = []
        self.paragraphs: dict[int, list[str]] = {}
        self.values: dict = {}
        self.notes: list[ImportNote] = []
        self.tables_done: list[str] = []

    def walk(self) -> None:
        index = 0
        while index < len(self.items):
            item = self.items[index]
            if isinstance(item, TextLine):
                self._line(item)
                index += 1
            elif all(c.blank for c in item.cells):
                index += 1  # an empty row between tables
            else:
                index = self._table(index)
        self._finish()

    def _section_name(self, index: int) -> str:
        return "开头说明" if index < 0 else self.sections[index].heading

    def _line(self, item: TextLine) -> None:
        heading = match_heading(item.text, self.sections, self.current)
        if heading and heading.index == self.current:
            return  # the section's title repeated as a caption above its table
        if heading:
            self._open(heading.index, item, heading.numbered, heading.exact)
            if heading.rest:
                self.paragraphs.setdefault(self.current, []).append(heading.rest)
            return
        if self._out_of_order(item):
            return
        section = self.sections[self.target] if self.target >= 0 else None
        if section is not None and section.table is not None:
            self.notes.append(
                ImportNote(
                    f"第{item.line}行：“{section.heading}”中表格以外的文字未导入：“{shorten(item.text)}”",
                    item.line,
                    kind="extra_text",
                )
            )
            return
        self.paragraphs.setdefault(self.target, []).append(item.text)

    def _open(self, index: int, item: TextLine, numbered: bool, exact: bool) -> None:
        """A section's heading (its wording is judged by the structure rules, S-2)."""
        section = self.sections[index]
        self.headings.append(SeenHeading(section.number, item.text, item.line, numbered, exact))
        self.seen.add(index)
        self.current = self.target = index

    def _out_of_order(self, item: TextLine) -> bool:
        """A numbered narrative heading, in the template's words, of a section not yet
        seen that comes before the current one: its text goes to that section (S-3)."""
        if self.current < 0:
            return False
        heading = match_heading(item.text, self.sections, -1)
        if (
            heading is None
            or not heading.numbered
            or not heading.exact
            or heading.index >= self.current
            or heading.index in self.seen
            or self.sections[heading.index].narrative is None
        ):
            return False
        section = self.sections[heading.index]
        self.headings.append(SeenHeading(section.number, item.text, item.line, True, True, in_order=False))
        self.seen.add(heading.index)
        self.target = heading.index
        if heading.rest:
            self.paragraphs.setdefault(self.target, []).append(heading.rest)
        return True

    def _identify(self, row: TextRow):
        remaining = [s for s in self.sections if s.table is not None and s.table.code not in self.tables_done]
        if not remaining:
            raise ReportParseError(
                f"{self._section_name(self.current)}，第{row.line}行：多余的表格（三张表均已读完），首格“{shorten(row.cells[0].text)}”",
                row.line,
            )
        first = row.cells[0].text
        scores = [(similarity(first, s.grid.first_text), n) for n, s in enumerate(remaining)]
        score, best = max(scores)
        if score < 0.5:
            raise ReportParseError(
                f"{self._section_name(self.current)}，第{row.line}行：无法识别的表格，首格为“{shorten(first)}”，"
                f"应为“{shorten(remaining[0].grid.first_text)}”",
                row.line,
            )
        if best != 0:
            missing = remaining[0]
            raise ReportParseError(
                f"{missing.heading}：缺少表{missing.number}，第{row.line}行开始的是表{remaining[best].number}",
                row.line,
            )
        return remaining[0]

    def _table(self, index: int) -> int:
        start = self.items[index]
        section = self._identify(start)
        rows = []
        for item in self.items[index:]:
            if not isinstance(item, TextRow):
                break
            rows.append(item)
        end_line = (
            self.items[index + len(rows)].line if index + len(rows) < len(self.items) else self.end_line
        )
        reader = TableReader(self.fmt, section.table, rows, end_line)
        try:
            used = reader.read()
        except TableError as exc:
            raise ReportParseError(f"{section.heading}，{exc}", exc.line) from exc
        self.values.update(reader.values)
        self.notes.extend(reader.notes)
        self.tables_done.append(section.table.code)
        position = self.sections.index(section)
        if position not in self.seen:  # a table without its heading (S-2)
            self.headings.append(SeenHeading(section.number, "", start.line, False, False))
            self.seen.add(position)
        self.current = self.target = max(self.current, position)
        return index + used

    def _finish(self) -> None:
        for section in self.sections:
            if section.table is not None and section.table.code not in self.tables_done:
                raise ReportParseError(
                    f"{section.heading}：缺少表{section.number}（文件在第{self.end_line}行结束）",
                    self.end_line,
                )
        # a narrative section never found is the structure rules' finding (S-1)

    def narratives(self) -> dict[str, str]:
        return {
            s.narrative.code: "\n".join(self.paragraphs.get(n, []))
            for n, s in enumerate(self.sections)
            if s.narrative
        }


# ------------------------------------------------------------------ public API


def parse_report_text(text: str, *, source: str = "", year: int | None = None) -> ParsedReport:
    """Read a published report; ``year`` overrides the year found in the title.

    Raises ReportParseError naming the section and the line."""
    items = blocks(text or "")
    if not (text or "").strip() or not items:
        raise ReportParseError("文件为空：没有可导入的内容", None)
    return parse_items(items, source=source, year=year, end_line=len((text or "").splitlines()))


def parse_items(
    items: list[TextLine | TextRow],
    *,
    source: str = "",
    year: int | None = None,
    end_line: int | None = None,
    notes: list[ImportNote] | None = None,
) -> ParsedReport:
    """The section walker shared by every format: paragraph lines and table rows (the text
    form's ``blocks`` or a document's ``document.to_items``) → a ParsedReport. ``notes``
    are the reader's own notes, listed first."""
    if not items:
        raise ReportParseError("文件为空：没有可导入的内容", None)
    if end_line is None:
        last = items[-1]
        end_line = last.cells[-1].line if isinstance(last, TextRow) else last.line
    notes = list(notes or [])
    title, used = _title(items)
    if year is None:
        year = _year(title, items, notes)
    try:
        fmt = format_for_year(year)
    except ValueError as exc:
        raise ReportParseError(f"标题，第1行：{exc}", 1) from exc
    # a title not in the template's form is the structure rules' finding (S-4)
    agency = _agency(title)
    if not agency:
        notes.append(ImportNote(f"未能从标题“{title}”识别机关名称", _line_of(items[0]), kind="title"))
    walker = _Walker(fmt, items[used:], end_line)
    walker.walk()
    preface = "\n".join(walker.paragraphs.get(-1, []))
    return ParsedReport(
        title=title,
        agency_name=agency,
        year=year,
        format=fmt,
        preface=preface,
        narratives=walker.narratives(),
        values={key: walker.values[key] for key in fmt.cell_keys()},
        notes=notes + walker.notes,
        contact=contact_details(preface),
        source=source,
        headings=tuple(walker.headings),
        title_line=_line_of(items[0]),
    )


def _line_of(item) -> int:
    return item.line


def parse_report_file(path, *, year: int | None = None) -> ParsedReport:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReportParseError(f"文件“{path.name}”不是 UTF-8 编码的文本", None) from exc
    return parse_report_text(text, source=path.name, year=year)


__all__ = [
    "ImportNote",
    "ParsedReport",
    "ReportParseError",
    "TextLine",
    "parse_items",
    "parse_report_file",
    "parse_report_text",
]
