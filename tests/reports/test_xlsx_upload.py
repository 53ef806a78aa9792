"""Uploading the filled Excel back into the edit page: preview of exactly the
changed cells, 应用 through the edit page's save (version, history), stale
versions, reports that are not editable and foreign or hostile files refused
with nothing changed."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from disclosure.publish.xlsx import report_xlsx
from disclosure.reports.models import ApplicationRow, Status
from disclosure.reports.services import load_values, save_values
from disclosure.reports.xlsx_upload import KEY_SHEET, MAX_UPLOAD_BYTES
from tests.conftest import make_agency, make_clerk, make_report, make_reviewer
from tests.review.builders import fill, set_status

pytestmark = pytest.mark.django_db

NEW = "applications.new.natural_person"
CARRIED = "applications.carried_over.commercial"
FEE = "active.fees.fee_amount"


def setup():
    agency = make_agency()
    clerk = make_clerk(agency)
    report = make_report(agency, 2021, clerk)
    fill(report)
    report.refresh_from_db()
    client = Client()
    client.force_login(clerk)
    return report, clerk, client


def edited(report, changes: dict, workbook_bytes=None) -> bytes:
    """The downloaded workbook with ``changes`` typed into it (key → value)."""
    book = load_workbook(io.BytesIO(workbook_bytes or report_xlsx(report, load_values(report))))
    keys = book[KEY_SHEET]
    index = {row[0]: (row[1], row[2]) for row in keys.iter_rows(min_row=7, max_col=3, values_only=True)}
    for key, value in changes.items():
        title, coordinate = index[key]
        book[title][coordinate].value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, report, data: bytes, name="tables.xlsx"):
    url = f"/reports/{report.pk}/xlsx/upload/"
    return client.post(url, {"file": SimpleUploadedFile(name, data)})


def apply(client, report, version):
    return client.post(f"/reports/{report.pk}/xlsx/upload/", {"action": "apply", "version": str(version)})


def test_preview_lists_exactly_the_changed_cells_and_problems_and_changes_nothing():
    report, _, client = setup()
    before, version = load_values(report), report.version
    data = edited(report, {NEW: 12, CARRIED: "１５", FEE: 2.5, "applications.carried_over.research": "abc",
                           "applications.new.total": 999})  # fmt: skip
    response = upload(client, report, data)
    assert response.status_code == 200
    changes = response.context["changes"]
    assert {c["key"]: (c["old"], c["new"]) for c in changes} == {
        NEW: ("0", "12"), CARRIED: ("0", "15"), FEE: ("0", "2.5"),
    }  # fmt: skip
    assert [p["key"] for p in response.context["problems"]] == ["applications.carried_over.research"]
    page = response.content.decode()
    assert "应用" in page and report.format.cell_label(NEW) in page
    assert load_values(report) == before
    report.refresh_from_db()
    assert report.version == version == response.context["version"]


def test_apply_saves_through_the_edit_save_with_version_and_history():
    report, clerk, client = setup()
    version = report.version
    upload(client, report, edited(report, {NEW: 12, FEE: 2.5}))
    response = apply(client, report, version)
    assert response.status_code == 302 and response.url == f"/reports/{report.pk}/edit/"
    report.refresh_from_db()
    values = load_values(report)
    assert values[NEW] == 12 and str(values[FEE]) in ("2.5", "2.500000")
    assert values["applications.new.total"] == 12  # totals recomputed
    assert report.version == version + 1 and report.updated_by == clerk
    record = ApplicationRow.history.filter(report_id=report.pk, row_code="new").latest("history_date")
    assert record.history_user == clerk and record.natural_person == 12
    assert apply(client, report, report.version).status_code == 409  # nothing pending any more


def test_apply_refused_when_the_report_was_saved_since_the_preview():
    report, _, client = setup()
    upload(client, report, edited(report, {NEW: 12}))
    save_values(report, {CARRIED: 4})
    report.version += 1
    report.save()
    response = apply(client, report, report.version - 1)
    assert response.status_code == 409 and "重新上传" in response.content.decode()
    assert load_values(report)[NEW] == 0


def test_a_cell_changed_by_someone_else_since_the_download_is_not_undone():
    report, _, client = setup()
    downloaded = report_xlsx(report, load_values(report))
    save_values(report, {CARRIED: 4})
    report.version += 1
    report.save()
    response = upload(client, report, edited(report, {NEW: 12}, downloaded))
    assert [c["key"] for c in response.context["changes"]] == [NEW]  # CARRIED stays 4


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.APPROVED])
def test_not_editable_refused(status):
    report, _, client = setup()
    data = edited(report, {NEW: 12})
    set_status(report, status)
    response = upload(client, report, data)
    assert response.status_code == 302
    assert load_values(report)[NEW] == 0


def test_not_a_clerk_refused():
    report, _, _ = setup()
    client = Client()
    client.force_login(make_reviewer(report.agency))
    assert upload(client, report, edited(report, {NEW: 12})).status_code == 403
    assert load_values(report)[NEW] == 0


def _other_year_workbook():
    other = make_report(make_agency(name="其他局", region="浙江省温州市其他区"), 2020)
    return report_xlsx(other, load_values(other))


def _without_key_sheet(report):
    book = load_workbook(io.BytesIO(report_xlsx(report, load_values(report))))
    del book[KEY_SHEET]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _zip_bomb():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<x/>")
        archive.writestr("big.xml", b"\0" * (80 * 1024 * 1024))
    return out.getvalue()


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda r: b"not a spreadsheet at all", "不是 Excel"),
        (lambda r: b"PK\x03\x04broken", "不是 Excel"),
        (lambda r: b"0" * (MAX_UPLOAD_BYTES + 1), "5 MB"),
        (_without_key_sheet, "单元格索引"),
        (lambda r: _other_year_workbook(), "年度"),
        (lambda r: _zip_bomb(), "过大"),
    ],
)
def test_foreign_or_hostile_files_refused(make, message):
    report, _, client = setup()
    before, version = load_values(report), report.version
    response = upload(client, report, make(report))
    assert response.status_code == 400
    assert message in response.context["error"]
    assert load_values(report) == before
    report.refresh_from_db()
    assert report.version == version
    assert apply(client, report, version).status_code == 409


def test_another_reports_workbook_refused():
    report, _, client = setup()
    other = make_report(make_agency(name="其他局", region="浙江省温州市其他区"), 2021)
    response = upload(client, report, edited(other, {NEW: 12}))
    assert response.status_code == 400 and "另一份报告" in response.context["error"]
    assert load_values(report)[NEW] == 0


def test_edit_page_links_to_the_upload():
    report, _, client = setup()
    page = client.get(f"/reports/{report.pk}/edit/").content.decode()
    assert f"/reports/{report.pk}/xlsx/upload/" in page
