"""Who is told what: the workflow's notifications (submit → the agency's reviewers;
return, approve → the clerk who submitted) and the reminders' texts.

Each recipient gets one ``Notification`` (the in-app list) and one e-mail, sent by
``tasks.send_notification_email`` once the transaction that created the row commits.
Mail bodies name people by their display names and carry no narrative text; the
one exception is the reviewers' return comment, which the clerk needs."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from disclosure.reports.models import AnnualReport, Transition, display_name
from disclosure.reports.workflow_spec import Role

from .models import Kind, Notification
from .tasks import send_notification_email


def notify(users, kind: str, subject: str, body: str, link: str = "", report=None) -> list[Notification]:
    """One notification per distinct active user, each e-mailed after the commit."""
    subject = " ".join(subject.split())[:200]  # one line: a mail header
    seen, created = set(), []
    for user in users:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        created.append(
            Notification.objects.create(
                recipient=user, kind=kind, report=report, subject=subject, body=body, link=link
            )
        )
    for notification in created:
        transaction.on_commit(
            lambda pk=notification.pk: send_notification_email.delay(pk),
            robust=True,  # a mail server's failure never undoes the step already committed
        )
    return created


def members(agency_id, role: str):
    """The active users holding ``role`` in the agency."""
    return list(
        get_user_model()
        .objects.filter(membership__agency_id=agency_id, membership__role=role, is_active=True)
        .order_by("pk")
    )


def submitters(report: AnnualReport) -> list:
    """The clerk who submitted the report last; the agency's clerks when that account is gone."""
    last = report.transitions.filter(action="submit", actor__isnull=False).select_related("actor").first()
    if last is not None and last.actor.is_active:
        return [last.actor]
    return members(report.agency_id, Role.CLERK)


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def notify_transition(transition: Transition) -> list[Notification]:
    """The notifications one workflow step causes (none for withdraw, reopen, import)."""
    report = transition.report
    title = report.display_title
    actor = transition.actor_name or display_name(transition.actor)
    when = _when(transition.created_at or timezone.now())
    if transition.action == "submit":
        return notify(
            members(report.agency_id, Role.REVIEWER),
            Kind.SUBMITTED,
            f"【待审核】{title}",
            f"{actor}于{when}提交了《{title}》，请您审核。",
            reverse("review:review", args=[report.pk]),
            report,
        )
    if transition.action == "return":
        about = f"（针对：{transition.target_label}）" if transition.target else ""
        return notify(
            submitters(report),
            Kind.RETURNED,
            f"【已退回】{title}",
            f"{actor}于{when}退回了《{title}》，请按审核意见修改后重新提交。\n\n"
            f"审核意见{about}：\n{transition.comment}",
            reverse("reports:edit", args=[report.pk]),
            report,
        )
    if transition.action == "approve":
        return notify(
            submitters(report),
            Kind.APPROVED,
            f"【已通过】{title}",
            f"{actor}于{when}审核通过了《{title}》。可发布的PDF和HTML文件生成后即可在报告页面下载。",
            reverse("reports:detail", args=[report.pk]),
            report,
        )
    return []


def reminder_text(kind: str, agency_name: str, year: int, deadline, status_label: str) -> tuple[str, str]:
    """The subject and body of a reminder to an agency's clerks."""
    due = f"{deadline.year}年{deadline.month}月{deadline.day}日"
    state = f"当前状态：{status_label}。"
    if kind == Kind.WEEK_BEFORE:
        return (
            f"【截止提醒】{agency_name}{year}年度报告将于{due}截止",
            f"{agency_name}{year}年政府信息公开工作年度报告的报送截止日期为{due}，"
            f"目前尚未提交审核（{state}）请抓紧填报并提交审核。",
        )
    return (
        f"【逾期提醒】{agency_name}{year}年度报告已超过截止日期",
        f"{agency_name}{year}年政府信息公开工作年度报告的报送截止日期{due}已过，"
        f"目前尚未提交审核（{state}）请尽快填报并提交审核。",
    )
