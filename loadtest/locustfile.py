"""The load test's users (run by loadtest/run.py; see loadtest/README.md).

- ``Clerk``: logs in as its own agency's clerk, opens the edit page, changes a few cells
  and the narrative's first section, saves in place as the page's script does (POST with
  ``Accept: application/json``, the hidden ``version`` and ``base``, the JSON answer's new
  base), remembers what each confirmed save stored, and now and then resets its cells to
  the seeded state (0) and submits the report.
- ``Reviewer``: logs in as the reviewer of several agencies (one session each), opens a
  report's review page and approves or returns a submitted report, or reopens an approved one.
- ``Reader``: logs in as the regional office and downloads draft and approved PDFs.

The requests are sent as a TLS-terminating proxy in front of the production server would
pass them (``X-Forwarded-Proto: https``, ``X-Forwarded-For``, the ``Origin`` of the site), and the server's
``Secure`` cookies are kept although the loop-back hop itself is plain HTTP.

Measurement starts when every user has logged in (the log-ins' figures are kept
apart) and lasts ``LOADTEST_SECONDS``; at the stop the figures, the 5xx count and
every clerk's confirmed saves are written to ``LOADTEST_RESULTS`` (JSON).

Environment: ``LOADTEST_PLAN`` (written by ``manage.py loadtest_seed --out``),
``LOADTEST_PASSWORD``, ``LOADTEST_RESULTS``, ``LOADTEST_SECONDS``, ``LOADTEST_CLERKS``,
``LOADTEST_REVIEWERS``, ``LOADTEST_READERS``, ``LOADTEST_SUBMIT_EVERY`` (a clerk submits
after about this many saves).
"""

from __future__ import annotations

import html
import itertools
import json
import os
import random
import re
import string
import time
from pathlib import Path
from urllib.parse import urlsplit

import gevent
from gevent.event import Event
from locust import HttpUser, between, events, task
from locust.clients import HttpSession
from requests.cookies import RequestsCookieJar

PLAN = json.loads(Path(os.environ["LOADTEST_PLAN"]).read_text(encoding="utf-8"))
PASSWORD = os.environ["LOADTEST_PASSWORD"]
RESULTS = os.environ.get("LOADTEST_RESULTS", "")
SECONDS = float(os.environ.get("LOADTEST_SECONDS", "60"))
CLERKS = int(os.environ.get("LOADTEST_CLERKS", "50"))
REVIEWERS = int(os.environ.get("LOADTEST_REVIEWERS", "5"))
READERS = int(os.environ.get("LOADTEST_READERS", "10"))
SUBMIT_EVERY = int(os.environ.get("LOADTEST_SUBMIT_EVERY", "25"))
EXPECTED_USERS = CLERKS + REVIEWERS + READERS
LOGIN_WAIT = 120  # seconds a logged-in user waits for the others before starting anyway

AGENCIES = PLAN["agencies"]
INPUT_KEYS = PLAN["input_keys"]
NARRATIVE = "general"  # the section clerks edit (a text without numbers: no narrative check fires)

# What every clerk's saves stored: report id → {"cells": {key: text}, "texts": {name: text}}
# for confirmed saves, and the values of saves whose answer never came ("doubt": they may
# or may not be stored; the comparison accepts either).
SAVES: dict[str, dict] = {}
COUNTERS = {"errors_5xx": 0, "errors_other": 0, "conflicts": 0, "submitted": 0, "submit_refused": 0}
ERRORS_5XX: list[dict] = []  # the first few, for the report
LOGIN_FIGURES: dict = {}
READY = Event()
_logged_in = itertools.count(1)
_clerk_numbers = itertools.count()
_reviewer_numbers = itertools.count()

_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_VERSION = re.compile(r'id="version-field" value="(\d+)"')
_BASE = re.compile(r'id="base-field" value="([^"]*)"')
_CHECKS = re.compile(r'<link[^>]*href="([^"]+)"[^>]*id="checks-link"')
_STATUS = re.compile(r'data-status="(\w+)"')
_ACTION = re.compile(r'data-action="(\w+)"')


