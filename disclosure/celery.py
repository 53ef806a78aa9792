"""The Celery application. Tasks live in each app's ``tasks.py``.

With ``CELERY_BROKER_URL`` unset (the embedded default) tasks run in-process
(``CELERY_TASK_ALWAYS_EAGER``), so `make run` needs no extra service. In
production the broker is Redis and workers run ``celery -A disclosure worker``."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "disclosure.settings")

app = Celery("disclosure")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
