"""Background work on real processes: an approval's files made by a Celery
worker through Redis; two workers racing on one approval store one file per
kind; ten readers of one draft at once, served by several gunicorn processes,
cost one render."""

import os
import re
import sys
import threading
import urllib.request

import pytest
from celery.result import AsyncResult
from django.test import Client
from django.urls import reverse

from disclosure.jobs.models import Job
from disclosure.publish.models import ApprovalFiles, DraftRendition, FilesState, Rendition
from disclosure.publish.tasks import render_approval_files
from disclosure.reports.models import AnnualReport, Status
from disclosure.review.workflow import approve_report, submit_report
from tests.conftest import make_agency, make_clerk, make_report
from tests.oversight.test_upload import office, post, samples_zip
from tests.review.builders import set_status, team
from tests.worker.conftest import WAIT, Processes, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def files_done(report, version):
    return ApprovalFiles.objects.filter(report=report, version=version, state=FilesState.DONE).exists()


def test_approval_commits_and_a_worker_stores_its_files(celery_workers):
    _, clerk, reviewer, _, report = team()
    submit_report(report.pk, clerk)
    report = approve_report(report.pk, reviewer)  # committed: the task is in Redis now
    assert AnnualReport.objects.get(pk=report.pk).status == Status.APPROVED
    wait_for(lambda: files_done(report, report.version), "the worker to store the files")
    stored = {r.kind: r for r in Rendition.objects.filter(report=report)}
    assert sorted(stored) == ["html", "pdf"]
    assert (stored["pdf"].version, stored["pdf"].approval.action, stored["pdf"].created_by) == (
        report.version,
        "approve",
        reviewer,
    )
    client = Client()
    client.force_login(clerk)
    response = client.get(reverse("publish:pdf", args=[report.pk]))
    assert (response.status_code, Rendition.digest(response.content)) == (200, stored["pdf"].sha256)


def test_two_workers_racing_on_one_approval_store_one_file_per_kind(celery_workers):
    _, _, _, _, report = team()
    report = set_status(report, Status.APPROVED)  # approved, no files yet
    ApprovalFiles.objects.create(report=report, version=report.version)
    sent = [render_approval_files.delay(report.pk, report.version) for _ in celery_workers]
    results = [AsyncResult(s.id, app=s.app) for s in sent]
    outcomes = [result.get(timeout=WAIT) for result in results]
    assert outcomes == ["done", "done"]
    # Redis may hand both messages to one worker (one after the other) or one to each (at
    # once): either way each kind is stored once and both runs end done
    assert sorted(Rendition.objects.filter(report=report).values_list("version", "kind")) == [
        (report.version, "html"),
        (report.version, "pdf"),
    ]
    job = ApprovalFiles.objects.get(report=report)
    assert (job.state, job.attempts) == (FilesState.DONE, 2)


def test_ten_readers_of_one_draft_on_several_processes_cost_one_render(celery_workers, gunicorn):
    """Ten readers at once on four web processes: none renders in the request (202, the
    page asks again), one worker renders once, and all ten then get the same PDF."""
    base, log = gunicorn
    agency = make_agency()
    report = make_report(agency, 2021)
    client = Client()
    client.force_login(make_clerk(agency))
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    url = f"{base}{reverse('publish:pdf', args=[report.pk])}"
    barrier = threading.Barrier(10)
    first = [None] * 10
    bodies = [None] * 10

    def get():
        request = urllib.request.Request(url, headers={"Cookie": cookie})
        with urllib.request.urlopen(request, timeout=WAIT) as response:
            return response.status, response.read()

    def reader(index):
        barrier.wait()
        first[index] = get()[0]
        bodies[index] = wait_for(lambda: (answer := get())[0] == 200 and answer, "the stored draft")

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert first == [202] * 10  # the web processes rendered nothing
    assert len({body for _, body in bodies}) == 1 and bodies[0][1][:5] == b"%PDF-"
    row = DraftRendition.objects.get(report=report, kind="pdf")
    assert (row.version, row.renders) == (report.version, 1)
    text = log.read_text()
    assert f"draft pdf of report {report.pk}" not in text  # rendered by a worker, not gunicorn
    served_by = set(re.findall(rf"ACCESS pid=<?(\d+)>? 20[02] /reports/{report.pk}/pdf/", text))
    assert len(served_by) > 1  # the readers really were on different processes


def test_an_office_upload_is_checked_by_a_prefork_worker(celery_to_redis, transactional_db):
    """The default pool (prefork) runs each task in a daemonic process; the bounded reader
    still starts its child there, so the reports read, not "unreadable"."""
    processes = Processes()
    name = f"prefork-{os.getpid()}@test"
    try:
        processes.start(
            [sys.executable, "-m", "celery", "-A", "disclosure", "worker", "--pool=prefork", "-c", "1"]
            + ["-n", name, "--without-gossip", "--without-mingle", "--loglevel=INFO"],
            "prefork",
        )
        wait_for(
            lambda: name in {n for reply in celery_to_redis.control.ping(timeout=1.0) for n in reply},
            "the prefork worker to answer a ping",
        )
        client = Client()
        client.force_login(office())
        post(client, ("batch.zip", samples_zip()))
        job = Job.objects.get()

        def finished():
            job.refresh_from_db()
            return job.status in {Job.Status.DONE, Job.Status.FAILED}

        wait_for(finished, "the upload job to finish")
        assert job.status == Job.Status.DONE, job.message
        unreadable = [row for row in job.result["rows"] if row[6]]
        assert [row[0].rsplit("/", 1)[-1] for row in unreadable] == ["broken.docx"], [
            row[6] for row in unreadable
        ]
    finally:
        processes.stop()
