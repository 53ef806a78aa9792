"""make loadtest: a bounded load test of the production set-up on PostgreSQL (see loadtest/README.md).

Recreates the database ``LOADTEST_DB`` (default ``disclosure_loadtest``) on the PostgreSQL
server of ``LOADTEST_PG`` (default ``postgres://postgres@127.0.0.1:5432``), migrates it,
seeds it (``manage.py loadtest_seed``), collects the static files into a temporary folder,
starts the production server (``scripts/serve-production`` when present, else gunicorn with
``deploy/gunicorn.conf.py`` when present, else 4 sync workers) on a free loop-back port with
``DEBUG`` off and a random ``SECRET_KEY``, and a Celery worker (Redis ``LOADTEST_REDIS``,
default ``redis://127.0.0.1:6379/13``; none when Redis does not answer: tasks then run in the
request), runs locust headless (loadtest/locustfile.py) for ``LOADTEST_SECONDS`` (default 60)
after every user has logged in, compares every clerk's last confirmed saves with the
database (loadtest/verify.py), prints a table and, as its last line, one JSON object.

Exit status: 0 when the run completed (the targets met or not: the table and the JSON say
which; ``LOADTEST_STRICT=1`` makes a missed target exit 3), 1 when the run itself failed
(the server did not start, locust wrote no results…). Every process started here is
stopped on the way out, Ctrl-C and failures included; the database is dropped unless
``LOADTEST_KEEP_DB=1``.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg2
import redis
from psycopg2 import sql

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PYTHON = sys.executable
LOCUSTFILE = ROOT / "loadtest" / "locustfile.py"
VERIFY = ROOT / "loadtest" / "verify.py"
SERVE_PRODUCTION = ROOT / "scripts" / "serve-production"
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
SERVER_START_TIMEOUT = 90
TARGETS = {"errors_5xx": 0, "lost_saves": 0, "save_p95_ms": 1000}
TABLE_ORDER = ("edit page", "save", "submit", "review page", "approve", "return", "reopen")


def setting(name: str, default: str) -> str:
    return os.environ.get(name, "").strip() or default


class RunFailed(Exception):
    """The run itself failed (not a missed target)."""


class Processes:
    """The processes this run started, each in its own session, stopped in reverse order."""

    def __init__(self):
        self.started: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, args, env, log: Path) -> subprocess.Popen:
        handle = log.open("ab")
        process = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )
        handle.close()
        self.started.append((name, process))
        return process

    def stop_all(self) -> None:
        for _name, process in reversed(self.started):
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        deadline = time.monotonic() + 15
        for _name, process in reversed(self.started):
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                process.wait()
        self.started.clear()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def admin_statements(server: str, *statements) -> None:
    """Run statements outside a transaction (CREATE/DROP DATABASE) on the server's ``postgres``."""
    connection = psycopg2.connect(f"{server.rstrip('/')}/postgres")
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    finally:
        connection.close()


def drop_statement(name: str):
    return sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))


def recreate_database(server: str, name: str) -> None:
    admin_statements(server, drop_statement(name), sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(server: str, name: str) -> None:
    admin_statements(server, drop_statement(name))


def redis_answers(url: str) -> bool:
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=2)
        client.flushdb()  # this run's database number only: no stale tasks of an earlier run
        return True
    except redis.RedisError:
        return False


def manage(env, *args, log: Path) -> None:
    with log.open("ab") as handle:
        done = subprocess.run(
            [PYTHON, "manage.py", *args], cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT
        )
    if done.returncode:
        raise RunFailed(f"manage.py {args[0]} failed (exit {done.returncode}), see {log}")


def static_up_to_date(root: Path) -> bool:
    """Whether an earlier run's collected files are newer than every source static file
    (collecting and compressing the fonts again takes a quarter of a minute)."""
    manifest = root / "staticfiles.json"
    if not manifest.exists():
        return False
    sources = [ROOT / "static", *(ROOT / "disclosure").glob("*/static")]
    newest = max((f.stat().st_mtime for d in sources for f in d.rglob("*") if f.is_file()), default=0)
    return newest < manifest.stat().st_mtime


