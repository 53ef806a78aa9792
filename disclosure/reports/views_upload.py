"""上传上年度已发布的报告: the pages of ``upload_start`` (the rules are there).

- ``upload_start``: GET the form; POST a file → the preview (tables, narratives,
  findings, warnings) and the 保存 button, or the refusal. Clerks only (403).
- ``upload_start_save``: POST the preview's token → the imported record is
  saved and the clerk lands on its page; a stale or foreign token is 409.
- ``upload_start_done``: the imported record (已发布（导入）), read-only, with
  the way on to this year's report. Scoped as the report page (404 outside);
  a report that was not imported goes to its ordinary page.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import access
from . import upload_start as logic
from .edit_page import laid_out, scoped_report
from .forms import NarrativeForm, ReportGrid, sections
from .models import AnnualReport
from .services import check_report, load_values

FORM_TEMPLATE = "reports/upload_start.html"
DONE_TEMPLATE = "reports/upload_start_done.html"
NOT_A_CLERK = "只有机关的填报人可以上传本机关上年度已发布的报告。"


def _clerk_agency(request):
    agency = logic.clerk_agency(request.user)
    if agency is None:
        raise PermissionDenied(NOT_A_CLERK)
    return agency


def _page(request, agency, status=200, **context):
    return render(
        request,
        FORM_TEMPLATE,
        {
            "agency": agency,
            "max_mb": logic.MAX_UPLOAD_BYTES // (1024 * 1024),
            "latest_year": logic.latest_year(),
            "accept": ",".join(logic.ACCEPTED_SUFFIXES),
            "imported_label": logic.IMPORTED_LABEL,
            **context,
        },
        status=status,
    )


def _report_sections(report: AnnualReport, values: dict, findings) -> list[dict]:
    """The six sections as the report page lays them out (read-only grid)."""
    invalid = {key for f in findings for key in f.cells}
    form = NarrativeForm(instance=report)
    return laid_out(sections(report.format, form), ReportGrid(report.format, values), invalid, editable=False)


def upload_start(request):
    agency = _clerk_agency(request)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    if request.method != "POST":
        return _page(request, agency)
    upload = request.FILES.get("file")
    if upload is None:
        return _page(request, agency, 400, error="请选择要上传的报告文件。")
    if upload.size > logic.MAX_UPLOAD_BYTES:
        return _page(request, agency, 400, error=logic.TOO_LARGE)
    data = upload.read(logic.MAX_UPLOAD_BYTES + 1)
    try:
        parsed = logic.read_upload(data, upload.name)
    except logic.UploadRefused as exc:
        return _page(request, agency, 400, error=str(exc), file_name=upload.name)
    preview = logic.preview(parsed, agency)
    pending = None if preview.refusal else logic.keep_pending(request.user, agency, upload.name, data)
    report = AnnualReport(agency=agency, year=parsed.year, title=parsed.title[:200], preface=parsed.preface)
    for code, text in parsed.narratives.items():
        setattr(report, code, text)
    return _page(
        request,
        agency,
        400 if preview.refusal else 200,
        preview=preview,
        parsed=parsed,
        report=report,
        fmt=parsed.format,
        file_name=upload.name,
        pending=pending,
        sections=_report_sections(report, parsed.values, preview.findings),
        findings=[f.as_json() for f in preview.findings],
        notes=[n.message for n in parsed.notes],
    )


@require_POST
def upload_start_save(request):
    agency = _clerk_agency(request)
    pending = logic.pending_for(request.user, request.POST.get("token", ""))
    if pending is None:
        return _page(request, agency, 409, error="没有待保存的上传文件，或已超过一天失效，请重新上传。")
    try:
        report = logic.save_pending(pending, request.user)
    except logic.UploadRefused as exc:
        pending.delete()
        return _page(request, agency, 409, error=str(exc))
    messages.success(
        request,
        f"已将“{pending.name}”保存为本机关{report.year}年度的已发布报告（导入），"
        f"新建{report.year + 1}年度报告时将从中结转数据。",
    )
    return redirect("reports:upload_start_done", pk=report.pk)


def upload_start_done(request, pk):
    report = scoped_report(request, pk)  # scope before method: outsiders get 404
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    transition = logic.import_transition(report)
    if transition is None or not report.is_record:
        return redirect(report)
    values = load_values(report)
    findings = check_report(report, values, blanks="unknown")  # as published: blank is not reported
    has_next = AnnualReport.objects.filter(agency_id=report.agency_id, year=report.year + 1).exists()
    context = {
        "report": report,
        "fmt": report.format,
        "transition": transition,
        "status_label": logic.IMPORTED_LABEL,
        "sections": _report_sections(report, values, findings),
        "findings": [f.as_json() for f in findings],
        "next_year": report.year + 1,
        "has_next": has_next,
        "can_start_next": not has_next and access.can_start(request.user, report.agency_id),
    }
    return render(request, DONE_TEMPLATE, context)
