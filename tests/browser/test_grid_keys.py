"""The edit grid as a spreadsheet, in a real browser: pasting a block from
Excel/WPS, ←/→, Ctrl+S, "1 2" refused, the invalid-cell count, warnings told
apart from errors, and 现行有效件数 following 制发/废止 until typed."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from disclosure.reports.services import load_values, save_values, start_report
from tests.browser.conftest import log_in
from tests.conftest import make_agency, make_clerk, make_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
APP = "applications"
# table 三's first input columns (data-x 3..8), the 总计 column (x 9) is computed
COLUMNS = ("natural_person", "commercial", "research", "public_interest", "legal_service", "other")
NORM = "active.normative_documents"

PASTE = """(element, text) => {
  const data = new DataTransfer();
  data.setData("text/plain", text);
  element.focus();
  element.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
}"""


def cell(page, key):
    return page.locator(f'input[data-key="{key}"]')


def open_edit(page, live_server, report, clerk):
    log_in(page, live_server, clerk)
    page.goto(f"{live_server.url}/reports/{report.pk}/edit/")
    expect(page.locator("#findings-summary")).to_be_visible()


def paste(page, key, text):
    cell(page, key).evaluate(PASTE, text)


def saved(page, report, key, expected):
    """Whether ``key`` is stored as ``expected`` once the page says the save is done.

    The database is read only after that: polling it while the server thread is inside
    its save transaction fails on SQLite with "database table is locked"."""
    expect(page.locator("#save-status")).to_contain_text("已于")
    return load_values(report)[key] == expected


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_paste_block_fills_right_and_down_and_drops_computed(page, live_server):
    agency = make_agency()
    report = make_report(agency, 2021)
    open_edit(page, live_server, report, make_clerk(agency))
    # a 3×2 block as Excel copies it: \r\n line ends and a trailing line break
    paste(page, f"{APP}.new.natural_person", "1\t2\t3\r\n4\t5\t6\r\n")
    for row, values in (("new", "123"), ("carried_over", "456")):
        for column, value in zip(COLUMNS, values, strict=False):
            expect(cell(page, f"{APP}.{row}.{column}")).to_have_value(value)
    expect(cell(page, f"{APP}.new.legal_service")).to_have_value("")
    expect(cell(page, f"{APP}.new.total")).to_have_value("6")  # recomputed live
    expect(cell(page, f"{APP}.carried_over.total")).to_have_value("15")
    status = page.locator("#table-applications").locator("xpath=../following-sibling::p[1]")
    expect(status).to_have_text("已粘贴 6 个单元格。")
    expect(page.locator("#dirty-note")).to_be_visible()

    # the last input column then the computed 总计 column; rows 22, 23 (computed 总计 row), 24
    last = [k for k in report.format.input_keys() if k.startswith(f"{APP}.") and k.endswith(".other")]
    paste(page, last[-2], "7\t8\n9\t10\n11\t12")
    expect(cell(page, last[-2])).to_have_value("7")
    expect(cell(page, last[-1])).to_have_value("11")  # the 总计 row in between is skipped, not shifted
    expect(status).to_have_text("已粘贴 2 个单元格；4 个数值落在自动计算的单元格或表格以外，未粘贴。")
    shot(page, "grid-paste.png")

    # a single value with spaces is one cell's error, never glued into 12
    paste(page, f"{APP}.granted.natural_person", "1 2\n")
    expect(cell(page, f"{APP}.granted.natural_person")).to_have_value("1 2")
    expect(page.locator("#cell-applications-granted-natural_person-msg")).to_have_text("数字中间有空格")


def test_paste_through_the_clipboard_with_ctrl_v(page, live_server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    agency = make_agency()
    report = make_report(agency, 2021)
    open_edit(page, live_server, report, make_clerk(agency))
    page.evaluate("text => navigator.clipboard.writeText(text)", "5\t6\n7\t8\n")
    cell(page, f"{APP}.new.research").click()
    page.keyboard.press("Control+V")
    expect(cell(page, f"{APP}.new.research")).to_have_value("5")
    expect(cell(page, f"{APP}.new.public_interest")).to_have_value("6")
    expect(cell(page, f"{APP}.carried_over.research")).to_have_value("7")
    expect(cell(page, f"{APP}.carried_over.public_interest")).to_have_value("8")


def test_left_right_move_between_cells_at_the_text_edges(page, live_server):
    agency = make_agency()
    report = make_report(agency, 2021)
    open_edit(page, live_server, report, make_clerk(agency))
    first = cell(page, f"{APP}.new.natural_person")
    first.click()
    page.keyboard.type("12")
    page.keyboard.press("ArrowLeft")  # caret inside the text: moves within it
    expect(first).to_be_focused()
    assert first.evaluate("e => e.selectionStart") == 1
    page.keyboard.press("ArrowRight")
    expect(first).to_be_focused()
    page.keyboard.press("ArrowRight")  # caret at the end: next cell
    expect(cell(page, f"{APP}.new.commercial")).to_be_focused()
    page.keyboard.press("ArrowLeft")  # the whole text is selected on arrival: back
    expect(first).to_be_focused()
    page.keyboard.press("ArrowLeft")  # no input cell to the left in this row: previous in reading order
    expect(first).not_to_be_focused()
    cell(page, f"{APP}.new.other").click()
    page.keyboard.press("ArrowRight")  # the 总计 column is computed: on to the next row
    expect(cell(page, f"{APP}.carried_over.natural_person")).to_be_focused()
    page.keyboard.press("Tab")  # Tab keeps the browser's order
    expect(cell(page, f"{APP}.carried_over.commercial")).to_be_focused()


def test_ctrl_s_saves_through_the_save_button(page, live_server):
    agency = make_agency()
    report = make_report(agency, 2021)
    open_edit(page, live_server, report, make_clerk(agency))
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    cell(page, f"{APP}.new.natural_person").fill("9")
    page.keyboard.press("Control+s")
    assert saved(page, report, f"{APP}.new.natural_person", 9)
    assert dialogs == []
    expect(cell(page, f"{APP}.new.natural_person")).to_have_value("9")


def test_invalid_cells_are_counted_and_reachable_from_the_check_panel(page, live_server):
    agency = make_agency()
    report = make_report(agency, 2021)
    open_edit(page, live_server, report, make_clerk(agency))
    part = page.locator("#invalid-part")
    expect(part).to_be_hidden()
    cell(page, f"{APP}.new.commercial").fill("1 2")
    expect(page.locator("#cell-applications-new-commercial-msg")).to_have_text("数字中间有空格")
    cell(page, f"{APP}.carried_over.natural_person").fill("-1")
    cell(page, f"{APP}.granted.research").fill("abc")
    expect(page.locator("#findings-line")).to_have_text(re.compile(r"^\d+ 项检查未通过，3 个单元格填写有误$"))
    cell(page, f"{APP}.carried_over.natural_person").fill("1")
    expect(page.locator("#findings-line")).to_contain_text("，2 个单元格填写有误")
    page.locator("#invalid-summary").click()
    expect(cell(page, f"{APP}.new.commercial")).to_be_focused()
    shot(page, "grid-invalid.png")
    for key in (f"{APP}.new.commercial", f"{APP}.granted.research"):
        cell(page, key).fill("")
    expect(part).to_be_hidden()


def test_warnings_look_different_from_errors(page, live_server):
    agency = make_agency()
    save_values(make_report(agency, 2021), {f"{NORM}.in_force": 40})
    report = start_report(agency, 2022)
    open_edit(page, live_server, report, make_clerk(agency))
    cell(page, f"{NORM}.in_force").fill("50")  # T2-1: a warning
    cell(page, f"{APP}.new.natural_person").fill("2")  # the balance of table 三: an error
    warning = page.locator("#findings li.finding-warning").first
    error = page.locator("#findings li.finding-error").first
    expect(warning.locator(".badge")).to_have_text("警告")
    expect(error.locator(".badge")).to_have_text("错误")
    style = "(e, p) => getComputedStyle(e).getPropertyValue(p)"
    assert warning.evaluate(style, "border-left-style") == "dashed"
    assert error.evaluate(style, "border-left-style") == "solid"
    badges = [item.locator(".badge").evaluate(style, "background-color") for item in (warning, error)]
    assert badges[0] != badges[1]
    icons = [
        item.locator(".badge").evaluate("e => getComputedStyle(e, '::before').content")
        for item in (warning, error)
    ]
    assert icons[0] != icons[1] and "none" not in icons
    # in the grid too: a cell only a warning names is amber, one an error names red
    expect(cell(page, f"{NORM}.in_force")).to_have_class(re.compile(r"\bis-warning-only\b"))
    expect(cell(page, f"{APP}.new.natural_person")).not_to_have_class(re.compile(r"\bis-warning-only\b"))
    shot(page, "grid-severity.png")


def test_in_force_follows_issued_and_repealed_until_typed(page, live_server):
    agency = make_agency()
    save_values(make_report(agency, 2021), {f"{NORM}.in_force": 40, "active.regulations.in_force": 3})
    report = start_report(agency, 2022)
    open_edit(page, live_server, report, make_clerk(agency))
    in_force = cell(page, f"{NORM}.in_force")
    expect(in_force).to_have_value("40")  # pre-filled by start_report: 40 + 0 − 0
    cell(page, f"{NORM}.issued").fill("5")
    cell(page, f"{NORM}.repealed").fill("2")
    expect(in_force).to_have_value("43")
    expect(page.locator("#findings")).not_to_contain_text("现行有效件数")
    expect(cell(page, "active.regulations.in_force")).to_have_value("3")

    in_force.fill("50")  # the clerk's own figure stands from now on
    cell(page, f"{NORM}.issued").fill("6")
    expect(in_force).to_have_value("50")
    expect(page.locator("#findings li.finding-warning")).to_contain_text("50 ≠ 40 + 6 − 2")
    page.get_by_role("button", name="保存草稿").click()
    assert saved(page, report, f"{NORM}.in_force", 50)
    expect(page.locator("#dirty-note")).to_be_hidden()

    page.reload()  # a saved figure other than the suggestion is the clerk's: not recomputed
    cell(page, f"{NORM}.repealed").fill("1")
    expect(in_force).to_have_value("50")
