"""Small builders shared by the whole suite (no big fixtures)."""

import os
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import override_settings

from disclosure.reports.models import Agency, Membership, Region, Role
from disclosure.reports.services import start_report

PASSWORD = "test-password-123"


def make_agency(name="测试区民政局", region="浙江省温州市测试区", **fields):
    """An agency; ``region`` is written as a name path and made into the region tree."""
    return Agency.objects.create(name=name, region=Region.from_names(region), **fields)


def make_user(username, role=None, agency=None, region="", **fields):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **fields)
    if role:
        Membership.objects.create(user=user, role=role, agency=agency, region=Region.from_names(region))
    return user


def make_clerk(agency, username="clerk"):
    return make_user(username, Role.CLERK, agency)


def make_reviewer(agency, username="reviewer"):
    return make_user(username, Role.REVIEWER, agency)


def make_report(agency=None, year=2021, user=None):
    return start_report(agency or make_agency(), year, user)


@pytest.fixture
def agency(db):
    return make_agency()


# Cheap password hashing (PBKDF2 stays listed: the demo fixture's hashes use it), and
# WhiteNoise serving from the finders: there is no collected STATIC_ROOT in a test
# run (it would warn, and warnings are errors).
FAST_TEST_SETTINGS = {
    "PASSWORD_HASHERS": [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ],
    "WHITENOISE_AUTOREFRESH": True,
    # django-axes needs the request in authenticate(), which the test client's
    # login() does not pass; the throttling tests switch it back on.
    "AXES_ENABLED": False,
}


@pytest.fixture(scope="session", autouse=True)
def fast_test_settings():
    """FAST_TEST_SETTINGS for the whole session, restored at its end. Session-wide
    because the browser tests' live server (a session fixture too, set up after
    the autouse ones) loads WhiteNoise once, when its thread starts."""
    with override_settings(**FAST_TEST_SETTINGS):
        yield


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """SQLite tests use a file, not memory: with an in-memory database the live server's
    threads and the test share one connection, which Django warns fails at random (a
    browser test's save could hang); a file gives every thread its own connection."""
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        name = Path(tempfile.gettempdir()) / f"disclosure-test-{os.getpid()}.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(name)
