"""Background jobs: started after the commit, run once, progress throttled, the
outcome (or a readable failure) stored in the row, and only the owner sees them."""

import io
import json
from datetime import timedelta

import pytest
from celery import shared_task
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from disclosure.jobs import api
from disclosure.jobs.api import INTERNAL_ERROR, NOT_QUEUED, JobFailed, Outcome, Progress, run, start
from disclosure.jobs.models import Job
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

SEEN = []


def _work(job, progress):
    for done in range(3):
        progress(done, 3, f"第 {done + 1} 步")
    progress(3, 3)
    SEEN.append(job.params)
    return Outcome(
        message="做完了。",
        result={"headings": ["名称", "数量"], "rows": [["<b>甲</b>", 1], ["乙", None]]},
        file="结果\n".encode(),
        filename="结果 文件.txt",
        content_type="text/plain; charset=utf-8",
    )


@shared_task(name="tests.jobs.ok")
def ok_task(job_id, **kwargs):
    run(job_id, _work)


@shared_task(name="tests.jobs.refused")
def refused_task(job_id):
    def work(job, progress):
        raise JobFailed("文件不对。")

    run(job_id, work)


@shared_task(name="tests.jobs.crash")
def crash_task(job_id):
    def work(job, progress):
        raise RuntimeError("secret internals /etc/passwd")

    run(job_id, work)


class Unqueueable:
    @staticmethod
    def delay(*args, **kwargs):
        raise ConnectionError("broker down")


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_task_runs_after_the_commit_and_stores_its_outcome(django_capture_on_commit_callbacks):
    user = make_user("owner")
    SEEN.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = start("test", user, ok_task, title="测试任务", region_id=7, size=3)
        assert Job.objects.get(pk=job.pk).status == Job.Status.QUEUED  # nothing ran inside the transaction
    assert len(callbacks) == 1
    callbacks[0]()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert (job.progress_done, job.progress_total, job.percent) == (3, 3, 100)
    assert job.message == "做完了。"
    assert job.result["rows"][0] == ["<b>甲</b>", 1]
    assert bytes(job.result_file) == "结果\n".encode()
    assert job.params == {"size": 3} and SEEN == [{"size": 3}]
    assert job.started_at and job.finished_at and job.region_id == 7


def test_a_job_runs_once(django_capture_on_commit_callbacks):
    user = make_user("owner")
    SEEN.clear()
    with django_capture_on_commit_callbacks(execute=True):
        job = start("test", user, ok_task)
    assert run(job.pk, _work) is None  # delivered twice: the second delivery does nothing
    assert len(SEEN) == 1


def test_a_refusal_is_shown_and_an_internal_error_is_not(django_capture_on_commit_callbacks):
    user = make_user("owner")
    with django_capture_on_commit_callbacks(execute=True):
        refused = start("test", user, refused_task, input_file=b"upload", input_name="a.zip")
        crashed = start("test", user, crash_task)
    refused.refresh_from_db()
    crashed.refresh_from_db()
    assert (refused.status, refused.message) == (Job.Status.FAILED, "文件不对。")
    assert refused.input_file is None  # the upload is not kept
    assert (crashed.status, crashed.message) == (Job.Status.FAILED, INTERNAL_ERROR)
    page = client_for(user).get(reverse("jobs:detail", args=[crashed.pk]))
    assert INTERNAL_ERROR in page.content.decode() and "passwd" not in page.content.decode()


