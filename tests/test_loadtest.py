"""The load test (loadtest/): the seed command's guards and plan, the lost-save comparison,
and a short real run of ``loadtest/run.py`` against PostgreSQL (marker ``postgres``)."""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from disclosure.reports.models import AnnualReport, Membership, Role, Status
from disclosure.reports.services import load_values

ROOT = Path(settings.BASE_DIR)
SMOKE_SECONDS = 10


def load_verify():
    spec = importlib.util.spec_from_file_location("loadtest_verify", ROOT / "loadtest" / "verify.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db
@override_settings(DEMO_DATA_ALLOWED=False)
def test_seed_refuses_without_yes_outside_development():
    with pytest.raises(CommandError, match="--yes"):
        call_command("loadtest_seed", "--agencies=1", "--password=lt-password-123")
    assert not Membership.objects.exists()


@pytest.mark.django_db
def test_seed_refuses_a_database_with_real_agencies(agency):
    with pytest.raises(CommandError, match="非压测机关"):
        call_command("loadtest_seed", "--agencies=1", "--password=lt-password-123", "--yes")
    assert not Membership.objects.exists()


@pytest.mark.django_db
def test_seed_writes_accounts_reports_and_plan(tmp_path, client):
    out = tmp_path / "plan.json"
    call_command("loadtest_seed", "--agencies=5", "--password=lt-password-123", "--yes", f"--out={out}")
    plan = json.loads(out.read_text(encoding="utf-8"))
    assert [a["clerk"] for a in plan["agencies"]] == [f"lt_clerk_00{i}" for i in range(1, 6)]
    assert [a["status"] for a in plan["agencies"]] == ["draft"] * 4 + ["submitted"]
    approved = AnnualReport.objects.get(pk=plan["approved_reports"][0])
    assert (approved.status, approved.year) == (Status.APPROVED, plan["year"] - 1)
    draft = AnnualReport.objects.get(pk=plan["agencies"][0]["report"])
    values = load_values(draft)
    assert all(values[key] == 0 for key in plan["input_keys"])
    assert Membership.objects.get(user__username=plan["office"]).role == Role.OFFICE
    # the clerk logs in with the given password and may edit only their own agency's report
    assert client.login(username="lt_clerk_001", password="lt-password-123")
    assert client.get(f"/reports/{draft.pk}/edit/").status_code == 200
    assert client.get(f"/reports/{plan['agencies'][1]['report']}/edit/").status_code == 404


@pytest.mark.django_db
def test_verify_counts_a_save_the_database_does_not_hold(tmp_path):
    call_command(
        "loadtest_seed", "--agencies=1", "--password=lt-password-123", "--yes", "--submitted-every=0"
    )
    report = AnnualReport.objects.get(agency__name="压测机关001", year=2023)
    key = next(iter(report.format.input_keys()))
    verify = load_verify()
    stored = {str(report.pk): {"cells": {key: "0"}, "texts": {"general": report.general}, "doubt": {}}}
    assert verify.compare(stored)["lost_saves"] == 0
    lost = {str(report.pk): {"cells": {key: "7"}, "texts": {"general": "别的内容"}, "doubt": {}}}
    found = verify.compare(lost)
    assert (found["lost_saves"], found["checked"]) == (2, 2)
    # a save whose answer never came may or may not be stored: either value is accepted
    doubtful = {str(report.pk): {"cells": {key: "7"}, "texts": {}, "doubt": {key: ["0"]}}}
    assert verify.compare(doubtful)["lost_saves"] == 0


def postgres_server() -> str:
    """The test run's PostgreSQL server and role (the load test makes its own database)."""
    db = settings.DATABASES["default"]
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{quote(db['USER'], safe='')}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    )


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the load test runs on PostgreSQL")
def test_short_load_test_run_loses_no_save_and_has_no_5xx():
    env = {
        **os.environ,
        "LOADTEST_PG": postgres_server(),
        "LOADTEST_DB": f"disclosure_loadtest_smoke_{os.getpid()}",
        "LOADTEST_SECONDS": str(SMOKE_SECONDS),
        "LOADTEST_CLERKS": "3",
        "LOADTEST_REVIEWERS": "1",
        "LOADTEST_READERS": "1",
        "LOADTEST_SUBMIT_EVERY": "2",
        "LOADTEST_SERVER": "gunicorn",
        "GUNICORN_WORKERS": "2",
    }
    done = subprocess.run(
        [sys.executable, str(ROOT / "loadtest" / "run.py")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert {"requests_per_s", "save_p95_ms", "pdf_p95_ms", "errors_5xx", "lost_saves"} <= set(result)
    assert result["errors_5xx"] == 0
    assert result["lost_saves"] == 0
    assert result["saves_checked"] > 0  # the clerks did save, and every save was compared
    assert result["requests_per_s"] > 0
