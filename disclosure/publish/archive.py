"""The approval archive: the publishable PDF and HTML rendered once from the
approved content and stored with their SHA-256 (``Rendition``), and reading
them back. The review workflow calls ``store_approval_files`` inside its
approval transaction; downloads of an approved report serve the stored bytes.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from disclosure.reports.models import AnnualReport

from .models import Rendition, RenditionKind
from .render import render_html, render_pdf


def _render(report: AnnualReport, kind: str) -> bytes:
    if kind == RenditionKind.PDF:
        return render_pdf(report)
    return render_html(report).encode("utf-8")


def _store(report: AnnualReport, kind: str, user, *, approval=None, backfilled=False) -> Rendition:
    content = _render(report, kind)
    return Rendition.objects.create(
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


def store_approval_files(report: AnnualReport, user, approval) -> list[Rendition]:
    """Render and store every kind of file for the approval just recorded.

    Side effects: renders the report (PDF and HTML) from its current content and
    inserts one ``Rendition`` per kind, keyed by the report's version. Call it
    inside the approval's transaction, so a failure leaves nothing stored."""
    return [_store(report, kind, user, approval=approval) for kind in RenditionKind.values]


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


def approved_rendition(report: AnnualReport, kind: str, user=None) -> Rendition | None:
    """The current approval's stored file, rendering and storing it first if an
    approved report has none (imported historic reports); None unless approved.

    Side effects: for an approved report without a stored file, locks the
    report row, renders ``kind`` once and stores it as a backfilled
    ``Rendition`` (shown as such in the history); later calls serve those bytes."""
    rendition = current_rendition(report, kind)
    if rendition is not None or not report.is_record:
        return rendition
    try:
        with transaction.atomic():
            locked = AnnualReport.objects.select_for_update().get(pk=report.pk)
            rendition = current_rendition(locked, kind)
            if rendition is None and locked.is_record:
                rendition = _store(locked, kind, user, backfilled=True)
    except IntegrityError:  # stored meanwhile by a parallel first download
        rendition = current_rendition(report, kind)
    return rendition
