"""The documented production command works: ``scripts/serve-production`` (migrate,
collectstatic, gunicorn) with DEBUG off, the secret key read from a file, behind a
proxy that says the request came over HTTPS.

The server runs in subprocesses on a free loopback port with its own database (a
temporary SQLite file, or a new PostgreSQL database beside the one in
``DATABASE_URL`` when that is PostgreSQL; never pytest's test database) and its own
STATIC_ROOT. It must serve the log-in page with its hashed CSS, a report's PDF with
every font embedded, the Chinese 404 page and, from a second server whose database
has no tables, the Chinese 500 page; the logs it writes are JSON lines."""

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
SERVE = ROOT / "scripts" / "serve-production"
START_SECONDS = 240  # migrate + collectstatic on two busy shared cores
CLERK = ("clerk_lucheng", "disclosure-demo")
# what the environment of the test run may hold that must not reach the production server
INHERITED = ("DEBUG", "SECRET_KEY", "SECRET_KEY_FILE", "DATABASE_URL", "DATABASE_URL_FILE", "STATIC_ROOT")
INHERITED += ("CELERY_BROKER_URL", "CACHE_URL", "DEMO_DATA_ALLOWED", "ALLOWED_HOSTS", "GUNICORN_BIND")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Browser:
    """Just enough of a browser over ``http.client``: cookies (secure ones too: the
    proxy in front terminates TLS), and every request marked as forwarded over HTTPS."""

    def __init__(self, port: int):
        self.port = port
        self.origin = f"https://127.0.0.1:{port}"
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        connection = HTTPConnection("127.0.0.1", self.port, timeout=120)
        sent = {"X-Forwarded-Proto": "https", "Accept-Language": "en"}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        sent.update(headers or {})
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response, content

    def get(self, path: str, **headers):
        return self.request("GET", path, headers=headers)

    def post(self, path: str, fields: dict, referer: str):
        body = urlencode(fields).encode()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": self.origin,
            "Referer": self.origin + referer,
        }
        return self.request("POST", path, body=body, headers=headers)


def csrf_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def fonts_of(pdf: Path) -> list[tuple[str, str]]:
    """(font name, its "emb" column) for every font ``pdffonts`` lists; the columns are
    read from the dashes under the header: name, type, encoding, emb, sub, uni, object ID."""
    lines = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    lines = lines.splitlines()
    assert lines[0].split()[:4] == ["name", "type", "encoding", "emb"], lines[0]
    spans = [m.span() for m in re.finditer(r"-+", lines[1])]
    return [(line[slice(*spans[0])].strip(), line[slice(*spans[3])].strip()) for line in lines[2:]]


def production_env(tmp_path: Path, port: int, database_url: str) -> dict:
    secret = tmp_path / "secret_key"
    secret.write_text(secrets.token_urlsafe(50) + "\n", encoding="utf-8")
    secret.chmod(0o600)
    env = {k: v for k, v in os.environ.items() if k not in INHERITED}
    env.update(
        DEBUG="false",
        SECRET_KEY_FILE=str(secret),
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
        STATIC_ROOT=str(tmp_path / "static"),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="2",
        PATH=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    )
    return env


@pytest.fixture
def database_url(tmp_path):
    """A database of the test run's kind, created for this test and dropped after it."""
    configured = os.environ.get("DATABASE_URL", "")
    if not configured.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path / 'production.sqlite3'}"
        return
    import psycopg2  # noqa: PLC0415 - only the PostgreSQL run needs it

    parts = urlsplit(configured)
    name = f"{parts.path.lstrip('/')[:30]}_production_{os.getpid()}"
    try:  # the maintenance database, or the configured one (which may not exist yet)
        admin = psycopg2.connect(parts._replace(path="/postgres").geturl())
    except psycopg2.OperationalError:
        admin = psycopg2.connect(configured)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield parts._replace(path=f"/{name}").geturl()
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


