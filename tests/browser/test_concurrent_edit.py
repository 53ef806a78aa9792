"""Two clerks of one agency editing one report at once, each in their own
browser: nothing either typed is overwritten or dropped without them seeing it."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from disclosure.reports.models import AnnualReport, Role
from disclosure.reports.services import load_values
from tests.browser.conftest import log_in
from tests.browser.test_edit_page import cell, zero_report
from tests.conftest import make_agency, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
NEW_NP = "applications.new.natural_person"
COMMERCIAL = "applications.new.commercial"


@pytest.fixture
def two_pages(browser):
    """One browser context (cookies, storage) per clerk."""
    contexts = [
        browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN") for _ in range(2)
    ]
    yield [context.new_page() for context in contexts]
    for context in contexts:
        context.close()


def open_edit(page, live_server, user, report):
    log_in(page, live_server, user)
    page.goto(f"{live_server.url}/reports/{report.pk}/edit/")
    expect(page.locator("#save-status")).to_contain_text("最近保存")


def save(page, version):
    """保存草稿 without leaving the page; waits for the page to say it saved ``version``."""
    url = page.url
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("#save-status")).to_contain_text(re.compile(rf"已于 \d\d:\d\d 保存（第{version}版）"))
    assert page.url == url


def setup(two_pages, live_server):
    agency = make_agency()
    wang = make_user("wang", Role.CLERK, agency, first_name="小王")
    li = make_user("li", Role.CLERK, agency, first_name="小李")
    report = zero_report(agency, 2021)
    report.general = "原来的总体情况。"
    report.save()
    a, b = two_pages
    open_edit(a, live_server, wang, report)
    open_edit(b, live_server, li, report)
    return report, a, b


def test_different_cells_both_kept(two_pages, live_server):
    report, a, b = setup(two_pages, live_server)
    cell(a, NEW_NP).fill("3")
    save(a, 2)
    cell(b, COMMERCIAL).fill("4")
    save(b, 3)  # B's page was at version 1: merged, not refused
    expect(b.locator("#conflicts")).to_be_hidden()
    expect(cell(b, NEW_NP)).to_have_value("3")  # A's cell now shows on B's page
    expect(cell(b, "applications.new.total")).to_have_value("7")
    expect(b.locator("#dirty-note")).to_be_hidden()
    values = load_values(report)
    assert (values[NEW_NP], values[COMMERCIAL]) == (3, 4)

    # A saves again from version 2: no false conflict, B's cell is not written back
    a.locator("#id_problems").fill("小王补充的问题。")
    save(a, 4)
    expect(cell(a, COMMERCIAL)).to_have_value("4")
    values = load_values(report)
    report.refresh_from_db()
    assert (values[NEW_NP], values[COMMERCIAL], report.problems) == (3, 4, "小王补充的问题。")
    # B's next save does not take A's text for a change of B's
    cell(b, "applications.granted.natural_person").fill("1")
    save(b, 5)
    report.refresh_from_db()
    assert report.problems == "小王补充的问题。"


def test_same_cell_and_text_shown_side_by_side_and_decided(two_pages, live_server):
    report, a, b = setup(two_pages, live_server)
    cell(a, NEW_NP).fill("5")
    a.locator("#id_general").fill("小王写的总体情况。")
    save(a, 2)

    cell(b, NEW_NP).fill("9")
    cell(b, COMMERCIAL).fill("2")
    b.locator("#id_general").fill("小李写的总体情况。")
    b.get_by_role("button", name="保存草稿").click()
    conflicts = b.locator("#conflicts")
    expect(conflicts).to_be_visible()
    expect(conflicts).to_contain_text("有 2 处")
    box = b.locator(f'.merge-box[data-conflict="{NEW_NP}"]')
    expect(box).to_contain_text("小王")
    expect(box.locator(".merge-theirs-value")).to_have_text("5")
    expect(box.locator(".merge-mine-value")).to_have_text("9")
    expect(cell(b, NEW_NP)).to_have_value("9")  # B's own value is still in the cell
    text_box = b.locator('.merge-box[data-conflict="general"]')
    expect(text_box.locator("textarea")).to_have_value("小王写的总体情况。")
    expect(b.locator("#id_general")).to_have_value("小李写的总体情况。")
    expect(b.locator("#save-status")).to_contain_text("第3版")  # B's other cell was saved
    ARTIFACTS.mkdir(exist_ok=True)
    box.scroll_into_view_if_needed()
    b.screenshot(path=str(ARTIFACTS / "conflict-cell.png"))
    text_box.scroll_into_view_if_needed()
    b.screenshot(path=str(ARTIFACTS / "conflict-text.png"))
    # nothing of A's was overwritten, B's other change is stored
    values = load_values(report)
    report.refresh_from_db()
    assert (values[NEW_NP], values[COMMERCIAL], report.general) == (5, 2, "小王写的总体情况。")

    # saving before deciding is refused by the page
    b.get_by_role("button", name="保存草稿").click()
    expect(b.locator("#save-message")).to_contain_text("请先对标出的 2 处冲突选择")

    box.get_by_role("button", name="采用对方的").click()
    expect(cell(b, NEW_NP)).to_have_value("5")
    text_box.get_by_role("button", name="保留我的").click()
    expect(conflicts).to_be_hidden()
    expect(b.locator(".merge-box")).to_have_count(0)
    save(b, 4)
    expect(b.locator("#dirty-note")).to_be_hidden()
    values = load_values(report)
    report.refresh_from_db()
    assert (values[NEW_NP], values[COMMERCIAL], report.general) == (5, 2, "小李写的总体情况。")
    assert AnnualReport.objects.get(pk=report.pk).updated_by.username == "li"
