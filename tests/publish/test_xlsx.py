"""The Excel download: one sheet per table in the printed layout, numbers as
numbers, money with its format, every value cell's key recorded, read back
equal to the stored values; the roll-up shares the sheet writer."""

import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook

from disclosure.formats.layout import LabelCell, table_grid
from disclosure.formats.values import parse_cell
from disclosure.publish.xlsx import FIRST_ROW, report_xlsx, sheet_name
from disclosure.reports.services import load_values, save_values
from disclosure.reports.xlsx_upload import KEY_SHEET, cell_text, read_report_xlsx
from tests.conftest import make_agency, make_clerk, make_report
from tests.review.builders import fill

pytestmark = pytest.mark.django_db


def filled_report():
    report = make_report(make_agency(), 2021)
    fill(report, applications__new__natural_person=17, appeals__cases__review_upheld=2)
    save_values(report, {"active.fees.fee_amount": Decimal("1.250001")})
    return report


def book_of(report):
    return load_workbook(io.BytesIO(report_xlsx(report, load_values(report))))


def test_sheets_and_merged_ranges_follow_the_layout():
    report = filled_report()
    book = book_of(report)
    assert book.sheetnames == ["表二", "表三", "表四", KEY_SHEET]
    assert book[KEY_SHEET].sheet_state == "hidden"
    for table in report.format.tables:
        sheet = book[sheet_name(table)]
        merged = {str(r) for r in sheet.merged_cells.ranges}
        grid = table_grid(table)
        for offset, row in enumerate(grid.rows):
            r = FIRST_ROW + offset
            for slot in row.printed:
                rows = slot.rowspan if isinstance(slot, LabelCell) else 1
                if rows > 1 or slot.colspan > 1:
                    first = sheet.cell(r, slot.x + 1).coordinate
                    last = sheet.cell(r + rows - 1, slot.x + slot.colspan).coordinate
                    assert f"{first}:{last}" in merged
                if isinstance(slot, LabelCell):
                    assert sheet.cell(r, slot.x + 1).value == slot.text


def test_numbers_are_numbers_money_has_its_format_and_keys_are_recorded():
    report = filled_report()
    book = book_of(report)
    keys = book[KEY_SHEET]
    index = {row[0]: (row[1], row[2]) for row in keys.iter_rows(min_row=7, max_col=3, values_only=True)}
    assert set(index) == set(report.format.cell_keys())
    title, coordinate = index["applications.new.natural_person"]
    assert book[title][coordinate].value == 17 and isinstance(book[title][coordinate].value, int)
    title, coordinate = index["applications.new.total"]  # a computed total, as a value
    assert book[title][coordinate].value == 17
    title, coordinate = index["active.fees.fee_amount"]
    cell = book[title][coordinate]
    assert isinstance(cell.value, float) and Decimal(repr(cell.value)) == Decimal("1.250001")
    assert cell.number_format == "0.000000"


def test_read_back_equals_load_values():
    report = filled_report()
    data = report_xlsx(report, load_values(report))
    read = read_report_xlsx(data, report.format, report.year)
    assert read.report_id == report.pk and read.version == report.version
    stored = load_values(report)
    fmt = report.format
    got = {key: parse_cell(cell_text(value), fmt.locate(key)[3]) for key, value in read.cells.items()}
    assert got == stored


def test_blank_cells_stay_blank():
    report = make_report(make_agency(), 2021)
    read = read_report_xlsx(report_xlsx(report, load_values(report)), report.format, report.year)
    assert all(value is None for key, value in read.cells.items() if key in report.format.input_keys())


def test_download_view_names_the_draft():
    agency = make_agency()
    report = make_report(agency, 2021)
    client = Client()
    client.force_login(make_clerk(agency))
    response = client.get(f"/reports/{report.pk}/xlsx/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "%EF%BC%88%E8%8D%89%E7%A8%BF%EF%BC%89.xlsx" in response["Content-Disposition"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_reads_the_xlsx(tmp_path):
    report = filled_report()
    path = tmp_path / "tables.xlsx"
    path.write_bytes(report_xlsx(report, load_values(report)))
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "xlsx",
         "--outdir", str(tmp_path / "out"), str(path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    converted = (tmp_path / "out" / "tables.xlsx").read_bytes()
    read = read_report_xlsx(converted, report.format, report.year)
    assert read.cells["applications.new.natural_person"] == 17
