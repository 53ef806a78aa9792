"""gunicorn settings for production (``scripts/serve-production`` uses this file).

Every value can be set from the environment:

- ``GUNICORN_BIND``: where to listen, default ``127.0.0.1:8001`` (nginx proxies to it;
  ``unix:/run/disclosure/gunicorn.sock`` for a socket);
- ``GUNICORN_WORKERS``: worker processes, default 2 × CPUs + 1;
- ``GUNICORN_THREADS``: threads per worker, default 1;
- ``GUNICORN_TIMEOUT``: seconds before a silent worker is restarted, default 120
  (with no broker, a draft PDF is rendered in the request);
- ``GUNICORN_ACCESS_LOG``: ``true`` to log every request (nginx logs them already);
- ``GUNICORN_CONTROL_SOCKET``: a path for gunicorn's control socket (``gunicornc``);
  none by default (two instances on one machine would share the default path);
- ``LOG_LEVEL``: gunicorn's own log level, default ``info``.

Logs are JSON lines on stderr, like the application's (``disclosure.ops.logs``).
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # the formatter below, and the app, from any directory


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


chdir = str(ROOT)
wsgi_app = "disclosure.wsgi:application"
# Load the application (and warm its caches: disclosure.wsgi.warm_up) once in the master,
# then fork: every worker, and every worker restarted after max_requests, starts warm.
preload_app = True
bind = [item.strip() for item in os.environ.get("GUNICORN_BIND", "127.0.0.1:8001").split(",") if item.strip()]
workers = _int("GUNICORN_WORKERS", 2 * (os.cpu_count() or 1) + 1)
threads = _int("GUNICORN_THREADS", 1)
timeout = _int("GUNICORN_TIMEOUT", 120)
graceful_timeout = 30
keepalive = 5
# a worker is replaced after this many requests (bounded memory over months)
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
# the proxy on this machine sets X-Forwarded-Proto; Django reads it (SECURE_PROXY_SSL_HEADER)
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
proc_name = "disclosure"
if os.environ.get("GUNICORN_CONTROL_SOCKET", "").strip():
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"].strip()
else:
    control_socket_disable = True

_access = os.environ.get("GUNICORN_ACCESS_LOG", "").strip().lower() in {"1", "true", "yes", "on"}
_level = os.environ.get("LOG_LEVEL", "info").strip().upper() or "INFO"
errorlog = "-"
loglevel = _level.lower()
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "disclosure.ops.logs.JsonFormatter"}},
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    },
    "root": {"level": "WARNING", "handlers": ["stderr"]},
    "loggers": {
        "gunicorn.error": {"level": _level, "handlers": ["stderr"], "propagate": False},
        "gunicorn.access": {
            "level": "INFO" if _access else "CRITICAL",
            "handlers": ["stderr"],
            "propagate": False,
        },
    },
}
