"""The document the template renders: tables walked from the declaration,
values as printed, sections in the official order, narrative paragraphs."""

from decimal import Decimal

import pytest

from disclosure.formats import FORMATS, cell_key, format_for_year
from disclosure.formats.common import SECTION_HEADINGS
from disclosure.formats.spec import Kind
from disclosure.formats.values import display
from disclosure.publish.document import (
    GridCell,
    Paragraph,
    build_sections,
    grid_table,
    paragraphs,
    table_numbers,
    value_text,
)


def spanned_width(rows):
    """Grid columns each printed row occupies, counting cells spanning down from rows above."""
    widths = [0] * len(rows)
    for index, row in enumerate(rows):
        for cell in row:
            for below in range(index, min(index + cell.rowspan, len(rows))):
                widths[below] += cell.colspan
    return widths


@pytest.mark.parametrize("code", sorted(FORMATS))
def test_grid_table_every_row_fills_the_grid(code):
    for table in FORMATS[code].tables:
        grid = grid_table(table, {})
        rows = list(grid.thead)
        for block in grid.blocks:
            assert spanned_width(list(block.head) + list(block.rows)) == [table.grid_width] * (
                len(block.head) + len(block.rows)
            )
        assert spanned_width(rows) == [table.grid_width] * len(rows)


@pytest.mark.parametrize("code", sorted(FORMATS))
def test_grid_table_header_cells_as_declared(code):
    for table in FORMATS[code].tables:
        grid = grid_table(table, {})
        declared = [
            tuple((c.text, c.rowspan, c.colspan) for c in row)
            for group in table.groups
            for row in group.header
        ]
        printed = [tuple((c.text, c.rowspan, c.colspan) for c in row) for row in grid.thead] + [
            tuple((c.text, c.rowspan, c.colspan) for c in row) for block in grid.blocks for row in block.head
        ]
        assert printed == declared


def test_grid_table_single_group_repeats_its_header():
    fmt = format_for_year(2021)
    applications = grid_table(fmt.table("applications"), {})
    active = grid_table(fmt.table("active"), {})
    assert len(applications.thead) == len(fmt.table("applications").groups[0].header)
    assert active.thead == ()
    assert [len(b.head) for b in active.blocks] == [len(g.header) for g in fmt.table("active").groups]


def test_grid_table_columns_label_then_data():
    fmt = format_for_year(2021)
    assert (
        grid_table(fmt.table("applications"), {}).columns == ["label", "label", "label-last"] + ["data"] * 7
    )
    assert grid_table(fmt.table("appeals"), {}).columns == ["data"] * 15
    assert grid_table(fmt.table("active"), {}).columns == ["label-last", "data", "data", "data"]


def test_grid_table_values_in_their_cells():
    fmt = format_for_year(2021)
    table = fmt.table("applications")
    values = {
        cell_key("applications", "new", "natural_person"): 7,
        cell_key("applications", "new", "total"): 0,
    }
    grid = grid_table(table, values)
    first_row = grid.blocks[0].rows[0]
    assert [c.text for c in first_row if not c.header] == ["7", "", "", "", "", "", "0"]
    assert first_row[0] == GridCell(table.groups[0].rows[0].cells[0].text, 1, 3, True)


def test_value_text_money_without_unit_in_header_gets_unit():
    fmt = format_for_year(2020)
    column = fmt.table("active").groups[-1].column("purchase_amount")
    assert value_text(Decimal("166781.96"), column) == "166781.96元"
    assert value_text(None, column) == ""


def test_value_text_money_with_unit_in_header_is_bare():
    fmt = format_for_year(2021)
    column = fmt.locate("active.fees.fee_amount")[3]
    assert column.unit in column.label
    assert value_text(Decimal("5949.088667"), column) == "5949.088667"


def test_value_text_zero_and_signed():
    fmt = format_for_year(2020)
    change = fmt.locate("active.licensing.change")[3]
    assert change.kind == Kind.SIGNED
    assert value_text(0, change) == "0"
    assert value_text(-30, change) == "-30"


@pytest.mark.parametrize(
    ("year", "code"), [(2019, "gov2019"), (2020, "gov2019"), (2021, "gov2021"), (2024, "gov2021")]
)
def test_build_sections_follow_the_year_format(year, code):
    fmt = format_for_year(year)
    sections = build_sections(fmt, {}, {})
    assert fmt.code == code
    assert [s.heading for s in sections] == [f"{n}、{t}" for n, t in SECTION_HEADINGS]
    assert [s.table.code for s in sections if s.table] == [t.code for t in fmt.tables]


def test_paragraphs_keep_lines_and_mark_level2_headings():
    text = "（一）主动公开\n\n本年度公开信息100条。\n（二）依申请公开。全年收到申请2件。\n一是加强学习。"
    assert paragraphs(text) == (
        Paragraph("（一）主动公开", ""),
        Paragraph("", "本年度公开信息100条。"),
        Paragraph("（二）依申请公开。", "全年收到申请2件。"),
        Paragraph("", "一是加强学习。"),
    )


def test_table_numbers_in_printed_order_skip_blanks():
    fmt = format_for_year(2020)
    keys = fmt.cell_keys()
    values = {keys[0]: 3, keys[1]: None, keys[2]: 0, "active.procurement.purchase_amount": Decimal("12.50")}
    assert table_numbers(fmt, values) == ["3", "0", display(Decimal("12.50")) + "元"]
