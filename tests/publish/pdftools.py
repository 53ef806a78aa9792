"""Reading rendered PDFs back: text, the numbers of the tables, fonts, where
the words are."""

import html
import re
import subprocess
from io import BytesIO
from pathlib import Path

from django.contrib.staticfiles import finders
from pypdf import PdfReader

from disclosure.formats.common import SECTION_HEADINGS
from disclosure.publish.render import STYLESHEET

HEADINGS = [f"{number}、{title}" for number, title in SECTION_HEADINGS]
PAGE_NUMBER = re.compile(r"— \d+ —")
# A number not glued to another digit or a full stop: "1.属于国家秘密" is a label, not a value.
NUMBER = re.compile(r"(?<![\d.])-?\d+(?:\.\d+)?(?![\d.])")
BFCHAR = re.compile(r"<[0-9a-fA-F]+>\s*<([0-9a-fA-F]+)>")
WORD_BOX = re.compile(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>')


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def table_text(text: str) -> str:
    """The text from the first table heading (二) to the heading after the last (五)."""
    lines = text.splitlines()
    start, end = lines.index(HEADINGS[1]), lines.index(HEADINGS[4])
    return PAGE_NUMBER.sub(" ", "\n".join(lines[start:end]))


def numbers(text: str) -> list[str]:
    return NUMBER.findall(text)


def pdffonts(path: Path) -> dict[str, bool]:
    """Font name (subset tag removed) → embedded, as poppler's pdffonts lists them."""
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    fonts = {}
    for line in out.splitlines()[2:]:
        fields = line.split()
        name = fields[0].split("+", 1)[-1]
        emb = fields[-5]
        fonts[name] = emb == "yes"
    return fonts


def font_characters(pdf: bytes) -> dict[str, set[str]]:
    """PDF font name (subset tag removed) → the characters printed with it, from
    each font's ToUnicode map (WeasyPrint writes one bfchar line per glyph)."""
    used: dict[str, set[str]] = {}
    for page in PdfReader(BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            cmap = font["/ToUnicode"].get_object().get_data().decode("ascii")
            assert "bfrange" not in cmap  # only bfchar lines are read below
            name = str(font["/BaseFont"]).lstrip("/").split("+", 1)[-1]
            targets = BFCHAR.findall("".join(re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S)))
            chars = {bytes.fromhex(target).decode("utf-16-be") for target in targets}
            used.setdefault(name, set()).update(chars)
    return used


def word_boxes(path: Path) -> list[tuple[float, float, str]]:
    """Every word's left and right edge (points) and text, as ``pdftotext -bbox`` finds them."""
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True, text=True)
    return [
        (float(left), float(right), html.unescape(word)) for left, right, word in WORD_BOX.findall(out.stdout)
    ]


def bundled_families() -> list[str]:
    """The @font-face families of report.css, as PDF font names (spaces → hyphens, bold suffixed)."""
    css = Path(finders.find(STYLESHEET)).read_text(encoding="utf-8")
    names = []
    for rule in re.findall(r"@font-face\s*{([^}]*)}", css):
        family = re.search(r'font-family:\s*"([^"]+)"', rule).group(1).replace(" ", "-")
        bold = re.search(r"font-weight:\s*700", rule)
        names.append(f"{family}-Bold" if bold else family)
    return names
