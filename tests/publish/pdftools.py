"""Reading rendered PDFs back: text, the numbers of the tables, fonts."""

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


def bundled_families() -> list[str]:
    """The @font-face families of report.css, as PDF font names (spaces → hyphens, bold suffixed)."""
    css = Path(finders.find(STYLESHEET)).read_text(encoding="utf-8")
    names = []
    for rule in re.findall(r"@font-face\s*{([^}]*)}", css):
        family = re.search(r'font-family:\s*"([^"]+)"', rule).group(1).replace(" ", "-")
        bold = re.search(r"font-weight:\s*700", rule)
        names.append(f"{family}-Bold" if bold else family)
    return names
