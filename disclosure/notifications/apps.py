from django.apps import AppConfig
from django.db.models.signals import post_save


class NotificationsConfig(AppConfig):
    name = "disclosure.notifications"
    verbose_name = "通知"

    def ready(self):
        # the models (and signals, which import them) load only once the app registry is ready
        from disclosure.reports.models import Transition  # noqa: PLC0415

        from .signals import transition_recorded  # noqa: PLC0415

        post_save.connect(
            transition_recorded, sender=Transition, dispatch_uid="disclosure.notifications.transition"
        )
