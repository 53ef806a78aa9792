"""Headless Chromium (Debian's /usr/bin/chromium) driving Django's live server.

Playwright's sync API keeps an event loop running in the test thread while it
is started, and Django refuses database access from such a thread unless
DJANGO_ALLOW_ASYNC_UNSAFE is set. Both are confined to this directory's
modules: the browser is started per module and the variable restored when it
stops, so it never leaks into other tests or their subprocesses (``manage.py
check --deploy`` rejects it).

The live server needs no settings of its own: the suite's ``fast_test_settings``
(tests/conftest.py) is active for the whole session, before the server starts."""

import os

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
# A save renders the whole check on the server; on CI's two shared cores that can take
# seconds, so assertions wait longer than Playwright's default 5 s before failing.
expect.set_options(timeout=15_000)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    saved = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            yield chromium
            chromium.close()
    finally:
        if saved is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = saved


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


def log_in(page, live_server, user):
    """Log in through the form (a fresh log-in: the page's cookies are cleared first) and
    wait until the navigation bar names the user."""
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#whoami")).to_contain_text(user.get_full_name() or user.username)
