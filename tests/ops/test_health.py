"""/healthz: the database, the cache and the queue, open without log-in, no secrets."""

import socket

import pytest
from django.db import OperationalError, connection
from django.test import override_settings

pytestmark = pytest.mark.django_db

REDIS = ("127.0.0.1", 6379)


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_running() -> bool:
    try:
        socket.create_connection(REDIS, timeout=1).close()
    except OSError:
        return False
    return True


def test_health_ok_without_login_and_tasks_in_process(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"database": "ok", "cache": "ok", "queue": "in-process"}
    assert "no-store" in response["Cache-Control"]


def test_health_is_read_only(client):
    assert client.post("/healthz").status_code == 405


@override_settings(SECURE_SSL_REDIRECT=True)
def test_health_answers_plain_http_where_pages_redirect_to_https(client):
    assert client.get("/accounts/login/").status_code == 301
    assert client.get("/healthz").status_code == 200


@pytest.mark.skipif(not redis_running(), reason="Redis is not running on 127.0.0.1:6379")
@override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL="redis://127.0.0.1:6379/12")
def test_health_queue_ok_when_the_broker_answers(client):
    response = client.get("/healthz")
    assert (response.status_code, response.json()["queue"]) == (200, "ok")


def test_health_queue_down_is_503_and_does_not_leak_the_broker_url(client):
    url = f"redis://:s3cret-broker-password@127.0.0.1:{closed_port()}/0"
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL=url):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "ok", "queue": "error"}
    assert b"s3cret" not in response.content and b"127.0.0.1" not in response.content


def test_health_cache_down_is_503(client):
    cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        }
    }
    with override_settings(CACHES=cache):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == "error"


def test_health_database_down_is_503(client):
    def refuse(execute, sql, params, many, context):
        raise OperationalError("the database went away")

    with connection.execute_wrapper(refuse):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error"
    assert b"went away" not in response.content


def test_health_head_answers_the_status_without_a_body(client):
    response = client.head("/healthz")
    assert (response.status_code, response.content) == (200, b"")
