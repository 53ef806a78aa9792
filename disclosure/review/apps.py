from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "disclosure.review"
    verbose_name = "审核"
