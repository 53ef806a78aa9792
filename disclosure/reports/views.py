"""The clerks' pages: report list, start, read-only report page, edit page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import json_script
from django.views.decorators.http import require_GET, require_POST

from disclosure.formats.checks import compute_totals, evaluate, expand, has_errors, rules_json
from disclosure.formats.values import display

from . import access
from .forms import NarrativeForm, ReportGrid, StartForm, sections
from .models import TABLE_MODELS, AnnualReport
from .services import blank_cells, load_values, previous_report, previous_values, save_values, start_report

FIRST_YEAR = 2019  # the earliest national format's first year
MAX_LIST_SHOWN = 200


# ------------------------------------------------------------------ list and start


def _startable_years(user, reports) -> list[int]:
    m = access.membership(user)
    if m is None or not access.can_start(user, m.agency_id):
        return []
    taken = {r.year for r in reports if r.agency_id == m.agency_id}
    last = timezone.localdate().year
    return [y for y in range(last, FIRST_YEAR - 1, -1) if y not in taken]


def _bulk_values(reports) -> dict[int, dict]:
    """Cell values of many reports in three queries (one per table)."""
    values = {r.pk: dict.fromkeys(r.format.cell_keys()) for r in reports}
    by_id = {r.pk: r for r in reports}
    for table_code, model in TABLE_MODELS.items():
        for row in model.objects.filter(report_id__in=list(values)):
            fmt = by_id[row.report_id].format
            for column in _row_columns(fmt, table_code, row.row_code):
                values[row.report_id][f"{table_code}.{row.row_code}.{column}"] = getattr(row, column)
    return values


def _row_columns(fmt, table_code, row_code) -> list[str]:
    for group, row in fmt.table(table_code).rows():
        if row.code == row_code:
            return [c.code for c in group.columns]
    return []


def _summaries(user, reports) -> list[dict]:
    """Each report with its failing error and warning counts (constant queries)."""
    wanted = {(r.agency_id, r.year - 1) for r in reports}
    previous = {
        (p.agency_id, p.year): p
        for p in AnnualReport.objects.filter(
            agency_id__in={a for a, _ in wanted}, year__in={y for _, y in wanted}
        ).select_related("agency")
    }
    values = _bulk_values(list({r.pk: r for r in list(reports) + list(previous.values())}.values()))
    rows = []
    for report in reports:
        prev = previous.get((report.agency_id, report.year - 1))
        findings = evaluate(report.format, values[report.pk], values[prev.pk] if prev else None)
        rows.append(
            {
                "report": report,
                "errors": sum(f.severity == "error" for f in findings),
                "warnings": sum(f.severity == "warning" for f in findings),
                "blanks": len(blank_cells(report.format, values[report.pk])),
                "can_edit": access.can_edit(user, report),
            }
        )
    return rows


@require_GET
def report_list(request):
    reports = list(access.reports_for_user(request.user).order_by("-year", "agency__name")[:MAX_LIST_SHOWN])
    years = _startable_years(request.user, reports)
    context = {
        "rows": _summaries(request.user, reports),
        "start_form": StartForm(years=years) if years else None,
        "truncated": len(reports) == MAX_LIST_SHOWN,
    }
    return render(request, "reports/list.html", context)


@require_POST
def report_start(request):
    m = access.membership(request.user)
    if m is None or not access.can_start(request.user, m.agency_id):
        raise PermissionDenied("只有本机关的填报人可以新建年度报告。")
    taken = access.reports_for_user(request.user).filter(agency_id=m.agency_id)
    form = StartForm(request.POST, years=_startable_years(request.user, list(taken)))
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


def _report(request, pk, *, for_update=False) -> AnnualReport:
    report = access.get_report_for_user(request.user, pk, for_update=for_update)
    if report.updated_by_id:
        # one extra query instead of a join, so select_for_update stays on the report row
        report.updated_by  # noqa: B018
    return report


def report_detail(request, pk):
    report = _report(request, pk)  # scope before method: another agency's report is 404 on every method
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    fmt = report.format
    values = load_values(report)
    findings = evaluate(fmt, values, previous_values(report))
    grid = ReportGrid(fmt, values)
    invalid = {key for f in findings for key in f.cells}
    form = NarrativeForm(instance=report)
    context = {
        "report": report,
        "fmt": fmt,
        "sections": _laid_out(sections(fmt, form), grid, invalid, editable=False),
        "findings": [f.as_json() for f in findings],
        "blank_count": len(blank_cells(fmt, values)),
        "can_edit": access.can_edit(request.user, report),
        "role": access.role_of(request.user),
    }
    return render(request, "reports/detail.html", context)


def _laid_out(items, grid, invalid, editable):
    return [
        {"kind": kind, "heading": heading, "field": obj, "code": obj.name}
        if kind == "text"
        else {
            "kind": kind,
            "heading": heading,
            "table": obj,
            "rows": grid.layout(obj, invalid, editable),
            "code": obj.code,
        }
        for kind, heading, obj in items
    ]


# ------------------------------------------------------------------ edit page


def report_edit(request, pk):
    if request.method == "POST":
        return _save(request, pk)
    report = _report(request, pk)  # scope before method, as on the report page
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    if not access.can_edit(request.user, report):
        messages.info(request, _why_not_editable(request.user, report))
        return redirect(report)
    values = load_values(report)
    return _render_edit(
        request, report, ReportGrid(report.format, values), NarrativeForm(instance=report), values
    )


def _why_not_editable(user, report) -> str:
    if not access.is_clerk_of(user, report):
        return "只有本机关的填报人可以填写报告，您可以查看。"
    return f"报告当前状态为“{report.get_status_display()}”，不能修改。"


def _render_edit(request, report, grid, form, values, status=200, version=None):
    fmt = report.format
    previous = previous_values(report)
    findings = evaluate(fmt, values, previous)
    invalid = {key for f in findings for key in f.cells}
    context = {
        "report": report,
        "fmt": fmt,
        "form": form,
        "version": report.version if version is None else version,
        "sections": _laid_out(sections(fmt, form), grid, invalid, editable=True),
        "findings": [f.as_json() for f in findings],
        "has_errors": has_errors(findings),
        "blank_count": len(blank_cells(fmt, values)),
        "cell_errors": grid.error_labels(),
        "rules_script": _rules_script(fmt),
        # the page shows input the server did not (fully) store: leaving must ask
        "unsaved": status != 200,
        "previous": {k: display(previous.get(k)) for k in _previous_keys(fmt)} if previous else None,
    }
    return render(request, "reports/edit.html", context, status=status)


_RULES_SCRIPTS: dict[str, str] = {}
_PREVIOUS_KEYS: dict[str, list[str]] = {}


def _rules_script(fmt) -> str:
    """The format's checks as a json_script element (built once per format: ~100 kB)."""
    if fmt.code not in _RULES_SCRIPTS:
        _RULES_SCRIPTS[fmt.code] = json_script(rules_json(fmt), "rules-data")
    return _RULES_SCRIPTS[fmt.code]


