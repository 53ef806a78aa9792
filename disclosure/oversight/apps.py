from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "disclosure.oversight"
    verbose_name = "政务公开办"
