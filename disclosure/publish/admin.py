"""The archive in the admin: read-only, the stored files are the statutory record."""

from django.contrib import admin

from disclosure.reports.admin import ReadOnlyAdmin

from .models import Rendition


@admin.register(Rendition)
class RenditionAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "report", "version", "kind", "sha256", "size", "backfilled"]
    list_filter = ["kind", "backfilled"]
    exclude = ["content"]
    list_select_related = ["report__agency"]
