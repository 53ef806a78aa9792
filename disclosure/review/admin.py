"""The review record in the admin: read-only, it is the audit trail."""

from django.contrib import admin

from .models import Rendition, Transition


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Transition)
class TransitionAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "report", "action", "from_status", "to_status", "actor_name", "comment"]
    list_filter = ["action", "to_status"]
    search_fields = ["report__agency__name", "actor_name", "comment"]
    list_select_related = ["report__agency"]


@admin.register(Rendition)
class RenditionAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "report", "version", "kind", "sha256", "size", "backfilled"]
    list_filter = ["kind", "backfilled"]
    exclude = ["content"]
    list_select_related = ["report__agency"]
