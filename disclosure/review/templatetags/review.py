"""``{% load review %}``: the workflow predicates and the panel's data for templates."""

from django import template
from django.urls import reverse

from disclosure.review import permissions
from disclosure.review.history import comments
from disclosure.review.models import ACTION_LABELS, Rendition
from disclosure.review.workflow import current_renditions

register = template.Library()

# Actions whose form asks for a comment, and whether it is required.
COMMENT_PROMPTS = {
    "submit": ("说明（可选）", False),
    "approve": ("审核意见（可选）", False),
    "return": ("退回意见（必填）", True),
    "reopen": ("重新打开的原因（必填）", True),
}


@register.filter
def can_submit(report, user) -> bool:
    return permissions.can_submit(user, report)


@register.filter
def can_approve(report, user) -> bool:
    return permissions.can_approve(user, report)


@register.filter
def can_return(report, user) -> bool:
    return permissions.can_return(user, report)


@register.filter
def can_reopen(report, user) -> bool:
    return permissions.can_reopen(user, report)


def action_forms(report, user) -> list[dict]:
    return [
        {
            "action": action,
            "label": ACTION_LABELS[action],
            "url": reverse(f"review:{action}", args=[report.pk]),
            "prompt": COMMENT_PROMPTS[action][0],
            "required": COMMENT_PROMPTS[action][1],
        }
        for action in permissions.allowed_actions(user, report)
    ]


@register.simple_tag
def review_panel(report, user) -> dict:
    """What the report page's review panel shows."""
    return {
        "actions": action_forms(report, user),
        "renditions": current_renditions(report),
        "rendition_count": Rendition.objects.filter(report=report).count(),
    }


@register.simple_tag
def review_actions(report, user) -> list[dict]:
    return action_forms(report, user)


@register.simple_tag
def review_comments(report) -> list:
    """The transitions that carry a comment, newest first."""
    return comments(report)