def _previous_keys(fmt) -> list[str]:
    """The previous year's cells the checks read (only these are sent to the browser)."""
    if fmt.code not in _PREVIOUS_KEYS:
        checks = expand(fmt)
        _PREVIOUS_KEYS[fmt.code] = sorted({t.key for c in checks for t in c.lhs + c.rhs if t.previous})
    return _PREVIOUS_KEYS[fmt.code]


def _conflict(user, report, posted_version) -> str:
    """Why this save must be refused (the report changed under the clerk), or ''."""
    if not report.editable:
        return f"报告已处于“{report.get_status_display()}”状态，不能再修改，您的修改未保存。"
    if str(report.version) != (posted_version or "").strip():
        who = (
            (report.updated_by.get_full_name() or report.updated_by.username)
            if report.updated_by
            else "其他人"
        )
        when = timezone.localtime(report.updated_at).strftime("%Y-%m-%d %H:%M")
        return (
            f"{who}已于{when}保存了这份报告（第{report.version}版），您的修改未保存，以免覆盖对方的内容。"
            "您填写的内容仍保留在本页：请核对后再次点击“保存草稿”。"
        )
    return ""


def _save(request, pk):
    action = request.POST.get("action", "save")
    with transaction.atomic():
        report = _report(request, pk, for_update=True)
        if not access.is_clerk_of(request.user, report):
            raise PermissionDenied("只有本机关的填报人可以填写报告。")
        fmt = report.format
        stored = load_values(report)
        grid = ReportGrid(fmt, stored, request.POST)
        form = NarrativeForm(request.POST, instance=report)
        refusal = _conflict(request.user, report, request.POST.get("version"))
        if refusal or not form.is_valid():
            return _refuse(request, report, grid, form, stored, refusal)
        values = {**stored, **grid.values}
        if action == "fill_blanks":
            grid.fill_blanks(values)
        values = compute_totals(fmt, values)
        grid.show(values)
        save_values(report, {k: v for k, v in values.items() if k not in grid.errors})
        form.save(commit=False)
        report.version += 1
        report.updated_by = request.user
        report.save()
    if grid.errors:
        messages.warning(request, f"草稿已保存（第{report.version}版），但以下单元格填写有误，未保存：")
        return _render_edit(request, report, grid, NarrativeForm(instance=report), values, status=422)
    if action == "submit":
        return _submit(request, report)
    blanks = len(blank_cells(report.format, values))
    note = f"还有 {blanks} 个单元格未填写，提交前须全部填写（可用“空白填0”）。" if blanks else ""
    messages.success(request, f"草稿已保存（第{report.version}版）。{note}")
    return redirect("reports:edit", pk=report.pk)


def _refuse(request, report, grid, form, stored, refusal):
    """Re-show the page with everything the clerk typed; nothing was saved."""
    shown = compute_totals(report.format, {**stored, **grid.values})
    for key in report.format.cell_keys():
        if report.format.is_computed(key):
            grid.texts[key] = display(shown[key])
    if refusal:
        messages.error(request, refusal)
        # the clerk has now seen the other save: saving again is their decision
        return _render_edit(request, report, grid, form, shown, status=409, version=report.version)
    messages.error(request, "请修改标出的错误后再保存，本次未保存。")
    return _render_edit(request, report, grid, form, shown, status=422, version=request.POST.get("version"))


def _submit(request, report):
    """Hand over to the review workflow (owned by disclosure.review)."""
    from disclosure.review.workflow import TransitionError, submit_report

    try:
        submit_report(report.pk, request.user)
    except TransitionError as exc:
        messages.error(request, "草稿已保存，但未能提交审核：")
        for message in exc.messages:
            messages.error(request, message)
        return redirect("reports:edit", pk=report.pk)
    messages.success(request, "报告已提交审核。")
    return redirect(report)
