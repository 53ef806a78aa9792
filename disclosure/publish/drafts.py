"""Draft files rendered once per report version: every reader of the same
draft gets the bytes of one render, whichever process or machine serves them.

The cache is the database (``DraftRendition``), keyed by (report, version,
template version, kind) under a unique constraint. A reader that finds no
fresh row claims the row by updating it inside a transaction (a row lock on
PostgreSQL, the database's write lock on SQLite), checks again and renders only
if nobody did meanwhile; readers arriving during the render wait on that lock
and then read the stored bytes. Rows of a report's older versions or templates
are dropped when a new one is rendered.
"""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from disclosure.reports.models import AnnualReport

from .models import DraftRendition, RenditionKind
from .render import render_html, render_pdf, template_version

logger = logging.getLogger(__name__)

RENDERERS = {
    RenditionKind.PDF: render_pdf,
    RenditionKind.HTML: lambda report: render_html(report).encode("utf-8"),
}


def _fresh(row: DraftRendition | None, report: AnnualReport) -> bool:
    return row is not None and row.renders > 0 and row.source_updated_at == report.updated_at


def draft_file(report: AnnualReport, kind: str) -> bytes:
    """The draft ``kind`` file of ``report`` as saved now, rendered at most once
    per version (and template version) across all processes.

    Side effects: on the first read of a version, inserts its ``DraftRendition``
    row, renders while holding that row's lock, stores the bytes and deletes the
    report's rows of other versions or templates."""
    key = {
        "report_id": report.pk,
        "version": report.version,
        "template_version": template_version(),
        "kind": kind,
    }
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
        DraftRendition.objects.filter(report_id=report.pk, kind=kind).exclude(pk=row.pk).delete()
    logger.info(
        "draft %s of report %s v%s rendered (%s bytes)", kind, report.pk, report.version, len(content)
    )
    return content
