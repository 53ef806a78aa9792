"""The clerks' pages: report list, start, read-only report page, edit page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from . import access, queries
from .edit_page import laid_out, render_edit, save_json, save_posted_draft, scoped_report
from .forms import NarrativeForm, ReportGrid, StartForm, sections
from .services import (
    blank_cells,
    check_report,
    explain,
    explanations,
    load_values,
    previous_report,
    start_report,
    warning_rows,
)

# ------------------------------------------------------------------ list and start


@require_GET
def report_list(request):
    reports = queries.listed_reports(request.user)
    years = queries.startable_years(request.user, reports)
    context = {
        "rows": queries.summaries(request.user, reports),
        "start_form": StartForm(years=years) if years else None,
        "truncated": len(reports) == queries.MAX_LIST_SHOWN,
    }
    return render(request, "reports/list.html", context)


@require_POST
def report_start(request):
    m = access.membership(request.user)
    if m is None or not access.can_start(request.user, m.agency_id):
        raise PermissionDenied("只有本机关的填报人可以新建年度报告。")
    taken = access.reports_for_user(request.user).filter(agency_id=m.agency_id)
    form = StartForm(request.POST, years=queries.startable_years(request.user, list(taken)))
    if not form.is_valid():
        messages.error(request, "请选择一个尚未建立报告的年度。")
        return redirect("reports:list")
    year = form.cleaned_data["year"]
    try:
        report = start_report(m.agency, year, request.user)
    except IntegrityError:
        messages.error(request, f"{year}年的报告已经存在。")
        return redirect("reports:list")
    note = "，已从上年报告结转相关数据" if previous_report(report) else ""
    messages.success(request, f"已新建{year}年度报告（{report.format.name}）{note}。")
    return redirect("reports:edit", pk=report.pk)


# ------------------------------------------------------------------ report page


def report_detail(request, pk):
    report = scoped_report(request, pk)  # scope before method: another agency's report is 404 on every method
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    fmt = report.format
    values = load_values(report)
    findings = check_report(report, values)
    grid = ReportGrid(fmt, values)
    invalid = {key for f in findings for key in f.cells}
    form = NarrativeForm(instance=report)
    context = {
        "report": report,
        "fmt": fmt,
        "sections": laid_out(sections(fmt, form), grid, invalid, editable=False),
        "findings": [f.as_json() for f in findings],
        "blank_count": len(blank_cells(fmt, values)),
        "can_edit": access.can_edit(request.user, report),
        "role": access.role_of(request.user),
        "warnings": warning_rows(findings, explanations(report)),
    }
    return render(request, "reports/detail.html", context)


# ------------------------------------------------------------------ edit page


def report_edit(request, pk):
    if request.method == "POST":
        return _save(request, pk)
    report = scoped_report(request, pk)  # scope before method, as on the report page
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    if not access.can_edit(request.user, report):
        messages.info(request, _why_not_editable(request.user, report))
        return redirect(report)
    values = load_values(report)
    return render_edit(
        request, report, ReportGrid(report.format, values), NarrativeForm(instance=report), values
    )


def _why_not_editable(user, report) -> str:
    if not access.is_clerk_of(user, report):
        return "只有本机关的填报人可以填写报告，您可以查看。"
    return f"报告当前状态为“{report.get_status_display()}”，不能修改。"


def _save(request, pk):
    """保存草稿 and 空白填0 (提交审核 posts to the review app's submit view): the
    page's script saves with fetch and gets JSON (the page stays where it is);
    an ordinary form post is redirected back to the page or re-shown."""
    if "application/json" in request.headers.get("Accept", ""):
        return save_json(request, pk)
    report, response = save_posted_draft(request, pk)
    if response is not None:
        return response
    blanks = len(blank_cells(report.format, load_values(report)))
    note = f"还有 {blanks} 个单元格未填写，提交前须全部填写（可用“空白填0”）。" if blanks else ""
    messages.success(request, f"草稿已保存（第{report.version}版）。{note}")
    return redirect("reports:edit", pk=report.pk)


# ------------------------------------------------------------------ warnings' reasons

REASON_PREFIX = "reason:"


def report_explain(request, pk):
    """The clerk's reasons for the warnings that stand (a warning must be fixed or
    explained before submitting); kept with the report and its history."""
    report = scoped_report(request, pk)  # scope before method: outsiders get 404 for any method
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not access.can_edit(request.user, report):
        raise PermissionDenied(_why_not_editable(request.user, report))
    reasons = {
        name[len(REASON_PREFIX) :]: text
        for name, text in request.POST.items()
        if name.startswith(REASON_PREFIX)
    }
    changed = explain(report, reasons, request.user)
    messages.success(request, f"已保存{len(changed)}项警告说明。" if changed else "警告说明没有变化。")
    back = "reports:edit" if request.POST.get("next") == "edit" else "reports:detail"
    return redirect(back, pk=report.pk)
