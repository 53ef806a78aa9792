"""Workflow steps → notifications and e-mails to the right people, after the commit."""

import pytest
from django.core import mail
from django.test import override_settings

from disclosure.notifications.models import Kind, Notification
from disclosure.review.workflow import (
    approve_report,
    reopen_report,
    return_report,
    submit_report,
    withdraw_report,
)
from tests.conftest import make_agency, make_clerk, make_reviewer, make_user
from tests.notifications.failing_backend import Backend
from tests.review.builders import team

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://gk.example.gov.cn"


def people():
    """A team whose members have addresses and display names, and a second agency's."""
    agency, clerk, reviewer, second, report = team()
    for user, name in ((clerk, "张填报"), (reviewer, "李审核"), (second, "王审核")):
        user.email = f"{user.username}@example.gov.cn"
        user.first_name = name
        user.save()
    other = make_agency(name="瓯海区民政局", region="浙江省温州市瓯海区")
    outsider = make_reviewer(other, "other_reviewer")
    outsider.email = "other_reviewer@example.gov.cn"
    outsider.save()
    return agency, clerk, reviewer, second, report


def test_submit_mails_each_reviewer_of_the_agency_once_and_nobody_else(django_capture_on_commit_callbacks):
    agency, clerk, reviewer, second, report = people()
    inactive = make_reviewer(agency, "gone")
    inactive.email, inactive.is_active = "gone@example.gov.cn", False
    inactive.save()
    with django_capture_on_commit_callbacks(execute=True):
        submit_report(report.pk, clerk, comment="请审核")
    assert sorted(m.to[0] for m in mail.outbox) == ["reviewer2@example.gov.cn", "reviewer@example.gov.cn"]
    assert all(len(m.to) == 1 for m in mail.outbox)
    message = mail.outbox[0]
    assert message.subject == f"【待审核】{report.display_title}"
    assert "张填报" in message.body  # the submitter's display name, not the log-in name
    assert f"https://gk.example.gov.cn/reports/{report.pk}/review/" in message.body
    stored = Notification.objects.filter(kind=Kind.SUBMITTED)
    assert sorted(n.recipient.username for n in stored) == ["reviewer", "reviewer2"]
    assert all(n.emailed_at is not None and n.read_at is None and n.report == report for n in stored)


def test_no_mail_before_the_commit(django_capture_on_commit_callbacks):
    _, clerk, _, _, report = people()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submit_report(report.pk, clerk)
    assert mail.outbox == []
    assert Notification.objects.filter(emailed_at=None).count() == 2
    for callback in callbacks:  # the commit
        callback()
    assert len(mail.outbox) == 2
    assert not Notification.objects.filter(emailed_at=None).exists()


def test_return_mails_the_submitting_clerk_with_the_comment(django_capture_on_commit_callbacks):
    agency, clerk, reviewer, _, report = people()
    other_clerk = make_clerk(agency, "clerk_b")
    other_clerk.email = "clerk_b@example.gov.cn"
    other_clerk.save()
    submit_report(report.pk, clerk)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        return_report(report.pk, reviewer, comment="表三第2行数字有误，请核对。", target="general")
    assert [m.to for m in mail.outbox] == [["clerk@example.gov.cn"]]
    body = mail.outbox[0].body
    assert "表三第2行数字有误，请核对。" in body
    assert "李审核" in body and "张填报，您好" in body
    assert "一、总体情况" in body  # what the comment is about
    assert f"https://gk.example.gov.cn/reports/{report.pk}/edit/" in body
    assert mail.outbox[0].subject == f"【已退回】{report.display_title}"


def test_mail_carries_no_narrative_text(django_capture_on_commit_callbacks):
    _, clerk, reviewer, _, report = people()
    with django_capture_on_commit_callbacks(execute=True):
        submit_report(report.pk, clerk, comment="提交说明不外发")
        return_report(report.pk, reviewer, comment="请修改")
    for message in mail.outbox:
        assert report.general not in message.body
        assert "提交说明不外发" not in message.body


def test_approve_mails_the_submitting_clerk(django_capture_on_commit_callbacks):
    _, clerk, reviewer, _, report = people()
    submit_report(report.pk, clerk)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        approve_report(report.pk, reviewer)
    assert [m.to for m in mail.outbox] == [["clerk@example.gov.cn"]]
    assert mail.outbox[0].subject == f"【已通过】{report.display_title}"
    assert Notification.objects.get(kind=Kind.APPROVED).recipient == clerk


def test_withdraw_and_reopen_notify_nobody(django_capture_on_commit_callbacks):
    _, clerk, reviewer, _, report = people()
    submit_report(report.pk, clerk)
    approve_report(report.pk, reviewer)
    before = Notification.objects.count()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reopen_report(report.pk, reviewer, comment="需要更正")
        submit_report(report.pk, clerk)
    assert Notification.objects.count() == before + 2  # the new submission only
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_report(report.pk, clerk)
    assert mail.outbox == []


def test_submitter_gone_falls_back_to_the_agencys_clerks(django_capture_on_commit_callbacks):
    agency, clerk, reviewer, _, report = people()
    colleague = make_clerk(agency, "clerk_b")
    colleague.email = "clerk_b@example.gov.cn"
    colleague.save()
    submit_report(report.pk, clerk)
    clerk.is_active = False
    clerk.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        return_report(report.pk, reviewer, comment="请修改")
    assert [m.to for m in mail.outbox] == [["clerk_b@example.gov.cn"]]


def test_user_without_address_gets_the_in_app_notification_only(django_capture_on_commit_callbacks):
    _, clerk, reviewer, second, report = people()
    second.email = ""
    second.save()
    with django_capture_on_commit_callbacks(execute=True):
        submit_report(report.pk, clerk)
    assert [m.to for m in mail.outbox] == [["reviewer@example.gov.cn"]]
    assert Notification.objects.filter(recipient=second, emailed_at=None).count() == 1


def test_mail_failure_does_not_undo_the_step(django_capture_on_commit_callbacks):
    _, clerk, _, _, report = people()
    Backend.attempts = 0
    with (
        override_settings(EMAIL_BACKEND="tests.notifications.failing_backend.Backend"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        submit_report(report.pk, clerk)
    report.refresh_from_db()
    assert report.status == "submitted"
    assert Notification.objects.filter(emailed_at=None).count() == 2
    assert Backend.attempts == 2  # each mail was tried (a worker retries later), none marked sent


def test_office_users_are_not_mailed(django_capture_on_commit_callbacks):
    _, clerk, _, _, report = people()
    office = make_user("office", "office", region="浙江省温州市", email="office@example.gov.cn")
    with django_capture_on_commit_callbacks(execute=True):
        submit_report(report.pk, clerk)
    assert office.email not in [m.to[0] for m in mail.outbox]