def server_command(port: int) -> list[str]:
    if SERVE_PRODUCTION.exists() and setting("LOADTEST_SERVER", "serve-production") == "serve-production":
        return [str(SERVE_PRODUCTION)]
    command = [str(BIN / "gunicorn"), "disclosure.wsgi", "-b", f"127.0.0.1:{port}"]
    if GUNICORN_CONF.exists():
        return [*command, "-c", str(GUNICORN_CONF)]
    return [*command, "-w", "4"]


def wait_until_serving(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RunFailed(f"the server stopped (exit {process.returncode}), see {log}")
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise RunFailed(f"the server did not answer {url} within {SERVER_START_TIMEOUT} s, see {log}")


def counts() -> dict[str, int]:
    return {
        "Clerk": int(setting("LOADTEST_CLERKS", "50")),
        "Reviewer": int(setting("LOADTEST_REVIEWERS", "5")),
        "Reader": int(setting("LOADTEST_READERS", "10")),
    }


def run(work: Path, processes: Processes) -> dict:
    seconds = int(setting("LOADTEST_SECONDS", "60"))
    users = counts()
    if users["Clerk"] < 1:
        raise RunFailed("LOADTEST_CLERKS must be at least 1")
    server, database = (
        setting("LOADTEST_PG", "postgres://postgres@127.0.0.1:5432"),
        setting("LOADTEST_DB", "disclosure_loadtest"),
    )
    broker = setting("LOADTEST_REDIS", "redis://127.0.0.1:6379/13")
    port = int(setting("LOADTEST_PORT", "0")) or free_port()
    password = secrets.token_urlsafe(16)
    plan, results, logs = work / "plan.json", work / "results.json", work / "logs"
    logs.mkdir()
    base_env = {
        **os.environ,
        "DATABASE_URL": f"{server.rstrip('/')}/{database}",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DEMO_DATA_ALLOWED": "false",
        # kept between runs: collectstatic then only compresses what changed
        "STATIC_ROOT": setting(
            "LOADTEST_STATIC_ROOT", str(Path(tempfile.gettempdir()) / "disclosure-loadtest-static")
        ),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "SERVE_MIGRATE": "false",  # migrated above
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "CACHE_URL"):
        base_env.pop(name, None)  # the seed runs its tasks in-process

    say(f"准备数据库 {database}、压测账号（{users['Clerk']} 个机关）和静态文件……")
    recreate_database(server, database)
    manage(base_env, "migrate", "--noinput", log=logs / "setup.log")
    # the static files first: approving the seeded report renders its PDF with the fonts
    if not static_up_to_date(Path(base_env["STATIC_ROOT"])):
        manage(base_env, "collectstatic", "--noinput", "-v0", log=logs / "setup.log")
    manage(
        base_env,
        "loadtest_seed",
        "--yes",
        f"--agencies={users['Clerk']}",
        f"--password={password}",
        f"--out={plan}",
        log=logs / "setup.log",
    )

    env = dict(base_env)
    worker = redis_answers(broker)
    if worker:
        env["CELERY_BROKER_URL"] = env["CACHE_URL"] = broker
        processes.start(
            "celery",
            [
                # as deploy/systemd/disclosure-worker.service (CPUSchedulingPolicy=idle):
                # renders use only the CPU time the web requests leave
                "chrt",
                "--idle",
                "0",
                str(BIN / "celery"),
                "-A",
                "disclosure",
                "worker",
                "-l",
                "warning",
                # as deploy/systemd/disclosure-worker.service (CELERY_CONCURRENCY=1)
                f"--concurrency={setting('CELERY_CONCURRENCY', '1')}",
            ],
            env,
            logs / "celery.log",
        )
    command = server_command(port)
    say(f"启动生产服务：{' '.join(command)}（127.0.0.1:{port}）" + ("，Celery worker" if worker else ""))
    host = f"http://127.0.0.1:{port}"
    server_process = processes.start("server", command, env, logs / "server.log")
    wait_until_serving(f"{host}/accounts/login/", server_process, logs / "server.log")

    load_before = round(os.getloadavg()[0], 2)  # other work on the machine skews the figures
    selected = [name for name, count in users.items() if count > 0]
    total = sum(users.values())
    locust_env = {
        **env,
        "LOADTEST_PLAN": str(plan),
        "LOADTEST_PASSWORD": password,
        "LOADTEST_RESULTS": str(results),
        "LOADTEST_SECONDS": str(seconds),
        "LOADTEST_CLERKS": str(users["Clerk"]),
        "LOADTEST_REVIEWERS": str(users["Reviewer"]),
        "LOADTEST_READERS": str(users["Reader"]),
    }
    say(
        f"压测：{users['Clerk']} 名填报人、{users['Reviewer']} 名审核人、{users['Reader']} 名读者，"
        f"全部登录后计时 {seconds} 秒……"
    )
    locust = processes.start(
        "locust",
        [
            str(BIN / "locust"),
            "-f",
            str(LOCUSTFILE),
            "--headless",
            "--only-summary",
            "-u",
            str(total),
            "-r",
            str(max(total, 1)),
            "--run-time",
            f"{seconds + SERVER_START_TIMEOUT + 120}s",
            "--stop-timeout",
            "15",
            "-H",
            host,
            *selected,
        ],
        locust_env,
        logs / "locust.log",
    )
    locust.wait()
    if not results.exists():
        raise RunFailed(f"locust wrote no results (exit {locust.returncode}), see {logs / 'locust.log'}")
    figures = json.loads(results.read_text(encoding="utf-8"))
    checked = subprocess.run(
        [PYTHON, str(VERIFY), str(results)], cwd=ROOT, env=base_env, capture_output=True, text=True
    )
    if checked.returncode:
        raise RunFailed(f"verify.py failed: {checked.stderr[-2000:]}")
    figures.update(json.loads(checked.stdout.strip().splitlines()[-1]))
    figures["users"] = users
    figures["server"] = " ".join(command)
    figures["celery_worker"] = worker
    figures["load_before"] = load_before
    return figures


def say(text: str) -> None:
    print(text, flush=True)


def summary(figures: dict) -> dict:
    actions = figures["actions"]

    def p95(*names):
        known = [actions[n]["p95_ms"] for n in names if n in actions]
        return max(known) if known else None

    return {
        "requests_per_s": figures["requests_per_s"],
        "save_p50_ms": actions.get("save", {}).get("p50_ms"),
        "save_p95_ms": p95("save"),
        "save_p99_ms": actions.get("save", {}).get("p99_ms"),
        "edit_page_p95_ms": p95("edit page"),
        "pdf_p95_ms": p95("draft pdf", "approved pdf"),
        "errors_5xx": figures["errors_5xx"],
        "errors_other": figures["errors_other"],
        "failures": figures["failures"],
        "lost_saves": figures["lost_saves"],
        "saves_checked": figures["checked"],
        "requests": figures["requests"],
        "window_s": figures["window_s"],
        "clerks": figures["users"]["Clerk"],
        "reviewers": figures["users"]["Reviewer"],
        "readers": figures["users"]["Reader"],
        "load_avg_before": figures["load_before"],
    }


def missed_targets(result: dict) -> list[str]:
    missed = []
    if result["errors_5xx"] != TARGETS["errors_5xx"]:
        missed.append(f"5xx 错误 {result['errors_5xx']}（目标 0）")
    if result["lost_saves"] != TARGETS["lost_saves"]:
        missed.append(f"丢失的保存 {result['lost_saves']}（目标 0）")
    if result["save_p95_ms"] is None or result["save_p95_ms"] > TARGETS["save_p95_ms"]:
        missed.append(f"保存 p95 {result['save_p95_ms']} ms（目标 ≤ {TARGETS['save_p95_ms']} ms）")
    return missed


def print_table(figures: dict, result: dict) -> None:
    actions = figures["actions"]
    names = [n for n in TABLE_ORDER if n in actions] + sorted(n for n in actions if n not in TABLE_ORDER)
    say("")
    say(
        f"{'action':<16}{'count':>8}{'fail':>6}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}"
    )
    for name in names:
        a = actions[name]
        say(
            f"{name:<16}{a['count']:>8}{a['failures']:>6}{a['rps']:>8}{a['p50_ms']:>9}"
            f"{a['p95_ms']:>9}{a['p99_ms']:>9}{a['max_ms']:>9}"
        )
    say(f"{'total':<16}{figures['requests']:>8}{figures['failures']:>6}{figures['requests_per_s']:>8}")
    say(
        f"服务：{figures['server']}；Celery worker：{'是' if figures['celery_worker'] else '否'}；开始前 1 分钟平均负载 {figures['load_before']}（{os.cpu_count()} 核）"
    )
    login = figures.get("login") or {}
    if login:
        say(
            f"登录（计时前，不计入上表）：{login['count']} 次，p50 {login['p50_ms']} ms，p95 {login['p95_ms']} ms"
        )
    say(
        f"计时 {figures['window_s']} 秒；5xx：{result['errors_5xx']}；连接错误：{result['errors_other']}；"
        f"提交 {figures.get('submitted', 0)} 次（被拒 {figures.get('submit_refused', 0)}）；"
        f"保存冲突 {figures.get('conflicts', 0)}；丢失的保存：{result['lost_saves']}（核对 {result['saves_checked']} 项）"
    )
    for error in figures.get("errors_5xx_examples", []):
        say(f"  5xx：{error['action']} {error['status']} {error['url']}")
    for example in figures.get("examples", [])[:5]:
        say(
            f"  丢失：报告 {example['report']} {example['key']} 保存为 {example['saved']!r}，库中为 {example['stored']!r}"
        )


def main() -> int:
    def interrupted(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, interrupted)  # also when started with SIGINT ignored (in the background)
    processes = Processes()
    work = Path(tempfile.mkdtemp(prefix="disclosure-loadtest-"))
    keep_db = setting("LOADTEST_KEEP_DB", "0") == "1"
    server, database = (
        setting("LOADTEST_PG", "postgres://postgres@127.0.0.1:5432"),
        setting("LOADTEST_DB", "disclosure_loadtest"),
    )
    failed, keep_logs = False, setting("LOADTEST_KEEP_LOGS", "0") == "1"
    try:
        figures = run(work, processes)
        keep_logs = keep_logs or bool(figures["errors_5xx"] or figures["lost_saves"])
    except (RunFailed, psycopg2.Error, OSError) as problem:
        say(f"压测未能完成：{problem}")
        failed = True
    except KeyboardInterrupt:
        say("压测已中断。")
        failed = True
    finally:
        processes.stop_all()
        if not keep_db:
            try:
                drop_database(server, database)
            except psycopg2.Error as problem:
                say(f"未能删除数据库 {database}：{problem}")
        if failed or keep_logs:
            say(f"日志保留在 {work / 'logs'}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    if failed:
        return 1
    result = summary(figures)
    print_table(figures, result)
    missed = missed_targets(result)
    say(
        "目标："
        + (
            "全部达到（0 个 5xx，0 个丢失的保存，保存 p95 ≤ 1 s）"
            if not missed
            else "未达到：" + "；".join(missed)
        )
    )
    result["targets_met"] = not missed
    say(json.dumps(result, ensure_ascii=False))
    return 3 if missed and setting("LOADTEST_STRICT", "0") == "1" else 0


if __name__ == "__main__":
    sys.exit(main())
