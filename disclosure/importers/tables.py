"""Reading the template tables of a published report, row by row of the table's layout.

In the text form, a table row is a run of lines that start with a tab, one
cell per line; rows are separated by blank lines. A cell merged from the row
above (a rowspan) appears as an empty cell. The table's grid
(``formats.layout``) says which printed cell each line of a row should be (a
label, the continuation of a merged label, a value), so the reader can match
labels and read numbers without knowing any table by heart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from disclosure.formats.layout import Continuation, GridRow, LabelCell, table_grid
from disclosure.formats.spec import Column, Format, Kind, Row, Table
from disclosure.formats.values import ValueProblem, display, normalize_text, parse_number, validate

from .labels import LABEL_SAME, LABEL_SIMILAR, same, shorten, similarity
from .notes import ImportNote


class TableError(Exception):
    """A table that cannot be read; the caller adds the section."""

    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.line = line


@dataclass
class TextLine:
    """A paragraph line (outside any table)."""

    text: str
    line: int


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
        self.read_rows: list[_ReadRow] = []
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
        self._blank_notes()
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
        """Read a row's numbers; a blank cell is not reported (None), noted by ``_blank_notes``."""
        keys, blanks = [], []
        for slot, cell in zip(expected.values, cells):
            value = self._number(slot.key, slot.column, cell)
            if value is None:
                blanks.append(slot.key)
            self.values[slot.key] = value
            keys.append(slot.key)
        self.read_rows.append(_ReadRow(expected.row, keys, blanks, cells[0].line if cells else 0))

    def _blank_notes(self) -> None:
        """One note per run of blanks: whole blank rows next to each other, then a column left
        blank in every other row of its block (the 总计 column), then each row's remaining blanks."""
        rows = self.read_rows
        whole = [bool(r.keys) and len(r.blanks) == len(r.keys) for r in rows]
        index = 0
        while index < len(rows):
            if not whole[index]:
                index += 1
                continue
            end = index
            while (
                end + 1 < len(rows)
                and whole[end + 1]
                and self._group(rows[end + 1]) == self._group(rows[index])
            ):
                end += 1
            self._whole_rows_note(rows[index : end + 1])
            index = end + 1
        rest = [r for r, w in zip(rows, whole) if not w and r.blanks]
        taken: set[str] = set()
        for group in dict.fromkeys(self._group(r) for r in rows):
            members = [r for r, w in zip(rows, whole) if not w and self._group(r) == group]
            if len(members) < 2:
                continue
            columns = [self.fmt.locate(k)[3] for k in members[0].keys]
            for column in columns:
                keys = [k for r in members for k in r.blanks if self.fmt.locate(k)[3].code == column.code]
                if len(keys) == len(members):
                    taken.update(keys)
                    first, last = members[0].line, members[-1].line
                    self.notes.append(
                        ImportNote(
                            f"第{first}行至第{last}行：{self.name}“{column.name}”列全部空白（{len(keys)}行），"
                            f"{BLANK_HOW}",
                            first,
                            keys,
                            kind="blank",
                        )
                    )
        for row in rest:
            keys = [k for k in row.blanks if k not in taken]
            if keys:
                names = "、".join(self.fmt.locate(k)[3].name for k in keys)
                self.notes.append(
                    ImportNote(
                        f"第{row.line}行：{self.name}“{shorten(row.row.name, 40)}”有{len(keys)}个空白单元格"
                        f"（{names}），{BLANK_HOW}",
                        row.line,
                        keys,
                        kind="blank",
                    )
                )

    def _group(self, row: _ReadRow) -> str:
        return self.fmt.locate(row.keys[0])[1].code

    def _whole_rows_note(self, run: list[_ReadRow]) -> None:
        keys = [k for r in run for k in r.keys]
        first, last = run[0], run[-1]
        if len(run) == 1:
            where = (
                f"第{first.line}行：{self.name}“{shorten(first.row.name, 40)}”整行空白（{len(keys)}个单元格）"
            )
        else:
            where = (
                f"第{first.line}行至第{last.line}行：{self.name}“{shorten(first.row.name, 40)}”至"
                f"“{shorten(last.row.name, 40)}”共{len(run)}行全部空白（{len(keys)}个单元格）"
            )
        self.notes.append(ImportNote(f"{where}，{BLANK_HOW}", first.line, keys, kind="blank"))

    def _number(self, key: str, column: Column, cell: TextCell):
        try:
            value, unit = parse_number(cell.text, column)
        except ValueProblem as problem:
            lenient = read_annotated(cell.text, column)
            if lenient is None:
                self._refuse(key, cell, problem)
            value, unit, kind = lenient
            self._annotated_note(key, cell, value, kind)
        try:
            if value is not None:
                validate(abs(value), column)  # a negative count is the checker's finding
        except ValueProblem as problem:
            self._refuse(key, cell, problem)
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

    def _refuse(self, key: str, cell: TextCell, problem: ValueProblem):
        written = shorten(cell.text.strip())
        quoted = "" if f"“{written}”" in str(problem) else f"（原文“{written}”）"
        raise TableError(
            f"第{cell.line}行：{self.fmt.cell_label(key)}：{problem}{quoted}", cell.line
        ) from problem

    def _annotated_note(self, key: str, cell: TextCell, value, kind: str) -> None:
        written = " ".join(cell.text.split())
        label = self.fmt.cell_label(key)
        if kind == "nil":
            message = f"第{cell.line}行：{label}原文“{written}”不是数字，按0导入（表示没有）"
        else:
            message = (
                f"第{cell.line}行：{label}原文“{written}”，按{display(value)}导入，注释已保留在导入提示中"
            )
        self.notes.append(ImportNote(message, cell.line, [key], kind=kind))


