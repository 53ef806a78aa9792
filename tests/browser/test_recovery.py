"""Nothing typed is lost: unsaved input is kept in the browser (localStorage)
and offered back when the page is closed without saving or the log-in expires."""

import re

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from disclosure.reports.services import load_values
from tests.browser.conftest import log_in
from tests.browser.test_concurrent_edit import ARTIFACTS, save
from tests.browser.test_edit_page import cell, zero_report
from tests.conftest import PASSWORD, make_agency, make_clerk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_NP = "applications.new.natural_person"


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    yield context
    context.close()


def test_closed_tab_input_is_offered_back_and_saved(context, live_server):
    agency = make_agency()
    report = zero_report(agency, 2021)
    page = context.new_page()
    log_in(page, live_server, make_clerk(agency))
    url = f"{live_server.url}/reports/{report.pk}/edit/"
    page.goto(url)
    cell(page, NEW_NP).fill("7")
    page.locator("#id_general").fill("关闭前写的总体情况。")
    page.close()  # no save, no warning: the tab is gone

    page = context.new_page()
    page.goto(url)
    banner = page.locator("#draft-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text(
        re.compile(r"发现上次未保存的内容（\d{4}-\d\d-\d\d \d\d:\d\d，第1版起，共 2 处）")
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "recovery-banner.png"))
    expect(cell(page, NEW_NP)).to_have_value("0")  # nothing changes before the clerk decides
    banner.get_by_role("button", name="恢复").click()
    expect(cell(page, NEW_NP)).to_have_value("7")
    expect(page.locator("#id_general")).to_have_value("关闭前写的总体情况。")
    expect(page.locator("#dirty-note")).to_be_visible()
    save(page, 2)
    report.refresh_from_db()
    assert (load_values(report)[NEW_NP], report.general) == (7, "关闭前写的总体情况。")
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('disclosure:draft:'))") == []
    page.reload()
    expect(page.locator("#draft-banner")).to_be_hidden()


def test_discarded_draft_is_not_offered_again(context, live_server):
    agency = make_agency()
    report = zero_report(agency, 2021)
    page = context.new_page()
    log_in(page, live_server, make_clerk(agency))
    url = f"{live_server.url}/reports/{report.pk}/edit/"
    page.goto(url)
    cell(page, NEW_NP).fill("7")
    page.close()
    page = context.new_page()
    page.goto(url)
    page.locator("#draft-banner").get_by_role("button", name="放弃").click()
    expect(page.locator("#draft-banner")).to_be_hidden()
    page.reload()
    expect(page.locator("#draft-banner")).to_be_hidden()
    assert load_values(report)[NEW_NP] == 0


@pytest.mark.parametrize("expire", ["cookie", "flush"])
def test_expired_log_in_leads_back_to_the_page_with_the_input(context, live_server, expire):
    agency = make_agency()
    report = zero_report(agency, 2021)
    clerk = make_clerk(agency)
    page = context.new_page()
    log_in(page, live_server, clerk)
    page.goto(f"{live_server.url}/reports/{report.pk}/edit/")
    cell(page, NEW_NP).fill("8")
    page.locator("#id_problems").fill("登录过期前写的问题。")
    if expire == "cookie":
        context.clear_cookies(name="sessionid")
    else:
        Session.objects.all().delete()
    page.get_by_role("button", name="保存草稿").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.get_by_label("用户名").fill(clerk.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(rf"/reports/{report.pk}/edit/$"))
    banner = page.locator("#draft-banner")
    expect(banner).to_contain_text("发现上次未保存的内容")
    banner.get_by_role("button", name="恢复").click()
    expect(cell(page, NEW_NP)).to_have_value("8")
    save(page, 2)
    report.refresh_from_db()
    assert (load_values(report)[NEW_NP], report.problems) == (8, "登录过期前写的问题。")