def _textarea(page: str, name: str) -> str:
    found = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', page, re.S)
    return html.unescape(found.group(1)).strip() if found else ""


class BehindTlsJar(RequestsCookieJar):
    """Keeps the server's Secure cookies for the loop-back hop (TLS ends at the proxy in
    front): stored without the flag, so plain-HTTP requests to 127.0.0.1 carry them."""

    def set_cookie(self, cookie, *args, **kwargs):
        cookie.secure = False
        return super().set_cookie(cookie, *args, **kwargs)


def prepare(session, host: str) -> None:
    split = urlsplit(host)
    session.cookies = BehindTlsJar()
    session.headers.update(
        {"X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1", "Origin": f"https://{split.netloc}"}
    )


def login(session, username: str) -> bool:
    page = session.get("/accounts/login/", name="login page")
    token = _CSRF.search(page.text or "")
    with session.post(
        "/accounts/login/",
        data={
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": token.group(1) if token else "",
            "next": "/reports/",
        },
        name="login",
        allow_redirects=False,
        catch_response=True,
    ) as response:
        if response.status_code != 302:
            response.failure(f"login of {username} answered {response.status_code}")
            return False
    return True


def csrf(session) -> str:
    return session.cookies.get("csrftoken", "")


def wait_for_everyone() -> None:
    """Count this user in; the last one resets the figures and starts the measured window."""
    if next(_logged_in) >= EXPECTED_USERS:
        READY.set()
    READY.wait(LOGIN_WAIT)


@events.request.add_listener
def count_errors(name="", response=None, exception=None, **_kwargs):
    status = getattr(response, "status_code", 0) or 0
    if status >= 500:
        COUNTERS["errors_5xx"] += 1
        if len(ERRORS_5XX) < 10:
            request = getattr(response, "request", None)  # locust shows the name as response.url
            ERRORS_5XX.append({"action": name, "status": status, "url": getattr(request, "path_url", "")})
    elif exception is not None and status == 0:
        COUNTERS["errors_other"] += 1


@events.test_start.add_listener
def start_window(environment, **_kwargs):
    def window():
        READY.wait(LOGIN_WAIT)
        login = environment.stats.entries.get(("login", "POST"))
        if login is not None and login.num_requests:
            LOGIN_FIGURES.update(
                {
                    "count": login.num_requests,
                    "p50_ms": login.get_response_time_percentile(0.5),
                    "p95_ms": login.get_response_time_percentile(0.95),
                }
            )
        environment.stats.reset_all()
        gevent.sleep(SECONDS)
        if environment.runner is not None:
            environment.runner.quit()

    gevent.spawn(window)


@events.test_stop.add_listener
def write_results(environment, **_kwargs):
    if not RESULTS:
        return
    stats = environment.stats
    actions = {}
    for (name, method), entry in sorted(stats.entries.items()):
        if not entry.num_requests:
            continue
        actions[name] = {
            "method": method,
            "count": entry.num_requests,
            "failures": entry.num_failures,
            "rps": round(entry.total_rps, 2),
            "p50_ms": entry.get_response_time_percentile(0.5),
            "p95_ms": entry.get_response_time_percentile(0.95),
            "p99_ms": entry.get_response_time_percentile(0.99),
            "max_ms": round(entry.max_response_time or 0),
        }
    total = stats.total
    data = {
        "window_s": round((total.last_request_timestamp or time.time()) - total.start_time, 1),
        "requests": total.num_requests,
        "failures": total.num_failures,
        "requests_per_s": round(total.total_rps, 2),
        "actions": actions,
        "login": LOGIN_FIGURES,
        "saves": SAVES,
        "errors_5xx_examples": ERRORS_5XX,
        **COUNTERS,
    }
    Path(RESULTS).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


