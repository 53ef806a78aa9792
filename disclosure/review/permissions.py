"""Who may move a report along the workflow: small named predicates.

Views call them to refuse early, templates (``{% load review %}``) to show only
the buttons the user may press, and the workflow functions re-check them under
the row lock through ``refusals``, which also says why (in Chinese). Roles,
states and labels come from the declaration in ``reports.workflow_spec``.
"""

from __future__ import annotations

from disclosure.reports.access import has_role
from disclosure.reports.models import AnnualReport, Transition
from disclosure.reports.workflow_spec import ACTIONS, Role, action, target_status


def submitter_id(report: AnnualReport) -> int | None:
    """The user who made the latest submission."""
    last = Transition.objects.filter(report=report, action="submit").order_by("-created_at", "-pk").first()
    return last.actor_id if last else None


def has_role_for(user, report: AnnualReport, code: str) -> bool:
    return has_role(user, report, action(code).role)


def refusals(user, report: AnnualReport, code: str) -> list[str]:
    """Why ``user`` may not take action ``code`` on ``report`` now (empty when allowed).

    Content checks (findings, blank cells) are the workflow's; this covers
    role, state and the four-eyes principle."""
    declared = action(code)
    if not has_role_for(user, report, code):
        return [f"只有本机关的{Role(declared.role).label}可以{declared.label}。"]
    if target_status(report.status, code) is None:
        return [
            f"报告当前状态为“{report.get_status_display()}”，不能{declared.label}。"
            "可能已被他人处理，请刷新页面后查看。"
        ]
    if code == "approve" and submitter_id(report) == user.pk:
        return ["提交人不能审核通过自己提交的报告，请由另一位审核人审核（四眼原则）。"]
    return []


def allowed(user, report: AnnualReport, code: str) -> bool:
    return not refusals(user, report, code)


def allowed_actions(user, report: AnnualReport) -> list[str]:
    """The actions ``user`` may take on ``report`` now, in declaration order."""
    return [a.code for a in ACTIONS if allowed(user, report, a.code)]
