from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "disclosure.reports"
    verbose_name = "年度报告"
