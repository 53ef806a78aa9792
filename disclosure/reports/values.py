"""Cell values from table rows: the one loader every reader goes through.

A template row is a database row and a template column is a field, so a row
object (a model instance or a django-simple-history record, both have
``row_code`` and the column attributes) gives the values of the cells its row
declares in the format. Keys come from the declaration, never from the stored
row codes: a row or column the format does not declare is not a cell of it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from disclosure.formats import cell_key
from disclosure.formats.spec import Format

from .models import TABLE_MODELS, AnnualReport

RowCells = dict[str, tuple[tuple[str, str], ...]]
_ROW_CELLS: dict[tuple[str, str], RowCells] = {}


def row_cells(fmt: Format, table_code: str) -> RowCells:
    """Row code → ((column code, cell key), …) of the table as ``fmt`` declares it.

    Built once per format and table: the list page maps hundreds of reports."""
    cached = _ROW_CELLS.get((fmt.code, table_code))
    if cached is None:
        table = fmt.table(table_code)
        cached = {
            row.code: tuple((c.code, cell_key(table.code, row.code, c.code)) for c in group.columns)
            for group, row in table.rows()
        }
        _ROW_CELLS[(fmt.code, table_code)] = cached
    return cached


def values_from_rows(fmt: Format, rows_by_table: Mapping[str, Iterable]) -> dict:
    """Every cell of ``fmt`` (None when blank) from each table's row objects.

    Rows whose code the format does not declare are ignored."""
    values = dict.fromkeys(fmt.cell_keys())
    for table_code, rows in rows_by_table.items():
        cells = row_cells(fmt, table_code)
        for row in rows:
            for column, key in cells.get(row.row_code, ()):
                values[key] = getattr(row, column)
    return values


def load_many(reports: Iterable[AnnualReport]) -> dict[int, dict]:
    """Report pk → every cell of the report's format, keyed ``table.row.column``
    (None when blank, Decimal for money).

    Reads only: one query per table, whatever the number of reports."""
    by_pk = {r.pk: r for r in reports}
    rows = defaultdict(lambda: defaultdict(list))  # report pk → table code → rows
    for table_code in _table_codes(by_pk.values()):
        wanted = [pk for pk, r in by_pk.items() if _declares(r.format, table_code)]
        # the models' default ordering (report, position) would only cost a sort
        for row in TABLE_MODELS[table_code].objects.filter(report_id__in=wanted).order_by():
            rows[row.report_id][table_code].append(row)
    return {pk: values_from_rows(r.format, rows[pk]) for pk, r in by_pk.items()}


def load_values(report: AnnualReport) -> dict:
    """Every cell of the report's format (see ``load_many``); one query per table."""
    return load_many([report])[report.pk]


def _table_codes(reports) -> list[str]:
    """The tables any of these reports' formats declares, in declaration order."""
    return list(dict.fromkeys(t.code for r in reports for t in r.format.tables))


def _declares(fmt: Format, table_code: str) -> bool:
    return any(t.code == table_code for t in fmt.tables)
