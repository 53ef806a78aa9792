"""Draft files rendered once per report version: every reader of the same
draft gets the bytes of one render, whichever process or machine serves them.

The cache is the database (``DraftRendition``), keyed by (report, version,
template version, kind) under a unique constraint. A reader that finds no
fresh row claims the row by updating it inside a transaction (a row lock on
PostgreSQL, the database's write lock on SQLite), checks again and renders only
if nobody did meanwhile; readers arriving during the render wait on that lock
and then read the stored bytes. Rows of a report's older versions or templates
are dropped when a new one is rendered, after its lock is released and only the
rows nobody holds (two readers rendering two versions of one report must not
wait on each other's rows).

With a broker configured the web request does not render: ``stored_draft``
serves a stored render, and ``request_draft`` leaves a placeholder row (renders
0, ``locked_at`` the time it was asked for) and queues ``tasks.render_draft``
once per version; the download answers 202 until the worker has stored it, so a
reader never holds a web worker for a render the editors need.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from disclosure.reports.models import AnnualReport

from .models import DraftRendition, RenditionKind
from .render import render_html, render_pdf, template_version

logger = logging.getLogger(__name__)

RENDERERS = {
    RenditionKind.PDF: render_pdf,
    RenditionKind.HTML: lambda report: render_html(report).encode("utf-8"),
}


# A queued render not done after this long is asked for again (its worker died, the broker lost it).
REQUEST_AGAIN_AFTER = timedelta(minutes=2)


def _fresh(row: DraftRendition | None, report: AnnualReport) -> bool:
    return row is not None and row.renders > 0 and row.source_updated_at == report.updated_at


def _key(report: AnnualReport, kind: str) -> dict:
    return {
        "report_id": report.pk,
        "version": report.version,
        "template_version": template_version(),
        "kind": kind,
    }


def stored_draft(report: AnnualReport, kind: str) -> bytes | None:
    """The stored render of the report as saved now, or None."""
    row = DraftRendition.objects.filter(**_key(report, kind)).first()
    return bytes(row.content) if _fresh(row, report) else None


def request_draft(report: AnnualReport, kind: str, enqueue) -> None:
    """Make sure a render of this version is on its way: the first reader (or one
    arriving after ``REQUEST_AGAIN_AFTER``) calls ``enqueue()`` once its
    placeholder row commits; the others only wait for it."""
    key = _key(report, kind)
    now = timezone.now()
    lost = DraftRendition.objects.filter(**key, renders=0).filter(
        Q(locked_at__isnull=True) | Q(locked_at__lt=now - REQUEST_AGAIN_AFTER)
    )
    if not lost.update(locked_at=now):  # not asked for yet, or asked for and on its way
        if DraftRendition.objects.filter(**key).exists():
            return
        try:
            with transaction.atomic():
                DraftRendition.objects.create(**key, locked_at=now)
        except IntegrityError:  # another reader asked for it just now
            return
    transaction.on_commit(enqueue)


def draft_file(report: AnnualReport, kind: str) -> bytes:
    """The draft ``kind`` file of ``report`` as saved now, rendered at most once
    per version (and template version) across all processes.

    Side effects: on the first read of a version, inserts its ``DraftRendition``
    row, renders while holding that row's lock, stores the bytes and deletes the
    report's rows of other versions or templates."""
    key = _key(report, kind)
    row = DraftRendition.objects.filter(**key).first()
    if _fresh(row, report):
        return bytes(row.content)
    if row is None:
        try:
            with transaction.atomic():
                DraftRendition.objects.create(**key)
        except IntegrityError:  # inserted meanwhile by another reader
            pass
    with transaction.atomic():
        # The claim: readers of the same key queue here until the renderer commits.
        DraftRendition.objects.filter(**key).update(locked_at=timezone.now())
        row = DraftRendition.objects.get(**key)
        if _fresh(row, report):
            return bytes(row.content)
        content = RENDERERS[kind](report)
        row.content, row.size, row.source_updated_at = content, len(content), report.updated_at
        row.renders += 1
        row.rendered_at = timezone.now()
        row.save(update_fields=["content", "size", "source_updated_at", "renders", "rendered_at"])
    _drop_older(report, kind, row.pk)
    logger.info(
        "draft %s of report %s v%s rendered (%s bytes)", kind, report.pk, report.version, len(content)
    )
    return content


def _drop_older(report: AnnualReport, kind: str, keep: int) -> None:
    """Delete the report's renders of older versions or templates that no other
    reader holds now (a row being rendered is left for a later clean-up)."""
    older = (
        DraftRendition.objects.filter(report_id=report.pk, kind=kind)
        .exclude(pk=keep)
        .filter(Q(version__lt=report.version) | ~Q(template_version=template_version()))
    )
    with transaction.atomic():
        free = list(older.select_for_update(skip_locked=True).values_list("pk", flat=True))
        DraftRendition.objects.filter(pk__in=free).delete()
