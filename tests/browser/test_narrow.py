"""Below 1200 px: the edit page's buttons and findings, and the reviewer's
approve/return panel, stay in reach on a long report (1000×700 window)."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from disclosure.reports.models import Status
from tests.browser.conftest import log_in
from tests.conftest import make_agency, make_clerk, make_report, make_reviewer
from tests.review.builders import fill, set_status, write_sections

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
NARROW = {"width": 1000, "height": 700}


@pytest.fixture
def narrow(browser):
    context = browser.new_context(viewport=NARROW, locale="zh-CN")
    yield context.new_page()
    context.close()


def scroll_to(page, where):
    page.evaluate(f"window.scrollTo(0, document.documentElement.scrollHeight * {where})")
    page.wait_for_timeout(100)


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


def test_edit_page_buttons_and_findings_stay_in_view(narrow, live_server):
    page = narrow
    agency = make_agency()
    report = make_report(agency, 2021)
    log_in(page, live_server, make_clerk(agency))
    page.goto(f"{live_server.url}/reports/{report.pk}/edit/")
    page.locator('input[data-key="applications.new.natural_person"]').fill("3")  # a failing rule
    page.locator("#id_general").fill("本年度主动公开政府信息。\n" * 40)  # a long report
    for where, name in ((0.5, "narrow-edit-middle.png"), (1, "narrow-edit-bottom.png")):
        scroll_to(page, where)
        for selector in (
            "#save-button",
            "#submit-button",
            "#findings-summary",
            "#findings li.finding >> nth=0",
        ):
            expect(page.locator(selector)).to_be_in_viewport()
        shot(page, name)
    # the findings fold away, leaving the buttons and the summary line
    page.locator("#side-toggle").click()
    expect(page.locator("#findings")).to_be_hidden()
    expect(page.locator("#findings-summary")).to_be_in_viewport()
    expect(page.locator("#side-toggle")).to_have_attribute("aria-expanded", "false")
    page.locator("#side-toggle").click()
    expect(page.locator("#findings li.finding").first).to_be_in_viewport()
    # a focused cell near the bottom is not hidden under the docked bar
    scroll_to(page, 0)
    last = page.locator('input[data-key="appeals.cases.after_review_pending"]')
    last.focus()
    expect(last).to_be_in_viewport()
    box, bar = last.bounding_box(), page.locator("#edit-side").bounding_box()
    assert box["y"] + box["height"] <= bar["y"]


@pytest.mark.parametrize("viewport", [NARROW, {"width": 1280, "height": 700}], ids=["narrow", "wide"])
def test_review_panel_stays_in_reach_on_a_long_report(browser, live_server, viewport):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    try:
        agency = make_agency()
        report = make_report(agency, 2021)
        write_sections(report)
        report.general = "本年度主动公开政府信息。\n" * 60
        report.save()
        fill(report)
        set_status(report, Status.SUBMITTED)
        log_in(page, live_server, make_reviewer(agency))
        page.goto(f"{live_server.url}/reports/{report.pk}/review/")
        approve = page.get_by_role("button", name="审核通过")
        give_back = page.get_by_role("button", name="退回修改")
        for where in (0.5, 1):
            scroll_to(page, where)
            expect(approve).to_be_in_viewport()
            expect(give_back).to_be_in_viewport()
        shot(page, f"review-{'narrow' if viewport is NARROW else 'wide'}-bottom.png")
        # and still usable: approving works from the docked panel
        approve.click()
        expect(page.locator(".messages")).to_contain_text("报告已审核通过")
    finally:
        context.close()
