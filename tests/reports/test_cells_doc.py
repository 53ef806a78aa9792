"""docs/cells.md: generated from the declarations, never stale."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from disclosure.formats import FORMATS
from disclosure.reports import cells_doc


def test_cells_doc_file_is_up_to_date():
    # when this fails: python manage.py cells_doc
    assert cells_doc.DOC_PATH.read_text(encoding="utf-8") == cells_doc.render()


def test_cells_doc_lists_every_cell_of_both_formats_once():
    text = cells_doc.render()
    for fmt in FORMATS.values():
        section = text.split(f"`{fmt.code}`")[1].split("\n## ")[0]
        assert [key for key in fmt.cell_keys() if section.count(f"| `{key}` |") != 1] == []


def test_cells_doc_row_of_a_grouped_result_cell():
    line = next(
        line
        for line in cells_doc.render().splitlines()
        if "| `applications.withheld_security.research` |" in line
    )
    assert line == (
        "| 三、本年度办理结果 › （三）不予公开 › 3.危及“三安全一稳定” | 法人或其他组织·科研机构 "
        '| `applications.withheld_security.research` | `ApplicationRow(row_code="withheld_security").research` '
        "| T3-2, T3-3, T3-4 |"
    )


def test_cells_doc_row_of_a_money_cell_read_next_year():
    lines = cells_doc.render().splitlines()
    fee = next(line for line in lines if "| `active.fees.fee_amount` |" in line)
    in_force = next(line for line in lines if "| `active.normative_documents.in_force` |" in line)
    assert fee == (
        "| 第二十条第（八）项 › 行政事业性收费 | 本年收费金额（单位：万元） | `active.fees.fee_amount` "
        '| `ActiveDisclosureRow(row_code="fees").fee_amount`（万元，最多6位小数） | T2-0 |'
    )
    assert in_force.endswith("| T2-0, T2-1, T2-1（次年）, T2-2（次年） |")


def test_printed_row_labels_carry_merged_labels_down():
    labels = cells_doc.printed_row_labels(FORMATS["gov2021"].table("applications"))
    assert labels["granted"] == "三、本年度办理结果 › （一）予以公开"
    assert labels["other_other"] == "三、本年度办理结果 › （六）其他处理 › 3.其他"
    assert labels["carried_forward"] == "四、结转下年度继续办理"


def test_cells_doc_command_check_passes_when_current():
    out = io.StringIO()
    call_command("cells_doc", "--check", stdout=out)
    assert out.getvalue() == f"{cells_doc.DOC_PATH} 是最新的。\n"


def test_cells_doc_command_check_fails_when_stale(tmp_path, monkeypatch):
    stale = tmp_path / "cells.md"
    stale.write_text("# old\n", encoding="utf-8")
    monkeypatch.setattr(cells_doc, "DOC_PATH", stale)
    with pytest.raises(CommandError) as error:
        call_command("cells_doc", "--check", stdout=io.StringIO())
    assert (error.value.returncode, str(error.value)) == (
        1,
        f"{stale} 已过期或不存在：请运行 python manage.py cells_doc",
    )


def test_cells_doc_command_writes_the_file(tmp_path, monkeypatch):
    target = tmp_path / "docs" / "cells.md"
    monkeypatch.setattr(cells_doc, "DOC_PATH", target)
    call_command("cells_doc", stdout=io.StringIO())
    assert target.read_text(encoding="utf-8") == cells_doc.render()
