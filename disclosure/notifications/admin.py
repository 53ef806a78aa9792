from django.contrib import admin

from .models import Notification, Reminder


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created", "recipient", "kind", "subject", "read_at", "emailed_at"]
    list_filter = ["kind"]
    search_fields = ["recipient__username", "subject"]
    raw_id_fields = ["recipient", "report"]
    readonly_fields = ["created"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["date", "agency", "year", "kind", "created"]
    list_filter = ["kind", "year"]
    search_fields = ["agency__name"]
    raw_id_fields = ["agency"]
