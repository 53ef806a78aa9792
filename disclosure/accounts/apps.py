from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "disclosure.accounts"

    def ready(self):
        from . import middleware  # noqa: F401, PLC0415 -- connects the log-in receiver
