"""The whole review round in a real browser: the clerk submits, the reviewer
returns it with a comment, the clerk fixes and resubmits, the reviewer sees
the change and approves; the report page then shows the stored file's hash."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from disclosure.formats.checks import compute_totals
from disclosure.publish.models import Rendition
from disclosure.reports.models import AnnualReport, Status
from disclosure.reports.services import load_values, save_values
from tests.browser.conftest import log_in
from tests.conftest import make_agency, make_clerk, make_report, make_reviewer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CELL = "active.licensing.decisions"


def submit_from_edit_page(page):
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator(".messages")).to_contain_text("报告已提交审核。")


def test_review_round_submit_return_fix_resubmit_approve(page, live_server):
    agency = make_agency()
    clerk, reviewer = make_clerk(agency), make_reviewer(agency)
    report = make_report(agency, 2021, clerk)
    save_values(report, compute_totals(report.format, dict.fromkeys(report.format.input_keys(), 0)))
    label = report.format.cell_label(CELL)

    log_in(page, live_server, clerk)
    page.goto(f"{live_server.url}/reports/{report.pk}/edit/")
    page.get_by_role("button", name="提交审核").click()  # the sections are still empty
    expect(page.locator(".messages")).to_contain_text("“一、总体情况”尚未填写")
    page.locator("#id_general").fill("本年度主动公开政府信息。")
    page.locator("#id_problems").fill("上年度问题已全部整改。存在的问题及改进情况。")
    page.locator("#id_other_matters").fill("无")  # S-7: section 六 says nothing of 信息处理费
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("#save-status")).to_contain_text("已于")
    page.reload()
    reasons = page.locator("#warning-reasons")
    expect(reasons).to_contain_text("未说明信息处理费的收取情况")
    reasons.get_by_role("textbox").fill("本年度未收取信息处理费，六部分无其他事项")
    reasons.get_by_role("button", name="保存警告说明").click()
    expect(page.locator(".messages")).to_contain_text("已保存1项警告说明")
    submit_from_edit_page(page)

    log_in(page, live_server, reviewer)
    page.goto(f"{live_server.url}/reports/{report.pk}/review/")
    expect(page.locator("#review-changes")).to_contain_text("这是第一次提交")
    page.get_by_label("退回意见（必填）").fill("行政许可数量漏填，请核对。")
    page.get_by_label("意见针对（可选）").select_option(CELL)
    page.get_by_role("button", name="退回修改").click()
    expect(page.locator(".messages")).to_contain_text("报告已退回填报人修改。")

    log_in(page, live_server, clerk)
    page.goto(f"{live_server.url}/reports/{report.pk}/")
    expect(page.locator("#review-panel")).to_contain_text("行政许可数量漏填，请核对。")
    page.goto(f"{live_server.url}/reports/{report.pk}/edit/")
    expect(page.locator("#review-note")).to_contain_text("行政许可数量漏填，请核对。")
    expect(page.locator("#review-note-target")).to_have_text(label)
    expect(page.locator(f'input[data-key="{CELL}"]')).to_have_class(re.compile("has-review-note"))
    page.locator(f'[data-key="{CELL}"]').fill("5")
    submit_from_edit_page(page)

    log_in(page, live_server, reviewer)
    page.goto(f"{live_server.url}/reports/{report.pk}/review/")
    change = page.locator("#review-changes .review-change")
    expect(change).to_have_count(1)
    expect(change.locator("th")).to_have_text(label)
    expect(change.locator(".review-change-old")).to_have_text("0")
    expect(change.locator(".review-change-new")).to_have_text("5")
    expect(page.locator("#review-panel")).to_contain_text("行政许可数量漏填，请核对。")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "review.png"), full_page=True)
    page.get_by_role("button", name="审核通过").click()
    expect(page.locator(".messages")).to_contain_text("报告已审核通过")

    report = AnnualReport.objects.get(pk=report.pk)
    assert (report.status, load_values(report)[CELL]) == (Status.APPROVED, 5)
    pdf = Rendition.objects.get(report=report, kind="pdf")
    expect(page.locator('#review-panel code.sha256[data-kind="pdf"]')).to_have_text(pdf.sha256)
    page.goto(f"{live_server.url}/reports/{report.pk}/history/")
    expect(page.locator("#history .history-transition")).to_have_count(4)
    page.screenshot(path=str(ARTIFACTS / "history.png"), full_page=True)
