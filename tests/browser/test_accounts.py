"""In a real browser: the lockout after five wrong passwords, changing the password
from the navigation bar, and a notification shown with its unread count."""

import pytest
from playwright.sync_api import expect

from disclosure.notifications.models import Kind
from disclosure.notifications.services import notify
from tests.conftest import PASSWORD, make_agency, make_clerk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Lucheng-gongkai-2026"


def try_log_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_role("button", name="登录").click()


def test_five_wrong_passwords_lock_the_account(page, live_server, settings):
    settings.AXES_ENABLED = True
    clerk = make_clerk(make_agency())
    for _ in range(4):
        try_log_in(page, live_server, clerk.username, "wrong-password")
        expect(page.get_by_role("alert")).to_contain_text("用户名或密码不正确")
    try_log_in(page, live_server, clerk.username, "wrong-password")
    expect(page.locator("#lockout-message")).to_contain_text("登录失败次数过多")
    try_log_in(page, live_server, clerk.username, PASSWORD)  # locked even with the right one
    expect(page.locator("#lockout-message")).to_contain_text("30分钟后再试")
    expect(page.locator("#whoami")).to_have_count(0)


def test_change_password_and_see_a_notification(page, live_server):
    clerk = make_clerk(make_agency())
    notify([clerk], Kind.RETURNED, "【已退回】测试报告", "请核对表三。", "/reports/")
    try_log_in(page, live_server, clerk.username, PASSWORD)
    expect(page.locator("#unread-count")).to_contain_text("1")
    page.locator("#nav-notifications").click()
    expect(page.locator("#notifications")).to_contain_text("请核对表三。")
    page.get_by_role("button", name="标为已读", exact=True).click()
    expect(page.locator("#unread-count")).to_have_count(0)

    page.locator("#nav-password").click()
    page.get_by_label("当前密码").fill(PASSWORD)
    page.get_by_label("新密码", exact=True).fill("123456789012")
    page.get_by_label("再次输入新密码").fill("123456789012")
    page.get_by_role("button", name="修改密码").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("密码只包含数字")
    page.get_by_label("当前密码").fill(PASSWORD)
    page.get_by_label("新密码", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("再次输入新密码").fill(NEW_PASSWORD)
    page.get_by_role("button", name="修改密码").click()
    expect(page.locator("#password-changed")).to_be_visible()
    expect(page.locator("#whoami")).to_contain_text(clerk.username)  # still signed in

    page.context.clear_cookies()
    try_log_in(page, live_server, clerk.username, NEW_PASSWORD)
    expect(page.locator("#whoami")).to_contain_text(clerk.username)
