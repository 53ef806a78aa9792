"""The regional office's upload: a zip (or several files) of published reports is
checked in a job, whose page and .xlsx hold the batch summary; a too large
upload, a zip that climbs out or a zip bomb is refused with a message and starts
nothing; only office users and superusers may upload, and only the owner sees the job."""

import dataclasses
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from openpyxl import load_workbook

from disclosure.importers.batch import HEADINGS_ZH, check_batch, row_values
from disclosure.jobs.models import Job
from disclosure.oversight import upload
from disclosure.reports.models import Role
from disclosure.reports.services import check_parsed
from tests.conftest import make_agency, make_clerk, make_user
from tests.importers.samples import SAMPLES

pytestmark = pytest.mark.django_db

URL = "/oversight/upload/"


def office(username="office_wenzhou", region="浙江省温州市"):
    return make_user(username, Role.OFFICE, region=region)


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def zip_of(members: dict) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def samples_zip() -> bytes:
    members = {f"2020/{path.name}": path.read_bytes() for path in SAMPLES.values()}
    members["2020/broken.docx"] = b"not a word file"
    members["readme.md"] = b"ignored: not a report"
    return zip_of(members)


def post(client, *files):
    with_captured = [SimpleUploadedFile(name, data) for name, data in files]
    return client.post(URL, {"files": with_captured})


def test_upload_a_zip_of_reports_and_get_the_summary(django_capture_on_commit_callbacks):
    make_agency(name="鹿城区民政局", region="浙江省温州市鹿城区")
    make_agency(name="津南区民政局", region="天津市津南区")
    user = office()
    client = client_for(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, ("温州 2020.zip", samples_zip()))
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == reverse("jobs:detail", args=[job.pk])
    assert job.status == Job.Status.DONE, job.message
    assert job.owner == user and job.region_id == user.membership.region_id
    assert job.input_file is None  # not kept once read
    assert (job.progress_done, job.progress_total) == (6, 6)
    assert job.message == "共检查 6 个文件：1 个有错误，1 个无法读取。"

    rows = {row[0]: row for row in job.result["rows"]}
    assert job.result["headings"] == [*HEADINGS_ZH, "本辖区"]
    lucheng = rows[f"温州 2020.zip!/2020/{SAMPLES['000'].name}"]
    assert lucheng[1:4] == ["鹿城区民政局", 2020, "gov2019"] and lucheng[4] > 0 and lucheng[-1] == "是"
    assert rows[f"温州 2020.zip!/2020/{SAMPLES['001'].name}"][1:5] + [rows[f"温州 2020.zip!/2020/{SAMPLES['001'].name}"][-1]] == [
        "津南区民政局", 2020, "gov2019", 0, "否",
    ]  # fmt: skip
    assert rows[f"温州 2020.zip!/2020/{SAMPLES['004'].name}"][1:3] == ["南关区民政局", 2021]
    assert rows[f"温州 2020.zip!/2020/{SAMPLES['004'].name}"][-1] == "否（系统中没有该机关）"
    broken = rows["温州 2020.zip!/2020/broken.docx"]
    assert broken[1:6] == [None] * 5 and broken[6]  # unreadable, with its reason; the batch went on

    # the same numbers as the check_report batch over the same files
    expected = check_batch(sorted(SAMPLES.values()), lambda parsed: check_parsed(parsed)[0])
    for row in expected:
        got = rows[f"温州 2020.zip!/2020/{row.file.rsplit('/', 1)[-1]}"]
        assert got[1:7] == row_values(row)[1:]

    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert page.count('class="job-row"') == 6 and "鹿城区民政局" in page and "本辖区" in page
    assert f'href="{URL}" id="job-back"' in page  # upload another batch

    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(download.content)).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0] == [*HEADINGS_ZH, "本辖区"]
    assert sorted(values[1:], key=lambda r: r[0]) == sorted(
        ([None if v is None else v for v in row] for row in job.result["rows"]), key=lambda r: r[0]
    )


def test_several_report_files_are_checked_as_one_batch(django_capture_on_commit_callbacks):
    client = client_for(office())
    with django_capture_on_commit_callbacks(execute=True):
        post(client, (SAMPLES["002"].name, SAMPLES["002"].read_bytes()), ("../../evil.txt", b"nothing"))
    job = Job.objects.get()
    assert job.status == Job.Status.DONE
    files = sorted(row[0] for row in job.result["rows"])
    assert files == sorted([SAMPLES["002"].name, "evil.txt"])  # base names only
    by_file = {row[0]: row for row in job.result["rows"]}
    assert by_file[SAMPLES["002"].name][1] == "海盐县民政局" and by_file["evil.txt"][6]


@pytest.mark.parametrize("size", [upload.MAX_UPLOAD_BYTES + 1, upload.MAX_UPLOAD_BYTES + 1024 * 1024])
def test_an_upload_beyond_20_mb_is_refused_and_starts_nothing(size):
    client = client_for(office())
    response = post(client, ("big.zip", b"0" * size))
    assert response.status_code == 413
    assert upload.TOO_BIG in response.content.decode()
    assert not Job.objects.exists()


