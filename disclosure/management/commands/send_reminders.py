"""python manage.py send_reminders [--date YYYY-MM-DD] [--dry-run]

Reminds the clerks of every agency whose report is not yet submitted, in the week
before the deadline and when it is overdue (see ``disclosure.notifications.reminders``).
Meant to run once a day from a scheduler (cron, a systemd timer, Celery beat); running
it again the same day sends nothing twice."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from disclosure.notifications.models import Kind
from disclosure.notifications.reminders import due_reminders, send
from disclosure.oversight.dashboard import deadline_finder


def deadline_for(year: int):
    return deadline_finder(year, None)


class Command(BaseCommand):
    help = "向尚未提交年度报告的机关的填报人发送截止日期前一周提醒和逾期提醒（每天运行一次；重复运行不会重复提醒）。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按哪一天计算（YYYY-MM-DD，默认今天，Asia/Shanghai）")
        parser.add_argument("--dry-run", action="store_true", help="只列出将要发送的提醒，不发送、不记录")

    def handle(self, *args, date=None, dry_run=False, **options):
        day = self._day(date)
        due = due_reminders(day, deadline_for)
        sent = 0
        for item in due:
            kind = Kind(item.kind).label
            line = (
                f"{item.agency.name} {item.year}年度 {kind}（截止 {item.deadline.isoformat()}，"
                f"{item.status_label}）→ {len(item.clerks)}名填报人"
            )
            if dry_run:
                self.stdout.write(f"将发送：{line}")
            elif send(item):
                sent += 1
                self.stdout.write(f"已发送：{line}")
        if dry_run:
            self.stdout.write(f"{day.isoformat()}：将发送{len(due)}条提醒（未发送）。")
        else:
            self.stdout.write(f"{day.isoformat()}：已发送{sent}条提醒。")

    def _day(self, written: str | None) -> datetime.date:
        if not written:
            return timezone.localdate()
        try:
            return datetime.date.fromisoformat(written)
        except ValueError:
            raise CommandError(f"日期格式应为 YYYY-MM-DD：{written}") from None
