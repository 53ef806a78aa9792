"""The approval archive: the publishable PDF and HTML rendered once from the
approved content and stored with their SHA-256 (``Rendition``), and reading
them back.

Approval only records an ``ApprovalFiles`` job in its transaction
(``open_files_job``); once it commits, the Celery task
(``publish.tasks.render_approval_files``) calls ``store_approval_files``,
which renders with no lock held and then, under a short lock of the report
row, stores one ``Rendition`` per kind unless another worker did already (the
unique constraint backs this up on every database). Downloads of an approved
report serve the stored bytes; while they are being produced the download says
so (``publish.views``).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from disclosure.reports.models import AnnualReport

from .models import ApprovalFiles, FilesState, Rendition, RenditionKind
from .render import render_html, render_pdf

logger = logging.getLogger(__name__)

# A queued or running job untouched this long lost its message (broker down at
# approval, a worker killed): the next reader of the files schedules it again.
STALE_AFTER = timedelta(minutes=10)
# A job that failed for good is queued again by the first reader after this long.
RETRY_FAILED_AFTER = timedelta(minutes=5)


def _render(report: AnnualReport, kind: str) -> bytes:
    if kind == RenditionKind.PDF:
        return render_pdf(report)
    return render_html(report).encode("utf-8")


def _new_rendition(report, kind: str, content: bytes, user, *, approval=None, backfilled=False) -> Rendition:
    return Rendition(
        report=report,
        approval=approval,
        version=report.version,
        kind=kind,
        content=content,
        sha256=Rendition.digest(content),
        size=len(content),
        backfilled=backfilled,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )


def _insert(rendition: Rendition) -> Rendition | None:
    """Insert unless the same approval's file of that kind is stored (None then)."""
    try:
        with transaction.atomic():
            rendition.save(force_insert=True)
    except IntegrityError:  # stored meanwhile by another worker: one rendition per approval
        return None
    return rendition


def stored_kinds(report_id: int, version: int) -> set[str]:
    return set(Rendition.objects.filter(report_id=report_id, version=version).values_list("kind", flat=True))


def open_files_job(report: AnnualReport, approval=None) -> tuple[ApprovalFiles, bool]:
    """The files job of the report's current version, created ``queued`` if
    there is none; (job, created). Call it in the approval's transaction."""
    try:
        with transaction.atomic():
            return ApprovalFiles.objects.get_or_create(
                report=report, version=report.version, defaults={"approval": approval}
            )
    except IntegrityError:  # created meanwhile by a parallel reader
        return ApprovalFiles.objects.get(report=report, version=report.version), False


def files_job(report: AnnualReport) -> ApprovalFiles | None:
    """The files job of the report's current version (None if it never had one)."""
    if not report.is_record:
        return None
    return ApprovalFiles.objects.filter(report_id=report.pk, version=report.version).first()


def needs_scheduling(job: ApprovalFiles) -> bool:
    """Whether a reader should queue the job again: it failed for good a while
    ago (not at once: a page polling a failing job must not loop the workers),
    or it sat queued or running so long that its message was lost."""
    if job.state == FilesState.FAILED:
        return job.updated_at < timezone.now() - RETRY_FAILED_AFTER
    return job.pending and job.updated_at < timezone.now() - STALE_AFTER


def store_approval_files(report_id: int, version: int) -> list[Rendition] | None:
    """Render and store every kind of file of the approval at ``version``;
    returns the renditions inserted by this call ([] if another worker stored
    them), or None if the report is no longer at that approved version.

    Side effects: renders the report (PDF and HTML) with no lock held, then
    locks the report row only to insert the ``Rendition`` rows that are still
    missing. Safe to run twice or in parallel: one rendition per kind and
    approval, the unique constraint enforces it."""
    report = AnnualReport.objects.select_related("agency").get(pk=report_id)
    if report.version != version or not report.is_record:
        return None
    missing = [kind for kind in RenditionKind.values if kind not in stored_kinds(report_id, version)]
    if not missing:
        return []
    rendered = {kind: _render(report, kind) for kind in missing}
    job = (
        ApprovalFiles.objects.filter(report_id=report_id, version=version).select_related("approval").first()
    )
    approval = job.approval if job else None
    user = approval.actor if approval else None
    with transaction.atomic():
        locked = AnnualReport.objects.select_for_update().get(pk=report_id)
        if locked.version != version or not locked.is_record:  # reopened while rendering
            return None
        stored = stored_kinds(report_id, version)
        created = [
            _insert(
                _new_rendition(locked, kind, content, user, approval=approval, backfilled=approval is None)
            )
            for kind, content in rendered.items()
            if kind not in stored
        ]
    return [r for r in created if r is not None]


def store_missing_files_locked(report: AnnualReport, user) -> list[Rendition]:
    """Render and store, now, whatever file of the report's current approval
    (its ``ApprovalFiles`` job) is still missing. Call with the report row
    locked in the caller's transaction (``reopen_report``: the content is about
    to be editable again, so the approval's files must be taken from it first).
    A render failure is logged and recorded on the job, never raised: the
    reopen goes ahead."""
    job = files_job(report)
    if job is None:  # not approved, or imported as approved and never asked for: nothing was due
        return []
    approval = job.approval
    stored = stored_kinds(report.pk, report.version)
    try:
        rendered = {kind: _render(report, kind) for kind in RenditionKind.values if kind not in stored}
    except Exception as exc:  # any renderer failure: the reopen must not depend on it
        logger.exception(
            "rendering the files of report %s v%s before reopening failed", report.pk, report.version
        )
        job.state, job.error = FilesState.FAILED, f"重新打开前生成失败：{type(exc).__name__}: {exc}"[:2000]
        job.save(update_fields=["state", "error", "updated_at"])
        return []
    actor = approval.actor if approval else user
    created = [
        _insert(_new_rendition(report, kind, content, actor, approval=approval, backfilled=approval is None))
        for kind, content in rendered.items()
    ]
    if job.state != FilesState.DONE:
        job.state, job.error = FilesState.DONE, ""
        job.save(update_fields=["state", "error", "updated_at"])
    return [r for r in created if r is not None]


def current_rendition(report: AnnualReport, kind: str) -> Rendition | None:
    """The stored file of the report's current approval (None unless approved and stored)."""
    if not report.is_record:
        return None
    return Rendition.objects.filter(report_id=report.pk, version=report.version, kind=kind).first()


def current_renditions(report: AnnualReport) -> list[Rendition]:
    """The current approval's stored files, without their content (for display)."""
    if not report.is_record:
        return []
    return list(Rendition.objects.filter(report_id=report.pk, version=report.version).defer("content"))


def approved_rendition(report: AnnualReport, kind: str) -> Rendition | None:
    """The current approval's stored file; None unless approved and stored
    (``publish.tasks.request_files`` has it produced in the background)."""
    return current_rendition(report, kind)
