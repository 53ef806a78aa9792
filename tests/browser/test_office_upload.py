"""The office's upload in a real browser: from the dashboard to the upload page,
a zip of published reports up, the job's page ends with the summary table and
the Excel link; and a job's page follows a running job by itself (job.js polls
its status) until it ends, then shows the result."""

import io
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from disclosure.jobs.models import Job
from disclosure.reports.models import Role
from tests.browser.conftest import log_in
from tests.conftest import make_agency, make_user
from tests.importers.samples import SAMPLES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(e.violatedDirective));
"""


def watch(page) -> list:
    """Console errors and uncaught exceptions of the page (and its policy violations, read later)."""
    errors = []
    page.add_init_script(WATCH)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
    return errors


def samples_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for path in SAMPLES.values():
            archive.writestr(f"reports/{path.name}", path.read_bytes())
        archive.writestr("reports/broken.pdf", b"%PDF-1.4 nothing here")
    return out.getvalue()


def test_upload_a_zip_and_see_the_summary(page, live_server):
    make_agency(name="鹿城区民政局", region="浙江省温州市鹿城区")
    office = make_user("office_wenzhou", Role.OFFICE, region="浙江省温州市")
    errors = watch(page)
    log_in(page, live_server, office)

    page.goto(f"{live_server.url}/oversight/")
    page.locator("#upload-link").click()
    expect(page.get_by_role("heading", name="上传报告批量检查")).to_be_visible()
    page.locator("#upload-files").set_input_files(
        files=[{"name": "温州.zip", "mimeType": "application/zip", "buffer": samples_zip()}]
    )
    page.locator("#upload-submit").click()

    expect(page.locator("#job-status")).to_have_text("已完成")
    expect(page.locator("#job-message")).to_have_text("共检查 6 个文件：1 个有错误，1 个无法读取。")
    rows = page.locator("#job-result tr.job-row")
    expect(rows).to_have_count(6)
    expect(rows.filter(has_text=SAMPLES["000"].name)).to_contain_text("鹿城区民政局")
    expect(rows.filter(has_text="broken.pdf")).not_to_contain_text("gov20")
    with page.expect_download() as info:
        page.locator("#job-download-link").click()
    assert info.value.suggested_filename.endswith(".xlsx")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "office-upload-result.png", full_page=True)
    assert page.evaluate("window.__violations") == [] and errors == []


def test_the_job_page_follows_a_running_job_until_it_ends(page, live_server):
    office = make_user("office_wenzhou", Role.OFFICE, region="浙江省温州市")
    job = Job.objects.create(
        kind="test", title="测试任务", owner=office, status=Job.Status.RUNNING,
        progress_done=1, progress_total=4, message="正在检查第 2/4 个文件",
    )  # fmt: skip
    errors = watch(page)
    log_in(page, live_server, office)
    page.goto(f"{live_server.url}/jobs/{job.pk}/")
    expect(page.locator("#job-status")).to_have_text("进行中")
    expect(page.locator("#job-progress")).to_have_attribute("value", "25")

    Job.objects.filter(pk=job.pk).update(progress_done=3, message="正在检查第 4/4 个文件")
    expect(page.locator("#job-count")).to_have_text("3/4")  # polled, no reload
    expect(page.locator("#job-message")).to_have_text("正在检查第 4/4 个文件")
    expect(page.locator("#job-progress")).to_have_attribute("value", "75")

    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.DONE, progress_done=4, message="完成。",
        result={"headings": ["文件", "机关"], "rows": [["a.txt", "鹿城区民政局"]]},
        result_file=b"x", result_name="a.xlsx", result_type="application/octet-stream",
    )  # fmt: skip
    expect(page.locator("#job-status")).to_have_text("已完成")
    expect(page.locator("#job-result tr.job-row")).to_have_count(1)  # the page reloaded with the result
    expect(page.locator("#job-download-link")).to_be_visible()
    assert page.evaluate("window.__violations") == [] and errors == []
