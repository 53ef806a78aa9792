from datetime import timedelta

import pytest
from django.test import TestCase
from django.utils import timezone

from disclosure.publish.archive import approved_rendition, current_rendition, current_renditions
from disclosure.publish.models import ApprovalFiles, FilesState, Rendition
from disclosure.publish.tasks import render_approval_files, request_files
from disclosure.reports.models import Status
from disclosure.review.history import entries
from disclosure.review.workflow import approve_report, reopen_report, submit_report
from tests.review.builders import approve_committed, set_status, team

pytestmark = pytest.mark.django_db


def approve(report, clerk, reviewer):
    submit_report(report.pk, clerk)
    return approve_committed(report.pk, reviewer)


def test_stored_rendition_serves_bytes_stored_at_approval():
    _, clerk, reviewer, _, report = team()
    report = approve(report, clerk, reviewer)
    stored = Rendition.objects.get(report=report, kind="html")
    Rendition.objects.filter(pk=stored.pk).update(content=b"frozen")  # later renders would differ
    assert bytes(current_rendition(report, "html").content) == b"frozen"
    assert approved_rendition(report, "html").pk == stored.pk


def test_stored_rendition_not_approved_is_none():
    _, _, _, _, report = team()
    assert (current_rendition(report, "pdf"), approved_rendition(report, "pdf")) == (None, None)


def test_imported_approved_report_files_made_once_when_first_asked():
    _, _, _, _, report = team()
    set_status(report, Status.APPROVED)
    assert approved_rendition(report, "html") is None
    with TestCase.captureOnCommitCallbacks(execute=True):
        request_files(report)
    first = approved_rendition(report, "html")
    with TestCase.captureOnCommitCallbacks(execute=True) as queued:
        request_files(report)
    assert queued == []  # done: nothing queued again
    again = approved_rendition(report, "html")
    assert (first.pk, first.backfilled, first.approval, first.version) == (again.pk, True, None, 1)
    assert sorted(Rendition.objects.filter(report=report).values_list("kind", flat=True)) == ["html", "pdf"]
    titles = sorted(e.title for e in entries(report) if e.kind == "rendition")
    assert titles == [
        "首次下载时生成并存档（导入的已通过报告）：HTML（第1版）",
        "首次下载时生成并存档（导入的已通过报告）：PDF（第1版）",
    ]


def test_task_run_twice_stores_one_rendition_per_kind():
    _, clerk, reviewer, _, report = team()
    report = approve(report, clerk, reviewer)
    first = {r.kind: r.sha256 for r in current_renditions(report)}
    assert render_approval_files.delay(report.pk, report.version).get() == "done"
    assert {r.kind: r.sha256 for r in current_renditions(report)} == first
    assert Rendition.objects.filter(report=report).count() == 2
    assert ApprovalFiles.objects.get(report=report).attempts == 2


def test_reopen_before_the_files_are_made_stores_them_from_the_approved_content():
    _, clerk, reviewer, _, report = team()
    submit_report(report.pk, clerk)
    report = approve_report(report.pk, reviewer)  # not committed: the task has not run
    assert current_renditions(report) == []
    reopen_report(report.pk, reviewer, comment="发现错别字")
    stored = Rendition.objects.get(report=report, kind="html")
    assert (stored.version, stored.approval.action, stored.backfilled) == (3, "approve", False)
    assert ApprovalFiles.objects.get(report=report).state == FilesState.DONE
    assert render_approval_files.delay(report.pk, 3).get() == "done"  # the late task: nothing more
    assert Rendition.objects.filter(report=report).count() == 2


def test_failed_files_are_queued_again_by_a_later_reader_and_stored(monkeypatch):
    _, clerk, reviewer, _, report = team()
    submit_report(report.pk, clerk)

    def broken(report):
        raise OSError("字体缺失")

    with monkeypatch.context() as patch:
        patch.setattr("disclosure.publish.archive.render_pdf", broken)
        report = approve_committed(report.pk, reviewer)
    job = ApprovalFiles.objects.get(report=report)
    assert (job.state, current_renditions(report)) == (FilesState.FAILED, [])
    with TestCase.captureOnCommitCallbacks(execute=True) as queued:
        request_files(report)  # failed just now: not at once again
    assert queued == []
    ApprovalFiles.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(minutes=6))
    with TestCase.captureOnCommitCallbacks(execute=True):
        request_files(report)
    job.refresh_from_db()
    assert (job.state, job.attempts, job.error) == (FilesState.DONE, 2, "")
    assert sorted(r.kind for r in current_renditions(report)) == ["html", "pdf"]


def test_reopen_report_keeps_old_file_and_next_approval_stores_new():
    _, clerk, reviewer, second, report = team()
    report = approve(report, clerk, reviewer)
    old = {r.kind: r.sha256 for r in current_renditions(report)}
    report = reopen_report(report.pk, reviewer, comment="发现错别字")
    assert current_renditions(report) == []
    assert current_rendition(report, "pdf") is None
    report.general = "修改后的总体情况。"
    report.save()
    report = approve(report, clerk, second)
    new = {r.kind: r.sha256 for r in current_renditions(report)}
    assert sorted(Rendition.objects.filter(report=report).values_list("version", "kind")) == [
        (3, "html"),
        (3, "pdf"),
        (6, "html"),
        (6, "pdf"),
    ]
    assert set(Rendition.objects.values_list("sha256", flat=True)) == set(old.values()) | set(new.values())
    assert old["html"] != new["html"]


def test_reopen_goes_ahead_when_the_missing_files_cannot_be_made(monkeypatch):
    _, clerk, reviewer, _, report = team()
    submit_report(report.pk, clerk)
    report = approve_report(report.pk, reviewer)  # not committed: the task has not run

    def broken(report):
        raise OSError("字体缺失")

    monkeypatch.setattr("disclosure.publish.archive.render_pdf", broken)
    report = reopen_report(report.pk, reviewer, comment="发现错别字")
    job = ApprovalFiles.objects.get(report=report)
    assert (report.status, Rendition.objects.count()) == (Status.DRAFT, 0)
    assert (job.state, job.error) == (FilesState.FAILED, "重新打开前生成失败：OSError: 字体缺失")
