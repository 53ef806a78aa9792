from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ActiveDisclosureRow, Agency, AnnualReport, AppealRow, ApplicationRow, Membership, Status

admin.site.site_header = "政府信息公开工作年度报告 管理"
admin.site.site_title = "年度报告管理"
admin.site.index_title = "管理"


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "parent", "phone"]
    search_fields = ["name", "region"]
    list_filter = ["region"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "agency", "region"]
    list_filter = ["role"]
    search_fields = ["user__username", "agency__name", "region"]
    autocomplete_fields = ["agency"]


def _locked(obj) -> bool:
    """Approved reports are read-only everywhere; only the workflow reopens them."""
    report = getattr(obj, "report", obj)
    return report is not None and report.status == Status.APPROVED


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
class AnnualReportAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "agency", "year", "status", "version", "updated_at"]
    list_filter = ["status", "year"]
    search_fields = ["agency__name", "title"]
    autocomplete_fields = ["agency"]
    # Status changes only through the review workflow (four-eyes, stored files).
    readonly_fields = ["status", "version", "created_at", "updated_at", "updated_by"]
    inlines = [ActiveInline, ApplicationInline, AppealInline]

    def has_change_permission(self, request, obj=None):
        return not _locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _locked(obj) and super().has_delete_permission(request, obj)


class TableRowAdmin(SimpleHistoryAdmin):
    list_display = ["report", "row_code"]
    list_select_related = ["report__agency"]

    def has_change_permission(self, request, obj=None):
        return not _locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _locked(obj) and super().has_delete_permission(request, obj)


for model in (ActiveDisclosureRow, ApplicationRow, AppealRow):
    admin.site.register(model, TableRowAdmin)
