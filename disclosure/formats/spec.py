"""The vocabulary in which a national template format is declared.

Pure Python (no Django): a format is tables of groups of rows and columns, the
printed header layout as cells with row/column spans, and the consistency rules.
Everything else (models, forms, checker, browser checker, renderer, importer)
reads these declarations.

A cell of a report is addressed by the key ``"<table>.<row>.<column>"``, e.g.
``"applications.new.natural_person"``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    COUNT = "count"  # non-negative integer
    SIGNED = "signed"  # integer that may be negative (2019 本年增/减)
    MONEY = "money"  # exact decimal with a unit


class Severity(StrEnum):
    ERROR = "error"  # STATED / ARITH: blocks submission
    WARNING = "warning"  # PRACTICE: shown, does not block

    @property
    def label(self) -> str:
        """The one word the CLI, the pages and the browser show for this severity."""
        return SEVERITY_LABELS[self]


SEVERITY_LABELS = {Severity.ERROR: "错误", Severity.WARNING: "警告"}


@dataclass(frozen=True)
class Cell:
    """A printed label cell of the grid (header or row label)."""

    text: str
    rowspan: int = 1
    colspan: int = 1


class _Summable:
    """Shared by columns and rows: a display name, and totals computed from parts."""

    @property
    def name(self) -> str:
        return self.full_label or self.label

    @property
    def computed(self) -> bool:
        return bool(self.sum_of)


@dataclass(frozen=True)
class Column(_Summable):
    code: str  # stable identifier; also the model field name
    label: str  # as printed in the header
    full_label: str = ""  # qualified label for messages and accessibility
    kind: Kind = Kind.COUNT
    unit: str = ""  # 元 / 万元 for money
    decimals: int = 0  # decimals kept for money
    span: int = 1  # grid columns the data cell spans
    sum_of: tuple[str, ...] = ()  # computed: sum of these columns of the same row


@dataclass(frozen=True)
class Row(_Summable):
    code: str  # stable identifier, unique within its table
    label: str  # the row's own label, verbatim
    cells: tuple[Cell, ...]  # label cells printed at the start of this grid row
    full_label: str = ""  # qualified label for messages and accessibility
    sum_of: tuple[str, ...] = ()  # computed: sum of these rows, column by column
    aliases: tuple[str, ...] = ()  # other wordings seen in published reports


@dataclass(frozen=True)
class Group:
    """A block of rows sharing the same columns and header rows."""

    code: str
    header: tuple[tuple[Cell, ...], ...]  # printed header rows of this block
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    caption: str = ""  # e.g. 第二十条第（一）项

    def column(self, code: str) -> Column:
        for column in self.columns:
            if column.code == code:
                return column
        raise KeyError(code)


@dataclass(frozen=True)
class Table:
    code: str
    number: str  # section number, 二 / 三 / 四
    title: str  # section heading without its number
    grid_width: int  # number of printed grid columns
    groups: tuple[Group, ...]

    @property
    def heading(self) -> str:
        return f"{self.number}、{self.title}"

    def rows(self):
        """(group, row) pairs in printed order."""
        for group in self.groups:
            for row in group.rows:
                yield group, row

    def cells(self):
        """(group, row, column) triples in printed order."""
        for group, row in self.rows():
            for column in group.columns:
                yield group, row, column


@dataclass(frozen=True)
class Term:
    coef: int
    key: str  # cell key
    previous: bool = False  # read from the previous year's report


@dataclass(frozen=True)
class Rule:
    """A consistency rule as declared; ``expand`` turns it into checks.

    ``kind`` says how the rule expands:
      - ``sum_columns``: for each row of ``table``, every computed column equals
        the sum of its parts (the 总计 column).
      - ``sum_rows``: for each column, every computed row equals the sum of its
        parts (the （七）总计 row).
      - ``non_negative``: every count cell of ``table`` is ≥ 0.
      - ``per_column``: ``lhs op rhs`` for each column in ``columns``; the
        terms name rows (``row``, ``prev:row``) with a coefficient.
      - ``per_row``: ``lhs op rhs`` for each row in ``rows``; terms name
        columns (``col``, ``prev:col``).
    """

    id: str  # unique within a format; templates.md §5 numbering (T2-7a/b: bullets of T2-7)
    wording: str  # the template's own words; {label} is the column/row label
    severity: Severity
    kind: str
    table: str
    source: str = ""  # STATED / ARITH / PRACTICE and where it comes from
    op: str = "=="
    lhs: tuple[tuple[int, str], ...] = ()
    rhs: tuple[tuple[int, str], ...] = ()
    columns: tuple[str, ...] = ()
    rows: tuple[str, ...] = ()


@dataclass(frozen=True)
class Check:
    """One expanded instance of a rule: ``sum(lhs) op sum(rhs)``."""

    rule: str
    id: str  # unique: rule id plus the expanded row/column
    severity: Severity
    message: str
    op: str
    lhs: tuple[Term, ...]
    rhs: tuple[Term, ...]

    @property
    def cross_year(self) -> bool:
        return any(t.previous for t in self.lhs + self.rhs)

    def as_json(self) -> dict:
        def terms(ts):
            return [[t.coef, t.key, t.previous] for t in ts]

        return {
            "rule": self.rule,
            "id": self.id,
            "severity": self.severity.value,
            "message": self.message,
            "op": self.op,
            "lhs": terms(self.lhs),
            "rhs": terms(self.rhs),
        }


@dataclass(frozen=True)
class NarrativeSection:
    code: str  # model field name
    number: str
    title: str
    aliases: tuple[str, ...] = ()  # headings seen in real reports

    @property
    def heading(self) -> str:
        return f"{self.number}、{self.title}"


@dataclass(frozen=True)
class Format:
    code: str  # gov2019 / gov2021
    name: str
    notice: str  # the notice that issued it
    first_year: int
    last_year: int | None
    tables: tuple[Table, ...]
    narratives: tuple[NarrativeSection, ...]
    rules: tuple[Rule, ...]
    carry_over: tuple[tuple[str, str], ...] = ()  # (this year's key, last year's key) pre-fills
    # ids of ``==`` rules whose left side is one cell: that cell is pre-filled
    # with the rule's right-hand side (start_report) and, in the browser,
    # recomputed as the clerk types its operands until the clerk types the
    # cell itself (checks.prefill_checks / prefill_values, rules_json "prefill")
    prefill_from: tuple[str, ...] = ()

    def table(self, code: str) -> Table:
        for table in self.tables:
            if table.code == code:
                return table
        raise KeyError(code)

    def cell_keys(self) -> list[str]:
        return [cell_key(t.code, r.code, c.code) for t in self.tables for _, r, c in t.cells()]

    def input_keys(self) -> list[str]:
        """Keys the clerk types (computed totals excluded)."""
        return [k for k in self.cell_keys() if not self.is_computed(k)]

    def locate(self, key: str) -> tuple[Table, Group, Row, Column]:
        return self._index()[key]

    def is_computed(self, key: str) -> bool:
        _, _, row, column = self.locate(key)
        return row.computed or column.computed

    def cell_label(self, key: str) -> str:
        table, _, row, column = self.locate(key)
        return f"表{table.number}「{row.name}」「{column.name}」"

    def _index(self) -> dict:
        cache = self.__dict__.get("_index_cache")
        if cache is None:
            cache = {
                cell_key(t.code, r.code, c.code): (t, g, r, c) for t in self.tables for g, r, c in t.cells()
            }
            object.__setattr__(self, "_index_cache", cache)
        return cache


def cell_key(table: str, row: str, column: str) -> str:
    return f"{table}.{row}.{column}"
