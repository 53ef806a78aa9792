"""The roll-up page in a real browser: clicking a summed cell shows which
agencies of the office's region contribute how much (and nobody outside it)."""

import pytest
from playwright.sync_api import expect

from disclosure.reports.models import Role
from disclosure.reports.services import save_values
from tests.conftest import PASSWORD, make_agency, make_report, make_user
from tests.review.builders import set_status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CELL = "applications.new.natural_person"


def approved(agency, value):
    report = make_report(agency, 2021)
    save_values(report, {CELL: value})
    return set_status(report, "approved")


def test_click_a_cell_to_see_the_contributing_agencies(page, live_server):
    approved(make_agency(name="鹿城区民政局", region="浙江省温州市鹿城区"), 12)
    approved(make_agency(name="瓯海区民政局", region="浙江省温州市瓯海区"), 30)
    approved(make_agency(name="津南区民政局", region="天津市津南区"), 500)  # another region
    office = make_user("office_wenzhou", Role.OFFICE, region="浙江省温州市")

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(office.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#whoami")).to_contain_text(office.username)

    page.goto(f"{live_server.url}/oversight/2021/rollup/")
    expect(page.locator("#included-count")).to_have_text("2")
    cell = page.locator(f'button.rollup-cell[data-key="{CELL}"]')
    expect(cell).to_have_text("42")
    cell.click()
    rows = page.locator("#drill-rows tr.drill-part")
    expect(rows).to_have_count(2)
    expect(page.locator("#drill-label")).to_contain_text("自然人")
    expect(rows.filter(has_text="瓯海区民政局")).to_contain_text("30")
    expect(rows.filter(has_text="鹿城区民政局")).to_contain_text("12")
    expect(page.locator("#drill")).not_to_contain_text("津南区民政局")
    expect(cell).to_have_attribute("aria-pressed", "true")
