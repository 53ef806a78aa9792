"""The grids as laid out for the edit and report pages."""

import pytest

from disclosure.formats import FORMATS
from disclosure.reports.forms import NarrativeForm, ReportGrid, sections
from disclosure.reports.models import AnnualReport


def occupied_widths(rows):
    """Grid columns each printed row covers, following row spans down."""
    carried = []  # (rows still covered, width) from cells above
    widths = []
    for row in rows:
        width = sum(w for _, w in carried) + sum(c["colspan"] for c in row)
        widths.append(width)
        carried = [(n - 1, w) for n, w in carried if n > 1]
        carried += [(c.get("rowspan", 1) - 1, c["colspan"]) for c in row if c.get("rowspan", 1) > 1]
    return widths


@pytest.mark.parametrize("code", sorted(FORMATS))
def test_grid_layout_is_rectangular(code):
    fmt = FORMATS[code]
    grid = ReportGrid(fmt, dict.fromkeys(fmt.cell_keys()))
    for table in fmt.tables:
        rows = grid.layout(table)
        assert set(occupied_widths(rows)) == {table.grid_width}, table.code


@pytest.mark.parametrize("code", sorted(FORMATS))
def test_grid_layout_has_one_cell_per_key_in_printed_order(code):
    fmt = FORMATS[code]
    grid = ReportGrid(fmt, dict.fromkeys(fmt.cell_keys()))
    keys = [c["key"] for t in fmt.tables for row in grid.layout(t) for c in row if "key" in c]
    computed = [
        c["key"] for t in fmt.tables for row in grid.layout(t) for c in row if c["type"] == "computed"
    ]
    assert keys == fmt.cell_keys()
    assert computed == [k for k in fmt.cell_keys() if fmt.is_computed(k)]


def test_grid_binds_typed_text_and_refuses_bad_cells():
    fmt = FORMATS["gov2019"]
    stored = dict.fromkeys(fmt.cell_keys())
    data = {
        "applications.new.natural_person": "１２",
        "applications.new.commercial": "-3",
        "applications.new.total": "99",
        "active.licensing.change": "−30",
    }
    grid = ReportGrid(fmt, stored, data)
    assert grid.values == {"applications.new.natural_person": 12, "active.licensing.change": -30}
    assert grid.errors == {"applications.new.commercial": "不能为负数"}
    assert grid.texts["applications.new.commercial"] == "-3"
    assert grid.error_labels() == [
        "表三「一、本年新收政府信息公开申请数量」「法人或其他组织·商业企业」：不能为负数"
    ]


def test_grid_refuses_two_numbers_typed_or_pasted_into_one_cell():
    fmt = FORMATS["gov2021"]
    data = {"applications.new.natural_person": "1 2", "applications.new.commercial": " 7 "}
    grid = ReportGrid(fmt, dict.fromkeys(fmt.cell_keys()), data)
    assert grid.values == {"applications.new.commercial": 7}
    assert grid.errors == {"applications.new.natural_person": "数字中间有空格"}
    assert grid.texts["applications.new.natural_person"] == "1 2"


def test_sections_follow_the_template_order():
    fmt = FORMATS["gov2021"]
    headings = [heading for _, heading, _ in sections(fmt, NarrativeForm(instance=AnnualReport(year=2021)))]
    assert [h[0] for h in headings] == ["一", "二", "三", "四", "五", "六"]
