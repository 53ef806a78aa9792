from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "disclosure.reports"
    verbose_name = "年度报告"

    def ready(self):
        from django.db.models.signals import pre_save

        from .signals import refuse_demo_data

        pre_save.connect(refuse_demo_data, dispatch_uid="disclosure.reports.refuse_demo_data")
