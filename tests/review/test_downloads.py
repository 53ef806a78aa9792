"""Downloads of an approved report serve the bytes stored at approval; until
the background task has stored them, the download says they are being made."""

import hashlib

import pytest
from django.test import TestCase
from django.urls import reverse

from disclosure.publish.models import ApprovalFiles, FilesState, Rendition
from disclosure.reports.models import Status
from disclosure.review.workflow import approve_report, submit_report
from tests.conftest import PASSWORD
from tests.review.builders import approve_committed, set_status, team

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["pdf", "html"])
def test_download_approved_report_serves_stored_bytes(client, kind):
    _, clerk, reviewer, _, report = team()
    submit_report(report.pk, clerk)
    approve_committed(report.pk, reviewer)
    Rendition.objects.filter(kind=kind).update(content=b"stored at approval")
    client.login(username=clerk.username, password=PASSWORD)
    for _ in range(2):
        response = client.get(reverse(f"publish:{kind}", args=[report.pk]))
        assert response.content == b"stored at approval"


@pytest.mark.parametrize("kind", ["pdf", "html"])
def test_download_before_files_are_stored_says_they_are_being_made(client, kind):
    _, clerk, reviewer, _, report = team()
    submit_report(report.pk, clerk)
    approve_report(report.pk, reviewer)  # the test's transaction never commits: the task has not run
    client.login(username=clerk.username, password=PASSWORD)
    response = client.get(reverse(f"publish:{kind}", args=[report.pk]))
    assert (response.status_code, response["Retry-After"], response["Content-Type"]) == (
        202,
        "10",
        "text/html; charset=utf-8",
    )
    assert "发布文件正在生成，请稍后刷新" in response.content.decode()
    assert "Content-Disposition" not in response


def test_download_after_a_failed_render_says_it_is_retried(client):
    _, clerk, reviewer, _, report = team()
    submit_report(report.pk, clerk)
    approve_report(report.pk, reviewer)
    ApprovalFiles.objects.filter(report=report).update(state=FilesState.RETRYING, attempts=2, error="OSError")
    client.login(username=clerk.username, password=PASSWORD)
    page = client.get(reverse("publish:pdf", args=[report.pk])).content.decode()
    assert "生成发布文件时出错，系统将自动重试（已尝试 2 次）" in page
    assert "OSError" not in page  # the error is for the administrators (admin, logs)


def test_download_imported_approved_report_made_in_background_then_frozen(client):
    _, clerk, _, _, report = team()
    set_status(report, Status.APPROVED)
    client.login(username=clerk.username, password=PASSWORD)
    url = reverse("publish:html", args=[report.pk])
    with TestCase.captureOnCommitCallbacks(execute=True):  # queued by the first download, run at commit
        assert client.get(url).status_code == 202
    first = client.get(url)
    stored = Rendition.objects.get(report=report, kind="html")
    Rendition.objects.filter(pk=stored.pk).update(content=b"frozen")
    again = client.get(url).content
    assert (hashlib.sha256(first.content).hexdigest(), again, stored.backfilled) == (
        stored.sha256,
        b"frozen",
        True,
    )


@pytest.mark.django_db(transaction=True)
def test_download_imported_approved_report_embedded_default_serves_at_once(client):
    """No broker (``make run``): the first download queues the task, which runs
    in-process as soon as the job is committed, so the file comes in that response."""
    _, clerk, _, _, report = team()
    set_status(report, Status.APPROVED)
    client.login(username=clerk.username, password=PASSWORD)
    response = client.get(reverse("publish:pdf", args=[report.pk]))
    stored = Rendition.objects.get(report=report, kind="pdf")
    assert (response.status_code, hashlib.sha256(response.content).hexdigest()) == (200, stored.sha256)
