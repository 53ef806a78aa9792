"""The region's roll-up (汇总) for the regional disclosure office: the page, the
drill-down of one cell, and the downloads (.xlsx, JSON, HTML, PDF).

Office users see their own region (and the regions below it); superusers pick
any region (``?region=<id>``, a top-level region by default); everybody else
gets 403. ``?submitted=1`` adds the reports awaiting review to the sums.

The page's download buttons post to ``rollup_export``, which makes the file in a
background job (a large region's PDF takes a while) and shows the job's page:
its progress, then the download link. The GET downloads stay for scripts."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from disclosure.formats import format_for_year
from disclosure.jobs.api import start
from disclosure.publish.render import render_html, render_pdf
from disclosure.reports.access import office_region
from disclosure.reports.models import Region

from .rollup import NO_REPORT_LABEL, Rollup, contributions, statuses
from .rollup import rollup_xlsx as build_xlsx
from .tasks import ROLLUP_FILE, ROLLUP_KINDS, rollup_file_task

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _region(request) -> Region:
    """The region whose roll-up the user may read (403 for clerks and reviewers)."""
    user = request.user
    if getattr(user, "is_superuser", False):
        chosen = request.GET.get("region", "")
        regions = Region.objects.all()
        if chosen:
            region = regions.filter(pk=chosen).first() if chosen.isdigit() else None
        else:
            region = regions.filter(parent__isnull=True).order_by("path").first()
        if region is None:
            raise Http404("没有找到该地区。")
        return region
    region = office_region(user)
    if region is None:
        raise PermissionDenied("只有政务公开办可以查看本地区的汇总。")
    return region


def _rollup(request, year: int) -> Rollup:
    """Access first (403 before anything else), then the year, then the method."""
    region = _region(request)
    try:
        format_for_year(year)
    except ValueError:
        raise Http404(f"{year}年没有适用的年度报告格式。") from None
    return Rollup(region, year, include_submitted=request.GET.get("submitted") == "1")


def _read_only(request):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return None


def _query(request, rollup: Rollup) -> str:
    """The query string that keeps the chosen region and the switch on every link."""
    params = {}
    if getattr(request.user, "is_superuser", False):
        params["region"] = rollup.region.pk
    if rollup.include_submitted:
        params["submitted"] = "1"
    return ("?" + urlencode(params)) if params else ""


def _attachment(content, content_type: str, rollup: Rollup, ext: str) -> HttpResponse:
    fallback = f"rollup-{rollup.region.code}-{rollup.year}.{ext}".encode("ascii", "replace").decode()
    fallback = fallback.replace("?", "_").replace('"', "_")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(rollup.title + '.' + ext)}"
    )
    response["Cache-Control"] = "private, no-store"
    return response


def rollup(request, year):
    total = _rollup(request, year)
    refused = _read_only(request)
    if refused:
        return refused
    query = _query(request, total)
    findings = total.findings
    context = {
        "rollup": total,
        "tables": total.page_tables(),
        "errors": [f for f in findings if f.severity == "error"],
        "warnings": [f for f in findings if f.severity != "error"],
        "findings": findings,
        "query": query,
        "cell_url": reverse("oversight:rollup_cell", args=[year, "KEY"]) + query,
        "regions": Region.objects.order_by("path") if request.user.is_superuser else None,
        "no_report_label": NO_REPORT_LABEL,
    }
    return render(request, "oversight/rollup.html", context)


def rollup_cell(request, year, key):
    """Which agencies of the region contribute how much to one cell (JSON, one query)."""
    total_region = _region(request)
    try:
        fmt = format_for_year(year)
        fmt.locate(key)
    except (ValueError, KeyError):
        raise Http404("没有该单元格。") from None
    refused = _read_only(request)
    if refused:
        return refused
    parts = contributions(fmt, key, total_region, year, statuses(request.GET.get("submitted") == "1"))
    data = {"key": key, "label": fmt.cell_label(key), "region": total_region.full_name, "parts": parts}
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, no-store"
    return response


def rollup_json(request, year):
    total = _rollup(request, year)
    refused = _read_only(request)
    if refused:
        return refused
    response = JsonResponse(total.as_json(), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, no-store"
    return response


def rollup_xlsx(request, year):
    total = _rollup(request, year)
    refused = _read_only(request)
    if refused:
        return refused
    return _attachment(build_xlsx(total), XLSX_TYPE, total, "xlsx")


def rollup_html(request, year):
    total = _rollup(request, year)
    refused = _read_only(request)
    if refused:
        return refused
    return _attachment(render_html(total.document()), "text/html; charset=utf-8", total, "html")


def rollup_pdf(request, year):
    total = _rollup(request, year)
    refused = _read_only(request)
    if refused:
        return refused
    return _attachment(render_pdf(total.document()), "application/pdf", total, "pdf")


def rollup_export(request, year):
    """Start the job that makes the roll-up file (``kind``: xlsx, pdf or html) and
    show its page. Access first (403), then the year (404), then the method (405)."""
    region = _region(request)
    try:
        format_for_year(year)
    except ValueError:
        raise Http404(f"{year}年没有适用的年度报告格式。") from None
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    kind = request.POST.get("kind", "")
    if kind not in ROLLUP_KINDS:
        return HttpResponseBadRequest("不支持的文件格式。".encode())
    include_submitted = request.GET.get("submitted") == "1"
    words = "（含待审核）" if include_submitted else ""
    job = start(
        ROLLUP_FILE,
        request.user,
        rollup_file_task,
        title=f"{region.full_name}{year}年度报告汇总表{words}：{ROLLUP_KINDS[kind][0]} 文件",
        region_id=region.pk,
        year=year,
        include_submitted=include_submitted,
        kind=kind,
    )
    return redirect("jobs:detail", job.pk)
