"""E-mail goes to the console in development without a mail server, over SMTP otherwise."""

from tests.test_settings import PRODUCTION, run_manage

PRINT = "from django.conf import settings as s; print(s.EMAIL_BACKEND.rsplit('.', 2)[-2], s.SITE_URL or '-')"


def backend(**env):
    result = run_manage("shell", "-c", PRINT, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()[-2:]


def test_console_in_development_without_a_mail_server():
    assert backend(DEBUG="true", EMAIL_HOST="") == ["console", "http://127.0.0.1:8000"]


def test_smtp_with_a_mail_server_or_in_production():
    assert backend(DEBUG="true", EMAIL_HOST="smtp.example.gov.cn")[0] == "smtp"
    assert backend(**PRODUCTION, SITE_URL="https://gk.example.gov.cn/") == [
        "smtp",
        "https://gk.example.gov.cn",
    ]


def test_mail_password_may_come_from_a_file(tmp_path):
    secret = tmp_path / "mail-password"
    secret.write_text("s3cret-from-file\n", encoding="utf-8")
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.EMAIL_HOST_PASSWORD == 's3cret-from-file')",
        EMAIL_HOST_PASSWORD_FILE=str(secret),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "True"
