"""Reviewer pages and one POST endpoint per workflow action. Every view gets the
report through ``get_report_for_user`` (404 for other agencies' reports)."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render

from disclosure.ops.audit import audit_refusal
from disclosure.publish.document import document_from_report
from disclosure.publish.models import Rendition, RenditionKind
from disclosure.reports.access import get_report_for_user
from disclosure.reports.edit_page import save_posted_draft
from disclosure.reports.models import AnnualReport
from disclosure.reports.services import check_report, explanations, load_values
from disclosure.reports.workflow_spec import action, target_status

from . import history as review_history
from .permissions import has_role_for, submitter_id
from .workflow import TRANSITION_FUNCTIONS, TransitionError


def report_view(*methods):
    """Scope before method: a report the user may not see is 404 whatever the
    method (``require_POST`` alone would answer 405 first). The view gets the report."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, pk, **kwargs):
            report = get_report_for_user(request.user, pk)
            if request.method not in methods:
                return HttpResponseNotAllowed(methods)
            return view(request, report, **kwargs)

        return wrapped

    return decorator


def _refusal_reason(refused: TransitionError, user, report_id, code: str, comment: str) -> str:
    """A code for the audit log saying why the workflow refused (its messages are prose):
    the error's own ``code`` when it has one, else read again from the report's state."""
    if getattr(refused, "code", ""):
        return refused.code
    report = AnnualReport.objects.filter(pk=report_id).first()
    if report is None:
        return "not_found"
    if not has_role_for(user, report, code):
        return "role"
    if target_status(report.status, code) is None:
        return "state"
    if code == "approve" and submitter_id(report) == user.pk:
        return "four_eyes"
    if action(code).comment_required and not comment.strip():
        return "comment_required"
    return {"submit": "content", "return": "target"}.get(code, "refused")


def _transition(request, report, code, *, refused_prefix=""):
    declared = action(code)
    if not has_role_for(request.user, report, code):
        audit_refusal(request, report=report, action=code, reason="role", status=403)
        raise PermissionDenied(f"您无权{declared.label}。")
    extra = {"target": request.POST.get("target", "")} if code == "return" else {}
    comment = request.POST.get("comment", "")
    try:
        TRANSITION_FUNCTIONS[code](report.pk, request.user, comment=comment, **extra)
    except TransitionError as refused:
        reason = _refusal_reason(refused, request.user, report.pk, code, comment)
        audit_refusal(request, report=report, action=code, reason=reason)
        if refused_prefix:
            messages.error(request, refused_prefix)
        for message in refused.messages:
            messages.error(request, message)
        return redirect(declared.failure_page, pk=report.pk)
    messages.success(request, declared.success)
    return redirect(report)


@report_view("POST")
def submit(request, report):
    """Submit; from the edit page the form's content is saved as a draft first
    (a save that is refused or has bad cells re-shows the edit page instead)."""
    if "version" not in request.POST or not has_role_for(request.user, report, "submit"):
        return _transition(request, report, "submit")
    report, response = save_posted_draft(request, report.pk, submitting=True)
    if response is not None:
        return response
    return _transition(request, report, "submit", refused_prefix="草稿已保存，但未能提交审核：")


@report_view("POST")
def withdraw(request, report):
    return _transition(request, report, "withdraw")


@report_view("POST")
def approve(request, report):
    return _transition(request, report, "approve")


@report_view("POST")
def return_(request, report):
    return _transition(request, report, "return")


@report_view("POST")
def reopen(request, report):
    return _transition(request, report, "reopen")


@report_view("GET")
def review(request, report):
    values = load_values(report)
    reasons = explanations(report)
    context = {
        "report": report,
        "document": document_from_report(report, values),
        "findings": [(f, reasons.get(f.check)) for f in check_report(report, values)],
        "comments": review_history.comments(report),
        "changes": review_history.changes_since_previous_submission(report, values),
    }
    return render(request, "review/review.html", context)


@report_view("GET")
def history(request, report):
    context = {"report": report, "entries": review_history.entries(report)}
    return render(request, "review/history.html", context)


@report_view("GET")
def rendition(request, report, rendition_id):
    """A stored file of any approval of the report, byte for byte as stored."""
    stored = get_object_or_404(Rendition, pk=rendition_id, report=report)
    content_type = "application/pdf" if stored.kind == RenditionKind.PDF else "text/html; charset=utf-8"
    response = HttpResponse(bytes(stored.content), content_type=content_type)
    filename = f"report-{report.pk}-v{stored.version}.{stored.kind}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-SHA256"] = stored.sha256
    return response
