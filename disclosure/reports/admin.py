from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ActiveDisclosureRow, Agency, AnnualReport, AppealRow, ApplicationRow, Membership

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


class TableRowInline(admin.TabularInline):
    extra = 0
    can_delete = False
    exclude = ["position"]


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
    readonly_fields = ["version", "created_at", "updated_at", "updated_by"]
    inlines = [ActiveInline, ApplicationInline, AppealInline]


for model in (ActiveDisclosureRow, ApplicationRow, AppealRow):
    admin.site.register(model, SimpleHistoryAdmin)
