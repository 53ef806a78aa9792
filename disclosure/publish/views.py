"""Downloads of a report as HTML and PDF. A report that is not approved is
rendered as a draft (watermark, file name saying so); an approved report
serves the bytes stored at approval (the statutory record never changes).
Word (.docx) and Excel (.xlsx) are working copies made from the saved report
each time (a draft says so in its file name, and the Word file in its header).

A draft PDF or HTML is rendered once per report version and shared by every
reader (``drafts.draft_file``); with a broker configured it is rendered by a
worker (``tasks.render_draft``) and the download answers 202 until it is stored. The files of an approval are made in the
background (``tasks.render_approval_files``): until they are stored, the
download answers 202 with a page saying so (and ``Retry-After``) instead of
rendering in the request; the report page polls that answer (``renditions.js``)."""

from urllib.parse import quote

from django.http import HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import render

from disclosure.reports.access import get_report_for_user
from disclosure.reports.values import load_values

from .archive import approved_rendition
from .data import report_data as report_data_dict
from .document import document_from_report
from .docx import report_docx
from .models import FilesState
from .render import download_name
from .tasks import queued_draft, request_files
from .xlsx import XLSX_TYPE, report_xlsx

RETRY_AFTER_SECONDS = 10


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


def files_pending_response(request, report, job, *, draft: bool = False) -> HttpResponse:
    """202 and a page saying the approval's files (or a draft's file) are being made
    (or failed and are retried); the page asks again by itself (``pending.js``)."""
    failed = job is not None and job.state in (FilesState.FAILED, FilesState.RETRYING)
    context = {"report": report, "job": job, "failed": failed, "draft": draft}
    response = render(request, "publish/pending.html", context, status=202)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "private, no-store"
    return response


def _download(request, report, kind: str, content_type: str) -> HttpResponse:
    if not report.is_record:
        content = queued_draft(report, kind)
        if content is None:
            return files_pending_response(request, report, None, draft=True)
        return attachment_response(content, content_type, report, kind)
    rendition = approved_rendition(report, kind)
    if rendition is None:
        job = request_files(report)  # in the embedded default this stores them now
        rendition = approved_rendition(report, kind)
        if rendition is None:
            return files_pending_response(request, report, job)
    return attachment_response(bytes(rendition.content), content_type, report, kind)


def report_html(request, pk):
    report = get_report_for_user(request.user, pk)  # scope before method: outsiders get 404
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return _download(request, report, "html", "text/html; charset=utf-8")


def report_pdf(request, pk):
    report = get_report_for_user(request.user, pk)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return _download(request, report, "pdf", "application/pdf")


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def report_docx_download(request, pk):
    """The report in Word, in the official layout (``docx.py``)."""
    report = get_report_for_user(request.user, pk)  # scope before method: outsiders get 404
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return attachment_response(report_docx(document_from_report(report)), DOCX_TYPE, report, "docx")


def report_xlsx_download(request, pk):
    """The three tables in Excel, readable back by the edit page's upload (``xlsx.py``)."""
    report = get_report_for_user(request.user, pk)  # scope before method: outsiders get 404
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return attachment_response(report_xlsx(report, load_values(report)), XLSX_TYPE, report, "xlsx")


def report_data(request, pk):
    """The report's data as JSON, the stable contract other systems read (see ``data.py``)."""
    report = get_report_for_user(request.user, pk)  # scope before method: outsiders get 404
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    data = report_data_dict(report, load_values(report))
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, no-store"
    return response
