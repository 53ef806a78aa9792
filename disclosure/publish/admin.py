"""The archive in the admin: read-only, the stored files are the statutory
record. The files jobs of approvals are listed with their state and last error,
and may be queued again (a failed render after a fix, a lost message)."""

from django.contrib import admin, messages
from django.db import transaction

from disclosure.reports.admin import ReadOnlyAdmin

from .models import ApprovalFiles, DraftRendition, FilesState, Rendition
from .tasks import enqueue


@admin.register(Rendition)
class RenditionAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "report", "version", "kind", "sha256", "size", "backfilled"]
    list_filter = ["kind", "backfilled"]
    exclude = ["content"]
    list_select_related = ["report__agency"]


@admin.action(description="重新生成所选报告的存档文件（已存的文件不变）")
def queue_again(modeladmin, request, queryset):
    jobs = list(queryset)
    for job in jobs:
        ApprovalFiles.objects.filter(pk=job.pk).update(state=FilesState.QUEUED)
        transaction.on_commit(lambda job=job: enqueue(job))
    modeladmin.message_user(request, f"已将 {len(jobs)} 个生成任务重新排队。", messages.SUCCESS)


@admin.register(ApprovalFiles)
class ApprovalFilesAdmin(ReadOnlyAdmin):
    list_display = ["updated_at", "report", "version", "state", "attempts", "error"]
    list_filter = ["state"]
    list_select_related = ["report__agency"]
    actions = [queue_again]


@admin.register(DraftRendition)
class DraftRenditionAdmin(ReadOnlyAdmin):
    list_display = ["rendered_at", "report", "version", "kind", "size", "renders", "template_version"]
    list_filter = ["kind"]
    exclude = ["content"]
    list_select_related = ["report__agency"]
