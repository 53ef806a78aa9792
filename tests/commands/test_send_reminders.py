"""send_reminders: a week before the deadline and when overdue, once per scheduled day."""

import datetime

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from disclosure.notifications.models import Kind, Notification, Reminder
from disclosure.reports.models import Region
from tests.conftest import make_agency, make_clerk, make_report, make_reviewer
from tests.review.builders import set_status

pytestmark = pytest.mark.django_db

YEAR = 2025  # due 31 January 2026


def clerk_of(agency, username):
    user = make_clerk(agency, username)
    user.email = f"{username}@example.gov.cn"
    user.save()
    return user


@pytest.fixture
def agencies():
    """Four agencies of one region: never started, draft, submitted, approved."""
    found = {}
    for state in ["none", "draft", "submitted", "approved"]:
        agency = make_agency(name=f"机关{state}", region="浙江省温州市测试区")
        clerk_of(agency, f"clerk_{state}")
        reviewer = make_reviewer(agency, f"reviewer_{state}")
        reviewer.email = f"reviewer_{state}@example.gov.cn"
        reviewer.save()
        if state != "none":
            set_status(make_report(agency, YEAR), state)
        found[state] = agency
    return found


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the command for a day (the mails go once its transactions commit): who got mail."""

    def run_on(day):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_reminders", "--date", day)
        return sorted(m.to[0] for m in mail.outbox)

    return run_on


def test_week_before_reminds_the_clerks_of_agencies_not_yet_submitted(agencies, run):
    sent = run("2026-01-24")
    assert sent == ["clerk_draft@example.gov.cn", "clerk_none@example.gov.cn"]
    assert {m.subject for m in mail.outbox} == {
        "【截止提醒】机关draft2025年度报告将于2026年1月31日截止",
        "【截止提醒】机关none2025年度报告将于2026年1月31日截止",
    }
    assert set(Reminder.objects.values_list("kind", "date", "year")) == {
        ("week_before", _d("2026-01-24"), YEAR)
    }
    assert Notification.objects.filter(kind=Kind.WEEK_BEFORE).count() == 2


def test_second_run_the_same_day_or_later_that_week_sends_nothing(agencies, run):
    run("2026-01-24")
    assert run("2026-01-24") == []
    assert run("2026-01-28") == []
    assert Reminder.objects.count() == 2


def test_nothing_before_the_week(agencies, run):
    assert run("2026-01-23") == []
    assert not Reminder.objects.exists()


def test_a_missed_day_is_caught_up(agencies, run):
    sent = run("2026-01-27")  # the scheduler was down on the 24th
    assert sent == ["clerk_draft@example.gov.cn", "clerk_none@example.gov.cn"]
    assert set(Reminder.objects.values_list("date", flat=True)) == {_d("2026-01-24")}


def test_overdue_on_the_first_day_after_and_weekly(agencies, run):
    assert run("2026-01-31") == [
        "clerk_draft@example.gov.cn",
        "clerk_none@example.gov.cn",
    ]  # deadline day: week-before
    assert run("2026-02-01") == ["clerk_draft@example.gov.cn", "clerk_none@example.gov.cn"]
    assert mail.outbox[0].subject.startswith("【逾期提醒】")
    assert run("2026-02-02") == []
    assert run("2026-02-07") == []
    assert run("2026-02-08") == ["clerk_draft@example.gov.cn", "clerk_none@example.gov.cn"]
    overdue = Reminder.objects.filter(kind="overdue")
    assert sorted({str(r.date) for r in overdue}) == ["2026-02-01", "2026-02-08"]


def test_overdue_reminders_stop_after_four(agencies, run):
    sent = [len(run(day)) for day in ("2026-02-01", "2026-02-08", "2026-02-15", "2026-02-22", "2026-03-01")]
    assert sent == [2, 2, 2, 2, 0]
    assert run("2026-12-20") == []


def test_submitting_stops_the_reminders(agencies, run):
    report = agencies["draft"].reports.get()
    run("2026-02-01")
    set_status(report, "submitted")
    assert run("2026-02-08") == ["clerk_none@example.gov.cn"]


def test_regions_internal_deadline_is_used(agencies, run):
    Region.objects.filter(name="温州市").update(deadline_month=1, deadline_day=15)
    assert run("2026-01-07") == []
    assert run("2026-01-08") == ["clerk_draft@example.gov.cn", "clerk_none@example.gov.cn"]
    assert "2026年1月15日" in mail.outbox[0].subject


def test_early_january_deadline_reminds_in_december_of_the_report_year(agencies, run):
    Region.objects.filter(name="温州市").update(deadline_month=1, deadline_day=3)
    assert run("2025-12-27") == ["clerk_draft@example.gov.cn", "clerk_none@example.gov.cn"]
    assert set(Reminder.objects.values_list("year", flat=True)) == {YEAR}


def test_dry_run_lists_and_sends_nothing(agencies, capsys):
    call_command("send_reminders", "--date", "2026-01-24", "--dry-run")
    out = capsys.readouterr().out
    assert "将发送：机关none 2025年度 截止日期提醒" in out
    assert "机关submitted" not in out
    assert "将发送2条提醒（未发送）" in out
    assert mail.outbox == []
    assert not Reminder.objects.exists() and not Notification.objects.exists()


def test_agency_without_clerks_is_not_reminded(run):
    make_reviewer(make_agency(name="无人机关"), "lonely_reviewer")
    assert run("2026-01-24") == []
    assert not Reminder.objects.exists()


def test_bad_date_is_refused():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--date", "2026/01/24")


def _d(text):
    return datetime.date.fromisoformat(text)
