from django.apps import AppConfig
from django.db.models.signals import pre_delete, pre_save


class ReportsConfig(AppConfig):
    name = "disclosure.reports"
    verbose_name = "年度报告"

    def ready(self):
        # the models (and signals, which import them) load only once the app registry is ready
        from .models import TABLE_MODELS, AnnualReport, Explanation  # noqa: PLC0415
        from .signals import refuse_deleting_record, refuse_demo_data  # noqa: PLC0415

        pre_save.connect(refuse_demo_data, dispatch_uid="disclosure.reports.refuse_demo_data")
        for model in (AnnualReport, Explanation, *TABLE_MODELS.values()):
            pre_delete.connect(refuse_deleting_record, sender=model, dispatch_uid=f"record-{model.__name__}")
