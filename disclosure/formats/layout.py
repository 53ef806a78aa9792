"""Every table of a format laid out once as its printed grid, and the six sections in order.

Pure Python (no Django). The declarations in ``spec`` say what a table holds:
header rows of cells with row/column spans, each row's own label cells, and
the columns whose value cells span grid columns. Every reader and writer of a
report (the edit grid, the HTML/PDF document, the importer, the Word and Excel
exports) needs the same thing from them: which cell stands at which grid
position of which printed row. This module works that out once per table and
keeps it (tables are constants); consumers only format the cells.

A table's grid is a ``TableGrid``: one ``GroupGrid`` per group (表二 has one per
第二十条 item, each printing its own header rows), each with header rows and
body rows. A ``GridRow`` is a tuple of slots in grid-column order that covers
the table's ``grid_width`` exactly:

- ``LabelCell``: a printed label cell (header cell or row label) starting here;
- ``Continuation``: a position still covered by a label cell merged down
  (rowspan) from a row above; HTML prints nothing there, a text or Word table
  prints an empty cell;
- ``ValueCell``: a data cell of a body row: its column, cell key, grid column
  ``x``, colspan, and the running data-row index ``y``.

``sections(fmt)`` gives the six numbered sections in the template's order,
each holding either its ``NarrativeSection`` or its ``Table``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, partial
from typing import ClassVar

from .common import SECTION_HEADINGS
from .spec import Cell, Column, Format, Group, NarrativeSection, Row, Table, cell_key

# ------------------------------------------------------------------ slots


@dataclass(frozen=True)
class _Printed:
    """A slot showing a declared label ``cell`` at grid column ``x``."""

    cell: Cell
    x: int

    @property
    def text(self) -> str:
        return self.cell.text

    @property
    def colspan(self) -> int:
        return self.cell.colspan


@dataclass(frozen=True)
class LabelCell(_Printed):
    """A printed label cell starting at grid column ``x`` of its row."""

    kind: ClassVar[str] = "label"

    @property
    def rowspan(self) -> int:
        return self.cell.rowspan


@dataclass(frozen=True)
class Continuation(_Printed):
    """Grid column ``x`` of a row covered by ``cell``, merged down from a row above."""

    kind: ClassVar[str] = "continuation"


@dataclass(frozen=True)
class ValueCell:
    """The data cell of ``row`` × ``column``, at grid column ``x`` of data row ``y``."""

    kind: ClassVar[str] = "value"
    row: Row
    column: Column
    key: str  # "<table>.<row>.<column>"
    x: int
    y: int  # data rows counted from 0 over the whole table, header rows not counted

    @property
    def colspan(self) -> int:
        return self.column.span

    @property
    def computed(self) -> bool:
        """A total the application computes (never typed, never read from a request)."""
        return self.row.computed or self.column.computed


Slot = LabelCell | Continuation | ValueCell


# ------------------------------------------------------------------ rows, groups, tables
# Grids never change once laid out, so the views of their slots are computed once
# (cached_property writes the instance __dict__, which a frozen dataclass allows).


@dataclass(frozen=True)
class GridRow:
    """One printed row: a header row (``row`` is None) or the body row of ``row``."""

    group: Group
    row: Row | None
    y: int | None  # the data-row index of a body row; None for a header row
    slots: tuple[Slot, ...]  # grid-column order, covering the grid exactly once

    @property
    def is_header(self) -> bool:
        return self.row is None

    @cached_property
    def labels(self) -> tuple[LabelCell, ...]:
        """The label cells this row prints itself (what an HTML ``<tr>`` holds before its values)."""
        return tuple(s for s in self.slots if s.kind == "label")

    @cached_property
    def continued(self) -> tuple[Continuation, ...]:
        return tuple(s for s in self.slots if s.kind == "continuation")

    @cached_property
    def label_slots(self) -> tuple[LabelCell | Continuation, ...]:
        """Labels and continuations, in grid order (every position before the values)."""
        return tuple(s for s in self.slots if s.kind != "value")

    @cached_property
    def values(self) -> tuple[ValueCell, ...]:
        return tuple(s for s in self.slots if s.kind == "value")

    @cached_property
    def printed(self) -> tuple[LabelCell | ValueCell, ...]:
        """The cells an HTML row prints, in order (continuations are covered from above)."""
        return tuple(s for s in self.slots if s.kind != "continuation")


@dataclass(frozen=True)
class GroupGrid:
    """A group's printed rows: its own header rows, then one body row per declared row."""

    group: Group
    header: tuple[GridRow, ...]
    body: tuple[GridRow, ...]

    @cached_property
    def rows(self) -> tuple[GridRow, ...]:
        return self.header + self.body

    @property
    def label_columns(self) -> int:
        """Grid columns holding row labels, before the first value cell."""
        return self.body[0].values[0].x if self.body else 0


@dataclass(frozen=True)
class TableGrid:
    """A table's printed grid, group by group."""

    table: Table
    groups: tuple[GroupGrid, ...]

    @property
    def code(self) -> str:
        return self.table.code

    @property
    def grid_width(self) -> int:
        return self.table.grid_width

    @cached_property
    def rows(self) -> tuple[GridRow, ...]:
        """Every printed row: each group's header rows, then its body rows."""
        return tuple(r for g in self.groups for r in g.rows)

    @cached_property
    def body(self) -> tuple[GridRow, ...]:
        return tuple(r for g in self.groups for r in g.body)

    @cached_property
    def value_cells(self) -> tuple[ValueCell, ...]:
        """Every data cell in printed order (the order of ``Format.cell_keys``)."""
        return tuple(v for r in self.body for v in r.values)

    @property
    def label_columns(self) -> int:
        """Label columns of the first group (every group of the national tables has as many)."""
        return self.groups[0].label_columns

    @property
    def first_text(self) -> str:
        """The text of the table's first printed cell: how a reader recognises the table."""
        return self.groups[0].rows[0].slots[0].text


