"""The audit log: every transition and every refusal is one JSON record (who, what,
when) with ids and codes only: no comments, no names, no narrative text."""

import json
import logging
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from disclosure.ops.audit import REDACTED, audit
from disclosure.ops.logs import JsonFormatter
from disclosure.reports.models import Role, Transition
from disclosure.review.workflow import submit_report
from tests.conftest import PASSWORD, make_agency, make_clerk, make_report, make_user
from tests.review.builders import SECTIONS, team

ROOT = Path(__file__).resolve().parents[2]
COMMENT = "请核对第三部分的申请数量，并补充说明"
KEYS = {"ts", "level", "logger", "event", "user_id", "report_id", "agency_id", "year"}


@pytest.fixture
def audit_lines():
    """The lines the configured ``disclosure.audit`` handler writes, as parsed JSON."""
    logger = logging.getLogger("disclosure.audit")
    # settings.LOGGING: one console handler with the JSON formatter (pytest adds its own)
    (configured,) = [h for h in logger.handlers if isinstance(h.formatter, JsonFormatter)]
    lines = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(configured.formatter.format(record))

    collect = Collect()
    logger.addHandler(collect)
    yield lines
    logger.removeHandler(collect)


def parsed(lines):
    return [json.loads(line) for line in lines]


def assert_no_text(lines, *texts):
    for line in lines:
        for text in texts:
            assert text not in line


@pytest.mark.django_db
def test_transition_is_one_record_with_user_report_and_states(
    client, audit_lines, django_capture_on_commit_callbacks
):
    agency, clerk, reviewer, _, report = team()
    client.login(username=reviewer.username, password=PASSWORD)
    submit_report(report.pk, clerk)
    audit_lines.clear()  # submitted outside a commit: its record waits for one that never comes
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("review:return", args=[report.pk]), {"comment": COMMENT})
    assert response.status_code == 302
    transition = Transition.objects.get(report=report, action="return")
    (record,) = parsed(audit_lines)
    assert record == {
        "ts": record["ts"],
        "level": "INFO",
        "logger": "disclosure.audit",
        "event": "transition",
        "user_id": reviewer.pk,
        "report_id": report.pk,
        "agency_id": agency.pk,
        "year": 2021,
        "action": "return",
        "from_status": "submitted",
        "to_status": "returned",
        "version": transition.version,
        "transition_id": transition.pk,
    }
    assert datetime.fromisoformat(record["ts"]).utcoffset() == timedelta(0)
    assert_no_text(audit_lines, COMMENT, reviewer.username, agency.name)


@pytest.mark.django_db
def test_rolled_back_transition_leaves_no_record(audit_lines, django_capture_on_commit_callbacks):
    _, clerk, _, _, report = team()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submit_report(report.pk, clerk)
    assert len(callbacks) >= 1  # the record is written when (if) the transaction commits
    assert not [r for r in parsed(audit_lines) if r["event"] == "transition"]


@pytest.mark.django_db
def test_workflow_refusal_without_role_is_one_record(client, audit_lines):
    _, clerk, _, _, report = team()
    submit_report(report.pk, clerk)
    client.login(username=clerk.username, password=PASSWORD)
    response = client.post(reverse("review:approve", args=[report.pk]), {"comment": COMMENT})
    assert response.status_code == 403
    (record,) = parsed(audit_lines)
    assert {k: record[k] for k in ("event", "user_id", "report_id", "action", "reason", "status")} == {
        "event": "refused",
        "user_id": clerk.pk,
        "report_id": report.pk,
        "action": "approve",
        "reason": "role",
        "status": 403,
    }
    assert record["method"] == "POST" and record["path"] == f"/reports/{report.pk}/approve/"
    assert_no_text(audit_lines, COMMENT, clerk.username)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "code", "comment", "reason"),
    [
        ("reviewer", "return", " ", "comment_required"),
        ("clerk", "submit", "", "state"),  # already submitted
        ("submitter", "approve", "", "four_eyes"),
    ],
)
def test_workflow_refusal_records_its_reason_code(client, audit_lines, who, code, comment, reason):
    _, clerk, reviewer, _, report = team()
    submit_report(report.pk, clerk)
    if who == "submitter":  # the submitter later became a reviewer
        clerk.membership.role = Role.REVIEWER
        clerk.membership.save()
    actor = reviewer if who == "reviewer" else clerk
    client.login(username=actor.username, password=PASSWORD)
    response = client.post(reverse(f"review:{code}", args=[report.pk]), {"comment": comment})
    assert response.status_code == 302  # refused with a message on the page
    (record,) = parsed(audit_lines)
    assert (record["event"], record["user_id"], record["action"], record["reason"]) == (
        "refused",
        actor.pk,
        code,
        reason,
    )


