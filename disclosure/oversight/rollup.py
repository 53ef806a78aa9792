"""The region's totals (汇总): tables 二/三/四 of one year summed over the region's
reports, in the database.

One query per table (``SUM`` of each column grouped by ``row_code``), one for
the region's agencies and one for its reports of the year: the number of
queries does not grow with the number of agencies. A year has one format, so
formats are never summed together. A blank cell contributes nothing; a cell
blank in every included report stays blank (``SUM`` of only NULLs is NULL).
Money stays an exact Decimal with its declared decimals.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Sum
from openpyxl import Workbook
from openpyxl.styles import Font

from disclosure.formats import format_for_year
from disclosure.formats.checks import Finding, evaluate
from disclosure.formats.layout import LabelCell, ValueCell, table_grid
from disclosure.formats.spec import Format
from disclosure.publish.data import cells_json, json_value
from disclosure.publish.document import ReportDocument, Section, grid_table
from disclosure.publish.xlsx import FIRST_ROW, write_table
from disclosure.reports.models import TABLE_MODELS, Agency, AnnualReport, Region, Status
from disclosure.reports.values import row_cells

APPROVED_ONLY = (Status.APPROVED,)
WITH_SUBMITTED = (Status.APPROVED, Status.SUBMITTED)
NO_REPORT = "none"  # the status a missing agency is listed with
NO_REPORT_LABEL = "未创建报告"


def statuses(include_submitted: bool) -> tuple[str, ...]:
    return WITH_SUBMITTED if include_submitted else APPROVED_ONLY


def _rows_of_region(model, region: Region, year: int, included: tuple[str, ...]):
    return model.objects.filter(
        report__year=year,
        report__status__in=included,
        report__agency__region__path__startswith=region.path,
    )


def summed_values(fmt: Format, region: Region, year: int, included: tuple[str, ...]) -> dict:
    """Every cell of ``fmt`` → its sum over the region's reports of ``year`` whose
    status is in ``included`` (None when blank in all of them); one query per table."""
    values = dict.fromkeys(fmt.cell_keys())
    for table in fmt.tables:
        cells = row_cells(fmt, table.code)  # row code → ((column, key), …) as the format declares
        columns = sorted({column for pairs in cells.values() for column, _ in pairs})
        sums = (
            _rows_of_region(TABLE_MODELS[table.code], region, year, included)
            .filter(row_code__in=list(cells))
            .order_by()
            .values("row_code")
            .annotate(**{f"sum_{c}": Sum(c) for c in columns})
        )
        for row in sums:
            for column, key in cells[row["row_code"]]:
                values[key] = row[f"sum_{column}"]
    return values


def contributions(fmt: Format, key: str, region: Region, year: int, included: tuple[str, ...]) -> list[dict]:
    """Who contributes how much to one cell of the roll-up (one query), by agency name.

    Raises KeyError when ``key`` is not a cell of ``fmt``."""
    table, _, row, column = fmt.locate(key)
    found = (
        _rows_of_region(TABLE_MODELS[table.code], region, year, included)
        .filter(row_code=row.code)
        .order_by("report__agency__name")
        .values_list("report_id", "report__agency__name", "report__status", column.code)
    )
    labels = dict(Status.choices)
    return [
        {
            "report": report_id,
            "agency": agency,
            "status": status,
            "status_label": labels.get(status, status),
            "value": json_value(value, column),
        }
        for report_id, agency, status, value in found
    ]


@dataclass
class Rollup:
    """The roll-up of ``region`` for ``year``: summed values, which reports are in
    it, which agencies are not, and the checks of the sums."""

    region: Region
    year: int
    include_submitted: bool = False
    values: dict = field(init=False)
    included: list[dict] = field(init=False)
    missing: list[dict] = field(init=False)

    def __post_init__(self):
        self.format = format_for_year(self.year)  # ValueError for a year without a format
        self.statuses = statuses(self.include_submitted)
        self.values = summed_values(self.format, self.region, self.year, self.statuses)
        self._sort_agencies()

    def _sort_agencies(self):
        """Included reports and the agencies left out (no report, or not in an
        included state): two queries, whatever the number of agencies."""
        labels = dict(Status.choices)
        reports = {
            agency_id: (pk, status)
            for pk, agency_id, status in AnnualReport.objects.filter(
                year=self.year, agency__region__path__startswith=self.region.path
            )
            .order_by()
            .values_list("pk", "agency_id", "status")
        }
        agencies = (
            Agency.objects.filter(region__path__startswith=self.region.path)
            .order_by("name")
            .values_list("pk", "name")
        )
        self.included, self.missing = [], []
        for agency_id, name in agencies:
            pk, status = reports.get(agency_id, (None, NO_REPORT))
            if status in self.statuses:
                self.included.append({"id": pk, "agency": name, "status": status})
            else:
                label = labels.get(status, NO_REPORT_LABEL)
                self.missing.append({"agency": name, "status": status, "status_label": label, "id": pk})

    @cached_property
    def findings(self) -> list[Finding]:
        """The format's numeric checks on the sums (cross-year checks skipped: the
        previous year's roll-up may cover other reports). A blank sum is a cell
        nobody reported: a check reading one is "无法检查", never an error."""
        return evaluate(self.format, self.values, blanks="unknown")

    @property
    def title(self) -> str:
        return f"{self.region.full_name}{self.year}年政府信息公开工作年度报告汇总表"

    @property
    def status_words(self) -> str:
        return "已通过和待审核" if self.include_submitted else "已通过"

    def summary(self) -> str:
        """One sentence saying what the sums cover, printed on every copy."""
        text = f"本表汇总{self.region.full_name}（含下级地区）{len(self.included)}份{self.status_words}的{self.year}年度报告"
        if self.missing:
            names = "、".join(m["agency"] for m in self.missing[:20])
            more = f"等{len(self.missing)}个机关" if len(self.missing) > 20 else ""
            text += f"；{names}{more}的报告未报送或未审核通过，不在汇总之内"
        return text + "。"

    def as_json(self) -> dict:
        region = self.region
        return {
            "format": self.format.code,
            "year": self.year,
            "region": {"id": region.pk, "code": region.code, "name": region.full_name, "path": region.path},
            "statuses": list(self.statuses),
            "cells": cells_json(self.format, self.values),
            "included": [
                {"id": r["id"], "agency": r["agency"], "status": r["status"]} for r in self.included
            ],
            "missing": [{"agency": m["agency"], "status": m["status"]} for m in self.missing],
        }

    def document(self) -> RollupDocument:
        return RollupDocument(
            title=self.title,
            year=self.year,
            agency_name=self.region.full_name,
            format=self.format,
            preface=self.summary(),
            narratives={},
            values=self.values,
            draft=False,
        )

    def page_tables(self) -> list[dict]:
        """The three tables for the page, from the printed layout: rows of cells,
        value cells carrying their key and the text shown (money with its decimals)."""
        tables = []
        for table in self.format.tables:
            grid = table_grid(table)
            rows = []
            for grid_row in grid.rows:
                cells = []
                for slot in grid_row.printed:
                    if isinstance(slot, LabelCell):
                        cells.append({"label": True, "text": slot.text, "rowspan": slot.rowspan,
                                      "colspan": slot.colspan, "header": grid_row.is_header})  # fmt: skip
                    else:
                        cells.append({"label": False, "key": slot.key, "colspan": slot.colspan,
                                      "text": _shown(self.values.get(slot.key), slot),
                                      "computed": slot.computed})  # fmt: skip
                rows.append(cells)
            tables.append({"code": table.code, "heading": table.heading, "rows": rows,
                           "width": grid.grid_width})  # fmt: skip
        return tables


def _shown(value, slot: ValueCell) -> str:
    shown = json_value(value, slot.column)
    return "" if shown is None else str(shown)


@dataclass(frozen=True)
class RollupDocument(ReportDocument):
    """The 汇总表 printed by the reports' own template and renderer: the title,
    the sentence saying what it covers, and the three tables (no narrative)."""

    @property
    def sections(self) -> list[Section]:
        return [Section(t.number, t.title, table=grid_table(t, self.values)) for t in self.format.tables]


# ------------------------------------------------------------------ spreadsheet

XLSX_FIRST_ROW = FIRST_ROW  # where a table starts: after its heading and the summary


def rollup_xlsx(rollup: Rollup) -> bytes:
    """One sheet per table in its printed layout (merged header and label cells
    as the layout declares them, written by the report download's own
    ``write_table``); values as numbers, money with its decimals."""
    book = Workbook()
    book.remove(book.active)
    for table in rollup.format.tables:
        sheet = book.create_sheet(f"表{table.number}")
        grid = table_grid(table)
        sheet.cell(1, 1, table.heading).font = Font(bold=True)
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=grid.grid_width)
        sheet.cell(2, 1, rollup.summary())
        sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=grid.grid_width)
        write_table(sheet, table, rollup.values, XLSX_FIRST_ROW)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
