"""Refuse the demo fixture outside development; audit every transition.

``loaddata`` saves objects with ``raw=True``; when ``settings.DEMO_DATA_ALLOWED``
is off (it follows DEBUG), raw saves of the project's data and of user accounts
are refused, so demo users with a published password never reach production."""

from functools import partial

from django.conf import settings
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from disclosure.ops.audit import EVENT_TRANSITION, audit

from .models import AnnualReport, RecordLocked, Transition, stored_as_record

GUARDED_APPS = ("reports", "review", "publish", "auth")


class DemoDataRefused(CommandError):
    """Raised from a raw save (fixture loading) when demo data is not allowed."""


def refuse_demo_data(sender, raw=False, **kwargs):
    if not raw or settings.DEMO_DATA_ALLOWED:
        return
    if sender._meta.app_label not in GUARDED_APPS:
        return
    raise DemoDataRefused(
        "生产环境不允许加载演示数据：DEMO_DATA_ALLOWED 未开启（默认随 DEBUG）。"
        f"拒绝写入“{sender._meta.verbose_name}”。如确需在本环境加载，请设置环境变量 DEMO_DATA_ALLOWED=true。"
    )


def refuse_deleting_record(sender, instance, **kwargs):
    """An approved report and its rows are the statutory record: no delete, from any path
    (the admin's bulk action included: Django sends this for queryset deletes too)."""
    report_id = instance.pk if sender is AnnualReport else getattr(instance, "report_id", None)
    if stored_as_record(report_id):
        raise RecordLocked()


@receiver(post_save, sender=Transition, dispatch_uid="disclosure.reports.audit_transition")
def audit_transition(sender, instance: Transition, created: bool, raw: bool = False, **kwargs):
    """One audit record per workflow step and import, once its transaction commits
    (a refused or rolled-back step never happened): ids and status codes, never the
    comment or the actor's name."""
    if not created or raw:
        return
    record = partial(
        audit,
        EVENT_TRANSITION,
        user=instance.actor_id,
        report=instance.report,
        action=instance.action,
        from_status=instance.from_status,
        to_status=instance.to_status,
        version=instance.version,
        transition_id=instance.pk,
    )
    transaction.on_commit(record, robust=True)
