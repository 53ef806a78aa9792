"""What the report template renders: a small object built either from a saved
report or from a published text file parsed by the importer, so both go
through the same template.

Tables are printed from their layout (``formats.layout``: header cells with
the declared row/column spans, row label cells, value cells spanning the
declared grid columns); no label is restated here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from disclosure.formats.layout import LabelCell, grids, sections, table_grid
from disclosure.formats.spec import Column, Format, Table
from disclosure.formats.values import display
from disclosure.reports.services import default_preface, load_values

# A level-2 heading such as "（一）主动公开" at the start of a paragraph; when it
# runs into its paragraph ("（一）领导重视。推进…"), only the part up to the
# first full stop is the heading.
LEVEL2 = re.compile(r"^（[一二三四五六七八九十]+）[^。\n]{0,40}?(。|$)")


@dataclass(frozen=True)
class GridCell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    header: bool = True  # a printed label (th) rather than a value (td)


@dataclass(frozen=True)
class Block:
    """Rows printed together; ``head`` rows are the block's own header rows."""

    head: tuple[tuple[GridCell, ...], ...]
    rows: tuple[tuple[GridCell, ...], ...]


@dataclass(frozen=True)
class GridTable:
    code: str
    grid_width: int
    thead: tuple[tuple[GridCell, ...], ...]  # repeated on every page the table spans
    blocks: tuple[Block, ...]
    label_columns: int  # grid columns holding row labels, before the data columns

    @property
    def columns(self) -> list[str]:
        """A class per grid column for ``<colgroup>``: label, label-last, data."""
        labels = ["label"] * self.label_columns
        if labels:
            labels[-1] = "label-last"
        return labels + ["data"] * (self.grid_width - self.label_columns)


@dataclass(frozen=True)
class Paragraph:
    heading: str  # a level-2 heading (Kai) leading the paragraph, may be empty
    text: str


@dataclass(frozen=True)
class Section:
    number: str
    title: str
    paragraphs: tuple[Paragraph, ...] = ()
    table: GridTable | None = None

    @property
    def heading(self) -> str:
        return f"{self.number}、{self.title}"


@dataclass(frozen=True)
class ReportDocument:
    title: str
    year: int
    agency_name: str
    format: Format
    preface: str
    narratives: dict[str, str]
    values: dict
    draft: bool

    @property
    def preface_paragraphs(self) -> tuple[Paragraph, ...]:
        return paragraphs(self.preface)

    @property
    def sections(self) -> list[Section]:
        return build_sections(self.format, self.narratives, self.values)

    def text(self) -> str:
        """Every piece of free text the document prints (for the glyph check)."""
        return "\n".join((self.title, self.agency_name, self.preface, *self.narratives.values()))


def paragraphs(text: str) -> tuple[Paragraph, ...]:
    """The clerk's paragraphs, one per non-blank line, level-2 headings marked."""
    result = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        match = LEVEL2.match(line)
        if match:
            result.append(Paragraph(match.group(0), line[match.end() :]))
        else:
            result.append(Paragraph("", line))
    return tuple(result)


def value_text(value, column: Column) -> str:
    """A printed value; money gets its unit when the template's header has none."""
    text = display(value)
    if text and column.unit and column.unit not in column.label:
        text += column.unit
    return text


def grid_table(table: Table, values: dict) -> GridTable:
    """The printed grid of a table. A single-group table's header repeats on page
    breaks (``thead``); a table of several blocks (表二) prints each block with
    its own header rows and keeps a block together."""
    grid = table_grid(table)
    single = len(grid.groups) == 1
    blocks = tuple(
        Block(() if single else _cells(g.header, values), _cells(g.body, values)) for g in grid.groups
    )
    thead = _cells(grid.groups[0].header, values) if single else ()
    return GridTable(table.code, table.grid_width, thead, blocks, grid.label_columns)


def _cells(rows, values: dict) -> tuple[tuple[GridCell, ...], ...]:
    """Printed rows as template cells: labels as declared, values as printed."""
    return tuple(
        tuple(
            GridCell(cell.text, cell.rowspan, cell.colspan)
            if isinstance(cell, LabelCell)
            else GridCell(value_text(values.get(cell.key), cell.column), colspan=cell.colspan, header=False)
            for cell in row.printed
        )
        for row in rows
    )


def build_sections(fmt: Format, narratives: dict[str, str], values: dict) -> list[Section]:
    """The six sections in the template's order."""
    return [
        Section(s.number, s.title, table=grid_table(s.table, values))
        if s.table
        else Section(s.number, s.title, paragraphs(narratives.get(s.narrative.code, "")))
        for s in sections(fmt)
    ]


def table_numbers(fmt: Format, values: dict) -> list[str]:
    """Every printed value of the three tables in printed order (blank cells skipped)."""
    texts = (value_text(values.get(v.key), v.column) for grid in grids(fmt) for v in grid.value_cells)
    return [text for text in texts if text]


def document_from_report(report, values: dict | None = None) -> ReportDocument:
    """The document of a saved report; not approved means a draft (watermarked)."""
    narratives = {n.code: getattr(report, n.code) for n in report.format.narratives}
    return ReportDocument(
        title=report.display_title,
        year=report.year,
        agency_name=report.agency.name,
        format=report.format,
        preface=report.preface or default_preface(report.agency, report.year),
        narratives=narratives,
        values=load_values(report) if values is None else values,
        draft=not report.is_record,
    )


def document_from_parsed(parsed) -> ReportDocument:
    """The document of a published report read by the importer (already
    published, so never a draft)."""
    return ReportDocument(
        title=parsed.title,
        year=parsed.year,
        agency_name=parsed.agency_name,
        format=parsed.format,
        preface=parsed.preface,
        narratives=dict(parsed.narratives),
        values=dict(parsed.values),
        draft=False,
    )
