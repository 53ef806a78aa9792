from django.apps import AppConfig
from django.core.checks import register


class PublishConfig(AppConfig):
    name = "disclosure.publish"
    verbose_name = "发布"

    def ready(self):
        # the check module reads settings, so it loads once the apps are ready
        from .checks import check_harfbuzz_subset  # noqa: PLC0415

        register(check_harfbuzz_subset)