def _place(items, width: int, open_: dict, value_at=None) -> tuple[Slot, ...]:
    """Lay one printed row's own cells out left to right around the rowspans
    still ``open_`` from rows above (grid column → (cell, rows it still covers)).

    ``items`` are the row's label cells, then (for a body row) its columns,
    which ``value_at(column, x)`` turns into value cells."""
    slots: list[Slot] = []
    queue, x = list(items), 0
    while x < width and (queue or x in open_):
        if x in open_:
            cell, remaining = open_.pop(x)
            if remaining > 1:
                open_[x] = (cell, remaining - 1)
            slots.append(Continuation(cell, x))
        elif isinstance(queue[0], Cell):
            cell = queue.pop(0)
            if cell.rowspan > 1:
                open_[x] = (cell, cell.rowspan - 1)
            slots.append(LabelCell(cell, x))
        else:
            slots.append(value_at(queue.pop(0), x))
        x += slots[-1].colspan
    if x != width or queue:
        # a declaration error: say so when the table is first laid out, not in a page
        raise ValueError(f"a printed row covers {x} of {width} grid columns, {len(queue)} cells left over")
    return tuple(slots)


def _value_cell(table_code: str, row: Row, y: int, column: Column, x: int) -> ValueCell:
    return ValueCell(row, column, cell_key(table_code, row.code, column.code), x, y)


def _group_grid(table: Table, group: Group, first_y: int) -> GroupGrid:
    open_: dict = {}  # rowspans run from the header into the body, never across groups
    header = tuple(
        GridRow(group, None, None, _place(cells, table.grid_width, open_)) for cells in group.header
    )
    body = []
    for y, row in enumerate(group.rows, first_y):
        value_at = partial(_value_cell, table.code, row, y)
        body.append(
            GridRow(group, row, y, _place(row.cells + group.columns, table.grid_width, open_, value_at))
        )
    if open_:
        raise ValueError(f"表{table.number}: a merged cell of group {group.code} runs past its last row")
    return GroupGrid(group, header, tuple(body))


def _lay_out(table: Table) -> TableGrid:
    groups, y = [], 0
    for group in table.groups:
        groups.append(_group_grid(table, group, y))
        y += len(group.rows)
    return TableGrid(table, tuple(groups))


# Keyed by id() with the table kept alive beside its grid, so the key cannot be
# reused; hashing a frozen Table would walk the whole declaration on every look-up.
_GRIDS: dict[int, tuple[Table, TableGrid]] = {}


def table_grid(table: Table) -> TableGrid:
    """The printed grid of ``table``, laid out on first use and kept.

    A grid depends on the table's declaration only, so a table both formats
    share (表四) is laid out once; ``grids(fmt)`` gives a format's.
    Raises ValueError when the declaration does not fill its grid."""
    found = _GRIDS.get(id(table))
    if found is None or found[0] is not table:
        found = _GRIDS[id(table)] = (table, _lay_out(table))
    return found[1]


def grids(fmt: Format) -> tuple[TableGrid, ...]:
    """The grids of the format's tables, in the order of ``fmt.tables``."""
    return tuple(table_grid(t) for t in fmt.tables)


# ------------------------------------------------------------------ sections


@dataclass(frozen=True)
class Section:
    """One of the six numbered parts of a report: a narrative or a table."""

    number: str  # 一 … 六
    title: str  # as declared, without its number
    narrative: NarrativeSection | None = None
    table: Table | None = None

    @property
    def heading(self) -> str:
        return f"{self.number}、{self.title}"

    @property
    def code(self) -> str:
        """The narrative's model field, or the table's code."""
        return self.narrative.code if self.narrative else self.table.code

    @property
    def aliases(self) -> tuple[str, ...]:
        """Other titles seen in published reports (narratives only)."""
        return self.narrative.aliases if self.narrative else ()

    @property
    def grid(self) -> TableGrid | None:
        return table_grid(self.table) if self.table else None


_SECTIONS: dict[int, tuple[Format, tuple[Section, ...]]] = {}


def sections(fmt: Format) -> tuple[Section, ...]:
    """The format's six sections in the template's order (``SECTION_HEADINGS``).

    Raises ValueError unless the format declares exactly one narrative or table
    for each of the six numbers."""
    found = _SECTIONS.get(id(fmt))
    if found is None or found[0] is not fmt:
        found = _SECTIONS[id(fmt)] = (fmt, _sections(fmt))
    return found[1]


def _sections(fmt: Format) -> tuple[Section, ...]:
    parts = [Section(n.number, n.title, narrative=n) for n in fmt.narratives]
    parts += [Section(t.number, t.title, table=t) for t in fmt.tables]
    by_number = {s.number: s for s in parts}
    order = [number for number, _ in SECTION_HEADINGS]
    if len(by_number) != len(parts) or set(by_number) != set(order):
        raise ValueError(f"{fmt.code}: sections {[s.number for s in parts]} are not 一 to 六 once each")
    return tuple(by_number[number] for number in order)


__all__ = [
    "Continuation",
    "GridRow",
    "GroupGrid",
    "LabelCell",
    "Section",
    "Slot",
    "TableGrid",
    "ValueCell",
    "grids",
    "sections",
    "table_grid",
]
