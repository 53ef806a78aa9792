"""The review record: every workflow transition, and the files stored on approval.

``AnnualReport.status`` and ``version`` live on the report (reports app); the
review app keeps who moved the report, when, with which comment, and the
publishable renditions frozen at each approval.
"""

import hashlib

from django.conf import settings
from django.db import models

from disclosure.reports.models import TRANSITIONS, AnnualReport, Status

# The verbs of the transitions declared in ``reports.models.TRANSITIONS``.
ACTION_LABELS = {"submit": "提交审核", "approve": "审核通过", "return": "退回修改", "reopen": "重新打开"}
assert set(ACTION_LABELS) == {action for _, action, _ in TRANSITIONS}


class Transition(models.Model):
    """One step of the workflow: who moved the report from which state to which, and why."""

    report = models.ForeignKey(
        AnnualReport, verbose_name="年度报告", on_delete=models.CASCADE, related_name="transitions"
    )
    action = models.CharField("操作", max_length=20, choices=list(ACTION_LABELS.items()))
    from_status = models.CharField("原状态", max_length=20, choices=Status.choices)
    to_status = models.CharField("新状态", max_length=20, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField("操作人用户名", max_length=150, help_text="用户删除后仍保留")
    comment = models.TextField("意见", blank=True)
    version = models.PositiveIntegerField("操作后版本")
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "审核记录"
        verbose_name_plural = "审核记录"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.report_id} · {self.get_action_display()} · {self.actor_name}"


class RenditionKind(models.TextChoices):
    PDF = "pdf", "PDF"
    HTML = "html", "HTML"


class Rendition(models.Model):
    """The publishable file of one approval, stored once with its SHA-256.

    Keyed by the report's version at approval: the version moves with every
    transition, so a reopened and re-approved report gets a new rendition and
    keeps the old one."""

    report = models.ForeignKey(
        AnnualReport, verbose_name="年度报告", on_delete=models.PROTECT, related_name="renditions"
    )
    approval = models.ForeignKey(
        Transition,
        verbose_name="审核通过记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renditions",
        help_text="导入的历史报告没有审核记录，首次下载时补存",
    )
    version = models.PositiveIntegerField("报告版本")
    kind = models.CharField("类型", max_length=10, choices=RenditionKind.choices)
    content = models.BinaryField("文件内容")
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveIntegerField("字节数")
    backfilled = models.BooleanField("首次下载时补存", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="生成人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta:
        verbose_name = "存档文件"
        verbose_name_plural = "存档文件"
        ordering = ["-created_at", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["report", "version", "kind"], name="one_rendition_per_approval")
        ]

    def __str__(self):
        return f"{self.report_id} · v{self.version} · {self.kind} · {self.sha256[:12]}"

    @staticmethod
    def digest(content: bytes) -> str:
        return hashlib.sha256(content).hexdigest()
