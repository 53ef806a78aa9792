"""The one layout of every table and the section order, and its three readers agreeing on it."""

from dataclasses import replace

import pytest

from disclosure.formats import FORMATS, get_format
from disclosure.formats.common import SECTION_HEADINGS
from disclosure.formats.layout import Continuation, LabelCell, ValueCell, grids, sections, table_grid
from disclosure.formats.spec import Cell, Column, Group, Row, Table
from disclosure.formats.values import display
from disclosure.importers.tables import TableReader, TextCell, TextRow
from disclosure.publish.document import grid_table, value_text
from disclosure.reports.forms import ReportGrid

CODES = sorted(FORMATS)


def every_table():
    return [(code, table) for code in CODES for table in FORMATS[code].tables]


def table_id(param):
    return f"{param[0]}-{param[1].code}" if isinstance(param, tuple) else str(param)


def spans(slots):
    return [(type(s).__name__, s.x, s.colspan) for s in slots]


@pytest.mark.parametrize("pair", every_table(), ids=table_id)
def test_every_row_covers_the_grid_once(pair):
    _, table = pair
    for row in table_grid(table).rows:
        xs = [s.x for s in row.slots]
        assert xs == sorted(xs) and xs[0] == 0
        assert [a.x + a.colspan for a in row.slots[:-1]] == xs[1:], spans(row.slots)
        assert row.slots[-1].x + row.slots[-1].colspan == table.grid_width


@pytest.mark.parametrize("pair", every_table(), ids=table_id)
def test_continuations_are_exactly_the_rowspans_from_above(pair):
    """Counting only printed cells and their rowspans gives the grid width on every row."""
    _, table = pair
    for group in table_grid(table).groups:
        covered = {}  # x → (cell, rows still covered)
        for row in group.rows:
            expected = {x: cell for x, (cell, _) in covered.items()}
            assert {s.x: s.cell for s in row.continued} == expected
            covered = {x: (c, n - 1) for x, (c, n) in covered.items() if n > 1}
            covered.update({s.x: (s.cell, s.rowspan - 1) for s in row.labels if s.rowspan > 1})
            width = sum(s.colspan for s in row.printed) + sum(c.colspan for c in expected.values())
            assert width == table.grid_width
        assert covered == {}, "a merged cell runs past its group"


@pytest.mark.parametrize("code", CODES)
def test_every_cell_key_once_in_printed_order(code):
    fmt = FORMATS[code]
    keys = [v.key for grid in grids(fmt) for v in grid.value_cells]
    assert keys == fmt.cell_keys()
    assert len(set(keys)) == len(keys)


@pytest.mark.parametrize("code", CODES)
def test_value_cells_as_declared(code):
    fmt = FORMATS[code]
    for grid in grids(fmt):
        for v in grid.value_cells:
            table, group, row, column = fmt.locate(v.key)
            assert (table, v.row, v.column) == (grid.table, row, column)
            assert v.colspan == column.span
            assert v.computed == fmt.is_computed(v.key)


@pytest.mark.parametrize("pair", every_table(), ids=table_id)
def test_data_rows_counted_over_the_whole_table(pair):
    _, table = pair
    grid = table_grid(table)
    assert [r.y for r in grid.body] == list(range(len(list(table.rows()))))
    assert all(r.y is None and r.row is None and not r.values for g in grid.groups for r in g.header)
    assert all(v.y == r.y for r in grid.body for v in r.values)
    assert [r.row for r in grid.body] == [row for _, row in table.rows()]


def test_table_three_header_spans_match_the_declaration():
    for code in CODES:
        table = FORMATS[code].table("applications")
        (group,) = table_grid(table).groups
        printed = [[(c.text, c.rowspan, c.colspan) for c in row.labels] for row in group.header]
        assert printed == [[(c.text, c.rowspan, c.colspan) for c in row] for row in table.groups[0].header]
        assert [spans(row.slots) for row in group.header] == [
            [("LabelCell", 0, 3), ("LabelCell", 3, 7)],
            [("Continuation", 0, 3), ("LabelCell", 3, 1), ("LabelCell", 4, 5), ("LabelCell", 9, 1)],
            [("Continuation", 0, 3), ("Continuation", 3, 1)]
            + [("LabelCell", x, 1) for x in range(4, 9)]
            + [("Continuation", 9, 1)],
        ]
        assert [c.text for c in group.header[2].labels] == [
            "商业企业",
            "科研机构",
            "社会公益组织",
            "法律服务机构",
            "其他",
        ]


def test_table_three_merged_result_labels_continue_down():
    table = FORMATS["gov2021"].table("applications")
    rows = {r.row.code: r for r in table_grid(table).body}
    assert spans(rows["new"].label_slots) == [("LabelCell", 0, 3)]
    assert spans(rows["granted"].label_slots) == [("LabelCell", 0, 1), ("LabelCell", 1, 2)]
    assert rows["granted"].labels[0].rowspan == len(rows) - 3  # every row of 三、本年度办理结果
    assert spans(rows["withheld_secret"].label_slots) == [
        ("Continuation", 0, 1),
        ("LabelCell", 1, 1),
        ("LabelCell", 2, 1),
    ]
    assert spans(rows["other_other"].label_slots) == [
        ("Continuation", 0, 1),
        ("Continuation", 1, 1),
        ("LabelCell", 2, 1),
    ]
    assert rows["other_other"].continued[1].text == "（六）其他处理"
    assert [v.x for v in rows["new"].values] == list(range(3, 10))


