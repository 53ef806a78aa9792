"""Settings come from the environment; production is hardened and checked."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 20 + "-production-test-key-with-enough-entropy-0123456789",
    "ALLOWED_HOSTS": "gk.example.gov.cn",
}


def run_manage(*args, **env):
    environ = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "DATABASE_URL")}
    environ.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_settings_deploy_check_clean_in_production():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_settings_secret_key_required_when_debug_off():
    result = run_manage("check", DEBUG="false", ALLOWED_HOSTS="gk.example.gov.cn")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_settings_database_url_selects_postgres():
    code = "from django.conf import settings; d = settings.DATABASES['default']; print(d['ENGINE'], d['NAME'], d['HOST'], d['PORT'])"
    result = run_manage(
        "shell", "--no-imports", "-c", code, DATABASE_URL="postgres://someone@127.0.0.1:5432/somedb"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "somedb", "127.0.0.1", "5432"]


def test_settings_database_url_selects_sqlite_path(tmp_path):
    code = (
        "from django.conf import settings; d = settings.DATABASES['default']; print(d['ENGINE'], d['NAME'])"
    )
    result = run_manage("shell", "--no-imports", "-c", code, DATABASE_URL=f"sqlite:///{tmp_path}/x.sqlite3")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", f"{tmp_path}/x.sqlite3"]


def test_settings_default_is_sqlite_in_project():
    code = (
        "from django.conf import settings; d = settings.DATABASES['default']; print(d['ENGINE'], d['NAME'])"
    )
    result = run_manage("shell", "--no-imports", "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", str(ROOT / "db.sqlite3")]


def test_settings_interface_is_chinese_in_shanghai():
    code = "from django.conf import settings; print(settings.LANGUAGE_CODE, settings.TIME_ZONE)"
    result = run_manage("shell", "--no-imports", "-c", code)
    assert result.stdout.split() == ["zh-hans", "Asia/Shanghai"]


def test_settings_admin_at_the_configured_path():
    code = (
        "from django.urls import resolve, reverse; print(reverse('admin:index')); print(resolve('/admin/'))"
    )
    result = run_manage("shell", "--no-imports", "-c", code, ADMIN_PATH="/manage-8f3k")
    assert result.stdout.splitlines()[0] == "/manage-8f3k/"
    assert "Resolver404" in result.stderr  # /admin/ is nothing any more
    default = run_manage(
        "shell", "--no-imports", "-c", "from django.urls import reverse; print(reverse('admin:index'))"
    )
    assert default.stdout.strip() == "/admin/"
