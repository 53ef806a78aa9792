"""How the report page lays out in a browser: an unbroken 300-character string
(a long URL) in the preface and a narrative wraps on the report page, the
review page and the edit page (the page is never wider than the window);
printing the report page prints the report without navigation, side panels or
buttons; the page's icon is served."""

import unicodedata
from io import BytesIO
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import log_in
from tests.conftest import make_agency, make_clerk, make_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
LONG_URL = "https://www.example.gov.cn/zwgk/detail?id=" + ("0123456789abcdef" * 19)[: 300 - 42]
PAGES = {"report": "/reports/{pk}/", "review": "/reports/{pk}/review/", "edit": "/reports/{pk}/edit/"}


def page_overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (0 when it fits)."""
    return page.evaluate("Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")


def report_with_long_url():
    agency = make_agency()
    clerk = make_clerk(agency)
    report = make_report(agency, 2021, clerk)
    report.preface = f"联系方式：{LONG_URL}"
    report.general = f"（一）网站建设。专栏地址：{LONG_URL}，欢迎查阅。"
    report.save()
    return clerk, report


@pytest.mark.parametrize("name", sorted(PAGES))
def test_long_url_page_fits_window(page, live_server, name):
    clerk, report = report_with_long_url()
    log_in(page, live_server, clerk)
    page.goto(live_server.url + PAGES[name].format(pk=report.pk))
    expect(page.get_by_text("网站建设").first).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"long-url-{name}.png"))
    assert page_overflow(page) == 0


def test_report_page_print_shows_only_the_report(page, live_server):
    clerk, report = report_with_long_url()
    log_in(page, live_server, clerk)
    page.goto(f"{live_server.url}/reports/{report.pk}/")
    page.emulate_media(media="print")
    printed = page.pdf(format="A4")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "report-page-print.pdf").write_bytes(printed)
    pdf = PdfReader(BytesIO(printed))
    # NFKC: Chromium's PDF maps some glyphs to Kangxi radicals (⼀ for 一).
    text = unicodedata.normalize("NFKC", "".join(p.extract_text() for p in pdf.pages).replace("\n", ""))
    left_out = ["退出", "填写报告", "检查结果", "审核页面", "跳到正文"]
    assert [word in text for word in left_out] == [False] * len(left_out)
    assert [heading in text for heading in ("一、总体情况", "网站建设。专栏地址")] == [True, True]
    expect(page.locator("aside")).to_be_hidden()
    expect(page.locator(".navbar")).to_be_hidden()


def test_report_page_icon_served(page, live_server):
    clerk, report = report_with_long_url()
    log_in(page, live_server, clerk)
    page.goto(f"{live_server.url}/reports/{report.pk}/")
    fetched = page.evaluate(
        "fetch(document.querySelector('link[rel=icon]').href)"
        ".then(r => [r.status, r.headers.get('content-type')])"
    )
    assert fetched == [200, "image/svg+xml"]
