from django.contrib import admin

from .models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "owner", "status", "progress_done", "progress_total", "created_at")
    list_filter = ("kind", "status")
    search_fields = ("title", "owner__username")
    exclude = ("input_file", "result_file")
    readonly_fields = (
        "kind", "title", "owner", "region_id", "agency_id", "status", "progress_done",
        "progress_total", "message", "params", "input_name", "result", "result_name",
        "result_type", "started_at", "finished_at",
    )  # fmt: skip

    def has_add_permission(self, request):
        return False
