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


class FilesState(models.TextChoices):
    QUEUED = "queued", "排队等待生成"
    RUNNING = "running", "正在生成"
    RETRYING = "retrying", "生成失败，等待自动重试"
    DONE = "done", "已生成"
    FAILED = "failed", "生成失败"


class ApprovalFiles(models.Model):
    """The background job that renders and stores one approval's files.

    One row per (report, version): written in the approval's transaction as
    ``queued``; the Celery task (``publish.tasks.render_approval_files``) moves
    it to ``running``, then ``done``, or ``retrying``/``failed`` with the error.
    The report page and the downloads read it to say where the files are."""

    report = models.ForeignKey(
        AnnualReport, verbose_name="年度报告", on_delete=models.CASCADE, related_name="approval_files"
    )
    version = models.PositiveIntegerField("报告版本")
    approval = models.ForeignKey(
        Transition,
        verbose_name="审核通过记录",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    state = models.CharField("状态", max_length=10, choices=FilesState.choices, default=FilesState.QUEUED)
    attempts = models.PositiveIntegerField("已尝试次数", default=0)
    error = models.TextField("最近一次错误", blank=True)
    task_id = models.CharField("任务编号", max_length=64, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "存档文件生成任务"
        verbose_name_plural = "存档文件生成任务"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["report", "version"], name="one_files_job_per_approval")
        ]

    def __str__(self):
        return f"{self.report_id} · v{self.version} · {self.get_state_display()}"

    @property
    def pending(self) -> bool:
        return self.state in (FilesState.QUEUED, FilesState.RUNNING, FilesState.RETRYING)


class DraftRendition(models.Model):
    """A rendered draft file, kept so that every reader of the same draft
    version gets the bytes of one render (shared by all processes and machines
    through the database).

    Keyed by (report, version, template_version, kind); ``template_version``
    is a digest of the template, stylesheet and renderer (``render.template_version``),
    so a deployment that changes the layout renders afresh. ``source_updated_at``
    guards against content changed without a version bump (scripts, the shell).
    ``renders`` counts the renders written into the row (one, unless it went stale)."""

    report = models.ForeignKey(
        AnnualReport, verbose_name="年度报告", on_delete=models.CASCADE, related_name="draft_renditions"
    )
    version = models.PositiveIntegerField("报告版本")
    template_version = models.CharField("模板版本", max_length=64)
    kind = models.CharField("类型", max_length=10, choices=RenditionKind.choices)
    content = models.BinaryField("文件内容", default=b"")
    size = models.PositiveIntegerField("字节数", default=0)
    source_updated_at = models.DateTimeField("报告修改时间", null=True, blank=True)
    renders = models.PositiveIntegerField("生成次数", default=0)
    locked_at = models.DateTimeField("最近加锁时间", null=True, blank=True)
    rendered_at = models.DateTimeField("生成时间", null=True, blank=True)

    class Meta:
        verbose_name = "草稿文件缓存"
        verbose_name_plural = "草稿文件缓存"
        constraints = [
            models.UniqueConstraint(
                fields=["report", "version", "template_version", "kind"], name="one_draft_render_per_version"
            )
        ]

    def __str__(self):
        return f"{self.report_id} · v{self.version} · {self.kind} · {self.template_version[:8]}"
