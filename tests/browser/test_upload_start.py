"""上传上年度已发布的报告 in a real browser: a clerk new to the system uploads the
Word file of last year's published report, sees the tables and findings before
anything is saved, saves it, lands on the imported record (已发布（导入）, not
editable), then starts this year's report, which is carried over from it and
checked against it."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from disclosure.reports.models import AnnualReport, Status, Transition
from tests.browser.conftest import log_in
from tests.conftest import make_agency, make_clerk
from tests.importers.make_docx import docx_bytes, sample_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
IN_FORCE = "active.regulations.in_force"


def test_upload_last_years_report_then_start_this_year_from_it(page, live_server):
    agency = make_agency()
    clerk = make_clerk(agency)
    log_in(page, live_server, clerk)
    page.goto(f"{live_server.url}/reports/")
    page.get_by_role("link", name="上传上年度已发布的报告").click()
    expect(page.locator("#upload-rules")).to_contain_text("上传不会覆盖系统中已有的任何报告")

    data = docx_bytes(sample_document("004"))
    page.locator("#upload-file").set_input_files(
        files=[{"name": "南关区2021年报.docx", "mimeType": DOCX, "buffer": data}]
    )
    page.get_by_role("button", name="上传并预览").click()
    preview = page.locator("#upload-preview")
    expect(preview).to_contain_text("文件“南关区2021年报.docx”中读到的内容（尚未保存）")
    expect(page.locator("#upload-year")).to_contain_text("2021年度")
    expect(page.locator("#upload-warnings")).to_contain_text(
        "“南关区民政局”，与您所在的机关“测试区民政局”不一致"
    )
    expect(page.locator("#table-applications")).to_contain_text("二、上年结转政府信息公开申请数量")
    expect(page.locator(f'#table-active td[data-key="{IN_FORCE}"]')).to_have_text("1")
    expect(page.locator("#findings li").first).to_be_visible()
    expect(page.locator("#findings")).to_contain_text("警告")
    assert not AnnualReport.objects.exists()  # nothing saved by the preview
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "upload-start-preview.png"), full_page=True)

    page.get_by_role("button", name="保存为2021年度已发布报告（导入）").click()
    expect(page.locator("#report-status")).to_have_text("已发布（导入）")
    expect(page.locator(".messages")).to_contain_text("保存为本机关2021年度的已发布报告（导入）")
    expect(page.locator("#import-record")).to_contain_text("不能修改")
    report = AnnualReport.objects.get(agency=agency, year=2021)
    assert report.status == Status.APPROVED
    assert list(Transition.objects.filter(report=report).values_list("action", flat=True)) == ["import"]
    page.screenshot(path=str(ARTIFACTS / "upload-start-done.png"), full_page=True)

    page.goto(f"{live_server.url}/reports/{report.pk}/edit/")  # not editable: sent to the report page
    expect(page.locator(".messages")).to_contain_text("不能修改")
    assert page.url == f"{live_server.url}/reports/{report.pk}/"
    expect(page.locator("#edit-link")).to_have_count(0)
    page.goto(f"{live_server.url}/reports/")
    expect(page.locator(f'tr[data-report="{report.pk}"]')).to_contain_text("已发布（导入）")

    page.goto(f"{live_server.url}/reports/{report.pk}/imported/")
    page.get_by_role("button", name="新建2022年度报告（从本报告结转数据）").click()
    expect(page.locator(".messages")).to_contain_text("已从上年报告结转相关数据")
    current = AnnualReport.objects.get(agency=agency, year=2022)
    assert page.url == f"{live_server.url}/reports/{current.pk}/edit/"
    cell = page.locator(f'input[data-key="{IN_FORCE}"]')
    expect(cell).to_have_value("1")  # 上年现行有效件数 + 本年制发 − 废止, from the import
    findings = page.locator("#findings")
    expect(findings).not_to_contain_text("应等于上年“现行有效件数”")
    cell.fill("5")
    expect(findings).to_contain_text("应等于上年“现行有效件数”")  # the cross-year check reads the import
