"""``{% load review %}``: the review panel's data for templates (the actions the
user may take with their declared prompts and button styles, the stored files)."""

from django import template
from django.urls import reverse

from disclosure.publish.archive import current_renditions
from disclosure.reports.models import comment_targets
from disclosure.reports.workflow_spec import action
from disclosure.review import permissions
from disclosure.review.history import comments

register = template.Library()


def action_forms(report, user) -> list[dict]:
    return [
        {
            "action": code,
            "label": action(code).label,
            "url": reverse(f"review:{code}", args=[report.pk]),
            "prompt": action(code).prompt,
            "required": action(code).comment_required,
            "button": action(code).button,
            "targets": comment_targets(report.format) if code == "return" else None,
        }
        for code in permissions.allowed_actions(user, report)
    ]


@register.simple_tag
def review_panel(report, user) -> dict:
    """What the report page's review panel shows."""
    return {
        "actions": action_forms(report, user),
        "renditions": current_renditions(report),
    }


@register.simple_tag
def review_comments(report) -> list:
    """The transitions that carry a comment, newest first."""
    return comments(report)
