"""A background job: who started it, how far it is, and what it produced.

Everything a job needs and makes lives in this row (the uploaded file, the
result summary, the result file), not on one machine's disk: the worker that
runs it and the web process that shows it may be different machines.

The region and agency are kept as plain ids (the jobs app sits below the
reports app and knows nothing of its models); they say what the job is about,
access is by ``owner``."""

import uuid

from django.conf import settings
from django.db import models


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    FINISHED = (Status.DONE, Status.FAILED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField("类型", max_length=40)
    title = models.CharField("标题", max_length=200, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs")
    region_id = models.PositiveBigIntegerField("地区", null=True, blank=True)
    agency_id = models.PositiveBigIntegerField("机关", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress_done = models.PositiveIntegerField("已完成", default=0)
    progress_total = models.PositiveIntegerField("总数", default=0)
    message = models.CharField("说明", max_length=300, blank=True)
    params = models.JSONField("参数", default=dict, blank=True)
    input_file = models.BinaryField("上传的文件", null=True, blank=True)
    input_name = models.CharField("上传的文件名", max_length=255, blank=True)
    result = models.JSONField("结果", default=dict, blank=True)
    result_file = models.BinaryField("结果文件", null=True, blank=True)
    result_name = models.CharField("结果文件名", max_length=255, blank=True)
    result_type = models.CharField("结果文件类型", max_length=120, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self):
        return f"{self.title or self.kind}（{self.get_status_display()}）"

    @property
    def finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)

    @property
    def has_file(self) -> bool:
        return self.status == self.Status.DONE and bool(self.result_name)
