"""The Content-Security-Policy in Chromium: every main page, the admin's
included, runs under it without one violation or console error, and the edit
page's live checks work with the rules fetched from their cached file."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from disclosure.formats.checks import compute_totals
from disclosure.reports.models import Role
from disclosure.reports.services import save_values
from tests.browser.conftest import log_in
from tests.conftest import make_agency, make_clerk, make_report, make_reviewer, make_user
from tests.review.builders import fill, set_status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
BALANCE = "第一项加第二项之和应等于第三项加第四项之和（自然人）：2 + 0 ≠ 1 + 0"

# Runs in every document before its own scripts (Playwright injects it outside the
# page's policy): records each violation the policy reports.
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


class Watch:
    """The page's policy violations, console errors and uncaught exceptions."""

    def __init__(self, page):
        self.page = page
        self.errors = []
        self.policies = set()
        page.add_init_script(WATCH)
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        page.on("response", self._response)

    def _console(self, message):
        # the admin names no icon: Chromium asks for /favicon.ico, which the app does not serve
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            self.errors.append(f"{message.text} ({message.location.get('url')})")

    def _response(self, response):
        if response.request.resource_type == "document":
            self.policies.add(response.headers.get("content-security-policy", ""))

    def visit(self, url):
        self.page.goto(url)
        self.assert_clean(url)

    def assert_clean(self, where):
        violations = self.page.evaluate("window.__violations")
        assert violations == [], (where, violations)
        assert self.errors == [], (where, self.errors)
        assert "" not in self.policies, where


def zero_report(agency, year):
    report = make_report(agency, year)
    save_values(report, compute_totals(report.format, dict.fromkeys(report.format.input_keys(), 0)))
    return report


def test_clerk_pages_and_live_checks_under_the_policy(page, live_server):
    watch = Watch(page)
    agency = make_agency()
    clerk = make_clerk(agency)
    report = zero_report(agency, 2021)
    watch.visit(f"{live_server.url}/accounts/login/")
    log_in(page, live_server, clerk)
    watch.assert_clean("login")
    watch.visit(f"{live_server.url}{reverse('reports:list')}")
    watch.visit(f"{live_server.url}{reverse('reports:detail', args=[report.pk])}")

    checks_files = []
    page.on("response", lambda r: checks_files.append(r) if "/formats/" in r.url else None)
    page.goto(f"{live_server.url}{reverse('reports:edit', args=[report.pk])}")
    findings = page.locator("#findings")
    expect(page.locator("#report-form")).to_have_attribute("data-checks", "ready")
    page.locator('[data-key="applications.new.natural_person"]').fill("2")
    page.locator('[data-key="applications.granted.natural_person"]').fill("1")
    expect(findings).to_contain_text(BALANCE)  # the rules came from the file
    expect(page.locator('[data-key="applications.new.total"]')).to_have_value("2")  # totals too
    page.locator("#id_general").fill("2021年，本机关全年共收到政府信息公开申请52件。")  # the phrases too
    expect(page.locator("#notes-general")).to_contain_text("本机关全年共收到政府信息公开申请52件")
    watch.assert_clean("edit page")
    assert [r.status for r in checks_files] == [200]
    assert checks_files[0].headers["cache-control"] == "public, max-age=31536000, immutable"
    assert checks_files[0].headers["content-type"] == "application/json"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "csp-edit.png"), full_page=True)

    # the next edit page reads the file from the browser's cache: no request reaches the server
    page.locator('[data-key="applications.carried_forward.natural_person"]').fill("1")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("#save-status")).to_contain_text("已于")
    page.goto(f"{live_server.url}{reverse('reports:detail', args=[report.pk])}")
    page.goto(f"{live_server.url}{reverse('reports:edit', args=[report.pk])}")
    expect(page.locator("#report-form")).to_have_attribute("data-checks", "ready")
    cached = page.evaluate(
        "performance.getEntriesByType('resource').filter(e => e.name.includes('/formats/'))"
        ".map(e => e.transferSize)"
    )
    assert cached and all(size == 0 for size in cached), cached
    watch.assert_clean("edit page, second visit")


def test_reviewer_and_office_pages_under_the_policy(page, live_server):
    watch = Watch(page)
    agency = make_agency(name="鹿城区民政局", region="浙江省温州市鹿城区")
    reviewer = make_reviewer(agency)
    submitted = make_report(agency, 2021)
    fill(submitted)
    set_status(submitted, "submitted")
    approved = make_report(agency, 2020)
    fill(approved)
    set_status(approved, "approved")

    log_in(page, live_server, reviewer)
    watch.visit(f"{live_server.url}{reverse('review:review', args=[submitted.pk])}")
    watch.visit(f"{live_server.url}{reverse('review:history', args=[submitted.pk])}")

    office = make_user("office_wz", Role.OFFICE, region="浙江省温州市")
    log_in(page, live_server, office)
    watch.visit(f"{live_server.url}{reverse('oversight:dashboard')}")
    page.get_by_label("年度", exact=True).select_option("2021")  # the filters' script runs
    expect(page.locator("#dashboard tbody tr")).to_have_count(1)
    watch.assert_clean("dashboard, filtered")
    watch.visit(f"{live_server.url}{reverse('oversight:rollup', kwargs={'year': 2020})}")
    page.locator('button.rollup-cell[data-key="applications.new.natural_person"]').click()
    expect(page.locator("#drill-rows tr.drill-part")).to_have_count(1)
    watch.assert_clean("roll-up, drilled")


def test_admin_pages_under_the_policy(page, live_server):
    watch = Watch(page)
    agency = make_agency()
    report = make_report(agency, 2021)
    fill(report)
    superuser = make_user("root", is_superuser=True, is_staff=True)
    watch.visit(f"{live_server.url}{reverse('admin:login')}")
    log_in(page, live_server, superuser)
    base = live_server.url
    watch.visit(f"{base}{reverse('admin:index')}")
    watch.visit(f"{base}{reverse('admin:reports_annualreport_changelist')}")
    page.locator("#changelist-form input.action-select").first.check()  # actions.js
    expect(page.locator("#changelist-form .action-counter")).to_contain_text("1")
    watch.visit(f"{base}{reverse('admin:reports_annualreport_change', args=[report.pk])}")
    expect(page.locator(".inline-group").first).to_be_visible()
    watch.visit(f"{base}{reverse('admin:reports_annualreport_history', args=[report.pk])}")
    watch.visit(f"{base}{reverse('admin:reports_annualreport_delete', args=[report.pk])}")
    watch.visit(f"{base}{reverse('admin:reports_agency_add')}")
    watch.visit(f"{base}{reverse('admin:auth_user_change', args=[superuser.pk])}")
    page.locator("#nav-sidebar, #toggle-nav-sidebar").first.wait_for(state="attached")
    watch.assert_clean("admin")
