"""Starting a job and running it: the one way long work leaves the request.

``start`` creates the ``Job`` row and queues the Celery task once the
transaction that created it commits (a worker never looks for a row it cannot
see yet). The task receives the job's id and calls ``run`` with the work to do;
``run`` claims the job (a job is run once even if its message is delivered
twice), reports progress through a throttled ``Progress``, and stores the result
or the failure. With no broker (development, tests) Celery runs the task
in-process when the transaction commits.

A failure the user should read is raised as ``JobFailed("中文说明")``; any
other exception is logged and shown as a generic message (no stack trace, no
internals in the page)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from .models import Job

logger = logging.getLogger(__name__)

INTERNAL_ERROR = "处理过程中发生内部错误，请稍后重试；如仍失败，请联系系统管理员。"
NOT_QUEUED = "任务无法排队，请稍后重试；如仍失败，请联系系统管理员。"
# A progress row is written at most this often (and always at the first and the last step).
PROGRESS_INTERVAL = 1.0


class JobFailed(Exception):
    """The work cannot be done; the message (Chinese) is shown to the user."""


@dataclass
class Outcome:
    """What a job's work produced: a short message, a JSON result and optionally a file."""

    message: str = ""
    result: dict = field(default_factory=dict)
    file: bytes | None = None
    filename: str = ""
    content_type: str = "application/octet-stream"


def start(
    kind: str,
    user,
    task,
    /,
    *,
    title: str = "",
    region_id: int | None = None,
    agency_id: int | None = None,
    input_file: bytes | None = None,
    input_name: str = "",
    **kwargs,
) -> Job:
    """Create the job and queue ``task(job_id, **kwargs)`` when the current
    transaction commits. ``kwargs`` must be JSON-serialisable (they may use any name,
    ``kind`` included: the first three arguments are positional); they are kept on
    the job (``params``) too."""
    job = Job.objects.create(
        kind=kind,
        title=title[:200],
        owner=user,
        region_id=region_id,
        agency_id=agency_id,
        params=kwargs,
        input_file=input_file,
        input_name=input_name[:255],
        message="等待处理……",
    )
    job_id = str(job.pk)
    transaction.on_commit(lambda: _enqueue(task, job_id, kwargs))
    return job


def _enqueue(task, job_id: str, kwargs: dict) -> None:
    try:
        task.delay(job_id, **kwargs)
    except Exception:  # the broker is down: the job fails visibly instead of waiting for ever
        logger.exception("job %s could not be queued", job_id)
        _fail(job_id, NOT_QUEUED)


class Progress:
    """``progress(done, total, message="")``: the job's progress, written to the
    database at most every ``interval`` seconds (the first call, a call reaching
    ``total`` and ``flush()`` always write). ``clock`` is injectable for tests."""

    def __init__(
        self, job_id, interval: float = PROGRESS_INTERVAL, clock: Callable[[], float] = time.monotonic
    ):
        self.job_id = job_id
        self.interval = interval
        self.clock = clock
        self.last_write: float | None = None
        self.pending: tuple[int, int, str] | None = None
        self.writes = 0

    def __call__(self, done: int, total: int, message: str = "") -> None:
        self.pending = (done, total, message)
        now = self.clock()
        if self.last_write is None or done >= total or now - self.last_write >= self.interval:
            self.flush()

    def flush(self) -> None:
        if self.pending is None:
            return
        done, total, message = self.pending
        fields = {"progress_done": done, "progress_total": total}
        if message:
            fields["message"] = message[:300]
        Job.objects.filter(pk=self.job_id, status=Job.Status.RUNNING).update(**fields)
        self.last_write = self.clock()
        self.pending = None
        self.writes += 1


def run(job_id, work: Callable[[Job, Progress], Outcome]) -> Job | None:
    """Claim the queued job, run ``work(job, progress)`` and store its outcome.
    Returns the job, or None when it was not queued (already run, or unknown)."""
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now(), message="正在处理……"
    )
    if not claimed:
        logger.warning("job %s is not queued; not run again", job_id)
        return None
    job = Job.objects.get(pk=job_id)
    progress = Progress(job_id)
    try:
        outcome = work(job, progress)
    except JobFailed as exc:
        _fail(job_id, str(exc))
    except Exception:
        logger.exception("job %s (%s) failed", job_id, job.kind)
        _fail(job_id, INTERNAL_ERROR)
    else:
        progress.flush()
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.DONE,
            finished_at=timezone.now(),
            message=(outcome.message or "已完成。")[:300],
            result=outcome.result,
            result_file=outcome.file,
            result_name=outcome.filename[:255] if outcome.file is not None else "",
            result_type=outcome.content_type if outcome.file is not None else "",
            input_file=None,  # the upload is not kept once it has been read
        )
    return Job.objects.get(pk=job_id)


def _fail(job_id, message: str) -> None:
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.FAILED, finished_at=timezone.now(), message=message[:300], input_file=None
    )


def for_owner(user, job_id):
    """The user's job (without its files) or None: other users' jobs do not exist for them."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Job.objects.defer("input_file", "result_file").filter(pk=job_id, owner=user).first()


def status_json(job: Job, urls: dict) -> dict:
    return {
        "id": str(job.pk),
        "status": job.status,
        "status_label": job.get_status_display(),
        "finished": job.finished,
        "done": job.progress_done,
        "total": job.progress_total,
        "percent": job.percent,
        "message": job.message,
        "download_url": urls.get("download") if job.has_file else None,
    }