def test_a_job_that_cannot_be_queued_fails_visibly(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = start("test", make_user("owner"), Unqueueable)
    job.refresh_from_db()
    assert (job.status, job.message) == (Job.Status.FAILED, NOT_QUEUED)


def test_progress_writes_are_throttled():
    job = Job.objects.create(kind="test", owner=make_user("owner"), status=Job.Status.RUNNING)
    now = [100.0]
    progress = Progress(job.pk, interval=1.0, clock=lambda: now[0])
    progress(0, 10, "开始")  # the first call writes
    for done in range(1, 6):
        now[0] += 0.1
        progress(done, 10, f"第 {done} 个")
    job.refresh_from_db()
    assert (progress.writes, job.progress_done, job.message) == (1, 0, "开始")
    now[0] += 1.0
    progress(6, 10, "第 6 个")  # a second later: written
    progress(7, 10, "第 7 个")
    job.refresh_from_db()
    assert (progress.writes, job.progress_done) == (2, 6)
    progress(10, 10)  # the last step always writes
    job.refresh_from_db()
    assert (progress.writes, job.progress_done, job.progress_total) == (3, 10, 10)
    progress(3, 20)
    progress.flush()
    job.refresh_from_db()
    assert (progress.writes, job.progress_done, job.progress_total) == (4, 3, 20)


def test_the_owner_sees_page_status_and_file_others_get_404(django_capture_on_commit_callbacks):
    owner, other = make_user("owner"), make_user("other", is_superuser=True, is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        job = start("test", owner, ok_task, title="测试任务")
    client = client_for(owner)
    page = client.get(reverse("jobs:detail", args=[job.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "&lt;b&gt;甲&lt;/b&gt;" in html and "<b>甲</b>" not in html  # result text is escaped
    assert reverse("jobs:download", args=[job.pk]) in html
    assert "<script>" not in html and "disclosure/js/job" in html
    state = json.loads(client.get(reverse("jobs:status", args=[job.pk])).content)
    assert state["status"] == "done" and state["percent"] == 100 and state["finished"]
    assert state["download_url"] == reverse("jobs:download", args=[job.pk])
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.content == "结果\n".encode()
    assert "filename*=UTF-8''%E7%BB%93%E6%9E%9C%20%E6%96%87%E4%BB%B6.txt" in download["Content-Disposition"]
    for name in ("jobs:detail", "jobs:status", "jobs:download"):
        assert client_for(other).get(reverse(name, args=[job.pk])).status_code == 404
        assert Client().get(reverse(name, args=[job.pk])).status_code == 302  # log in first
        assert client.post(reverse(name, args=[job.pk])).status_code == 405


def test_a_running_job_shows_its_progress_and_no_download():
    owner = make_user("owner")
    job = Job.objects.create(
        kind="test",
        owner=owner,
        status=Job.Status.RUNNING,
        progress_done=2,
        progress_total=8,
        message="第 3 个",
    )
    client = client_for(owner)
    state = json.loads(client.get(reverse("jobs:status", args=[job.pk])).content)
    assert (state["percent"], state["done"], state["total"], state["finished"]) == (25, 2, 8, False)
    assert state["download_url"] is None
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    html = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'value="25"' in html and "2/8" in html and 'data-status="running"' in html


def test_for_owner_ignores_anonymous_users():
    job = Job.objects.create(kind="test", owner=make_user("owner"))
    assert api.for_owner(None, job.pk) is None


def test_purge_jobs_deletes_old_finished_jobs_and_fails_stale_ones():
    owner = make_user("owner")
    long_ago = timezone.now() - timedelta(days=31)
    old = Job.objects.create(kind="test", owner=owner, status=Job.Status.DONE, result_file=b"x")
    recent = Job.objects.create(kind="test", owner=owner, status=Job.Status.DONE, finished_at=timezone.now())
    stuck = Job.objects.create(kind="test", owner=owner, status=Job.Status.RUNNING, input_file=b"zip")
    Job.objects.filter(pk=old.pk).update(finished_at=long_ago, created_at=long_ago)
    Job.objects.filter(pk=stuck.pk).update(created_at=long_ago)
    out = io.StringIO()
    call_command("purge_jobs", "--days", "30", stdout=out)
    assert set(Job.objects.values_list("pk", flat=True)) == {recent.pk, stuck.pk}
    stuck.refresh_from_db()
    assert stuck.status == Job.Status.FAILED and stuck.input_file is None and "重新提交" in stuck.message
    assert "删除 1 个任务，1 个未结束的任务标为失败" in out.getvalue()
