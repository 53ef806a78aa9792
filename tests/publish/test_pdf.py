"""The PDF of a report: content in order, draft watermark, page numbers,
header rows repeated on page breaks, bundled fonts embedded as subsets, long
strings kept inside the text area, the title's closing phrase on one line.
Each document is rendered once for the module."""

import subprocess
from dataclasses import replace
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from disclosure.publish.bench import typical_document
from disclosure.publish.document import table_numbers
from disclosure.publish.glyphs import font_files
from disclosure.publish.render import pdf_from_html, pdf_html, render_html, render_pdf
from tests.publish.pdftools import (
    HEADINGS,
    PAGE_NUMBER,
    bundled_families,
    numbers,
    pdf_text,
    pdffonts,
    table_text,
    word_boxes,
)

ARTIFACTS = Path(__file__).parents[1] / "artifacts"
FALLBACK = "Disclosure-Fallback"  # used only for characters the Fandol faces lack
MM = 72 / 25.4
TEXT_LEFT, TEXT_RIGHT = 28 * MM, (210 - 26) * MM  # A4, margins 26 mm right and 28 mm left
# 300 characters without a break opportunity after the query's "=": a long URL.
LONG_URL = "https://www.example.gov.cn/zwgk/detail?id=" + ("0123456789abcdef" * 19)[: 300 - 42]
TAIL = "政府信息公开工作年度报告"


@pytest.fixture(scope="module")
def approved():
    document = typical_document()
    return document, render_pdf(document)


@pytest.fixture(scope="module")
def draft():
    document = replace(typical_document(), draft=True)
    return document, render_pdf(document)


def pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]


def test_render_pdf_title_and_headings_in_order(approved):
    document, pdf = approved
    lines = pdf_text(pdf).splitlines()
    title = "".join(lines[:2])
    assert title == document.title
    assert [line for line in lines if line in HEADINGS] == HEADINGS


def test_render_pdf_every_table_number_in_order(approved):
    document, pdf = approved
    expected = [n for text in table_numbers(document.format, document.values) for n in numbers(text)]
    assert len(expected) == len(document.format.cell_keys())
    assert numbers(table_text(pdf_text(pdf))) == expected


def test_render_pdf_narrative_paragraphs(approved):
    document, pdf = approved
    text = PAGE_NUMBER.sub("", pdf_text(pdf)).replace("\n", "")
    for line in document.narratives["general"].splitlines():
        assert line in text


def test_render_pdf_page_numbers_on_every_page(approved):
    _, pdf = approved
    found = [PAGE_NUMBER.findall(text) for text in pages(pdf)]
    assert found == [[f"— {n} —"] for n in range(1, len(found) + 1)]


def test_render_pdf_draft_watermark_only_on_drafts(approved, draft):
    assert "草稿" not in pdf_text(approved[1])
    assert [text.count("草稿") for text in pages(draft[1])] == [1] * len(pages(draft[1]))


def test_render_pdf_table_header_repeated_after_page_break(approved):
    """表三 fits one page as printed; at a larger size it must break, repeating its header."""
    document, _ = approved
    larger = "<style>.grid-applications { font-size: 18pt; line-height: 24pt; }</style></head>"
    pdf = pdf_from_html(pdf_html(document).replace("</head>", larger, 1))
    table = document.format.table("applications")
    header_text = table.groups[0].header[0][1].text
    first_row, last_row = table.groups[0].rows[0].label, table.groups[0].rows[-1].label
    texts = [t.replace("\n", "") for t in pages(pdf)]
    first_page = next(i for i, t in enumerate(texts) if first_row in t)
    last_page = next(i for i, t in enumerate(texts) if last_row in t)
    assert last_page > first_page
    assert [header_text in t for t in texts[first_page : last_page + 1]] == [True] * (
        last_page - first_page + 1
    )


def test_render_pdf_table_kept_on_one_page_when_it_fits(approved):
    document, pdf = approved
    table = document.format.table("applications")
    first_row, last_row = table.groups[0].rows[0].label, table.groups[0].rows[-1].label
    texts = [t.replace("\n", "") for t in pages(pdf)]
    assert [i for i, t in enumerate(texts) if first_row in t] == [
        i for i, t in enumerate(texts) if last_row in t
    ]


def test_render_pdf_embeds_only_bundled_fonts(draft, tmp_path):
    _, pdf = draft
    path = tmp_path / "draft.pdf"
    path.write_bytes(pdf)
    assert pdffonts(path) == dict.fromkeys(set(bundled_families()) - {FALLBACK}, True)


def test_render_pdf_fonts_are_subset(draft):
    _, pdf = draft
    assert len(pdf) * 20 < sum(p.stat().st_size for p in font_files())


def test_render_html_same_template_as_pdf(approved):
    document, _ = approved
    html = render_html(document)
    assert html.startswith("<!DOCTYPE html>")
    assert [h for h in HEADINGS if f"<h2>{h}</h2>" in html] == HEADINGS


def test_render_pdf_artifact_for_people(draft):
    """Keep the typical draft as PNG pages in tests/artifacts/ for a person to look at."""
    _, pdf = draft
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "typical-draft.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "70",
            "-png",
            str(ARTIFACTS / "typical-draft.pdf"),
            str(ARTIFACTS / "typical-draft"),
        ],
        check=True,
    )
    assert len(list(ARTIFACTS.glob("typical-draft-*.png"))) == len(pages(pdf))


def test_render_pdf_rare_character_falls_back_to_system_font(tmp_path, caplog):
    """A character no bundled font has prints with a system CJK font when there is one."""
    rare = "한"  # Hangul: in no bundled font, in the system Noto CJK fonts
    if not subprocess.run(["fc-list", f":charset={ord(rare):x}"], capture_output=True, text=True).stdout:
        pytest.skip("no system font has the character")
    document = typical_document()
    document = replace(document, narratives={**document.narratives, "general": f"经办人：王{rare}"})
    path = tmp_path / "rare.pdf"
    with caplog.at_level("WARNING", logger="weasyprint"):
        path.write_bytes(render_pdf(document))
    assert [r.getMessage() for r in caplog.records if ".notdef" in r.getMessage()] == []
    assert set(pdffonts(path)) - set(bundled_families())


def with_general(text: str):
    document = typical_document()
    return replace(document, narratives={**document.narratives, "general": text})


def test_render_pdf_long_url_inside_text_area(tmp_path):
    path = tmp_path / "url.pdf"
    path.write_bytes(render_pdf(with_general(f"（一）网站建设。专栏地址：{LONG_URL}，欢迎查阅。")))
    boxes = word_boxes(path)
    outside = [word for left, right, word in boxes if left < TEXT_LEFT - 0.01 or right > TEXT_RIGHT + 0.01]
    assert outside == []
    assert LONG_URL in "".join(word for _, _, word in boxes)


def test_render_pdf_long_agency_title_keeps_closing_phrase_whole():
    """26 characters of agency name: without the rule the second line would end
    in "…工作年度" and "报告" would stand alone on a third."""
    agency = "温州市鹿城区人民政府五马街道办事处社会事务管理办公室"
    title = f"{agency}2021年{TAIL}"
    document = replace(typical_document(), title=title, agency_name=agency)
    lines = pdf_text(render_pdf(document)).splitlines()
    end = lines.index(TAIL) + 1
    assert "".join(lines[:end]) == title
    assert lines[end - 1] == TAIL


def test_render_pdf_short_title_closing_phrase_on_its_own_line(approved):
    document, pdf = approved
    lines = pdf_text(pdf).splitlines()
    assert lines[:2] == [document.title.removesuffix(TAIL), TAIL]
