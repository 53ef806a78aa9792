"""Reviewer pages and one POST endpoint per transition. Every view gets the
report through ``get_report_for_user`` (404 for other agencies' reports)."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render

from disclosure.publish.document import document_from_report
from disclosure.reports.access import get_report_for_user
from disclosure.reports.services import check_report, load_values

from . import history as review_history
from .models import ACTION_LABELS, Rendition, RenditionKind
from .permissions import allowed_actions, has_role_for
from .workflow import TRANSITION_FUNCTIONS, TransitionError

SUCCESS = {
    "submit": "报告已提交审核。",
    "approve": "报告已审核通过，可发布的PDF和HTML文件已存档。",
    "return": "报告已退回填报人修改。",
    "reopen": "报告已重新打开为草稿。",
}


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


def _transition(request, report, action, failure_url_name):
    if not has_role_for(request.user, report, action):
        raise PermissionDenied(f"您无权{ACTION_LABELS[action]}。")
    try:
        TRANSITION_FUNCTIONS[action](report.pk, request.user, comment=request.POST.get("comment", ""))
    except TransitionError as refused:
        for message in refused.messages:
            messages.error(request, message)
        return redirect(failure_url_name, pk=report.pk)
    messages.success(request, SUCCESS[action])
    return redirect(report)


@report_view("POST")
def submit(request, report):
    return _transition(request, report, "submit", "reports:edit")


@report_view("POST")
def approve(request, report):
    return _transition(request, report, "approve", "review:review")


@report_view("POST")
def return_(request, report):
    return _transition(request, report, "return", "review:review")


@report_view("POST")
def reopen(request, report):
    return _transition(request, report, "reopen", "review:review")


@report_view("GET")
def review(request, report):
    values = load_values(report)
    context = {
        "report": report,
        "document": document_from_report(report, values),
        "findings": check_report(report, values),
        "comments": review_history.comments(report),
        "changes": review_history.changes_since_previous_submission(report, values),
        "actions": allowed_actions(request.user, report),
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
