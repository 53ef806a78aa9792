from django.contrib import admin, messages
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    RECORD_LOCKED,
    ActiveDisclosureRow,
    Agency,
    AnnualReport,
    AppealRow,
    ApplicationRow,
    Membership,
    Region,
    Transition,
    stored_as_record,
)
from .services import refresh_counts

admin.site.site_header = "政府信息公开工作年度报告 管理"
admin.site.site_title = "年度报告管理"
admin.site.index_title = "管理"


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "level", "is_government", "parent", "phone"]
    search_fields = ["name", "region__name", "region__code"]
    list_filter = ["level", "is_government"]
    autocomplete_fields = ["region", "parent"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["full_name", "code", "parent", "deadline_month", "deadline_day"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["path"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "agency", "region"]
    list_filter = ["role"]
    search_fields = ["user__username", "agency__name", "region__name"]
    autocomplete_fields = ["agency", "region"]


def _report_id(obj):
    if obj is None:
        return None
    return obj.pk if isinstance(obj, AnnualReport) else obj.report_id


def _locked(obj) -> bool:
    """Approved as stored now. Not as the object says: a history revert hands the
    admin an old copy of an approved report, whose status may still be 草稿."""
    return stored_as_record(_report_id(obj))


class RecordAdmin(SimpleHistoryAdmin):
    """An approved report and its rows cannot be changed or deleted by any admin
    path (change form, inline, history revert, bulk delete); every other change
    goes the way of a clerk's save: the report's version moves on (an open edit
    form is then stale) and the history names the admin."""

    def has_change_permission(self, request, obj=None):
        return not _locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _locked(obj) and super().has_delete_permission(request, obj)

    def revert_disabled(self, request, obj=None):
        return _locked(obj) or super().revert_disabled(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        current = self.model.objects.filter(pk=object_id).first()
        if request.method == "POST" and _locked(current):
            messages.error(request, RECORD_LOCKED)
            name = f"admin:{self.opts.app_label}_{self.opts.model_name}_history"
            return redirect(reverse(name, args=[object_id]))
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_deleted_objects(self, objs, request):
        """Approved reports among those to delete are shown as protected, so the
        admin refuses the delete on its confirmation page (single or bulk)."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        locked = [f"{obj}（已审核通过，不能删除）" for obj in objs if _locked(obj)]
        return deleted, counts, perms_needed, list(protected) + locked


class TableRowInline(admin.TabularInline):
    extra = 0
    can_delete = False
    exclude = ["position"]

    def has_change_permission(self, request, obj=None):
        return not _locked(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return False


class ActiveInline(TableRowInline):
    model = ActiveDisclosureRow


class ApplicationInline(TableRowInline):
    model = ApplicationRow


class AppealInline(TableRowInline):
    model = AppealRow


@admin.register(AnnualReport)
class AnnualReportAdmin(RecordAdmin):
    list_display = ["__str__", "agency", "year", "status", "version", "updated_at"]
    list_filter = ["status", "year"]
    search_fields = ["agency__name", "title"]
    autocomplete_fields = ["agency"]
    # Status changes only through the review workflow (four-eyes, stored files).
    readonly_fields = ["status", "version", "created_at", "updated_at", "updated_by"]
    inlines = [ActiveInline, ApplicationInline, AppealInline]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        if not change:
            super().save_model(request, obj, form, change)
            return
        with transaction.atomic():
            stored = AnnualReport.objects.select_for_update().get(pk=obj.pk)
            # a history revert hands over an old copy: status and version stay the stored ones
            obj.status, obj.version = stored.status, stored.version + 1
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        refresh_counts(form.instance)  # the inlines may have changed cells


class TableRowAdmin(RecordAdmin):
    list_display = ["report", "row_code"]
    list_select_related = ["report__agency"]
    readonly_fields = ["report", "row_code", "position"]

    def has_add_permission(self, request):
        return False  # rows come with their report, one per template row

    def save_model(self, request, obj, form, change):
        """Saves the row, then moves the report's version on and records the admin, in one transaction."""
        with transaction.atomic():
            report = AnnualReport.objects.select_for_update().get(pk=obj.report_id)
            super().save_model(request, obj, form, change)
            report.version += 1
            report.updated_by = report._history_user = request.user
            report.save(update_fields=["version", "updated_by", "updated_at"])
            refresh_counts(report)


for model in (ActiveDisclosureRow, ApplicationRow, AppealRow):
    admin.site.register(model, TableRowAdmin)


class ReadOnlyAdmin(admin.ModelAdmin):
    """The record is the audit trail: shown, never added, changed or deleted in the admin."""

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
