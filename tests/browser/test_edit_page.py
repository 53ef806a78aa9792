"""The edit page in a real browser: live checks, refusal, saving, keyboard."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from disclosure.formats.checks import compute_totals
from disclosure.reports.models import Status
from disclosure.reports.services import load_values, save_values
from tests.browser.conftest import log_in
from tests.conftest import make_agency, make_clerk, make_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
BALANCE = "第一项加第二项之和应等于第三项加第四项之和（自然人）：2 + 0 ≠ 1 + 0"


def cell(page, key):
    return page.locator(f'[data-key="{key}"]')


def zero_report(agency, year):
    report = make_report(agency, year)
    save_values(report, compute_totals(report.format, dict.fromkeys(report.format.input_keys(), 0)))
    return report


@pytest.mark.parametrize("year", [2020, 2021])
def test_edit_page_checks_live_refuses_submit_and_keeps_saved_numbers(page, live_server, year):
    agency = make_agency()
    report = zero_report(agency, year)
    log_in(page, live_server, make_clerk(agency))
    page.goto(f"{live_server.url}/reports/{report.pk}/edit/")
    findings = page.locator("#findings")
    expect(findings).to_have_attribute("aria-live", "polite")
    expect(findings.locator("li")).to_have_count(0)

    cell(page, "applications.new.natural_person").fill("2")
    cell(page, "applications.granted.natural_person").fill("1")
    expect(findings).to_contain_text(BALANCE)
    for key in ("new", "carried_over", "results_total", "carried_forward"):
        expect(cell(page, f"applications.{key}.natural_person")).to_have_attribute("aria-invalid", "true")
    expect(cell(page, "applications.results_total.natural_person")).to_have_value("1")
    expect(cell(page, "applications.new.total")).to_have_value("2")
    expect(cell(page, "applications.new.commercial")).not_to_have_attribute("aria-invalid", re.compile(".*"))
    expect(cell(page, "applications.granted.natural_person")).not_to_have_attribute(
        "aria-invalid", re.compile(".*")
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"edit-{report.format.code}.png"), full_page=True)

    cell(page, "applications.carried_forward.natural_person").fill("1")
    expect(findings.locator("li")).to_have_count(0)
    expect(cell(page, "applications.new.natural_person")).not_to_have_attribute(
        "aria-invalid", re.compile(".*")
    )

    cell(page, "applications.carried_forward.natural_person").fill("0")
    expect(findings).to_contain_text(BALANCE)
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator(".messages")).to_contain_text("未能提交审核")
    expect(page.locator(".messages")).to_contain_text(BALANCE)
    report.refresh_from_db()
    assert report.status == Status.DRAFT

    page.reload()
    expect(cell(page, "applications.new.natural_person")).to_have_value("2")
    expect(cell(page, "applications.granted.natural_person")).to_have_value("1")
    expect(findings).to_contain_text(BALANCE)
    assert load_values(report)["applications.new.natural_person"] == 2

    page.goto(f"{live_server.url}/reports/{report.pk}/")
    expect(page.locator("#findings")).to_contain_text(BALANCE)
    expect(page.locator('td[data-key="applications.new.natural_person"]')).to_have_text("2")
    page.screenshot(path=str(ARTIFACTS / f"report-{report.format.code}.png"), full_page=True)


def test_edit_page_keyboard_input_feedback_and_unsaved_warning(page, live_server):
    agency = make_agency()
    report = make_report(agency, 2021)
    log_in(page, live_server, make_clerk(agency))
    page.goto(f"{live_server.url}/reports/{report.pk}/edit/")
    first = cell(page, "applications.new.natural_person")
    expect(first).to_have_attribute("aria-label", "表三「一、本年新收政府信息公开申请数量」「自然人」")

    first.click()
    page.keyboard.type("１２")
    page.keyboard.press("Enter")
    expect(cell(page, "applications.carried_over.natural_person")).to_be_focused()
    page.keyboard.press("Tab")
    expect(cell(page, "applications.carried_over.commercial")).to_be_focused()
    page.keyboard.type("-1")
    expect(page.locator("#cell-applications-carried_over-commercial-msg")).to_have_text("不能为负数")
    expect(page.locator("#findings")).to_contain_text(
        "申请数量应为非负整数（二、上年结转政府信息公开申请数量·法人或其他组织·商业企业）：-1 < 0"
    )
    expect(page.locator("#cell-applications-new-natural_person-msg")).to_have_text("")
    expect(cell(page, "applications.new.total")).to_have_value("12")
    page.keyboard.press("ArrowUp")
    expect(cell(page, "applications.new.commercial")).to_be_focused()

    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    with page.expect_event("dialog"):
        page.close(run_before_unload=True)
    assert dialogs == ["beforeunload"]


def test_save_keeps_the_clerk_where_they_were(page, live_server):
    """保存草稿 and 空白填0 save in place: same page, same focused cell and scroll position,
    the time and version shown, the next save not a false conflict."""
    agency = make_agency()
    report = make_report(agency, 2021)
    log_in(page, live_server, make_clerk(agency))
    page.goto(f"{live_server.url}/reports/{report.pk}/edit/")
    target = cell(page, "applications.granted.natural_person")
    target.fill("1")
    target.scroll_into_view_if_needed()
    where = target.bounding_box()["y"]  # on screen (the page or its panes may scroll)
    page.keyboard.press("Control+s")  # clicks 保存草稿 without scrolling to it (grid_keys.js)
    status = page.locator("#save-status")
    expect(status).to_contain_text(re.compile(r"已于 \d\d:\d\d 保存（第2版）"))
    expect(page.locator("#dirty-note")).to_be_hidden()
    assert target.bounding_box()["y"] == where
    expect(target).to_be_focused()
    assert load_values(report)["applications.granted.natural_person"] == 1
    expect(page.locator("#version-field")).to_have_value("2")

    target.fill("2")
    page.locator("#fill-button").click()
    expect(status).to_contain_text("（第3版）")
    expect(cell(page, "applications.new.natural_person")).to_have_value("0")
    expect(page.locator("#conflicts")).to_be_hidden()
    values = load_values(report)
    assert values["applications.granted.natural_person"] == 2
    assert [k for k in report.format.input_keys() if values[k] is None] == []
