"""The bundled fonts: every standard character prints with one of them in every
text role; characters none has are found before publishing; a face cut down
for embedding keeps what it was asked for and its licence records."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from fontTools.ttLib import TTFont

from disclosure.formats import FORMATS
from disclosure.formats.common import SECTION_HEADINGS
from disclosure.publish import glyphs
from disclosure.publish.glyphs import bundled_fonts, covered, faces_for, font_files, subset_woff, unprintable

LISTS = Path(settings.BASE_DIR) / "scripts" / "fonts"
RARE_NAMES = "王玥、李彧、张喆、赵孟𫖯、宿州市埇桥区"  # 玥彧喆𫖯埇: in the 8105, not in Fandol


def listed(name: str) -> set[int]:
    """The code points of a character list in scripts/fonts/."""
    lines = (LISTS / name).read_text(encoding="utf-8").splitlines()
    return {int(line.split("\t", 1)[0][2:], 16) for line in lines if line.startswith("U+")}


def every_printed_label(fmt) -> str:
    parts = [f"{n}、{t}" for n, t in SECTION_HEADINGS]
    for table in fmt.tables:
        for group in table.groups:
            parts += [cell.text for row in group.header for cell in row]
            parts += [cell.text for row in group.rows for cell in row.cells]
            parts += [column.unit for column in group.columns]
    return "".join(parts)


def test_font_files_are_the_five_bundled_faces():
    assert len(font_files()) == 5


def test_bundled_fonts_one_file_per_family_of_report_css():
    assert sorted(bundled_fonts().faces.values()) == sorted(p.resolve() for p in font_files())


def test_bundled_fonts_regular_roles_fall_back_to_the_fallback_face():
    stacks = bundled_fonts().stacks
    assert (stacks["fang"], stacks["kai"]) == (
        ("Disclosure Fang", "Disclosure Fallback"),
        ("Disclosure Kai", "Disclosure Fallback"),
    )


@pytest.mark.parametrize("name", ["tongyong-guifan-8105.txt", "gb2312.txt", "symbols.txt"])
def test_covered_every_listed_character_in_every_role(name):
    assert sorted(listed(name) - covered()) == []


def test_faces_for_rare_characters_go_to_the_fallback_face():
    used = faces_for({"fang": "王玥", "kai": "（一）彧", "hei": "玥"})
    assert used == {
        "Disclosure Fang": {ord("王")},
        "Disclosure Kai": {ord(c) for c in "（一）"},
        "Disclosure Fallback": {ord("玥"), ord("彧")},
        "Disclosure Hei": {ord("玥")},
    }


def test_faces_for_character_no_face_has_left_out():
    assert faces_for({"fang": "한"}) == {}


def subset_of(family: str, text: str) -> TTFont:
    path = bundled_fonts().faces[family]
    return TTFont(io.BytesIO(subset_woff(path, frozenset(map(ord, text)))))


def name_ids(font: TTFont) -> list[int]:
    return sorted({record.nameID for record in font["name"].names})


@pytest.mark.parametrize("family", ["Disclosure Fang", "Disclosure Fallback"])
def test_subset_woff_has_the_characters_and_every_name_record(family):
    font = subset_of(family, RARE_NAMES)
    with TTFont(bundled_fonts().faces[family]) as source:
        wanted = {ord(c) for c in RARE_NAMES} & set(source.getBestCmap())
        source_names = name_ids(source)
    assert (font.flavor, set(font.getBestCmap())) == ("woff", wanted)
    assert name_ids(font) == source_names


def test_subset_woff_without_harfbuzz_same_characters(monkeypatch):
    monkeypatch.setattr(glyphs, "_harfbuzz", lambda: None)
    glyphs._subset_woff.cache_clear()
    try:
        font = subset_of("Disclosure Fallback", RARE_NAMES + "浉")
    finally:
        glyphs._subset_woff.cache_clear()
    assert set(font.getBestCmap()) == {ord(c) for c in "玥彧喆𫖯埇浉"}


def test_subset_woff_same_bytes_each_time():
    path = bundled_fonts().faces["Disclosure Kai"]
    first = subset_woff(path, frozenset(map(ord, RARE_NAMES)))
    glyphs._subset_woff.cache_clear()
    assert subset_woff(path, frozenset(map(ord, RARE_NAMES))) == first


@pytest.mark.parametrize("code", sorted(FORMATS))
def test_unprintable_template_labels_all_covered(code):
    assert unprintable(every_printed_label(FORMATS[code])) == []


def test_unprintable_common_text_covered():
    text = "鹿城区民政局2020年政府信息公开工作年度报告（地址：洪殿北路128号，电话：0577-88362048）“三安全一稳定”《条例》—"
    assert unprintable(text) == []


def test_unprintable_standard_rare_characters_covered():
    assert unprintable(RARE_NAMES) == []


def test_unprintable_rare_characters_listed_once_in_order():
    assert unprintable("王𠀀与𪚥、王𠀀\n\t　한，刘䶮") == ["𠀀", "𪚥", "한"]


def test_unprintable_blank_text():
    assert unprintable("") == []
