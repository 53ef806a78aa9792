"""Project settings, read from the environment (see .env.example).

Development defaults apply when a variable is unset; with DEBUG off the
production hardening below switches on and SECRET_KEY becomes required.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_secret(name: str, default: str = "") -> str:
    """A secret from the environment: ``NAME`` itself, or when it is unset the content of
    the file ``NAME_FILE`` names (systemd credentials, Docker/Kubernetes secrets), so the
    secret need not sit in the unit file or the process environment."""
    value = env_str(name)
    if value:
        return value
    path = env_str(f"{name}_FILE")
    if not path:
        return default
    try:
        value = Path(path).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ImproperlyConfigured(f"{name}_FILE names {path!r}, which cannot be read: {exc}") from None
    if not value:
        raise ImproperlyConfigured(f"{name}_FILE names {path!r}, which is empty")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = env_str(name)
    if not raw:
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = env_str(name)
    if not raw:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    raw = env_str(name)
    return int(raw) if raw else default


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off: set SECRET_KEY, or SECRET_KEY_FILE to a file holding it"
        )
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "disclosure",
    "disclosure.reports",
    "disclosure.review",
    "disclosure.publish",
    "disclosure.oversight",
    "disclosure.jobs",
    "disclosure.notifications",
    "disclosure.accounts",
    "disclosure.ops",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "disclosure.accounts.middleware.RenewSessionMiddleware",
    "disclosure.ops.middleware.AuditRefusalMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "disclosure.middleware.RefuseNonUtf8Middleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "csp.middleware.CSPMiddleware",
    # django-axes last: it turns a locked-out log-in into the lockout page
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "disclosure.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "disclosure.notifications.context_processors.unread_notifications",
            ],
        },
    },
]

WSGI_APPLICATION = "disclosure.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env_secret("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Wait for a writer instead of failing at once when two requests save together.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "reports:list"
LOGOUT_REDIRECT_URL = "login"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Demo data (fixtures/demo.json) is refused outside development.
DEMO_DATA_ALLOWED = env_bool("DEMO_DATA_ALLOWED", DEBUG)

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Structured logs: one JSON object a line on stderr (journald keeps them under systemd).
# ``disclosure.audit`` records every workflow transition and every refusal (ids and
# codes only: disclosure.ops.audit); LOG_LEVEL sets everything else (WARNING by default).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "disclosure.ops.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {
        "disclosure.audit": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # axes logs user names and addresses; a lockout is in the audit log as a refusal
        "axes": {"level": "ERROR"},
    },
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# ---- Background work: Celery (owner: tasks) -------------------------------------
# With no broker configured (the embedded default, `make run`), tasks run in-process.
# In production: CELERY_BROKER_URL=redis://127.0.0.1:6379/0 and `celery -A disclosure worker`
# on one or more machines (they share the queue; the database keeps one rendition per approval).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    # nothing is sent; without a URL Celery would still prepare an AMQP producer and warn
    CELERY_BROKER_URL = "memory://"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
# Task state and results (progress of long jobs) in Redis too, unless told otherwise.
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND") or env_str("CELERY_BROKER_URL") or None
CELERY_RESULT_EXPIRES = env_int("CELERY_RESULT_EXPIRES", 24 * 3600)
CELERY_RESULT_EXTENDED = True
CELERY_TASK_TRACK_STARTED = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A task is acknowledged when done, so a worker killed mid-task leaves it to another;
# each worker process takes one message at a time (renders are long and uneven).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 300)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 360)
# Redis redelivers an unacknowledged message after this long: above the hard time limit.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600)}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# The cache: Redis when CACHE_URL is a redis:// URL (shared by every process and
# machine), else per-process memory (the embedded default). Nothing relies on it
# for correctness: the draft-file cache is in the database (publish.DraftRendition).
CACHE_URL = env_str("CACHE_URL")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "disclosure"),
        }
    }
elif CACHE_URL:
    raise ImproperlyConfigured(f"CACHE_URL must be a redis:// URL, not {CACHE_URL!r}")
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# ---- end Celery ---------------------------------------------------------------

# ---- Content-Security-Policy (owner: csp) -------------------------------------
# Only the app's own static files: no inline script (data rides in json_script
# elements, which are not executed), no inline style, nothing from another origin.
# Bootstrap draws its form controls with data: SVG images. The downloaded HTML report
# carries its own <style> but is an attachment, opened from disk, where no policy applies.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "font-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
# ---- end Content-Security-Policy ----------------------------------------------

# ---- Accounts, e-mail and notifications (owner: accounts) ---------------------
# Log-in throttling (django-axes): 5 failures lock the user name, and separately the
# client address, for 30 minutes; the lockout page is the log-in page saying so (429).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30) / 60  # hours, as axes reads a float
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "disclosure.accounts.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# Behind nginx (`proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for`) the client
# is the entry that many proxies from the right of X-Forwarded-For; 0 reads REMOTE_ADDR.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0 if DEBUG else 1)
AXES_CLIENT_IP_CALLABLE = "disclosure.accounts.lockout.client_ip"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "disclosure.accounts.validators.MinimumLengthValidator",  # the message in Chinese
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# A session ends after a working day without a request (requests renew it).
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 9 * 60 * 60)
# Renewed at most every SESSION_RENEW_SECONDS (accounts.middleware), not on every request.
SESSION_RENEW_SECONDS = env_int("SESSION_RENEW_SECONDS", 5 * 60)

# E-mail: the console in development (no EMAIL_HOST), SMTP otherwise.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")  # or EMAIL_HOST_PASSWORD_FILE
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
EMAIL_BACKEND = (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG and not EMAIL_HOST
    else "django.core.mail.backends.smtp.EmailBackend"
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "年度报告填报系统 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address the pages are reached at, for links in e-mails ("https://gk.example.gov.cn");
# unset, password-reset links use the request's host and other mails print paths only.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
# Reminders (manage.py send_reminders, run daily): this many days before the deadline.
NOTIFY_REMINDER_DAYS = env_int("NOTIFY_REMINDER_DAYS", 7)
# ---- end accounts -------------------------------------------------------------

# ---- Production, logging and operations (owner: production) -------------------
ADMIN_PATH = env_str("ADMIN_PATH", "admin/").strip("/") + "/"
# The health check answers over plain HTTP on the loopback too (monitoring, the proxy).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Collecting static files compresses them (gzip and Brotli); the bundled CJK fonts
# (15 MB, already compact) and source maps would take minutes for little gain.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [
    *("jpg", "jpeg", "png", "gif", "webp", "zip", "gz", "tgz", "bz2", "tbz", "xz", "br"),
    *("woff", "woff2", "otf", "ttf", "map", "mp4", "webm"),
]
# ---- end production -----------------------------------------------------------
