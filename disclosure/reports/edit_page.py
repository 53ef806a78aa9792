"""The edit page's form handling, shared by the edit view (保存草稿, 空白填0)
and the review app's submit view (提交审核 saves the form first): binding
the posted grid and narrative form, refusing a stale or invalid save with
everything typed kept on the page, saving, and rendering the page.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import json_script

from disclosure.formats.checks import compute_totals, evaluate, expand, has_errors, rules_json
from disclosure.formats.values import display

from . import access
from .forms import NarrativeForm, ReportGrid, dom_id, sections
from .models import AnnualReport, display_name
from .record import current_return
from .services import blank_cells, load_values, previous_values, save_values


def scoped_report(request, pk, *, for_update=False) -> AnnualReport:
    """The report if the user may see it (404 otherwise), with who saved it last."""
    report = access.get_report_for_user(request.user, pk, for_update=for_update)
    if report.updated_by_id:
        # one extra query instead of a join, so select_for_update stays on the report row
        report.updated_by  # noqa: B018
    return report


def laid_out(items, grid, invalid, editable, note=None):
    """The sections as the report and edit templates walk them; ``note`` (a
    return's ``Transition``) is shown beside the section or cell it targets."""
    sections = [
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
    if note is not None and note.target:
        _attach(sections, note)
    return sections


def _anchor(target: str) -> str:
    """The element a comment's target is shown in: a cell's input or a section."""
    return dom_id(target) if "." in target else f"section-{target}"


def _attach(sections, note) -> None:
    for section in sections:
        if section["code"] == note.target:
            section["note"] = note
        for row in section.get("rows", ()):
            for cell in row:
                if cell.get("key") == note.target:
                    cell["note"] = True
                    section["note"], section["note_cell"] = note, cell["id"]


def render_edit(request, report, grid, form, values, status=200, version=None) -> HttpResponse:
    fmt = report.format
    previous = previous_values(report)
    findings = evaluate(fmt, values, previous)
    invalid = {key for f in findings for key in f.cells}
    note = current_return(report)
    context = {
        "report": report,
        "fmt": fmt,
        "form": form,
        "version": report.version if version is None else version,
        "review_note": note,
        "note_anchor": _anchor(note.target) if note and note.target else "",
        "sections": laid_out(sections(fmt, form), grid, invalid, editable=True, note=note),
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


def _conflict(report, posted_version) -> str:
    """Why this save must be refused (the report changed under the clerk), or ''."""
    if not report.editable:
        return f"报告已处于“{report.get_status_display()}”状态，不能再修改，您的修改未保存。"
    if str(report.version) != (posted_version or "").strip():
        who = display_name(report.updated_by, "其他人")
        when = timezone.localtime(report.updated_at).strftime("%Y-%m-%d %H:%M")
        return (
            f"{who}已于{when}保存了这份报告（第{report.version}版），您的修改未保存，以免覆盖对方的内容。"
            "您填写的内容仍保留在本页：请核对后再次点击“保存草稿”。"
        )
    return ""


def save_posted_draft(request, pk, *, submitting=False) -> tuple[AnnualReport, HttpResponse | None]:
    """Save the posted edit form as a draft: (the report, None) when it was saved
    whole, or (the report, the edit page re-shown with what was typed) when the
    save was refused (409: changed meanwhile or not editable; 422: invalid) or
    some cells were refused (422: the rest is saved).

    Side effects: locks the report row; stores the valid cells (computed totals
    recomputed) and the narrative fields; bumps the version; records the user."""
    fill_blanks = request.POST.get("action") == "fill_blanks"
    with transaction.atomic():
        report = scoped_report(request, pk, for_update=True)
        if not access.is_clerk_of(request.user, report):
            raise PermissionDenied("只有本机关的填报人可以填写报告。")
        fmt = report.format
        stored = load_values(report)
        grid = ReportGrid(fmt, stored, request.POST)
        form = NarrativeForm(request.POST, instance=report)
        refusal = _conflict(report, request.POST.get("version"))
        if refusal or not form.is_valid():
            return report, _refuse(request, report, grid, form, stored, refusal)
        values = {**stored, **grid.values}
        if fill_blanks:
            grid.fill_blanks(values)
        values = compute_totals(fmt, values)
        grid.show(values)
        save_values(report, {k: v for k, v in values.items() if k not in grid.errors})
        form.save(commit=False)
        report.version += 1
        report.updated_by = request.user
        report.save()
    if grid.errors:
        not_submitted = "，未提交审核" if submitting else ""
        messages.warning(
            request, f"草稿已保存（第{report.version}版）{not_submitted}，但以下单元格填写有误，未保存："
        )
        return report, render_edit(request, report, grid, NarrativeForm(instance=report), values, status=422)
    return report, None


def _refuse(request, report, grid, form, stored, refusal) -> HttpResponse:
    """Re-show the page with everything the clerk typed; nothing was saved."""
    shown = compute_totals(report.format, {**stored, **grid.values})
    for key in report.format.cell_keys():
        if report.format.is_computed(key):
            grid.texts[key] = display(shown[key])
    if refusal:
        messages.error(request, refusal)
        # the clerk has now seen the other save: saving again is their decision
        return render_edit(request, report, grid, form, shown, status=409, version=report.version)
    messages.error(request, "请修改标出的错误后再保存，本次未保存。")
    return render_edit(request, report, grid, form, shown, status=422, version=request.POST.get("version"))