class Server:
    """A server process we started, its log file, and its end (by its own process id)."""

    def __init__(self, command: list[str], env: dict, log: Path):
        self.log = log
        self._log = log.open("wb")
        self.process = subprocess.Popen(
            command, cwd="/", env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def wait_ready(self, port: int):
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"the server exited with {self.process.returncode}:\n{self.output()}")
            try:
                response, _ = Browser(port).get("/healthz")
                if response.status in (200, 503):
                    return
            except OSError:
                pass
            time.sleep(0.5)
        pytest.fail(f"the server did not answer within {START_SECONDS} s:\n{self.output()}")

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # gunicorn: graceful stop of its workers
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self._log.close()
        return self.output()

    def output(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log.read_text(encoding="utf-8", errors="replace")


def manage(env: dict, *args: str):
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def json_lines(output: str) -> list[dict]:
    """The log lines the server wrote (JSON), beside the commands' plain progress text."""
    records = []
    for line in output.splitlines():
        if line.startswith("{"):
            records.append(json.loads(line))
    return records


def test_production_command_serves_pages_css_pdf_and_chinese_errors(tmp_path, database_url):
    port = free_port()
    env = production_env(tmp_path, port, database_url)
    manage(env, "migrate", "--noinput")
    manage({**env, "DEMO_DATA_ALLOWED": "true"}, "loaddata", "demo")

    server = Server([str(SERVE)], env, tmp_path / "server.log")
    broken = None
    try:
        server.wait_ready(port)
        browser = Browser(port)

        # health: every service answers, tasks run in-process without a broker
        response, body = browser.get("/healthz")
        assert (response.status, json.loads(body)) == (
            200,
            {"database": "ok", "cache": "ok", "queue": "in-process"},
        )

        # plain HTTP is sent to HTTPS; through the proxy the log-in page is served, in Chinese
        response, _ = Browser(port).request("GET", "/accounts/login/", headers={"X-Forwarded-Proto": "http"})
        assert response.status == 301 and response.getheader("Location").startswith("https://")
        response, body = browser.get("/accounts/login/")
        page = body.decode()
        assert response.status == 200 and 'lang="zh-CN"' in page and "登录" in page
        assert "max-age=31536000" in response.getheader("Strict-Transport-Security")

        # its CSS: hashed names from the manifest, served by WhiteNoise, cached for good
        stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
        assert stylesheets
        for href in stylesheets:
            assert re.search(r"\.[0-9a-f]{12}\.css$", href), href
            response, css = browser.get(href, **{"Accept-Encoding": "identity"})
            assert response.status == 200, href
            assert response.getheader("Content-Type").startswith("text/css")
            assert "immutable" in response.getheader("Cache-Control")
            assert len(css) > 100
        response, _ = browser.get(stylesheets[0], **{"Accept-Encoding": "gzip"})
        assert response.getheader("Content-Encoding") == "gzip"

        # log in with the form (CSRF token, secure cookies)
        response, body = browser.post(
            "/accounts/login/",
            {"username": CLERK[0], "password": CLERK[1], "csrfmiddlewaretoken": csrf_token(page)},
            referer="/accounts/login/",
        )
        assert response.status == 302, body.decode()[:2000]
        assert "sessionid" in browser.cookies
        response, body = browser.get("/reports/")
        assert response.status == 200
        report_ids = sorted({int(pk) for pk in re.findall(r'href="/reports/(\d+)/"', body.decode())})
        assert report_ids

        # a report's PDF, every font embedded
        response, pdf = browser.get(f"/reports/{report_ids[0]}/pdf/")
        assert response.status == 200, pdf[:2000]
        assert response.getheader("Content-Type") == "application/pdf" and pdf.startswith(b"%PDF")
        path = tmp_path / "report.pdf"
        path.write_bytes(pdf)
        fonts = fonts_of(path)
        assert fonts and all(emb == "yes" for _, emb in fonts), fonts

        # not found: the Chinese page
        response, body = browser.get("/reports/999999/")
        assert response.status == 404
        assert "没有找到该页面" in body.decode() and "Not Found" not in body.decode()

        # a refused action is refused and leaves a JSON audit record
        response, _ = browser.post(
            f"/reports/{report_ids[0]}/approve/",
            {"csrfmiddlewaretoken": browser.cookies["csrftoken"]},
            referer=f"/reports/{report_ids[0]}/",
        )
        assert response.status == 403

        # a server error: the same command's server on a database without tables
        broken_port = free_port()
        broken_env = {
            **env,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
            "GUNICORN_BIND": f"127.0.0.1:{broken_port}",
            "GUNICORN_WORKERS": "1",
        }
        gunicorn = [
            str(VENV_BIN / "gunicorn"),
            "--config",
            str(ROOT / "deploy/gunicorn.conf.py"),
            "disclosure.wsgi",
        ]
        broken = Server(gunicorn, broken_env, tmp_path / "broken.log")
        broken.wait_ready(broken_port)
        response, body = Browser(broken_port).get("/reports/", Cookie="sessionid=" + "x" * 32)
        page = body.decode()
        assert response.status == 500
        assert "系统出错，请稍后重试" in page and 'lang="zh-CN"' in page
        assert "Traceback" not in page and "OperationalError" not in page
    finally:
        try:
            output = server.stop()
        finally:
            broken_output = broken.stop() if broken else ""

    records = json_lines(output)
    assert any(r.get("logger") == "gunicorn.error" for r in records)
    refused = [r for r in records if r.get("logger") == "disclosure.audit" and r["event"] == "refused"]
    assert refused and refused[-1]["report_id"] == report_ids[0] and refused[-1]["action"] == "approve"
    assert isinstance(refused[-1]["user_id"], int)
    errors = [r for r in json_lines(broken_output) if r.get("logger") == "django.request"]
    assert errors and errors[0]["level"] == "ERROR" and "OperationalError" in errors[0]["exc"]


@pytest.mark.postgres
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="the backup is of the PostgreSQL database",
)
def test_backup_script_dumps_rotates_and_the_documented_restore_brings_the_data_back(tmp_path, database_url):
    import psycopg2  # noqa: PLC0415 - only the PostgreSQL run needs it

    def sql(statement: str):
        with psycopg2.connect(database_url) as conn, conn.cursor() as cursor:
            cursor.execute(statement)
            return cursor.fetchall() if cursor.description else None

    sql("CREATE TABLE kept (id integer PRIMARY KEY, label text)")
    sql("INSERT INTO kept VALUES (1, '鹿城区民政局'), (2, 'second')")
    backups = tmp_path / "backups"
    backups.mkdir()
    old = backups / "disclosure-20200101T000000Z.dump"
    recent = backups / "disclosure-20991231T000000Z.dump"
    for path in (old, recent):
        path.write_bytes(b"")
    os.utime(old, (time.time() - 40 * 86400,) * 2)
    url_file = tmp_path / "database_url"
    url_file.write_text(database_url + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DATABASE_URL_FILE=str(url_file), BACKUP_DIR=str(backups), BACKUP_KEEP_DAYS="30")

    result = subprocess.run(
        [str(ROOT / "deploy/backup.sh")], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    dumps = sorted(p.name for p in backups.iterdir())
    assert old.name not in dumps and recent.name in dumps  # older than 30 days: removed
    (written,) = [name for name in dumps if name != recent.name]
    assert re.fullmatch(r"disclosure-\d{8}T\d{6}Z\.dump", written)

    sql("UPDATE kept SET label = 'changed after the backup'")
    sql("DELETE FROM kept WHERE id = 2")
    restore = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--exit-on-error", "-d", database_url]
    result = subprocess.run([*restore, str(backups / written)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert sql("SELECT id, label FROM kept ORDER BY id") == [(1, "鹿城区民政局"), (2, "second")]


def test_start_command_refuses_to_serve_in_development_mode(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in INHERITED}
    result = subprocess.run([str(SERVE)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "DEBUG=false" in result.stderr


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
def test_systemd_units_are_valid(tmp_path):
    """The units of deploy/systemd, with this checkout in place of /srv/disclosure/app
    (the programs they start must exist), pass ``systemd-analyze verify``."""
    units = sorted((ROOT / "deploy/systemd").iterdir())
    assert {p.name for p in units} >= {
        "disclosure-web.service",
        "disclosure-worker.service",
        "disclosure-reminders.service",
        "disclosure-reminders.timer",
    }
    for unit in units:
        text = unit.read_text(encoding="utf-8").replace("/srv/disclosure/app", str(ROOT))
        (tmp_path / unit.name).write_text(text, encoding="utf-8")
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *[str(tmp_path / u.name) for u in units]],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stderr.strip()) == (0, "")