def test_label_columns_and_first_text():
    fmt = get_format("gov2021")
    assert [(g.code, g.label_columns) for g in grids(fmt)] == [
        ("active", 1),
        ("applications", 3),
        ("appeals", 0),
    ]
    assert [g.first_text for g in grids(fmt)] == [
        "第二十条第（一）项",
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        "行政复议",
    ]


def test_each_group_prints_its_own_header():
    table = get_format("gov2019").table("active")
    grid = table_grid(table)
    assert [len(g.header) for g in grid.groups] == [2] * 5
    assert [g.header[0].labels[0].text for g in grid.groups] == [g.caption for g in table.groups]
    assert [r.group for r in grid.rows] == [g for g in table.groups for _ in g.header + g.rows]


def test_grids_are_laid_out_once_and_shared():
    appeals_2019 = get_format("gov2019").table("appeals")
    appeals_2021 = get_format("gov2021").table("appeals")
    assert appeals_2019 is appeals_2021
    assert table_grid(appeals_2019) is table_grid(appeals_2021)
    assert grids(get_format("gov2021"))[1] is table_grid(get_format("gov2021").table("applications"))


def test_a_row_that_does_not_fill_the_grid_is_refused():
    narrow = Group("g", ((Cell("a"), Cell("b")),), (Column("c", "c"),), (Row("r", "r", (Cell("r"),)),))
    with pytest.raises(ValueError, match="covers 2 of 3"):
        table_grid(Table("t", "二", "t", 3, (narrow,)))


def test_a_merged_cell_running_past_its_group_is_refused():
    tall = Group("g", (), (Column("c", "c"),), (Row("r", "r", (Cell("r", rowspan=2),)),))
    with pytest.raises(ValueError, match="runs past its last row"):
        table_grid(Table("t", "二", "t", 2, (tall,)))


# ------------------------------------------------------------------ sections


@pytest.mark.parametrize("code", CODES)
def test_sections_in_the_template_order(code):
    fmt = FORMATS[code]
    found = sections(fmt)
    assert [s.number for s in found] == ["一", "二", "三", "四", "五", "六"]
    assert [(s.number, s.title) for s in found] == list(SECTION_HEADINGS)
    assert [s.heading for s in found][0] == "一、总体情况"
    assert [s.table for s in found if s.table] == list(fmt.tables)
    assert [s.narrative for s in found if s.narrative] == list(fmt.narratives)
    assert all((s.table is None) != (s.narrative is None) for s in found)
    assert [s.code for s in found] == [
        "general",
        "active",
        "applications",
        "appeals",
        "problems",
        "other_matters",
    ]
    assert found[4].aliases == fmt.narratives[1].aliases and found[1].aliases == ()
    assert found[2].grid is table_grid(fmt.table("applications")) and found[0].grid is None


def test_a_format_without_six_sections_is_refused():
    fmt = get_format("gov2021")
    with pytest.raises(ValueError, match="not 一 to 六"):
        sections(replace(fmt, narratives=fmt.narratives[:2]))


# ------------------------------------------------------------------ the readers agree


def numbered(fmt):
    """A distinct printed number for every cell."""
    return {key: index + 1 for index, key in enumerate(fmt.cell_keys())}


@pytest.mark.parametrize("pair", every_table(), ids=table_id)
def test_edit_grid_prints_the_layout(pair):
    code, table = pair
    fmt = FORMATS[code]
    printed = ReportGrid(fmt, numbered(fmt)).layout(table)
    grid = table_grid(table)
    assert len(printed) == len(grid.rows)
    for cells, row in zip(printed, grid.rows):
        assert [(c["text"], c["colspan"]) for c in cells] == [
            (c.text, c.colspan) if isinstance(c, LabelCell) else (display(numbered(fmt)[c.key]), c.colspan)
            for c in row.printed
        ]
        assert [(c["key"], c["x"], c["y"]) for c in cells if "key" in c] == [
            (v.key, v.x, v.y) for v in row.values
        ]


@pytest.mark.parametrize("pair", every_table(), ids=table_id)
def test_publish_prints_the_layout(pair):
    code, table = pair
    values = numbered(FORMATS[code])
    printed = grid_table(table, values)
    rows = list(printed.thead) + [row for block in printed.blocks for row in (*block.head, *block.rows)]
    grid = table_grid(table)
    assert len(rows) == len(grid.rows)
    for cells, row in zip(rows, grid.rows):
        assert [(c.text, c.colspan, c.header) for c in cells] == [
            (c.text, c.colspan, True)
            if isinstance(c, LabelCell)
            else (value_text(values[c.key], c.column), c.colspan, False)
            for c in row.printed
        ]
    assert printed.label_columns == grid.label_columns


def text_table(table, values):
    """The table as the importer's text form prints it: merged cells empty, values as numbers."""
    rows = []
    for line, row in enumerate(table_grid(table).rows):
        cells = []
        for slot in row.slots:
            text = (
                ""
                if isinstance(slot, Continuation)
                else (str(values[slot.key]) if isinstance(slot, ValueCell) else slot.text)
            )
            cells.append(TextCell(text, line))
        rows.append(TextRow(cells))
    return rows


@pytest.mark.parametrize("pair", every_table(), ids=table_id)
def test_importer_reads_the_layout(pair):
    code, table = pair
    fmt = FORMATS[code]
    values = numbered(fmt)
    rows = text_table(table, values)
    reader = TableReader(fmt, table, rows, len(rows))
    assert reader.read() == len(rows)
    assert reader.notes == []
    assert list(reader.values) == [v.key for v in table_grid(table).value_cells]
    assert reader.values == {key: values[key] for key in reader.values}
