import pytest

from disclosure.publish.archive import approved_rendition, current_rendition, current_renditions
from disclosure.publish.models import Rendition
from disclosure.reports.models import Status
from disclosure.review.history import entries
from disclosure.review.workflow import approve_report, reopen_report, submit_report
from tests.review.builders import set_status, team

pytestmark = pytest.mark.django_db


def approve(report, clerk, reviewer):
    submit_report(report.pk, clerk)
    return approve_report(report.pk, reviewer)


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


def test_approved_rendition_imported_report_backfilled_once():
    _, _, _, _, report = team()
    set_status(report, Status.APPROVED)
    first = approved_rendition(report, "html")
    again = approved_rendition(report, "html")
    assert (first.pk, first.backfilled, first.approval, first.version) == (again.pk, True, None, 1)
    assert Rendition.objects.filter(report=report).count() == 1
    titles = [e.title for e in entries(report) if e.kind == "rendition"]
    assert titles == ["首次下载时生成并存档（导入的已通过报告）：HTML（第1版）"]


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
