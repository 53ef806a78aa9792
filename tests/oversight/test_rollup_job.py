"""The roll-up files as a background job: the page's download buttons start a job
whose page shows the progress, then the file, which holds the same sums as the
direct download; only the office (or a superuser) starts one, only its owner sees it."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from disclosure.jobs.models import Job
from disclosure.oversight.tasks import ROLLUP_FILE
from disclosure.reports.models import Region, Role
from disclosure.reports.services import save_values
from tests.conftest import make_agency, make_clerk, make_report, make_user
from tests.review.builders import set_status

pytestmark = pytest.mark.django_db

WENZHOU = "浙江省温州市"
CELL = "applications.new.natural_person"


def approved(name, region, value):
    report = make_report(make_agency(name=name, region=region), 2021)
    save_values(report, {CELL: value})
    return set_status(report, "approved")


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def export(client, kind, query=""):
    return client.post(reverse("oversight:rollup_export", args=[2021]) + query, {"kind": kind})


def sheet_values(content: bytes) -> dict:
    book = load_workbook(io.BytesIO(content))
    return {name: [list(r) for r in book[name].iter_rows(values_only=True)] for name in book.sheetnames}


def test_the_xlsx_job_makes_the_same_file_as_the_direct_download(django_capture_on_commit_callbacks):
    approved("鹿城区民政局", f"{WENZHOU}鹿城区", 12)
    approved("瓯海区民政局", f"{WENZHOU}瓯海区", 30)
    approved("津南区民政局", "天津市津南区", 500)  # another region
    office = make_user("office", Role.OFFICE, region=WENZHOU)
    client = client_for(office)
    page = client.get(reverse("oversight:rollup", args=[2021])).content.decode()
    assert 'id="rollup-export"' in page and 'form="rollup-export" name="kind" value="xlsx"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = export(client, "xlsx")
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == reverse("jobs:detail", args=[job.pk])
    assert (job.kind, job.status, job.owner, job.region_id) == (
        ROLLUP_FILE,
        Job.Status.DONE,
        office,
        office.membership.region_id,
    )
    assert job.params == {"year": 2021, "include_submitted": False, "kind": "xlsx"}
    assert "包含 2 份报告" in job.message
    assert job.result_name == f"{WENZHOU}2021年政府信息公开工作年度报告汇总表.xlsx"

    detail = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert reverse("jobs:download", args=[job.pk]) in detail and "已完成" in detail
    back = f'href="{reverse("oversight:rollup", args=[2021])}?region={job.region_id}"'
    assert back in detail and "返回汇总" in detail
    made = client.get(reverse("jobs:download", args=[job.pk]))
    direct = client.get(reverse("oversight:rollup_xlsx", args=[2021]))
    assert sheet_values(made.content) == sheet_values(direct.content)
    assert 42 in {v for rows in sheet_values(made.content).values() for row in rows for v in row}

    other = client_for(make_user("other_office", Role.OFFICE, region="天津市"))
    assert other.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_html_job_and_the_submitted_switch(django_capture_on_commit_callbacks):
    approved("鹿城区民政局", f"{WENZHOU}鹿城区", 1234)
    submitted = make_report(make_agency(name="瓯海区民政局", region=f"{WENZHOU}瓯海区"), 2021)
    save_values(submitted, {CELL: 4321})
    set_status(submitted, "submitted")
    client = client_for(make_user("office", Role.OFFICE, region=WENZHOU))
    with django_capture_on_commit_callbacks(execute=True):
        export(client, "html")
        export(client, "html", "?submitted=1")
    approved_only, with_submitted = Job.objects.order_by("created_at")
    assert "<td>1234</td>" in bytes(approved_only.result_file).decode()
    assert "<td>5555</td>" in bytes(with_submitted.result_file).decode()
    assert "含待审核" in with_submitted.title and with_submitted.result_type.startswith("text/html")


def test_a_superuser_picks_the_region(django_capture_on_commit_callbacks):
    approved("津南区民政局", "天津市津南区", 7)
    tianjin = Region.objects.get(full_name="天津市")
    client = client_for(make_user("root", is_superuser=True, is_staff=True))
    with django_capture_on_commit_callbacks(execute=True):
        export(client, "xlsx", f"?region={tianjin.pk}")
    job = Job.objects.get()
    assert job.region_id == tianjin.pk and job.status == Job.Status.DONE
    assert job.result_name.startswith("天津市2021年")


def test_who_may_start_a_roll_up_job():
    agency = make_agency(name="鹿城区民政局", region=f"{WENZHOU}鹿城区")
    office = client_for(make_user("office", Role.OFFICE, region=WENZHOU))
    assert export(client_for(make_clerk(agency)), "xlsx").status_code == 403
    assert export(Client(), "xlsx").status_code == 302  # log in first
    assert office.get(reverse("oversight:rollup_export", args=[2021])).status_code == 405
    assert export(office, "exe").status_code == 400
    assert office.post(reverse("oversight:rollup_export", args=[1999]), {"kind": "xlsx"}).status_code == 404
    assert not Job.objects.exists()
