"""Health of the services the application needs: the database, the cache and the
task queue. Each check answers ``"ok"`` or ``"error"`` (the queue ``"in-process"``
when no broker is configured: tasks then run in the web process). The reason of a
failure goes to the log, never to the answer (it may name hosts or users)."""

from __future__ import annotations

import logging
import uuid

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import connection

logger = logging.getLogger("disclosure.ops.health")

OK = "ok"
ERROR = "error"
IN_PROCESS = "in-process"
QUEUE_TIMEOUT_SECONDS = 3


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return OK


def check_cache() -> str:
    key = f"healthz:{uuid.uuid4().hex}"
    token = uuid.uuid4().hex
    cache.set(key, token, timeout=30)
    try:
        return OK if cache.get(key) == token else ERROR
    finally:
        cache.delete(key)


def check_queue() -> str:
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        return IN_PROCESS
    url = getattr(settings, "CELERY_BROKER_URL", "") or None
    with current_app.connection_for_write(url, connect_timeout=QUEUE_TIMEOUT_SECONDS) as conn:
        conn.ensure_connection(
            max_retries=1, interval_start=0, interval_step=0, timeout=QUEUE_TIMEOUT_SECONDS
        )
    return OK


CHECKS = {"database": check_database, "cache": check_cache, "queue": check_queue}


def run_checks() -> tuple[dict[str, str], bool]:
    """Every check's state, and whether all are healthy."""
    states = {}
    for name, check in CHECKS.items():
        try:
            states[name] = check()
        except Exception as exc:  # any failure of a dependency is a state to report, not a crash
            logger.warning("health check %s failed: %s: %s", name, type(exc).__name__, exc)
            states[name] = ERROR
    return states, all(state != ERROR for state in states.values())
