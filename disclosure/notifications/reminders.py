"""Reminders to agencies whose report of the year is not yet submitted: one in the
week before the deadline, and one on the first overdue day and every seventh day
after, four in all (then the regional office's dashboard takes over; a system put
into service in June does not remind every agency of a report long overdue).

Each reminder has a scheduled day (the deadline minus ``NOTIFY_REMINDER_DAYS``; the
day after the deadline, + 7, + 14, …). A run on day D sends the reminder whose
scheduled day is the latest not after D, unless the ``Reminder`` row of that
(agency, year, kind, scheduled day) exists: the unique constraint makes a second
run on the same day, a run on a later day of the same week, or two runs at once
send nothing twice, and a day the scheduler missed is caught up the next day.

Which day is the deadline is the regional office's notion (``deadline_for``: year →
region → date, e.g. ``oversight.dashboard.deadline_finder``): 31 January of the
following year unless the region or one above it sets an earlier internal date."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from disclosure.reports.models import AnnualReport, Membership
from disclosure.reports.workflow_spec import EDITABLE_STATUSES, Role

from .models import Kind, Reminder
from .services import notify, reminder_text

NOT_STARTED_LABEL = "尚未开始填报"
OVERDUE_EVERY = 7  # days between two overdue reminders
OVERDUE_TIMES = 4  # overdue reminders in all

DeadlineFor = Callable[[int], Callable[[object], datetime.date]]


@dataclass
class Due:
    agency: object  # Agency
    year: int
    kind: str
    scheduled: datetime.date
    deadline: datetime.date
    report: AnnualReport | None
    clerks: list

    @property
    def status_label(self) -> str:
        return self.report.get_status_display() if self.report else NOT_STARTED_LABEL


def scheduled_day(
    day: datetime.date, deadline: datetime.date, days_before: int
) -> tuple[str, datetime.date] | None:
    """The reminder due on ``day`` for ``deadline`` (its kind and scheduled day), or None."""
    first = deadline - datetime.timedelta(days=days_before)
    if first <= day <= deadline:
        return Kind.WEEK_BEFORE, first
    start = deadline + datetime.timedelta(days=1)
    weeks = (day - start).days // OVERDUE_EVERY
    if day >= start and weeks < OVERDUE_TIMES:
        return Kind.OVERDUE, start + datetime.timedelta(days=weeks * OVERDUE_EVERY)
    return None


def due_reminders(day: datetime.date, deadline_for: DeadlineFor, days_before: int | None = None) -> list[Due]:
    """The reminders due on ``day`` that have not been sent, one per agency and report
    year, for the agencies with an active clerk and no submitted or approved report."""
    days_before = settings.NOTIFY_REMINDER_DAYS if days_before is None else days_before
    clerks = defaultdict(list)
    agencies = {}
    for m in (
        Membership.objects.filter(role=Role.CLERK, user__is_active=True, agency__isnull=False)
        .select_related("user", "agency__region")
        .order_by("agency__name", "user_id")
    ):
        agencies[m.agency_id] = m.agency
        clerks[m.agency_id].append(m.user)
    found = []
    # a deadline falls in January (or earlier) of the year after the report's year, so the
    # report of last year is due this year, and this year's week-before may fall in December
    for year in (day.year - 1, day.year):
        deadline = deadline_for(year)
        reports = {
            r.agency_id: r for r in AnnualReport.objects.filter(year=year, agency_id__in=list(agencies))
        }
        sent = set(
            Reminder.objects.filter(year=year, agency_id__in=list(agencies)).values_list(
                "agency_id", "kind", "date"
            )
        )
        for agency_id, agency in agencies.items():
            report = reports.get(agency_id)
            if report is not None and report.status not in EDITABLE_STATUSES:
                continue
            due_date = deadline(agency.region)
            scheduled = scheduled_day(day, due_date, days_before)
            if scheduled is None or (agency_id, *scheduled) in sent:
                continue
            found.append(Due(agency, year, scheduled[0], scheduled[1], due_date, report, clerks[agency_id]))
    return found


def send(due: Due) -> bool:
    """Record the reminder and notify the clerks; False when it was already sent."""
    subject, body = reminder_text(due.kind, due.agency.name, due.year, due.deadline, due.status_label)
    link = reverse("reports:edit", args=[due.report.pk]) if due.report else reverse("reports:list")
    with transaction.atomic():
        try:
            with transaction.atomic():
                Reminder.objects.create(agency=due.agency, year=due.year, kind=due.kind, date=due.scheduled)
        except IntegrityError:  # another run got there first
            return False
        notify(due.clerks, due.kind, subject, body, link, due.report)
    return True
