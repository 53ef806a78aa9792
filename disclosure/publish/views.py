"""Downloads of a report as HTML and PDF. A report that is not approved is
rendered as a draft (watermark, file name saying so); an approved report
serves the bytes stored at approval (the statutory record never changes)."""

from urllib.parse import quote

from django.http import HttpResponse, HttpResponseNotAllowed, JsonResponse

from disclosure.reports.access import get_report_for_user
from disclosure.reports.values import load_values

from .archive import approved_rendition
from .data import cells_json
from .render import download_name, render_html, render_pdf

RENDERERS = {"html": render_html, "pdf": render_pdf}


def attachment_response(content, content_type: str, report, ext: str) -> HttpResponse:
    """The file as an attachment named in Chinese (RFC 5987 ``filename*``) with
    an ASCII ``filename`` for old clients."""
    draft = "" if report.is_record else "-draft"
    fallback = f"report-{report.year}-{report.pk}{draft}.{ext}"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(download_name(report, ext))}"
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _content(request, report, kind: str):
    if report.is_record:
        return bytes(approved_rendition(report, kind, request.user).content)
    return RENDERERS[kind](report)


def report_html(request, pk):
    report = get_report_for_user(request.user, pk)  # scope before method: outsiders get 404
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return attachment_response(_content(request, report, "html"), "text/html; charset=utf-8", report, "html")


def report_pdf(request, pk):
    report = get_report_for_user(request.user, pk)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return attachment_response(_content(request, report, "pdf"), "application/pdf", report, "pdf")


def report_data(request, pk):
    """The report's data as JSON, the stable contract other systems read (see ``data.py``)."""
    report = get_report_for_user(request.user, pk)  # scope before method: outsiders get 404
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    fmt = report.format
    region = report.agency.region
    response = JsonResponse(
        {
            "format": fmt.code,
            "agency": report.agency.name,
            "region": region.full_name if region else None,
            "year": report.year,
            "status": report.status,
            "version": report.version,
            "cells": cells_json(fmt, load_values(report)),
        },
        json_dumps_params={"ensure_ascii": False},
    )
    response["Cache-Control"] = "private, no-store"
    return response
