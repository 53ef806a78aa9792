from django.apps import AppConfig


class PublishConfig(AppConfig):
    name = "disclosure.publish"
    verbose_name = "发布"

    def ready(self):
        from django.core.checks import register

        from .checks import check_harfbuzz_subset

        register(check_harfbuzz_subset)
