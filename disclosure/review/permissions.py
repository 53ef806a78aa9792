"""Who may move a report along the workflow: small named predicates.

Views call them to refuse early, templates (``{% load review %}``) to show only
the buttons the user may press, and the workflow functions re-check them under
the row lock through ``refusals``, which also says why (in Chinese).
"""

from __future__ import annotations

from disclosure.reports.access import is_clerk_of, is_reviewer_of
from disclosure.reports.models import TRANSITIONS, AnnualReport, Role

from .models import ACTION_LABELS, Transition

# The role each action needs, within the report's agency.
ACTION_ROLES = {
    "submit": (is_clerk_of, Role.CLERK.label),
    "approve": (is_reviewer_of, Role.REVIEWER.label),
    "return": (is_reviewer_of, Role.REVIEWER.label),
    "reopen": (is_reviewer_of, Role.REVIEWER.label),
}
assert set(ACTION_ROLES) == set(ACTION_LABELS)


def target_status(status: str, action: str) -> str | None:
    """The state ``action`` leads to from ``status``, or None when not allowed."""
    for source, verb, target in TRANSITIONS:
        if source == status and verb == action:
            return target
    return None


def submitter_id(report: AnnualReport) -> int | None:
    """The user who made the latest submission."""
    last = Transition.objects.filter(report=report, action="submit").order_by("-created_at", "-pk").first()
    return last.actor_id if last else None


def has_role_for(user, report: AnnualReport, action: str) -> bool:
    is_role, _ = ACTION_ROLES[action]
    return is_role(user, report)


def refusals(user, report: AnnualReport, action: str) -> list[str]:
    """Why ``user`` may not perform ``action`` on ``report`` now (empty when allowed).

    Content checks (findings, blank cells) are the workflow's; this covers
    role, state and the four-eyes principle."""
    verb = ACTION_LABELS[action]
    if not has_role_for(user, report, action):
        return [f"只有本机关的{ACTION_ROLES[action][1]}可以{verb}。"]
    if target_status(report.status, action) is None:
        return [
            f"报告当前状态为“{report.get_status_display()}”，不能{verb}。可能已被他人处理，请刷新页面后查看。"
        ]
    if action == "approve" and submitter_id(report) == user.pk:
        return ["提交人不能审核通过自己提交的报告，请由另一位审核人审核（四眼原则）。"]
    return []


def can_submit(user, report: AnnualReport) -> bool:
    return not refusals(user, report, "submit")


def can_approve(user, report: AnnualReport) -> bool:
    return not refusals(user, report, "approve")


def can_return(user, report: AnnualReport) -> bool:
    return not refusals(user, report, "return")


def can_reopen(user, report: AnnualReport) -> bool:
    return not refusals(user, report, "reopen")


PREDICATES = {"submit": can_submit, "approve": can_approve, "return": can_return, "reopen": can_reopen}


def allowed_actions(user, report: AnnualReport) -> list[str]:
    """The actions ``user`` may perform on ``report`` now, in declaration order."""
    return [action for action in ACTION_LABELS if PREDICATES[action](user, report)]
