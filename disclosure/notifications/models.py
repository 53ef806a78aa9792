"""What the system told whom: one ``Notification`` per recipient and event (shown in
the app, e-mailed by a Celery task), and one ``Reminder`` per agency, report year,
kind and day, which keeps the daily reminder run from reminding twice."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from disclosure.reports.models import Agency, AnnualReport


class Kind(models.TextChoices):
    SUBMITTED = "submitted", "报告待审核"
    RETURNED = "returned", "报告被退回"
    APPROVED = "approved", "报告已通过"
    WEEK_BEFORE = "week_before", "截止日期提醒"
    OVERDUE = "overdue", "逾期提醒"


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    report = models.ForeignKey(
        AnnualReport,
        verbose_name="年度报告",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    subject = models.CharField("标题", max_length=200)
    body = models.TextField("内容")
    link = models.CharField("链接", max_length=300, blank=True, help_text="站内路径")
    created = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self):
        return f"{self.recipient} · {self.subject}"


class ReminderKind(models.TextChoices):
    WEEK_BEFORE = Kind.WEEK_BEFORE.value, Kind.WEEK_BEFORE.label
    OVERDUE = Kind.OVERDUE.value, Kind.OVERDUE.label


class Reminder(models.Model):
    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("报告年度")
    kind = models.CharField("类型", max_length=20, choices=ReminderKind.choices)
    date = models.DateField("提醒日期")
    created = models.DateTimeField("发送时间", auto_now_add=True)

    class Meta:
        verbose_name = "催报记录"
        verbose_name_plural = "催报记录"
        ordering = ["-date", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "kind", "date"], name="one_reminder_per_day")
        ]

    def __str__(self):
        return f"{self.agency} · {self.year} · {self.get_kind_display()} · {self.date}"
