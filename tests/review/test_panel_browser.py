"""The review panel in a real browser while an approval's files are being made:
it says so, polls the download with its own script (renditions.js) and shows
the stored files' SHA-256 once a worker has stored them."""

import pytest
from playwright.sync_api import expect

from disclosure.publish.archive import store_approval_files
from disclosure.publish.models import ApprovalFiles, Rendition
from disclosure.reports.models import Status
from tests.browser.conftest import browser, log_in, page  # noqa: F401 - the suite's Chromium fixtures
from tests.review.builders import set_status, team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_panel_polls_until_the_worker_has_stored_the_files(page, live_server):  # noqa: F811
    _, clerk, _, _, report = team()
    report = set_status(report, Status.APPROVED)
    ApprovalFiles.objects.create(report=report, version=report.version)  # queued for a worker
    log_in(page, live_server, clerk)
    page.goto(f"{live_server.url}{report.get_absolute_url()}")
    expect(page.locator("#approval-files")).to_contain_text("存档文件（PDF 和 HTML）正在后台生成")
    assert store_approval_files(report.pk, report.version)  # the worker's part, while the page waits
    pdf = Rendition.objects.get(report=report, kind="pdf")
    expect(page.locator('#review-panel code.sha256[data-kind="pdf"]')).to_have_text(pdf.sha256)
    expect(page.locator("#approval-files")).to_have_count(0)
