from django.apps import AppConfig


class PublishConfig(AppConfig):
    name = "disclosure.publish"
    verbose_name = "发布"
