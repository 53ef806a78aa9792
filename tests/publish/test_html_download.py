"""The HTML download stands alone: its stylesheet embeds each face it needs,
cut down to the characters it prints, so opened from disk with the network
off it shows the bundled faces and asks for nothing. The PDF's HTML keeps the
static font URLs that the static-only fetcher serves."""

import base64
import io
import re
from dataclasses import replace

import pytest
from fontTools.ttLib import TTFont

from disclosure.publish.bench import typical_document
from disclosure.publish.render import pdf_html, render_html
from tests.browser.conftest import browser  # noqa: F401 - the shared Chromium fixture

NAMES_TEXT = "（一）埇桥区分局。联系人：王玥、李彧、张喆；书法展品：赵孟𫖯、刘䶮碑拓。"
RARE = "玥彧喆𫖯䶮埇"
FACE = re.compile(r'@font-face\s*{[^}]*font-family:\s*"([^"]+)"[^}]*url\("([^"]+)"\)')
WOFF_URL = "data:font/woff;base64,"
# What Chromium reports (CSS.getPlatformFontsForNode) for the five faces.
POSTSCRIPT_NAMES = {
    "NotoSerifCJKsc-Bold",
    "NotoSansCJKsc-Bold",
    "FandolFang-Regular",
    "FandolKai-Regular",
    "NotoSerifCJKsc-Regular",
}


def names_document():
    document = replace(typical_document(), draft=True)
    return replace(document, narratives={**document.narratives, "general": NAMES_TEXT})


def embedded_faces(html: str) -> dict[str, TTFont]:
    """CSS family → the font its @font-face embeds."""
    faces = {}
    for family, url in FACE.findall(html):
        assert url.startswith(WOFF_URL)
        faces[family] = TTFont(io.BytesIO(base64.b64decode(url.removeprefix(WOFF_URL))))
    return faces


def test_render_html_no_static_or_external_url():
    html = re.sub(r'data:[^")]*', "", render_html(names_document()))
    assert re.findall(r"/static/|[a-z]+://|<link|src=", html) == []


def test_render_html_typical_embeds_four_faces_no_fallback():
    assert sorted(embedded_faces(render_html(typical_document()))) == [
        "Disclosure Fang",
        "Disclosure Hei",
        "Disclosure Kai",
        "Disclosure Song",
    ]


def test_render_html_rare_names_embedded_in_the_fallback_face():
    faces = embedded_faces(render_html(names_document()))
    assert {chr(c) for c in faces["Disclosure Fallback"].getBestCmap()} == set(RARE)


def test_render_html_title_face_has_only_the_title():
    document = typical_document()
    faces = embedded_faces(render_html(document))
    assert {chr(c) for c in faces["Disclosure Song"].getBestCmap()} == set(document.title)


def test_pdf_html_fonts_by_static_url():
    urls = [url for _, url in FACE.findall(pdf_html(typical_document()))]
    assert len(urls) == 5
    assert [url.startswith("/static/disclosure/fonts/") for url in urls] == [True] * 5


def platform_fonts(page) -> set[tuple[str, bool]]:
    """(PostScript name, is a web font) of every font Chromium draws the page's
    text with (each element reports the fonts of its own text)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    nodes = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "body, body *"})["nodeIds"]
    return {
        (font["postScriptName"], font["isCustomFont"])
        for node in nodes
        for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    }


@pytest.mark.browser
def test_html_download_from_disk_offline_shows_bundled_faces(browser, tmp_path):  # noqa: F811 - the fixture
    path = tmp_path / "report.html"
    path.write_text(render_html(names_document()), encoding="utf-8")
    context = browser.new_context(offline=True, viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        page.goto(path.as_uri())
        statuses = page.evaluate("document.fonts.ready.then(set => [...set].map(f => f.status))")
        fonts = platform_fonts(page)
    finally:
        context.close()
    assert statuses == ["loaded"] * 5
    assert fonts == {(name, True) for name in POSTSCRIPT_NAMES}
    assert requested == [path.as_uri()]
