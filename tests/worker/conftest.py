"""Real Celery workers (``celery -A disclosure worker`` subprocesses) against
Redis, and a real gunicorn with several worker processes, sharing the test
database with the test (a file SQLite database or PostgreSQL; the tests are
``transaction=True`` so the subprocesses see what the test wrote).

Marker ``worker``: skipped unless selected, because they need Redis and start
processes; CI runs them once, after the SQLite pass (``pytest -m worker``).
Broker: ``WORKER_TEST_BROKER_URL`` (default redis://127.0.0.1:6379/14, emptied
before each test). Waits are bounded by ``WAIT`` seconds, a ceiling for a
stuck process, never an assertion about speed."""

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.db import connection

from disclosure.celery import app

BROKER = os.environ.get("WORKER_TEST_BROKER_URL", "redis://127.0.0.1:6379/14")
ROOT = Path(__file__).resolve().parents[2]
WAIT = 180


def pytest_collection_modifyitems(config, items):
    expression = config.option.markexpr or ""
    if "worker" in expression and "not worker" not in expression:
        return
    skip = pytest.mark.skip(reason="needs Redis and starts worker processes: run `pytest -m worker`")
    for item in items:
        if item.get_closest_marker("worker"):
            item.add_marker(skip)


def database_url() -> str:
    """The test database, as DATABASE_URL for the subprocesses."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    password = f":{quote(settings['PASSWORD'], safe='')}" if settings.get("PASSWORD") else ""
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{quote(settings['USER'], safe='')}{password}@{host}:{port}/{settings['NAME']}"


def subprocess_env() -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url(),
        CELERY_BROKER_URL=BROKER,
        DJANGO_SETTINGS_MODULE="disclosure.settings",
        LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
    )
    env.pop("CACHE_URL", None)
    return env


def wait_for(condition, what: str):
    """Poll ``condition`` until it returns something truthy (returned), or fail after WAIT seconds."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    pytest.fail(f"gave up waiting for {what}")


class Processes:
    """Subprocesses started by a fixture, their output in files, stopped at its end."""

    def __init__(self):
        self.started: list[tuple[subprocess.Popen, Path]] = []

    def start(self, args: list[str], name: str) -> Path:
        log = Path(tempfile.mkstemp(prefix=f"disclosure-{name}-", suffix=".log")[1])
        with log.open("wb") as out:
            process = subprocess.Popen(
                args, cwd=ROOT, env=subprocess_env(), stdout=out, stderr=subprocess.STDOUT
            )
        self.started.append((process, log))
        return log

    def stop(self):
        for process, _ in self.started:
            process.terminate()
        for process, log in self.started:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.unlink(missing_ok=True)


@pytest.fixture
def celery_to_redis():
    """The test process sends tasks to Redis (not in-process) while the test runs."""
    redis.Redis.from_url(BROKER).flushdb()
    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url", "result_backend")}
    app.conf.update(task_always_eager=False, broker_url=BROKER, result_backend=BROKER)
    yield app
    app.conf.update(saved)


@pytest.fixture
def celery_workers(celery_to_redis, transactional_db):
    """Two Celery workers (one process each, one message at a time), started and ready."""
    processes = Processes()
    names = [f"w{i}-{os.getpid()}@test" for i in (1, 2)]
    try:
        for name in names:
            processes.start(
                [sys.executable, "-m", "celery", "-A", "disclosure", "worker", "--pool=solo", "-n", name]
                + ["--without-gossip", "--without-mingle", "--loglevel=INFO"],
                name.split("@")[0],
            )

        def ready():
            replies = celery_to_redis.control.ping(timeout=1.0)
            return {name for reply in replies for name in reply} >= set(names)

        wait_for(ready, "both Celery workers to answer a ping")
        yield names
    finally:
        processes.stop()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def gunicorn(transactional_db):
    """gunicorn with four worker processes on the test database; yields
    (base URL, log file). Its access log names the serving process (pid)."""
    processes = Processes()
    port = free_port()
    try:
        log = processes.start(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "disclosure.wsgi",
                "--workers",
                "4",
                "--bind",
                f"127.0.0.1:{port}",
            ]
            + [
                "--timeout",
                "120",
                "--access-logfile",
                "-",
                "--access-logformat",
                "ACCESS pid=%(p)s %(s)s %(U)s",
            ],
            "gunicorn",
        )

        def listening():
            with socket.socket() as sock:
                return sock.connect_ex(("127.0.0.1", port)) == 0

        wait_for(listening, "gunicorn to listen")
        yield f"http://127.0.0.1:{port}", log
    finally:
        processes.stop()