BLANK_HOW = "按未填写导入（不计为0，涉及的勾稽关系无法检查）"

# What published reports write in a cell instead of a number when there is nothing to count.
# Read as 0: 无 is "none"; a dash or a slash in a count table is the customary "nothing here".
NIL_WORDS = frozenset({"无", "没有", "-", "--", "---", "/", "//", "\\"})
# Units of count written after the number (“5件”, “3（件）”).
COUNT_UNITS = ("件", "个", "项", "条", "次", "宗", "起", "人", "家", "份", "篇")
_LEADING = re.compile(r"^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(.*)$")
_OPENING = ("(", "[", "【", "〔", "<", "《")


def read_annotated(text: str, column: Column):
    """(value, unit, note kind) for a cell that is a number with a note (“12（其中修订5件）”,
    “40（含自然失效8件）”, “3（件）”, “5件”, “12件（另有3件）”) or a word for nothing (“无”, “—”, “/”);
    None when the text is not such a cell (letters, a number followed by anything else)."""
    normal = normalize_text(text).replace(",", "")
    if normal in NIL_WORDS or normal.strip("()") in NIL_WORDS:
        return _zero(column), "", "nil"
    found = _LEADING.match(normal)
    if not found:
        return None
    number, rest = found.group(1), found.group(2)
    unit = ""
    for word in ("万元", "元") if column.kind == Kind.MONEY else COUNT_UNITS:
        if rest.startswith(word):
            unit, rest = word, rest[len(word) :]
            break
    if rest and not rest.startswith(_OPENING):
        return None
    if not unit and not rest:
        return None  # a plain number that parse_number refused: the refusal stands
    try:
        value, written_unit = parse_number(number + (unit if column.kind == Kind.MONEY else ""), column)
    except ValueProblem:
        return None
    return value, written_unit, "annotated"


@dataclass
class _ReadRow:
    row: Row
    keys: list[str]
    blanks: list[str]
    line: int


def _zero(column: Column):
    return Decimal(0) if column.kind == Kind.MONEY else 0