def test_a_request_declaring_more_than_20_mb_is_refused_by_its_length():
    request = RequestFactory().post(URL, data=b"", content_type="application/octet-stream")
    request.META["CONTENT_LENGTH"] = str(upload.MAX_UPLOAD_BYTES + 1024 * 1024)
    assert upload.request_too_big(request)
    request.META["CONTENT_LENGTH"] = str(upload.MAX_UPLOAD_BYTES)
    assert not upload.request_too_big(request)


def test_the_size_is_also_checked_on_the_uploaded_files():
    many = [SimpleUploadedFile(f"{n}.txt", b"x") for n in range(3)]
    for file in many:
        file.size = upload.MAX_UPLOAD_BYTES // 2
    with pytest.raises(upload.UploadRefused, match="20 MB"):
        upload.prepare(many)


def test_the_upload_handler_stops_beyond_the_limit():
    handler = upload.SizeLimitHandler(limit=10)
    assert handler.receive_data_chunk(b"12345", 0) == b"12345"
    with pytest.raises(upload.StopUpload):
        handler.receive_data_chunk(b"123456", 5)
    assert handler.exceeded


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"../../etc/cron.d/x.txt": b"x"}, "跳出了压缩包（../）"),
        ({"/abs/report.txt": b"x"}, "绝对路径"),
        ({"bomb.txt": b"0" * (upload.UPLOAD_LIMITS.max_file_bytes + 1)}, "压缩包中的文件过大"),
        ({"readme.md": b"x"}, "没有可检查的报告文件"),
    ],
)
def test_hostile_zips_are_refused_with_a_message(members, message):
    client = client_for(office())
    response = post(client, ("hostile.zip", zip_of(members)))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "hostile.zip" in html
    assert not Job.objects.exists()


def test_a_zip_bomb_by_total_size_is_refused():
    members = {f"{n}.txt": b"0" * 400 for n in range(3)}
    limits = dataclasses.replace(upload.UPLOAD_LIMITS, max_total_bytes=1000)
    with pytest.raises(upload.UploadRefused, match="解压后过大"):
        upload.check_zip(zip_of(members), "bomb.zip", limits)
    upload.check_zip(zip_of(members), "bomb.zip")  # within the real limits


def test_a_member_lying_about_its_size_is_caught_while_inflating():
    data = bytearray(zip_of({"report.txt": b"A" * 100_000}))
    # shrink the declared size in the central directory (and the local header) to 10 bytes
    for signature, offset in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        at = data.find(signature)
        data[at + offset : at + offset + 4] = (10).to_bytes(4, "little")
    upload.check_zip(bytes(data), "liar.zip")  # the directory looks harmless
    rows = upload.check_upload(bytes(data), "liar.zip", lambda parsed: [])
    assert len(rows) == 1 and rows[0].agency is None
    assert rows[0].unreadable.startswith(("压缩包被拒绝", "无法解压"))  # never more than declared is inflated


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([("a.exe", b"MZ")], "不支持的文件类型：a.exe"),
        ([("a.zip", b"PK"), ("b.txt", b"x")], "一次只能上传一个 .zip"),
        ([("fake.zip", b"this is not a zip")], "不是有效的 zip 压缩包"),
        ([], "请选择一个 .zip 压缩包"),
    ],
)
def test_wrong_uploads_are_refused_with_a_message(files, message):
    response = post(client_for(office()), *files)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Job.objects.exists()


def test_only_office_users_and_superusers_may_upload():
    agency = make_agency(name="鹿城区民政局", region="浙江省温州市鹿城区")
    clerk = client_for(make_clerk(agency))
    assert clerk.get(URL).status_code == 403
    assert post(clerk, ("a.zip", samples_zip())).status_code == 403
    assert not Job.objects.exists()
    assert Client().get(URL).status_code == 302  # log in first
    page = client_for(office()).get(URL)
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.content.decode()
    assert client_for(make_user("root", is_superuser=True, is_staff=True)).get(URL).status_code == 200
    dashboard = client_for(office("office_2")).get(reverse("oversight:dashboard")).content.decode()
    assert URL in dashboard


def test_another_office_cannot_see_the_job(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post(client_for(office()), ("a.zip", samples_zip()))
    job = Job.objects.get()
    other = client_for(office("office_tianjin", "天津市"))
    for name in ("jobs:detail", "jobs:status", "jobs:download"):
        assert other.get(reverse(name, args=[job.pk])).status_code == 404
    assert job.title not in other.get(URL).content.decode()  # nor in its list of recent checks


@override_settings(
    FILE_UPLOAD_HANDLERS=[
        "disclosure.oversight.upload.SizeLimitHandler",
        "django.core.files.uploadhandler.MemoryFileUploadHandler",
        "django.core.files.uploadhandler.TemporaryFileUploadHandler",
    ]
)
def test_with_the_size_handler_installed_the_upload_stops_as_it_arrives():
    client = client_for(office())
    response = post(client, ("big.zip", b"0" * (upload.MAX_UPLOAD_BYTES + 1)))
    assert response.status_code == 413 and upload.TOO_BIG in response.content.decode()
    assert response.wsgi_request.upload_handlers[0].exceeded  # stopped while arriving, nothing kept
    assert not response.wsgi_request.FILES
    assert not Job.objects.exists()
    fine = post(client, ("small.zip", zip_of({"a.txt": b"x"})))
    assert fine.status_code == 302
