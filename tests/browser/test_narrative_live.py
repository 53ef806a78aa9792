"""The narrative checks live on the edit page: a sentence that quotes a number the
tables contradict is flagged beside its section as the clerk types, clears when
the number is fixed, and jumps to the cell it quotes."""

import pytest
from playwright.sync_api import expect

from disclosure.formats.checks import compute_totals
from disclosure.reports.services import save_values
from tests.browser.conftest import log_in
from tests.conftest import make_agency, make_clerk, make_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_TOTAL = "applications.new.total"


def test_sentence_against_the_tables_is_flagged_beside_its_section(page, live_server):
    agency = make_agency()
    report = make_report(agency, 2021)
    values = dict.fromkeys(report.format.input_keys(), 0)
    values["applications.new.natural_person"] = 49
    values["applications.granted.natural_person"] = 49
    save_values(report, compute_totals(report.format, values))
    log_in(page, live_server, make_clerk(agency))
    page.goto(f"{live_server.url}/reports/{report.pk}/edit/")

    general = page.locator("#id_general")
    general.fill("2021年，本机关全年共收到政府信息公开申请52件，咨询电话0577-88362048。")
    notes = page.locator("#notes-general")
    expect(notes).to_contain_text(
        '一、总体情况称"本机关全年共收到政府信息公开申请52件"，表三"本年新收政府信息公开申请数量"为49'
    )
    expect(page.locator("#findings")).to_contain_text("全年共收到政府信息公开申请52件")

    notes.get_by_role("button", name="转到表格").click()
    expect(page.locator(f'[data-key="{NEW_TOTAL}"]')).to_be_focused()

    general.fill("2021年，本机关全年共收到政府信息公开申请49件，咨询电话0577-88362048。")
    expect(notes).to_be_empty()
    general.fill("2021年，本机关全年共收到政府信息公开申请近50件。")  # an approximation that holds
    page.wait_for_timeout(400)
    expect(notes).to_be_empty()