@pytest.mark.django_db
def test_submit_refused_for_content_names_no_text(client, audit_lines):
    agency = make_agency()
    clerk = make_clerk(agency)
    report = make_report(agency, 2021, clerk)
    report.general = SECTIONS["general"]
    report.save()
    client.login(username=clerk.username, password=PASSWORD)
    response = client.post(reverse("review:submit", args=[report.pk]))
    assert response.status_code == 302
    (record,) = parsed(audit_lines)
    assert (record["event"], record["reason"], record["action"]) == ("refused", "content", "submit")
    assert_no_text(audit_lines, SECTIONS["general"], "尚未填写")


@pytest.mark.django_db
def test_any_permission_denied_is_a_refusal_record(client, audit_lines):
    report = make_report(make_agency(), 2021)
    office = make_user("office", "office", region="浙江省温州市")
    client.login(username="office", password=PASSWORD)
    response = client.post(reverse("reports:edit", args=[report.pk]), {"version": "1", "general": COMMENT})
    assert response.status_code == 403
    (record,) = parsed(audit_lines)
    assert (record["event"], record["user_id"], record["reason"], record["status"]) == (
        "refused",
        office.pk,
        "permission_denied",
        403,
    )
    assert record["path"] == f"/reports/{report.pk}/edit/"
    assert_no_text(audit_lines, COMMENT, "只有本机关")


@pytest.mark.django_db
def test_csrf_failure_is_a_refusal_record(audit_lines):
    strict = Client(enforce_csrf_checks=True)
    user = make_user("someone")
    strict.login(username="someone", password=PASSWORD)
    assert strict.post(reverse("logout")).status_code == 403
    (record,) = parsed(audit_lines)
    assert (record["event"], record["user_id"], record["reason"]) == ("refused", user.pk, "csrf")


@pytest.mark.django_db
def test_login_lockout_is_a_refusal_record_without_the_user_name(audit_lines, settings):
    settings.AXES_ENABLED = True
    clerk = make_clerk(make_agency(), "clerk_locked_out")
    client = Client()
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": clerk.username, "password": "wrong-password"})
    assert response.status_code == 429
    (record,) = parsed(audit_lines)  # the four failures before were not refusals of a request
    assert (record["event"], record["user_id"], record["reason"], record["status"]) == (
        "refused",
        None,
        "locked_out",
        429,
    )
    assert_no_text(audit_lines, clerk.username, "127.0.0.1")


def test_audit_refuses_unknown_fields_and_redacts_prose(audit_lines):
    with pytest.raises(TypeError):
        audit("transition", comment=COMMENT)
    record = audit("refused", reason=COMMENT, path="/reports/1/edit/", status=403)
    assert (record["reason"], record["path"], record["status"]) == (REDACTED, "/reports/1/edit/", 403)
    assert_no_text(audit_lines, COMMENT)


def test_settings_write_audit_records_as_json_lines_on_stderr():
    code = "from disclosure.ops.audit import audit; audit('transition', user=7, action='approve', reason='x')"
    environ = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "DATABASE_URL")}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    (line,) = [line for line in result.stderr.splitlines() if line.strip()]
    record = json.loads(line)
    assert KEYS <= set(record)
    assert (record["logger"], record["event"], record["user_id"], record["action"]) == (
        "disclosure.audit",
        "transition",
        7,
        "approve",
    )
    assert result.stdout == ""
