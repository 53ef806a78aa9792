"""The disclosure office's dashboard in a real browser: filters apply on change, headings sort."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from disclosure.reports.models import Role
from tests.browser.conftest import log_in
from tests.conftest import make_agency, make_report, make_user
from tests.review.builders import fill, set_status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
YEAR = 2022


def test_dashboard_filters_and_sorts(page, live_server):
    lucheng = make_agency(name="鹿城区民政局", region="浙江省温州市鹿城区", level="county")
    city = make_agency(name="温州市民政局", region="浙江省温州市", level="city")
    make_agency(name="龙湾区民政局", region="浙江省温州市龙湾区", level="county")
    fill(
        make_report(lucheng, YEAR),
        applications__new__natural_person=2,
        applications__granted__natural_person=1,
    )
    approved = make_report(city, YEAR)
    fill(approved)
    set_status(approved, "approved")
    office = make_user("office_wz", Role.OFFICE, region="浙江省温州市")
    log_in(page, live_server, office)

    page.get_by_role("link", name="政务公开办").click()
    page.get_by_label("年度", exact=True).select_option(str(YEAR))
    rows = page.locator("#dashboard tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("#dashboard tr.overdue")).to_have_count(2)
    expect(page.locator("#dashboard tr.overdue").first).to_contain_text("逾期")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "oversight-dashboard.png"), full_page=True)

    page.get_by_label("状态", exact=True).select_option("none")  # applies on change
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("龙湾区民政局")
    expect(rows.first).to_contain_text("未开始")
    page.get_by_role("link", name="清除").click()
    expect(rows).to_have_count(3)

    page.get_by_label("只看有错误的").check()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("鹿城区民政局")
    page.get_by_label("只看有错误的").uncheck()
    expect(rows).to_have_count(3)

    page.get_by_label("层级", exact=True).select_option("city")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("温州市民政局")
    page.get_by_label("层级", exact=True).select_option("")
    expect(rows).to_have_count(3)

    page.locator('th[data-column="agency"] a').click()
    expect(page.locator('th[data-column="agency"]')).to_have_attribute("aria-sort", "ascending")
    first = sorted(["鹿城区民政局", "温州市民政局", "龙湾区民政局"])
    expect(rows.first).to_contain_text(first[0])
    page.locator('th[data-column="agency"] a').click()
    expect(page.locator('th[data-column="agency"]')).to_have_attribute("aria-sort", "descending")
    expect(rows.first).to_contain_text(first[-1])
    page.locator('th[data-column="status"] a').click()
    expect(rows.first).to_contain_text("未开始")
    expect(rows.last).to_contain_text("已通过")
    # the sort survives a filter change
    page.get_by_label("地区", exact=True).select_option(label="浙江省温州市鹿城区")
    expect(rows).to_have_count(1)
    expect(page.locator('th[data-column="status"]')).to_have_attribute("aria-sort", "ascending")
    rows.first.get_by_role("link", name="鹿城区民政局").click()
    expect(page).to_have_url(f"{live_server.url}/reports/{lucheng.reports.get().pk}/")
