"""Two transitions at the same moment, in parallel threads against PostgreSQL:
the report row lock serialises them, one wins, the other gets a clear message."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from disclosure.publish.archive import store_approval_files
from disclosure.publish.models import Rendition
from disclosure.reports.models import AnnualReport, Status, Transition
from disclosure.reports.services import check_report, load_values
from disclosure.review.workflow import TransitionError, approve_report, submit_report
from tests.conftest import make_clerk
from tests.review.builders import set_status, team

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def run_together(*jobs):
    """Run each job in its own thread, released at once by a barrier; returns their results."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def worker(index, job):
        try:
            barrier.wait()
            results[index] = job()
        except TransitionError as refused:
            results[index] = refused.messages
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_reviewers_approving_at_once_one_wins():
    _, clerk, reviewer, second, report = team()
    submit_report(report.pk, clerk)
    results = run_together(
        lambda: approve_report(report.pk, reviewer).status,
        lambda: approve_report(report.pk, second).status,
    )
    refused = ["报告当前状态为“已通过”，不能审核通过。可能已被他人处理，请刷新页面后查看。"]
    assert sorted(results, key=str) == sorted([Status.APPROVED, refused], key=str)
    assert Transition.objects.filter(action="approve").count() == 1
    assert Rendition.objects.count() == 2


def clerk_save(clerk, report, version, cell, value):
    """The clerk's edit page posting a save with the version it was loaded at."""
    client = Client()
    client.force_login(clerk)
    data = {"action": "save", "version": str(version), cell: str(value)}
    data.update(
        {name: getattr(report, name) for name in ("title", "preface", "general", "problems", "other_matters")}
    )
    return client.post(reverse("reports:edit", args=[report.pk]), data).status_code


def test_clerk_saving_while_reviewer_approves_save_refused():
    _, clerk, reviewer, _, report = team()
    loaded_version = report.version  # the clerk's edit page was opened before submission
    submit_report(report.pk, clerk)
    results = run_together(
        lambda: approve_report(report.pk, reviewer).status,
        lambda: clerk_save(clerk, report, loaded_version, "active.licensing.decisions", 7),
    )
    assert results == [Status.APPROVED, 409]
    assert load_values(report)["active.licensing.decisions"] == 0
    assert AnnualReport.objects.get(pk=report.pk).status == Status.APPROVED


def test_clerk_saving_while_another_clerk_submits_never_submits_unchecked_content():
    agency, clerk, _, _, report = team()
    other_clerk = make_clerk(agency, "clerk_b")
    # 3 in one application cell breaks an error-severity rule
    results = run_together(
        lambda: submit_report(report.pk, clerk).status,
        lambda: clerk_save(other_clerk, report, report.version, "applications.new.natural_person", 3),
    )
    report.refresh_from_db()
    values = load_values(report)
    if results[0] == Status.SUBMITTED:  # the submission won: the save came too late
        assert (results[1], values["applications.new.natural_person"]) == (409, 0)
    else:  # the save won: the submission saw its content and refused it
        assert (results[1], report.status) == (302, Status.DRAFT)
        assert results[0] == [f.message for f in check_report(report) if f.severity == "error"]
        assert results[0][0] == "第一项加第二项之和应等于第三项加第四项之和（自然人）：3 + 0 ≠ 0 + 0"


def download(user, report, kind):
    client = Client()
    client.force_login(user)
    response = client.get(reverse(f"publish:{kind}", args=[report.pk]))
    return response.status_code, response.content


def test_first_downloads_at_once_store_one_rendition():
    _, clerk, _, _, report = team()
    set_status(report, Status.APPROVED)  # an imported historic report: approved, nothing stored
    results = run_together(lambda: download(clerk, report, "html"), lambda: download(clerk, report, "html"))
    stored = {r.kind: r for r in Rendition.objects.filter(report=report)}
    assert (sorted(stored), stored["html"].backfilled) == (["html", "pdf"], True)
    # the first reader queued the job (run in-process here) and got the file; the other one
    # got it too, or was told it is being made (202) while the first one rendered
    served = [content for status, content in results if status == 200]
    assert served and all(Rendition.digest(content) == stored["html"].sha256 for content in served)
    assert all(status in (200, 202) for status, _ in results)


def test_two_workers_storing_one_approval_at_once_store_one_rendition_per_kind():
    _, clerk, reviewer, _, report = team()
    submit_report(report.pk, clerk)
    report = approve_report(report.pk, reviewer)  # its own task has run: remove what it stored
    Rendition.objects.filter(report=report).delete()
    results = run_together(
        lambda: store_approval_files(report.pk, report.version),
        lambda: store_approval_files(report.pk, report.version),
    )
    stored = sorted(Rendition.objects.filter(report=report).values_list("version", "kind"))
    assert stored == [(report.version, "html"), (report.version, "pdf")]
    assert sorted(r.kind for inserted in results for r in inserted) == ["html", "pdf"]