class Clerk(HttpUser):
    """One agency's clerk: edit, save in place (several times a page), sometimes submit."""

    fixed_count = CLERKS
    wait_time = between(1, 3)

    def on_start(self):
        number = next(_clerk_numbers)
        self.agency = AGENCIES[number % len(AGENCIES)]
        self.report = self.agency["report"]
        self.saved = SAVES.setdefault(str(self.report), {"cells": {}, "texts": {}, "doubt": {}})
        self.saves_since_submit = random.randrange(SUBMIT_EVERY) if SUBMIT_EVERY else 0
        self.checks_loaded = False
        prepare(self.client, self.host)
        try:
            login(self.client, self.agency["clerk"])
        finally:
            wait_for_everyone()

    @task
    def edit_and_save(self):
        with self.client.get(
            f"/reports/{self.report}/edit/", name="edit page", catch_response=True
        ) as response:
            page, path = response.text or "", urlsplit(response.url or "").path
            if path.startswith("/accounts/login/"):
                response.failure("not logged in")
                return
            if response.status_code == 200 and not path.endswith("/edit/"):
                return  # not editable (submitted or approved): the report page instead
        version, base = _VERSION.search(page), _BASE.search(page)
        if not (version and base):
            return
        checks = _CHECKS.search(page)
        if checks and not self.checks_loaded:
            # the browser fetches the format's checks once, then keeps them in its cache
            self.checks_loaded = True
            self.client.get(html.unescape(checks.group(1)), name="checks json")
        self.version, self.base = version.group(1), json.loads(html.unescape(base.group(1)))
        self.cells = {key: self.base.get(key, "") for key in INPUT_KEYS}
        self.text = _textarea(page, NARRATIVE)
        for _ in range(random.randint(1, 3)):
            changes = {
                key: str(random.randint(1, 999)) for key in random.sample(INPUT_KEYS, random.randint(1, 4))
            }
            text = None
            if random.random() < 0.5:
                tail = "".join(random.choices(string.ascii_lowercase, k=6))
                text = self.text.split(" 修订")[0] + f" 修订{tail}"
            if not self.save(changes, text):
                return
            self.saves_since_submit += 1
            gevent.sleep(random.uniform(1, 3))  # typing before the next Ctrl+S
        if SUBMIT_EVERY and self.saves_since_submit >= SUBMIT_EVERY:
            self.saves_since_submit = 0
            self.submit()

    def save(self, changes: dict, text: str | None) -> bool:
        """POST the form as save.js does; True when everything was stored."""
        cells = {**self.cells, **changes}
        data = {
            "csrfmiddlewaretoken": csrf(self.client),
            "version": self.version,
            "base": json.dumps(self.base, ensure_ascii=False),
            "action": "save",
            **cells,
        }
        if text is not None:
            data[NARRATIVE] = text
        doubt = self.saved["doubt"]
        for key, value in changes.items():
            doubt.setdefault(key, []).append(value)
        if text is not None:
            doubt.setdefault(NARRATIVE, []).append(text)
        with self.client.post(
            f"/reports/{self.report}/edit/",
            data=data,
            headers={"Accept": "application/json"},
            name="save",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            try:
                answer = response.json()
            except ValueError:
                response.failure(f"save answered {response.status_code} without JSON")
                return False
            if response.status_code != 200 or answer.get("state") != "saved":
                if answer.get("state") == "conflict":
                    COUNTERS["conflicts"] += 1
                response.failure(f"save: {answer.get('state')}: {answer.get('message')}")
                return False
            # stored: what the answer says the cells now hold; no longer in doubt
            for key in answer.get("applied", []):
                if key in answer["values"]:
                    self.saved["cells"][key] = answer["values"][key]
                    self.cells[key] = answer["values"][key]
                elif key == NARRATIVE and text is not None:
                    self.saved["texts"][NARRATIVE] = text
                    self.text = text
            # what this save sent is settled; an earlier unanswered save of another cell stays in doubt
            for key in [*changes, *([NARRATIVE] if text is not None else [])]:
                doubt.pop(key, None)
            self.version, self.base = str(answer["version"]), answer["base"]
            return True

    def submit(self):
        """Put the touched cells back to the seeded 0 (the report passes its checks), submit."""
        reset = {key: "0" for key, value in self.saved["cells"].items() if value != "0"}
        if reset and not self.save(reset, None):
            return
        with self.client.post(
            f"/reports/{self.report}/submit/",
            data={"csrfmiddlewaretoken": csrf(self.client), "comment": ""},
            name="submit",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code == 302 and "/edit/" not in location:
                COUNTERS["submitted"] += 1
            else:
                COUNTERS["submit_refused"] += 1
                response.failure(f"submit refused ({response.status_code} → {location})")


class Reviewer(HttpUser):
    """The reviewers of several agencies (one logged-in session each): approve or return
    submitted reports, reopen approved ones so their clerks can go on."""

    fixed_count = REVIEWERS
    wait_time = between(2, 5)

    def on_start(self):
        number, step = next(_reviewer_numbers), max(REVIEWERS, 1)
        self.sessions = []
        try:
            for agency in AGENCIES[number::step]:
                session = HttpSession(self.host, self.environment.events.request, self)
                prepare(session, self.host)
                if login(session, agency["reviewer"]):
                    self.sessions.append((session, agency["report"]))
        finally:
            wait_for_everyone()

    @task
    def review(self):
        if not self.sessions:
            return
        session, report = random.choice(self.sessions)
        page = session.get(f"/reports/{report}/review/", name="review page").text or ""
        status = _STATUS.search(page)
        allowed = set(_ACTION.findall(page))
        if not status:
            return
        if status.group(1) == "submitted" and "approve" in allowed:
            if random.random() < 0.7:
                self.act(session, report, "approve", "压测：审核通过。")
            else:
                self.act(session, report, "return", "压测：请核对数据后重新提交。")
        elif status.group(1) == "approved" and "reopen" in allowed:
            self.act(session, report, "reopen", "压测：重新打开，继续填报。")

    def act(self, session, report, action, comment):
        with session.post(
            f"/reports/{report}/{action}/",
            data={"csrfmiddlewaretoken": csrf(session), "comment": comment},
            name=action,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code != 302 or location.rstrip("/").endswith("/review"):
                response.failure(f"{action} refused ({response.status_code} → {location})")


class Reader(HttpUser):
    """The regional office reading: downloads draft PDFs (watermarked, rendered from the
    current version) and the approved report's stored PDF."""

    fixed_count = READERS
    wait_time = between(1, 3)

    def on_start(self):
        prepare(self.client, self.host)
        try:
            login(self.client, PLAN["office"])
        finally:
            wait_for_everyone()

    def download(self, url: str, name: str):
        """Get a PDF as the browser does: a 202 (a worker is still making it) is asked
        again every two seconds, as the waiting page's script does, until the file comes.
        Each request counts under ``name + " request"``; ``name`` is the time from the
        first request to the file (what the reader waits), fired as its own entry."""
        started = time.perf_counter()
        for _ in range(60):
            with self.client.get(url, name=f"{name} request", catch_response=True) as response:
                if response.status_code == 202:
                    response.success()
                    status = 202
                else:
                    status = response.status_code
                    length = len(response.content or b"")
            if status != 202:
                break
            gevent.sleep(2)
        events.request.fire(
            request_type="GET",
            name=name,
            response_time=(time.perf_counter() - started) * 1000,
            response_length=length if status == 200 else 0,
            exception=None if status == 200 else RuntimeError(f"{name}: HTTP {status}"),
            context={},
        )

    @task(3)
    def draft_pdf(self):
        report = random.choice(AGENCIES)["report"]
        self.download(f"/reports/{report}/pdf/", "draft pdf")

    @task(1)
    def approved_pdf(self):
        if PLAN["approved_reports"]:
            self.download(f"/reports/{random.choice(PLAN['approved_reports'])}/pdf/", "approved pdf")
