"""The e-mail text of a notification: greeting, the in-app body, the link, the signature."""

from __future__ import annotations

from django.conf import settings

from disclosure.reports.models import display_name

from .models import Notification

SIGNATURE = "本邮件由政府信息公开工作年度报告填报系统自动发送，请勿直接回复。"


def absolute(path: str) -> str:
    """``SITE_URL`` + path (the path alone when no SITE_URL is configured)."""
    return f"{settings.SITE_URL}{path}" if path else ""


def mail_body(notification: Notification) -> str:
    parts = [f"{display_name(notification.recipient)}，您好：", notification.body]
    if notification.link:
        parts.append(f"查看：{absolute(notification.link)}")
    parts.append(SIGNATURE)
    return "\n\n".join(parts)
