"""The Django admin: Chinese names, and approved reports read-only there too."""

import pytest
from django.contrib.auth import get_user_model

from disclosure.reports.models import AnnualReport, ApplicationRow, Status
from tests.conftest import PASSWORD, make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    client.login(username="root", password=PASSWORD)
    return client


def test_admin_index_lists_models_in_chinese(admin_client):
    page = admin_client.get("/admin/").content.decode()
    for name in ("机关", "年度报告", "用户角色", "表三 收到和处理政府信息公开申请情况"):
        assert name in page


def test_admin_cannot_change_status_of_a_draft(admin_client, agency):
    report = make_report(agency, 2021)
    page = admin_client.get(f"/admin/reports/annualreport/{report.pk}/change/").content.decode()
    assert 'name="status"' not in page
    assert 'name="general"' in page


def test_admin_approved_report_is_read_only(admin_client, agency):
    report = make_report(agency, 2021)
    AnnualReport.objects.filter(pk=report.pk).update(status=Status.APPROVED)
    page = admin_client.get(f"/admin/reports/annualreport/{report.pk}/change/").content.decode()
    assert 'name="general"' not in page
    admin_client.post(f"/admin/reports/annualreport/{report.pk}/change/", {"general": "改写"})
    report.refresh_from_db()
    assert report.general == ""
    row = ApplicationRow.objects.get(report=report, row_code="new")
    page = admin_client.get(f"/admin/reports/applicationrow/{row.pk}/change/").content.decode()
    assert 'name="natural_person"' not in page
    assert (
        admin_client.post(f"/admin/reports/applicationrow/{row.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert ApplicationRow.objects.filter(pk=row.pk).exists()
