"""The archive: the publishable files frozen at each approval, with their SHA-256."""

import hashlib

from django.conf import settings
from django.db import models

from disclosure.reports.models import AnnualReport, Transition


class RenditionKind(models.TextChoices):
    PDF = "pdf", "PDF"
    HTML = "html", "HTML"


class Rendition(models.Model):
    """The publishable file of one approval, stored once with its SHA-256.

    Keyed by the report's version at approval: the version moves with every
    transition, so a reopened and re-approved report gets a new rendition and
    keeps the old one. Moved here from the review app (its table keeps its name)."""

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
        db_table = "review_rendition"
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
