"""Tables 二/三/四 as an Excel workbook in the template's printed layout, and
that workbook read back.

``write_table`` lays one table out on a sheet from ``formats.layout`` (header
and label cells merged across their declared row/column spans, value cells
spanning their grid columns): the report's download (``report_xlsx``) and the
region's roll-up (``oversight.rollup.rollup_xlsx``) both call it.

The report's workbook: one sheet per table (``表二``…), numbers as numbers,
money as an exact number with its declared decimals and a number format
showing them; the computed totals are written as values, as the application
computed them (grey): a formula would have no stored result in a file written
here (openpyxl never calculates), so a reader that does not recalculate — a
preview, a script, our own read-back — would see an empty cell; and a total is
never read from an upload anyway (it is recomputed on save). The hidden sheet
``单元格索引`` records the format, year, report and version the file was made
from, and for every value cell its key, sheet and position, so the file reads
back exactly (``reports.xlsx_upload.read_report_xlsx``), with each cell's text as downloaded
(the base an upload is merged from, as the edit page merges from its own).
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from disclosure.formats.layout import LabelCell, table_grid
from disclosure.formats.spec import Kind, Table
from disclosure.formats.values import display
from disclosure.reports.xlsx_upload import KEY_SHEET, KEYS_FIRST_ROW

_THIN = Side(style="thin")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
WRAP = Alignment(wrap_text=True, vertical="center", horizontal="center")
COMPUTED_FILL = PatternFill("solid", fgColor="EDEDED")

FIRST_ROW = 4  # the sheet row a table's printed grid starts at (after its heading and a note)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def number_format(column) -> str:
    """The Excel number format of a column: money shows its declared decimals."""
    if column.kind == Kind.MONEY and column.decimals:
        return "0." + "0" * column.decimals
    return "0"


def sheet_name(table: Table) -> str:
    return f"表{table.number}"


def write_table(
    sheet, table: Table, values: dict, first_row: int = FIRST_ROW, *, mark_computed=False
) -> dict:
    """Write ``table``'s printed grid from ``first_row`` on: label cells merged as
    the layout declares them, every value cell a number (or empty when blank).
    Returns each value cell's key → its coordinate ("C5")."""
    grid = table_grid(table)
    positions = {}
    for offset, grid_row in enumerate(grid.rows):
        r = first_row + offset
        for slot in grid_row.printed:
            c = slot.x + 1
            if isinstance(slot, LabelCell):
                cell = sheet.cell(r, c, slot.text)
                cell.data_type = "s"  # a label is never a formula
                cell.alignment = WRAP
                if grid_row.is_header:
                    cell.font = Font(bold=True)
                rows, cols = slot.rowspan, slot.colspan
            else:
                cell = sheet.cell(r, c, values.get(slot.key))
                cell.number_format = number_format(slot.column)
                cell.alignment = Alignment(horizontal="center", vertical="center")
                if mark_computed and slot.computed:
                    cell.fill = COMPUTED_FILL
                positions[slot.key] = cell.coordinate
                rows, cols = 1, slot.colspan
            for dr in range(rows):
                for dc in range(cols):
                    sheet.cell(r + dr, c + dc).border = BORDER
            if rows > 1 or cols > 1:
                sheet.merge_cells(start_row=r, start_column=c, end_row=r + rows - 1, end_column=c + cols - 1)
    for index in range(1, grid.grid_width + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 14
    return positions


def _title_rows(sheet, table: Table, note: str) -> None:
    width = table_grid(table).grid_width
    sheet.cell(1, 1, table.heading).font = Font(bold=True)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    cell = sheet.cell(2, 1, note)
    cell.data_type = "s"
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)


def report_xlsx(report, values: dict) -> bytes:
    """The report's three tables as an .xlsx (see the module's docstring)."""
    fmt = report.format
    draft = "" if report.is_record else "（草稿）"
    note = f"{report.display_title}{draft}·第{report.version}版·灰色单元格为自动计算的合计，上传时不读取"
    book = Workbook()
    book.remove(book.active)
    index = []
    for table in fmt.tables:
        sheet = book.create_sheet(sheet_name(table))
        _title_rows(sheet, table, note)
        positions = write_table(sheet, table, values, mark_computed=True)
        index += [(key, sheet.title, coordinate) for key, coordinate in positions.items()]
    keys = book.create_sheet(KEY_SHEET)
    for r, (label, value) in enumerate(
        (("格式", fmt.code), ("年度", report.year), ("报告编号", report.pk), ("版本", report.version)), 1
    ):
        keys.cell(r, 1, label)
        keys.cell(r, 2, value)
    for c, label in enumerate(("单元格", "工作表", "位置", "名称", "自动计算", "下载时的值"), 1):
        keys.cell(KEYS_FIRST_ROW - 1, c, label)
    for r, (key, title, coordinate) in enumerate(index, KEYS_FIRST_ROW):
        keys.cell(r, 1, key)
        keys.cell(r, 2, title)
        keys.cell(r, 3, coordinate)
        keys.cell(r, 4, fmt.cell_label(key)).data_type = "s"
        keys.cell(r, 5, "是" if fmt.is_computed(key) else "")
        keys.cell(r, 6, display(values.get(key))).data_type = "s"  # the base an upload is merged from
    keys.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
