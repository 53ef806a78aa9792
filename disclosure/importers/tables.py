"""Reading the template tables of a published report, row by row of the table's layout.

In the text form, a table row is a run of lines that start with a tab, one
cell per line; rows are separated by blank lines. A cell merged from the row
above (a rowspan) appears as an empty cell. The table's grid
(``formats.layout``) says which printed cell each line of a row should be (a
label, the continuation of a merged label, a value), so the reader can match
labels and read numbers without knowing any table by heart.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from disclosure.formats.layout import Continuation, GridRow, LabelCell, table_grid
from disclosure.formats.spec import Column, Format, Kind, Row, Table
from disclosure.formats.values import ValueProblem, parse_number, validate

from .labels import LABEL_SAME, LABEL_SIMILAR, same, shorten, similarity
from .notes import ImportNote


class TableError(Exception):
    """A table that cannot be read; the caller adds the section."""

    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.line = line


@dataclass
class TextCell:
    text: str
    line: int

    @property
    def blank(self) -> bool:
        return self.text.strip() == ""


@dataclass
class TextRow:
    cells: list[TextCell]

    @property
    def line(self) -> int:
        return self.cells[0].line


class TableReader:
    """Reads one table from the text rows, filling ``values`` and ``notes``."""

    def __init__(self, fmt: Format, table: Table, rows: list[TextRow], end_line: int):
        self.fmt, self.table, self.rows, self.end_line = fmt, table, rows, end_line
        self.position = 0  # next text row
        self.values: dict = {}
        self.notes: list[ImportNote] = []
        self.name = f"表{table.number}"

    # ------------------------------------------------------------ walking

    def read(self) -> int:
        """Read the table; returns how many text rows it used."""
        grid = table_grid(self.table).rows
        index = 0
        while index < len(grid):
            expected = grid[index]
            if expected.row is None:
                self._header(expected, grid[index + 1 :])
                index += 1
            else:
                index += self._data(expected, grid[index:])
        return self.position

    def _next(self, expected: GridRow) -> TextRow:
        if self.position >= len(self.rows):
            where = self.rows[-1].cells[-1].line if self.rows else self.end_line
            what = expected.row.name if expected.row else "表头"
            raise TableError(f"{self.name}在第{where}行后提前结束，缺少“{what}”行", where)
        return self.rows[self.position]

    # ------------------------------------------------------------ headers

    def _header(self, expected: GridRow, later: tuple[GridRow, ...]) -> None:
        text = self._next(expected)
        first_data = next((g for g in later if g.row is not None), None)
        if first_data and self._looks_like(text, first_data) and not self._looks_like(text, expected):
            wanted = "、".join(s.text for s in expected.labels)
            self.notes.append(
                ImportNote(
                    f"第{text.line}行：{self.name}缺少表头行“{shorten(wanted, 40)}”", text.line, kind="header"
                )
            )
            return
        self.position += 1
        if len(text.cells) != len(expected.slots):
            self.notes.append(
                ImportNote(
                    f"第{text.line}行：{self.name}表头应有{len(expected.slots)}个单元格，实际有{len(text.cells)}个",
                    text.line,
                    kind="header",
                )
            )
            return
        for slot, cell in zip(expected.slots, text.cells):
            self._compare_label(slot, cell, ())

    def _looks_like(self, text: TextRow, expected: GridRow) -> bool:
        own = [s.text for s in expected.labels]
        found = [c.text for c in text.cells if not c.blank]
        return bool(own and found) and similarity(found[0], own[0]) >= LABEL_SIMILAR

    def _compare_label(self, slot: LabelCell | Continuation, cell: TextCell, aliases) -> None:
        if isinstance(slot, Continuation):  # printed empty, or with the merged label repeated
            if not cell.blank and not same(cell.text, slot.text):
                self._label_note(cell, slot.text, "")
            return
        if same(cell.text, slot.text):
            return
        if any(same(cell.text, alias) for alias in aliases):
            self._label_note(cell, slot.text, "（旧称或别称）", "alias")
            return
        if similarity(cell.text, slot.text) >= LABEL_SIMILAR:
            self._label_note(cell, slot.text, "，已按位置对应")
            return
        raise TableError(
            f"第{cell.line}行：{self.name}此处应为“{shorten(slot.text, 40)}”，实际为“{shorten(cell.text, 40)}”",
            cell.line,
        )

    def _label_note(self, cell: TextCell, wanted: str, how: str, kind: str = "label") -> None:
        self.notes.append(
            ImportNote(
                f"第{cell.line}行：{self.name}标签“{shorten(cell.text, 40)}”与模板“{shorten(wanted, 40)}”不一致{how}",
                cell.line,
                kind=kind,
            )
        )

    # ------------------------------------------------------------ data rows

    def _data(self, expected: GridRow, ahead: tuple[GridRow, ...]) -> int:
        """Read one data row; returns how many grid rows it stood for."""
        text = self._next(expected)
        if len(text.cells) == len(expected.slots):
            self._check_row_label(expected, text, ahead[1:])
            self.position += 1
            self._values(expected, text.cells[len(expected.label_slots) :])
            return 1
        group_rows = self._collapsed(expected, text, ahead)
        if group_rows:
            return group_rows
        row = expected.row
        raise TableError(
            f"第{text.line}行：{self.name}“{shorten(row.name, 40)}”行应有{len(expected.slots)}个单元格"
            f"（{len(expected.label_slots)}个标签、{len(expected.values)}个数据），实际有{len(text.cells)}个",
            text.line,
        )

    def _check_row_label(self, expected: GridRow, text: TextRow, later: tuple[GridRow, ...]) -> None:
        row = expected.row
        for slot, cell in zip(expected.label_slots, text.cells):
            aliases = row.aliases if slot.text == row.label else ()
            unlike = isinstance(slot, LabelCell) and similarity(cell.text, slot.text) < LABEL_SIMILAR
            if unlike and not any(same(cell.text, a) for a in aliases):
                self._refuse_if_a_later_row(row, cell, later)
            self._compare_label(slot, cell, aliases)

    def _refuse_if_a_later_row(self, row: Row, cell: TextCell, later: tuple[GridRow, ...]) -> None:
        """A label that belongs to a later row means this row is missing."""
        for other in later:
            if other.row and any(similarity(cell.text, s.text) >= LABEL_SAME for s in other.labels):
                raise TableError(
                    f"第{cell.line}行：{self.name}缺少“{shorten(row.name, 40)}”行（此处是“{shorten(cell.text, 40)}”）",
                    cell.line,
                )

    def _collapsed(self, expected: GridRow, text: TextRow, ahead: tuple[GridRow, ...]) -> int:
        """A merged group printed as one row (a 2021 report with the 2019 single
        （六）其他处理 row): its numbers go to the group's last row, the catch-all."""
        labels = expected.label_slots
        if len(text.cells) != len(expected.slots) - 1 or len(labels) < 2:
            return 0
        group_cell = labels[-2]
        if not isinstance(group_cell, LabelCell) or group_cell.rowspan < 2:
            return 0
        size = group_cell.cell.rowspan
        members = ahead[:size]
        if (
            len(members) < size
            or not similarity(text.cells[len(labels) - 2].text, group_cell.text) >= LABEL_SAME
        ):
            return 0
        for slot, cell in zip(labels[:-1], text.cells):
            self._compare_label(slot, cell, ())
        self.position += 1
        last = members[-1]
        self._values(last, text.cells[len(labels) - 1 :])
        zeroed = []
        for member in members[:-1]:
            for slot in member.values:
                self.values[slot.key] = _zero(slot.column)
                zeroed.append(slot.key)
        self.notes.append(
            ImportNote(
                f"第{text.line}行：{self.name}“{group_cell.text}”在本格式中分为{size}行，本报告只有一行，"
                f"其数字计入“{last.row.label}”，其余{size - 1}行按0导入",
                text.line,
                zeroed,
                kind="collapsed",
            )
        )
        return size

    def _values(self, expected: GridRow, cells: list[TextCell]) -> None:
        row, blanks = expected.row, []
        for slot, cell in zip(expected.values, cells):
            column, key = slot.column, slot.key
            value = self._number(key, column, cell)
            if value is None:
                blanks.append(key)
                value = _zero(column)
            self.values[key] = value
        if blanks:
            names = "、".join(self.fmt.locate(k)[3].name for k in blanks)
            self.notes.append(
                ImportNote(
                    f"第{cells[0].line}行：{self.name}“{shorten(row.name, 40)}”有{len(blanks)}个空白单元格"
                    f"（{names}），已按0导入",
                    cells[0].line,
                    blanks,
                    kind="blank",
                )
            )

    def _number(self, key: str, column: Column, cell: TextCell):
        try:
            value, unit = parse_number(cell.text, column)
            if value is not None:
                validate(abs(value), column)  # a negative count is the checker's finding
        except ValueProblem as problem:
            written = shorten(cell.text.strip())
            quoted = "" if f"“{written}”" in str(problem) else f"（原文“{written}”）"
            raise TableError(
                f"第{cell.line}行：{self.fmt.cell_label(key)}：{problem}{quoted}", cell.line
            ) from problem
        if unit and column.unit and unit != column.unit:
            self.notes.append(
                ImportNote(
                    f"第{cell.line}行：{self.fmt.cell_label(key)}以{unit}填写，已换算为{column.unit}",
                    cell.line,
                    [key],
                    kind="unit",
                )
            )
        return value


def _zero(column: Column):
    return Decimal(0) if column.kind == Kind.MONEY else 0
