"""Sending a notification's e-mail, in a Celery worker (in-process when no broker)."""

from __future__ import annotations

import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from .mail import mail_body
from .models import Notification


@shared_task(
    autoretry_for=(OSError, smtplib.SMTPException),
    retry_backoff=60,
    retry_backoff_max=3600,
    max_retries=5,
)
def send_notification_email(notification_id: int) -> bool:
    """Mail one notification to its recipient, once; False when there is nothing to send
    (already sent, no address, inactive account, the notification deleted)."""
    notification = (
        Notification.objects.select_related("recipient").filter(pk=notification_id, emailed_at=None).first()
    )
    if notification is None:
        return False
    recipient = notification.recipient
    if not recipient.email or not recipient.is_active:
        return False
    send_mail(notification.subject, mail_body(notification), settings.DEFAULT_FROM_EMAIL, [recipient.email])
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return True
