"""Cells as real reports print them: blank, with a note, a word for nothing; and what is still refused."""

import pytest

from disclosure.importers.text import ReportParseError, parse_report_text

from .samples import sample_text, set_row

LABEL = "表二「规范性文件」「对外公开总数量」"


def parsed_with(cell):
    return parse_report_text(set_row(sample_text("000"), "规范性文件", ["6", "6", cell]))


@pytest.mark.parametrize(
    "cell, value",
    [
        ("12（其中修订5件）", 12),
        ("40（含自然失效8件）", 40),
        ("3（件）", 3),
        ("5件", 5),
        ("1,234", 1234),
        ("12件（另有3件）", 12),
        ("19(含转载)", 19),
    ],
)
def test_a_number_with_a_note_imports_as_its_number_keeping_the_note(cell, value):
    parsed = parsed_with(cell)
    assert parsed.values["active.normative_documents.total_published"] == value
    if cell == "1,234":
        assert parsed.notes == []
        return
    (note,) = parsed.notes
    assert (note.kind, note.line, note.cells) == (
        "annotated",
        30,
        ["active.normative_documents.total_published"],
    )
    assert note.message == f"第30行：{LABEL}原文“{cell}”，按{value}导入，注释已保留在导入提示中"


@pytest.mark.parametrize("cell", ["无", "—", "——", "-", "/", "／", "－"])
def test_a_word_for_nothing_imports_as_0_with_a_warning(cell):
    parsed = parsed_with(cell)
    assert parsed.values["active.normative_documents.total_published"] == 0
    (note,) = parsed.notes
    assert note.kind == "nil"
    assert note.message == f"第30行：{LABEL}原文“{cell}”不是数字，按0导入（表示没有）"


def test_a_money_cell_with_a_note_keeps_its_unit():
    text = set_row(sample_text("000"), "政府集中采购", ["10", "166781.96元（含追加）"])
    parsed = parse_report_text(text)
    assert str(parsed.values["active.procurement.purchase_amount"]) == "166781.96"
    assert [n.kind for n in parsed.notes] == ["annotated"]


@pytest.mark.parametrize("cell", ["abc", "1g", "十二", "12abc", "约12", "1.5件"])
def test_what_is_not_a_number_is_still_refused_naming_section_and_line(cell):
    with pytest.raises(ReportParseError) as caught:
        parsed_with(cell)
    assert caught.value.line == 30
    assert str(caught.value).startswith(f"二、主动公开政府信息情况，第30行：{LABEL}：")


def test_a_blank_total_column_is_one_warning_and_stays_blank():
    text = sample_text("000")
    for label, cells in (("行政许可", ["200", "", "5"]), ("其他对外管理服务事项", ["1", "", "2"])):
        text = set_row(text, label, cells)
    parsed = parse_report_text(text)
    assert parsed.values["active.licensing.change"] is None
    (note,) = parsed.notes
    assert note.kind == "blank"
    assert "“本年增/减”列全部空白（2行）" in note.message
    assert note.cells == ["active.licensing.change", "active.other_services.change"]
