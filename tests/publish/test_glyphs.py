"""Characters no bundled font has: found before publishing."""

import pytest

from disclosure.formats import FORMATS
from disclosure.formats.common import SECTION_HEADINGS
from disclosure.publish.glyphs import font_files, unprintable


def every_printed_label(fmt) -> str:
    parts = [f"{n}、{t}" for n, t in SECTION_HEADINGS]
    for table in fmt.tables:
        for group in table.groups:
            parts += [cell.text for row in group.header for cell in row]
            parts += [cell.text for row in group.rows for cell in row.cells]
            parts += [column.unit for column in group.columns]
    return "".join(parts)


def test_font_files_are_the_four_bundled_faces():
    assert len(font_files()) == 4


@pytest.mark.parametrize("code", sorted(FORMATS))
def test_unprintable_template_labels_all_covered(code):
    assert unprintable(every_printed_label(FORMATS[code])) == []


def test_unprintable_common_text_covered():
    text = "鹿城区民政局2020年政府信息公开工作年度报告（地址：洪殿北路128号，电话：0577-88362048）“三安全一稳定”《条例》—"
    assert unprintable(text) == []


def test_unprintable_rare_characters_listed_once_in_order():
    assert unprintable("王𠀀与𪚥、王𠀀\n\t　한，刘䶮") == ["𠀀", "𪚥", "한"]


def test_unprintable_blank_text():
    assert unprintable("") == []
