"""The five published samples, rendered with the system's fonts hidden
(FONTCONFIG_FILE pointing at an empty configuration, in a subprocess):
no missing glyph, only bundled fonts embedded, and import → PDF → text gives
back the title, the six headings and every number of the three tables in order.
Names with standard characters the Fandol faces lack print with the bundled
fallback face. Each sample is rendered once; PNG pages go to tests/artifacts/
for a person."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from disclosure.importers.text import parse_report_file
from disclosure.publish.document import table_numbers
from tests.publish.pdftools import (
    HEADINGS,
    bundled_families,
    font_characters,
    numbers,
    pdf_text,
    pdffonts,
    table_text,
)

ROOT = Path(settings.BASE_DIR)
SAMPLES = sorted((ROOT / "fixtures" / "published").glob("*.txt"))
ARTIFACTS = ROOT / "tests" / "artifacts"
SCRIPT = Path(__file__).with_name("isolated_render.py")
CONTROL_TEXT = "한국어"  # Hangul: in none of the bundled fonts
FALLBACK = "Disclosure-Fallback"
# People and places with characters of the 8105 that Fandol lacks (玥彧喆𫖯䶮埇硚鄠浉),
# one of them in a level-2 heading (Kai).
RARE = "玥彧喆𫖯䶮埇硚鄠浉"
NAMES_TEXT = (
    "（一）埇桥区分局。联系人：王玥、李彧、张喆；书法展品：赵孟𫖯、刘䶮碑拓。"
    "\n地址：武汉市硚口区、西安市鄠邑区、信阳市浉河区。"
)


def empty_fontconfig(directory: Path) -> dict:
    conf = directory / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        f"<fontconfig><cachedir>{directory / 'cache'}</cachedir></fontconfig>\n",
        encoding="utf-8",
    )
    return {**os.environ, "FONTCONFIG_FILE": str(conf), "PYTHONPATH": str(ROOT)}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """{name: pdf path} and {name: WeasyPrint warnings}, from one subprocess."""
    out = tmp_path_factory.mktemp("isolated")
    env = empty_fontconfig(out)
    jobs = [f"{p.stem}={p}" for p in SAMPLES] + ["typical=:typical", f"control=:text:{CONTROL_TEXT}"]
    jobs.append(f"names=:text:{NAMES_TEXT}")
    command = [sys.executable, str(SCRIPT), str(out), *jobs]
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    warnings = json.loads((out / "warnings.json").read_text(encoding="utf-8"))
    return {name: out / f"{name}.pdf" for name in warnings}, warnings, env


def test_isolated_render_sees_no_system_font(rendered):
    _, _, env = rendered
    listed = subprocess.run(["fc-list"], env=env, capture_output=True, text=True, check=True).stdout
    assert listed == ""


def test_isolated_render_reports_missing_glyphs(rendered):
    """The check can fail: a character no bundled font has is logged as .notdef."""
    _, warnings, _ = rendered
    notdef = [w for w in warnings["control"] if ".notdef" in w]
    assert len(notdef) == len(set(CONTROL_TEXT))


@pytest.mark.parametrize("name", [p.stem for p in SAMPLES] + ["typical", "names"])
def test_isolated_render_no_missing_glyph(rendered, name):
    _, warnings, _ = rendered
    assert [w for w in warnings[name] if ".notdef" in w] == []


@pytest.mark.parametrize("name", [p.stem for p in SAMPLES] + ["names"])
def test_isolated_render_only_bundled_fonts_embedded(rendered, name):
    pdfs, _, _ = rendered
    fonts = pdffonts(pdfs[name])
    assert set(fonts) <= set(bundled_families())
    assert set(fonts.values()) == {True}


def test_isolated_render_typical_uses_all_faces_but_the_fallback(rendered):
    pdfs, _, _ = rendered
    assert pdffonts(pdfs["typical"]) == dict.fromkeys(set(bundled_families()) - {FALLBACK}, True)


def test_isolated_render_rare_names_print_with_fallback_face(rendered):
    pdfs, _, _ = rendered
    assert font_characters(pdfs["names"].read_bytes())[FALLBACK] == set(RARE)
    assert pdffonts(pdfs["names"]) == dict.fromkeys(bundled_families(), True)


def test_isolated_render_rare_names_text_extracted_whole(rendered):
    pdfs, _, _ = rendered
    text = pdf_text(pdfs["names"].read_bytes()).replace("\n", "")
    assert [line in text for line in NAMES_TEXT.splitlines()] == [True, True]


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_sample_round_trip_title_headings_numbers(rendered, path):
    pdfs, _, _ = rendered
    parsed = parse_report_file(path)
    text = pdf_text(pdfs[path.stem].read_bytes())
    lines = text.splitlines()
    expected = [n for value in table_numbers(parsed.format, parsed.values) for n in numbers(value)]
    assert parsed.title in "".join(lines[:3])
    assert [line for line in lines if line in HEADINGS] == HEADINGS
    assert len(expected) > 40  # sample 001 leaves most of 表三 blank (not reported)
    assert numbers(table_text(text)) == expected


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_sample_pages_as_png_for_people(rendered, path):
    pdfs, _, _ = rendered
    ARTIFACTS.mkdir(exist_ok=True)
    for old in ARTIFACTS.glob(f"{path.stem}-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-r", "70", "-png", str(pdfs[path.stem]), str(ARTIFACTS / path.stem)], check=True
    )
    info = subprocess.run(
        ["pdfinfo", str(pdfs[path.stem])], capture_output=True, text=True, check=True
    ).stdout
    page_count = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert len(list(ARTIFACTS.glob(f"{path.stem}-*.png"))) == page_count
