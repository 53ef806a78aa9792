"""上传上年度已发布的报告: a clerk starting in the system uploads last year's
published report; the preview shows the tables and findings and saves nothing;
保存 stores it as the imported record (approved, history starting with an
``import`` by the clerk, not editable), under the clerk's own agency, never
replacing a report; this year's report is then carried over from it and the
cross-year checks read it. Oversized, hostile and unreadable files, other
roles, stale or foreign uploads are refused with a Chinese message."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from disclosure.reports import upload_start
from disclosure.reports.models import AnnualReport, PendingUpload, RecordLocked, Status, Transition
from disclosure.reports.services import check_report, load_values, save_values, start_report
from tests.conftest import make_agency, make_clerk, make_report, make_reviewer
from tests.importers.make_docx import docx_bytes, sample_document
from tests.importers.samples import parse_sample, replace_once, sample_text

pytestmark = pytest.mark.django_db

URL = "/reports/upload-start/"
SAVE_URL = "/reports/upload-start/save/"
IN_FORCE = "active.regulations.in_force"


def sample_bytes(number: str) -> bytes:
    return sample_text(number).encode("utf-8")


def setup(name="测试区民政局"):
    agency = make_agency(name=name)
    clerk = make_clerk(agency)
    client = Client()
    client.force_login(clerk)
    return agency, clerk, client


def upload(client, data: bytes, name: str):
    return client.post(URL, {"file": SimpleUploadedFile(name, data)})


def save(client, response):
    return client.post(SAVE_URL, {"token": str(response.context["pending"].token)})


def test_preview_shows_tables_and_findings_and_saves_nothing():
    agency, clerk, client = setup()
    response = upload(client, docx_bytes(sample_document("004")), "南关区2021年报.docx")
    assert response.status_code == 200
    preview = response.context["preview"]
    assert (preview.parsed.year, preview.parsed.format.code, preview.agency) == (2021, "gov2021", agency)
    page = response.content.decode()
    for table in ("active", "applications", "appeals"):
        assert f'id="table-{table}"' in page  # the report page's read-only grid
    assert "二、上年结转政府信息公开申请数量" in page
    assert {f["rule"] for f in response.context["findings"]} == {"S-2", "S-6", "S-7"}
    assert page.count('class="finding finding-warning"') == len(response.context["findings"])
    # the file names another agency: warned, saved under the clerk's own if confirmed
    assert "“南关区民政局”，与您所在的机关“测试区民政局”不一致" in page
    assert not AnnualReport.objects.exists()
    assert list(PendingUpload.objects.values_list("user", "agency", "name")) == [
        (clerk.pk, agency.pk, "南关区2021年报.docx")
    ]
    assert 'id="save-button"' in page and "保存为2021年度已发布报告（导入）" in page


def test_save_creates_the_imported_record_in_the_history_and_not_editable():
    agency, clerk, client = setup()
    preview = upload(client, docx_bytes(sample_document("004")), "report.docx")
    response = save(client, preview)
    report = AnnualReport.objects.get()
    assert response.status_code == 302 and response.url == f"/reports/{report.pk}/imported/"
    assert (report.agency, report.year, report.status, report.source) == (
        agency,
        2021,
        Status.APPROVED,
        "report.docx",
    )
    assert load_values(report) == {**load_values(report), **parse_sample("004").values}
    steps = list(Transition.objects.filter(report=report).values_list("action", "actor", "to_status"))
    assert steps == [("import", clerk.pk, Status.APPROVED)]
    assert report.history.exists()
    assert not PendingUpload.objects.exists()
    assert (
        agency.name == "测试区民政局"
        and not AnnualReport.objects.filter(agency__name="南关区民政局").exists()
    )

    done = client.get(response.url)
    page = done.content.decode()
    assert done.status_code == 200 and "已发布（导入）" in page and 'id="table-applications"' in page
    assert "新建2022年度报告" in page
    listing = client.get("/reports/").content.decode()
    assert "已发布（导入）" in listing
    # not editable: the edit page sends back, every guard refuses
    edit = client.get(f"/reports/{report.pk}/edit/")
    assert edit.status_code == 302 and edit.url == f"/reports/{report.pk}/"
    with pytest.raises(RecordLocked):
        save_values(report, {IN_FORCE: 7})
    assert load_values(report)[IN_FORCE] == 1
    # saving the same preview again cannot add or replace anything
    again = save(client, preview)
    assert again.status_code == 409 and AnnualReport.objects.count() == 1


def test_this_years_report_is_carried_over_and_checked_against_the_import():
    agency, clerk, client = setup()
    save(client, upload(client, sample_bytes("004"), "2021.txt"))
    started = client.post("/reports/start/", {"year": "2022"})
    current = AnnualReport.objects.get(year=2022)
    assert started.status_code == 302
    messages = [str(m) for m in started.wsgi_request._messages]
    assert any("已从上年报告结转相关数据" in m for m in messages)
    values = load_values(current)
    assert values[IN_FORCE] == 1  # 上年现行有效件数 1 + 本年制发 0 − 废止 0, pre-filled
    assert values["applications.carried_over.total"] == 0  # 上年结转 from 结转下年度继续办理
    save_values(current, {IN_FORCE: 5})
    cross_year = [f for f in check_report(current) if f.rule == "T2-1" and IN_FORCE in f.cells]
    assert cross_year and cross_year[0].previous_cells == [IN_FORCE]


def test_a_file_with_errors_is_kept_as_published_with_its_findings():
    agency, clerk, client = setup()
    response = upload(client, sample_bytes("000"), "2020.txt")
    assert response.status_code == 200 and response.context["preview"].errors == 3
    assert "3项错误（勾稽关系不符）。报告按发布时的原样保存为已发布记录" in response.content.decode()
    save(client, response)
    report = AnnualReport.objects.get()
    assert (report.year, report.status, report.error_count) == (2020, Status.APPROVED, 3)
    assert "按发布时的原样" in Transition.objects.get(report=report).comment
    done = client.get(f"/reports/{report.pk}/imported/").content.decode()
    assert "已发布（导入）" in done and "T3-1" in done


def test_never_replaces_a_report_in_the_system():
    agency, clerk, client = setup()
    existing = make_report(agency, 2021, clerk)
    before = (existing.version, load_values(existing))
    response = upload(client, sample_bytes("004"), "2021.txt")
    assert response.status_code == 400
    assert "本机关2021年度的报告已在系统中（状态：草稿），上传不会覆盖" in response.content.decode()
    assert response.context["pending"] is None and not PendingUpload.objects.exists()
    assert 'id="save-button"' not in response.content.decode()
    existing.refresh_from_db()
    assert (existing.version, load_values(existing)) == before


def test_a_report_started_between_preview_and_save_is_not_replaced():
    agency, clerk, client = setup()
    preview = upload(client, sample_bytes("004"), "2021.txt")
    existing = make_report(agency, 2021, clerk)
    response = save(client, preview)
    assert response.status_code == 409 and "上传不会覆盖" in response.content.decode()
    assert list(AnnualReport.objects.all()) == [existing]
    assert not Transition.objects.exists()


def test_a_year_not_yet_published_is_refused():
    agency, clerk, client = setup()
    year = timezone.localdate().year
    text = replace_once(
        sample_text("004"),
        "2021年南关区民政局政府信息公开工作年度报告",
        f"{year}年南关区民政局政府信息公开工作年度报告",
    )
    response = upload(client, text.encode(), "future.txt")
    assert response.status_code == 400
    assert f"{year}年度的报告要到{year + 1}年才发布" in response.content.decode()
    assert not PendingUpload.objects.exists()


def test_the_size_limit_is_20_mb_with_a_chinese_message():
    agency, clerk, client = setup()
    response = upload(client, b" " * (upload_start.MAX_UPLOAD_BYTES + 1), "big.txt")
    assert response.status_code == 400
    assert "文件超过 20 MB，不能上传" in response.content.decode()
    assert not PendingUpload.objects.exists()


def _with_macro(data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("word/vbaProject.bin", b"\0" * 10)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old.doc", "旧版Word"),
        (b"PK\x03\x04" + b"\0" * 100, "archive.zip", "不是Word文件"),
        (None, "macro.docx", "宏"),
        ("这不是一份年度报告。\n".encode() * 20, "note.txt", "无法读取该文件"),
        (b"", "empty.txt", "上传的文件是空的"),
    ],
)
def test_hostile_and_unreadable_files_are_refused(data, name, message):
    agency, clerk, client = setup()
    if data is None:
        data = _with_macro(docx_bytes(sample_document("004")))
    response = upload(client, data, name)
    assert response.status_code == 400
    error = response.context["error"]
    assert message in error
    assert not PendingUpload.objects.exists() and not AnnualReport.objects.exists()


def test_only_clerks_may_upload_and_only_their_own_upload_is_saved():
    agency, clerk, client = setup()
    reviewer = Client()
    reviewer.force_login(make_reviewer(agency))
    assert reviewer.get(URL).status_code == 403
    assert upload(reviewer, sample_bytes("004"), "2021.txt").status_code == 403
    assert Client().get(URL).status_code == 302  # to the log-in page

    preview = upload(client, sample_bytes("004"), "2021.txt")
    other_agency = make_agency(name="瓯海区民政局", region="浙江省温州市瓯海区")
    other = Client()
    other.force_login(make_clerk(other_agency, "other_clerk"))
    stolen = save(other, preview)
    assert stolen.status_code == 409 and not AnnualReport.objects.exists()
    assert other.post(SAVE_URL, {"token": "not-a-uuid"}).status_code == 409
    assert PendingUpload.objects.count() == 1
    assert client.get(SAVE_URL).status_code == 405


def test_an_upload_expires_after_a_day_and_a_new_one_replaces_it():
    agency, clerk, client = setup()
    first = upload(client, sample_bytes("004"), "2021.txt")
    second = upload(client, sample_bytes("000"), "2020.txt")
    assert list(PendingUpload.objects.values_list("name", flat=True)) == ["2020.txt"]
    assert save(client, first).status_code == 409  # replaced by the second upload
    PendingUpload.objects.update(created_at=timezone.now() - timedelta(days=1, minutes=1))
    assert save(client, second).status_code == 409
    assert not AnnualReport.objects.exists()
    assert upload_start.expire_pending() == 1 and not PendingUpload.objects.exists()


def test_upload_page_explains_the_rules_and_the_list_links_to_it_for_clerks():
    agency, clerk, client = setup()
    page = client.get(URL).content.decode()
    last = timezone.localdate().year - 1
    assert f"只能是{last}年度及以前、本机关在系统中还没有报告的年度" in page
    assert "即使表格中有勾稽关系错误也照原样保存" in page
    assert "上传上年度已发布的报告" in client.get("/reports/").content.decode()
    reviewer = Client()
    reviewer.force_login(make_reviewer(agency))
    assert "upload-start-link" not in reviewer.get("/reports/").content.decode()


def test_a_report_that_was_not_imported_is_shown_on_its_own_page():
    agency, clerk, client = setup()
    report = start_report(agency, 2021, clerk)
    response = client.get(f"/reports/{report.pk}/imported/")
    assert response.status_code == 302 and response.url == f"/reports/{report.pk}/"
    outsider = Client()
    outsider.force_login(make_clerk(make_agency(name="瓯海区民政局", region="浙江省温州市瓯海区"), "other"))
    assert outsider.get(f"/reports/{report.pk}/imported/").status_code == 404
