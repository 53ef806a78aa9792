"""The approval's files job as people see and handle it: the report page says
the files are being made (and polls with its own script), or that making them
failed; an administrator re-queues a job in the admin, an operator makes the
files with ``render_report --archive``."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase
from django.urls import reverse

from disclosure.publish.models import ApprovalFiles, FilesState, Rendition
from disclosure.review.workflow import approve_report, submit_report
from tests.conftest import PASSWORD
from tests.review.builders import team

pytestmark = pytest.mark.django_db


def approved_without_files():
    """Approved through the workflow; the test's transaction never commits, so no file yet."""
    _, clerk, reviewer, _, report = team()
    submit_report(report.pk, clerk)
    return clerk, approve_report(report.pk, reviewer)


def test_report_page_says_files_are_being_made_and_loads_the_poller(client):
    clerk, report = approved_without_files()
    client.login(username=clerk.username, password=PASSWORD)
    page = client.get(report.get_absolute_url()).content.decode()
    assert "存档文件（PDF 和 HTML）正在后台生成，完成后本页将自动刷新。" in page
    assert f'data-poll-url="{reverse("publish:pdf", args=[report.pk])}"' in page
    assert 'src="/static/disclosure/js/renditions.js"' in page
    assert "<script>" not in page  # no inline script


def test_report_page_says_making_the_files_failed_and_is_retried(client):
    clerk, report = approved_without_files()
    ApprovalFiles.objects.filter(report=report).update(
        state=FilesState.RETRYING, attempts=3, error="OSError: x"
    )
    client.login(username=clerk.username, password=PASSWORD)
    page = client.get(report.get_absolute_url()).content.decode()
    assert "生成存档文件时出错，系统将自动重试（已尝试 3 次）" in page
    assert "OSError" not in page


def test_report_page_after_the_files_are_stored_shows_their_hashes_and_no_poller(client):
    clerk, report = approved_without_files()
    call_command("render_report", str(report.pk), "--archive", stdout=StringIO())
    client.login(username=clerk.username, password=PASSWORD)
    page = client.get(report.get_absolute_url()).content.decode()
    for rendition in Rendition.objects.filter(report=report):
        assert f'<code class="sha256" data-kind="{rendition.kind}">{rendition.sha256}</code>' in page
    assert "renditions.js" not in page


def test_render_report_archive_stores_the_missing_files_once(capsys):
    _, report = approved_without_files()
    call_command("render_report", str(report.pk), "--archive")
    call_command("render_report", str(report.pk), "--archive")
    stored = {r.kind: r.sha256 for r in Rendition.objects.filter(report=report)}
    out = capsys.readouterr().out
    assert sorted(stored) == ["html", "pdf"]
    assert out.count(f"PDF SHA-256：{stored['pdf']}") == 2  # the second run: the same file, nothing new
    assert ApprovalFiles.objects.get(report=report).state == FilesState.DONE


def test_render_report_archive_refuses_a_draft():
    _, _, _, _, report = team()
    with pytest.raises(CommandError, match="只适用于已审核通过的报告"):
        call_command("render_report", str(report.pk), "--archive")


def test_admin_queues_a_failed_job_again(client):
    _, report = approved_without_files()
    ApprovalFiles.objects.filter(report=report).update(state=FilesState.FAILED, error="OSError: x")
    job = ApprovalFiles.objects.get(report=report)
    get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    client.login(username="root", password=PASSWORD)
    url = reverse("admin:publish_approvalfiles_changelist")
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, {"action": "queue_again", "_selected_action": [job.pk]})
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.state, job.error, job.attempts) == (FilesState.DONE, "", 1)
    assert Rendition.objects.filter(report=report).count() == 2
