"""Reviewer pages and one POST endpoint per transition. Every view gets the
report through ``get_report_for_user`` (404 for other agencies' reports)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

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


def _transition(request, pk, action, failure_url_name):
    report = get_report_for_user(request.user, pk)
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


@require_POST
def submit(request, pk):
    return _transition(request, pk, "submit", "reports:edit")


@require_POST
def approve(request, pk):
    return _transition(request, pk, "approve", "review:review")


@require_POST
def return_(request, pk):
    return _transition(request, pk, "return", "review:review")


@require_POST
def reopen(request, pk):
    return _transition(request, pk, "reopen", "review:review")


@require_GET
def review(request, pk):
    report = get_report_for_user(request.user, pk)
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


@require_GET
def history(request, pk):
    report = get_report_for_user(request.user, pk)
    context = {"report": report, "entries": review_history.entries(report)}
    return render(request, "review/history.html", context)


@require_GET
def rendition(request, pk, rendition_id):
    """A stored file of any approval of the report, byte for byte as stored."""
    report = get_report_for_user(request.user, pk)
    stored = get_object_or_404(Rendition, pk=rendition_id, report=report)
    content_type = "application/pdf" if stored.kind == RenditionKind.PDF else "text/html; charset=utf-8"
    response = HttpResponse(bytes(stored.content), content_type=content_type)
    filename = f"report-{report.pk}-v{stored.version}.{stored.kind}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-SHA256"] = stored.sha256
    return response
