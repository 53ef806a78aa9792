"""Comparing printed labels and headings with the format declaration.

Published reports are typed by hand: labels lose or swap a character, rows are
numbered ``1、`` instead of ``1.``, headings lose their number or are worded a
little differently. These helpers say how close a text is to a declared label;
the callers decide what is a warning and what cannot be read at all.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from disclosure.formats.layout import Section

# A label at least this similar (difflib ratio) is taken as the declared one, with a warning.
LABEL_SIMILAR = 0.5
# A label this similar to another declared row means the expected row is missing.
LABEL_SAME = 0.8
# A numbered heading needs at least this much in common with its section's title.
HEADING_SIMILAR = 0.3
HEADING_MAX_LENGTH = 40
_NUMERALS = "一二三四五六七八九十"
_NUMBERED = re.compile(rf"^([{_NUMERALS}]+)\s*[、.．]\s*(.+)$")
_SENTENCE = re.compile(r"[。；;：:！？!?，,]")
_SPACES = re.compile(r"\s+")
_INLINE = re.compile(r"^([^：:]+)[：:](.*\S.*)$")  # “六、其他需要报告的事项：无。”


def normalize(text: str) -> str:
    """Full-width to half-width, no spaces: the form in which labels are compared."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text or ""))


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, normalize(a), normalize(b)).ratio()


def same(a: str, b: str) -> bool:
    return normalize(a) == normalize(b)


def shorten(text: str, limit: int = 24) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def closeness(section: Section, title: str) -> float:
    """1 for the section's own title or a known variant, else the similarity."""
    if any(same(title, t) for t in (section.title, *section.aliases)):
        return 1.0
    return similarity(title, section.title)


@dataclass(frozen=True)
class Heading:
    index: int  # into formats.layout.sections()
    text: str
    numbered: bool
    exact: bool  # the template's own words (or a repeat of the current section's title)
    rest: str = ""  # text after the heading on the same line (“六、其他需要报告的事项：无”)


def match_heading(text: str, all_sections: Sequence[Section], current: int) -> Heading | None:
    """The section a line opens, if it is a heading of a section after ``current``.

    Numbered headings (``三、…``) may be worded differently; unnumbered ones must use
    the template's words or a known variant, so that sub-headings such as
    “主动公开情况” stay in the text. A repeat of the current section's title (a
    caption above its table) is reported with ``index == current``."""
    text = text.strip()
    inline = _INLINE.match(text)
    if inline:
        head, rest = inline.group(1).strip(), inline.group(2).strip()
        found = match_heading(head, all_sections, current)
        if found and found.numbered and found.exact and all_sections[found.index].narrative:
            return Heading(found.index, head, True, True, rest)
    if not text or len(text) > HEADING_MAX_LENGTH or _SENTENCE.search(text):
        return None
    numbered = _NUMBERED.match(text)
    if numbered:
        number, title = numbered.group(1), numbered.group(2)
        for index, section in enumerate(all_sections):
            if section.number == number and index > current:
                score = closeness(section, title)
                if score >= HEADING_SIMILAR:
                    return Heading(index, text, True, same(title, section.title))
        return None
    for index, section in enumerate(all_sections):
        if index >= current and closeness(section, text) == 1.0:
            return Heading(index, text, False, same(text, section.title))
    return None
