"""Background work of the publish app (Celery; see ``disclosure/celery.py``).

``render_approval_files`` renders and stores an approval's PDF and HTML after
the approval has committed. Several workers may run it for the same approval
(a redelivered message, an operator's re-run): ``archive.store_approval_files``
stores one rendition per kind whatever the order. Its ``ApprovalFiles`` row
says where the job is, for the report page and the downloads.

With no broker (the embedded default) the task runs in-process when the
approval commits; a failure there is recorded, not retried in a loop: the next
download (or ``manage.py render_report ID --archive``, or the admin) queues it
again.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from disclosure.reports.models import AnnualReport

from .archive import files_job, needs_scheduling, open_files_job, store_approval_files, stored_kinds
from .drafts import draft_file, request_draft, stored_draft
from .models import ApprovalFiles, FilesState, RenditionKind

logger = logging.getLogger(__name__)

MAX_RETRIES = 5
ERROR_SHOWN = 2000


def _mark(report_id: int, version: int, state: str, **fields) -> None:
    ApprovalFiles.objects.filter(report_id=report_id, version=version).update(
        state=state, updated_at=timezone.now(), **fields
    )


@shared_task(bind=True, name="publish.render_approval_files", max_retries=MAX_RETRIES, acks_late=True)
def render_approval_files(self, report_id: int, version: int) -> str:
    """Render and store the files of the approval at ``version`` of report
    ``report_id``; returns "done", "superseded" (reopened before its files were
    made) or "failed".

    Side effects: moves the ``ApprovalFiles`` row through running → done (or
    retrying, with the error, and a retry with back-off; failed after
    ``MAX_RETRIES``); inserts the ``Rendition`` rows still missing."""
    _mark(report_id, version, FilesState.RUNNING, attempts=F("attempts") + 1, task_id=self.request.id or "")
    try:
        stored = store_approval_files(report_id, version)
    except AnnualReport.DoesNotExist:
        return "superseded"
    except Exception as exc:
        final = self.request.is_eager or self.request.retries >= self.max_retries
        error = f"{type(exc).__name__}: {exc}"[:ERROR_SHOWN]
        _mark(report_id, version, FilesState.FAILED if final else FilesState.RETRYING, error=error)
        logger.exception("rendering the files of report %s v%s failed", report_id, version)
        if final:
            return "failed"
        raise self.retry(exc=exc, countdown=min(600, 10 * 2**self.request.retries)) from exc
    if stored is None:
        complete = stored_kinds(report_id, version) >= set(RenditionKind.values)
        _mark(
            report_id,
            version,
            FilesState.DONE if complete else FilesState.FAILED,
            error="" if complete else "报告已重新打开",
        )
        return "done" if complete else "superseded"
    _mark(report_id, version, FilesState.DONE, error="")
    return "done"


def enqueue(job: ApprovalFiles) -> None:
    """Send the job to the workers (in-process with no broker). Errors are
    logged, not raised: the job stays queued and a later reader re-sends it."""
    try:
        render_approval_files.delay(job.report_id, job.version)
    except Exception:  # broker unreachable: the page says the files are pending; readers retry
        logger.exception("could not queue the files of report %s v%s", job.report_id, job.version)


def schedule_approval_files(report: AnnualReport, approval) -> ApprovalFiles:
    """Record the approval's files job and queue it once the approval commits.
    Call inside the approval's transaction."""
    job, _ = open_files_job(report, approval)
    transaction.on_commit(lambda: enqueue(job))
    return job


def request_files(report: AnnualReport) -> ApprovalFiles | None:
    """Make sure the files of an approved report are on their way: a report
    with no job (imported as approved) gets one; a failed or lost job is queued
    again. Returns the job (None unless approved). In the embedded default the
    files are stored when this returns (outside a transaction)."""
    if not report.is_record:
        return None
    job = files_job(report)
    if job is None:
        job, created = open_files_job(report)
        if not created:
            return job
    elif not needs_scheduling(job):
        return job
    else:
        _mark(report.pk, report.version, FilesState.QUEUED)
    transaction.on_commit(lambda: enqueue(job))
    return ApprovalFiles.objects.get(pk=job.pk)


@shared_task(name="publish.render_draft", acks_late=True)
def render_draft(report_id: int, version: int, kind: str) -> str:
    """Render and store a draft's ``kind`` file of ``version`` (``drafts.draft_file``:
    once, whichever worker runs it); a report saved again or approved since is skipped."""
    report = AnnualReport.objects.filter(pk=report_id).first()
    if report is None or report.version != version or report.is_record:
        return "stale"
    draft_file(report, kind)
    return "stored"


def queued_draft(report: AnnualReport, kind: str) -> bytes | None:
    """The draft file of the report as saved now: the stored render, rendered here
    in the embedded default (no broker), or None after asking a worker for it."""
    content = stored_draft(report, kind)
    if content is not None:
        return content
    if render_draft.app.conf.task_always_eager:
        return draft_file(report, kind)

    def send():
        try:
            render_draft.delay(report.pk, report.version, kind)
        except Exception:  # broker unreachable: the placeholder goes stale and a reader asks again
            logger.exception("could not queue the draft %s of report %s", kind, report.pk)

    request_draft(report, kind, send)
    return None
