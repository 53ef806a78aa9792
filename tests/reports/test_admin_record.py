"""Issue: no admin path changes an approved report, and every admin change of
another report goes the clerk's way (version moves on, the history names the admin)."""

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import ProtectedError

from disclosure.publish.models import Rendition
from disclosure.reports.models import AnnualReport, ApplicationRow, RecordLocked, Status
from disclosure.reports.record import save_import
from disclosure.reports.services import load_values, save_values
from disclosure.review.workflow import submit_report
from tests.conftest import PASSWORD
from tests.importers.samples import parse_sample
from tests.review.builders import approve_committed, team

pytestmark = pytest.mark.django_db

NEW_NP = "applications.new.natural_person"


@pytest.fixture
def admin_user():
    return get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)


@pytest.fixture
def admin_client(client, admin_user):
    client.login(username="root", password=PASSWORD)
    return client


def snapshot(report):
    report = AnnualReport.objects.get(pk=report.pk)
    hashes = sorted(Rendition.objects.filter(report=report).values_list("kind", "sha256"))
    texts = (report.title, report.preface, report.general, report.problems, report.other_matters)
    return report.status, report.version, texts, load_values(report), hashes


def approved_with_history():
    """Approved through the workflow after a draft whose narrative said something else."""
    _, clerk, reviewer, _, report = team()
    report.general = "草稿时的文字"
    report.save()
    report.general = "审核通过的文字"
    report.save()
    submit_report(report.pk, clerk)
    approve_committed(report.pk, reviewer)
    return report


def change_form(report, **changes):
    data = {
        "agency": report.agency_id,
        "year": report.year,
        "title": report.title,
        "preface": report.preface,
        "general": report.general,
        "problems": report.problems,
        "other_matters": report.other_matters,
        "source": report.source,
        "_save": "保存",
    }
    for prefix in ("active_rows", "application_rows", "appeal_rows"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(changes)
    return data


def test_every_admin_path_leaves_an_approved_report_and_its_files_unchanged(admin_client):
    report = approved_with_history()
    before = snapshot(report)
    assert before[0] == Status.APPROVED and len(before[4]) == 2
    row = ApplicationRow.objects.get(report=report, row_code="new")
    old_report = report.history.filter(general="草稿时的文字").earliest()
    old_row = row.history.earliest()
    base, row_base = "/admin/reports/annualreport", "/admin/reports/applicationrow"
    attempts = {
        "change form": (f"{base}/{report.pk}/change/", change_form(report, general="改写")),
        "inline": (
            f"{base}/{report.pk}/change/",
            change_form(
                report,
                **{"application_rows-TOTAL_FORMS": "1", "application_rows-INITIAL_FORMS": "1"},
                **{"application_rows-0-id": row.pk, "application_rows-0-report": report.pk},
                **{"application_rows-0-natural_person": "99"},
            ),
        ),
        "history revert": (f"{base}/{report.pk}/history/{old_report.history_id}/", change_form(report)),
        "row change": (f"{row_base}/{row.pk}/change/", {"natural_person": "99", "_save": "保存"}),
        "row history revert": (f"{row_base}/{row.pk}/history/{old_row.history_id}/", {"natural_person": "7"}),
        "row delete": (f"{row_base}/{row.pk}/delete/", {"post": "yes"}),
        "report delete": (f"{base}/{report.pk}/delete/", {"post": "yes"}),
        "bulk delete": (
            f"{base}/",
            {"action": "delete_selected", "_selected_action": [report.pk], "post": "yes"},
        ),
        "bulk row delete": (
            f"{row_base}/",
            {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
        ),
    }
    for name, (url, data) in attempts.items():
        response = admin_client.post(url, data)
        assert response.status_code in (200, 302, 403), name
        assert snapshot(report) == before, name
        assert ApplicationRow.objects.filter(pk=row.pk).exists(), name


def test_admin_history_revert_of_an_approved_report_says_why(admin_client):
    report = approved_with_history()
    old = report.history.filter(general="草稿时的文字").earliest()
    response = admin_client.post(
        f"/admin/reports/annualreport/{report.pk}/history/{old.history_id}/", change_form(report), follow=True
    )
    shown = [str(m) for m in response.context["messages"]]
    assert any("已审核通过，是法定存档记录" in m for m in shown)


def test_admin_bulk_delete_of_an_approved_report_is_refused_on_the_confirmation_page(admin_client):
    report = approved_with_history()
    page = admin_client.post(
        "/admin/reports/annualreport/", {"action": "delete_selected", "_selected_action": [report.pk]}
    ).content.decode()
    assert "无法删除 年度报告" in page
    assert AnnualReport.objects.filter(pk=report.pk).exists()


def test_model_refuses_saving_an_approved_report_from_any_path():
    report = approved_with_history()
    stale = report.history.filter(general="草稿时的文字").earliest().instance
    with pytest.raises(RecordLocked), transaction.atomic():
        stale.save()
    with pytest.raises(RecordLocked), transaction.atomic():
        save_values(report, {NEW_NP: 5})
    with pytest.raises(RecordLocked), transaction.atomic():
        ApplicationRow.objects.get(report=report, row_code="new").save()
    with pytest.raises(ProtectedError):  # its stored files protect it first
        AnnualReport.objects.get(pk=report.pk).delete()


def test_model_refuses_deleting_an_approved_report_without_stored_files():
    report = save_import(parse_sample("001"))  # approved by import: no renditions yet
    assert report.is_record and not Rendition.objects.exists()
    with pytest.raises(RecordLocked), transaction.atomic():
        AnnualReport.objects.filter(pk=report.pk).delete()
    with pytest.raises(RecordLocked), transaction.atomic():
        ApplicationRow.objects.filter(report=report).delete()
    assert ApplicationRow.objects.filter(report=report).count() == 23


def test_admin_edit_of_a_draft_moves_the_version_and_names_the_admin(admin_client, admin_user):
    _, _, _, _, report = team()
    version = AnnualReport.objects.get(pk=report.pk).version
    response = admin_client.post(
        f"/admin/reports/annualreport/{report.pk}/change/", change_form(report, general="管理员修改")
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.general, report.version, report.updated_by) == ("管理员修改", version + 1, admin_user)
    assert report.history.latest().history_user == admin_user


def test_admin_history_revert_of_a_submitted_report_keeps_its_status_and_moves_the_version(admin_client):
    _, clerk, _, _, report = team()
    report.general = "旧文字"
    report.save()
    old = report.history.latest()
    report.general = "新文字"
    report.save()
    submit_report(report.pk, clerk)
    version = AnnualReport.objects.get(pk=report.pk).version
    admin_client.post(
        f"/admin/reports/annualreport/{report.pk}/history/{old.history_id}/",
        change_form(AnnualReport.objects.get(pk=report.pk), general="旧文字"),
    )
    report.refresh_from_db()
    assert (report.general, report.status, report.version) == ("旧文字", Status.SUBMITTED, version + 1)


def test_admin_row_edit_of_a_draft_moves_the_report_version(admin_client, admin_user):
    _, _, _, _, report = team()
    version = AnnualReport.objects.get(pk=report.pk).version
    row = ApplicationRow.objects.get(report=report, row_code="new")
    data = {c: getattr(row, c) if getattr(row, c) is not None else "" for c in ("natural_person",)}
    admin_client.post(f"/admin/reports/applicationrow/{row.pk}/change/", {**data, "natural_person": "4"})
    report.refresh_from_db()
    assert (load_values(report)[NEW_NP], report.version, report.updated_by) == (4, version + 1, admin_user)
