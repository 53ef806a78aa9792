"""Which characters of a report no bundled font can print.

The PDF uses the fonts in ``static/disclosure/fonts/``; a character none of
them has (a rare character in a name) falls back to a system CJK font if the
server has one, and prints as an empty box otherwise. The report page warns
the clerk before publishing, so the character can be checked or replaced.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.conf import settings

FONT_DIR = "disclosure/fonts"


def font_files() -> list[Path]:
    """The bundled font files (every ``*.otf`` under static/disclosure/fonts/)."""
    files = []
    for root in settings.STATICFILES_DIRS:
        files.extend(sorted((Path(root) / FONT_DIR).glob("*.otf")))
    return files


def covered() -> frozenset[int]:
    """Code points at least one bundled font has a glyph for."""
    files = font_files()
    return _covered(tuple((str(p), p.stat().st_mtime_ns) for p in files))


@lru_cache(maxsize=2)
def _covered(files: tuple[tuple[str, int], ...]) -> frozenset[int]:
    from fontTools.ttLib import TTFont  # only needed when a report page asks

    points: set[int] = set()
    for path, _ in files:
        with TTFont(path, lazy=True) as font:
            points.update(font.getBestCmap())
    return frozenset(points)


def unprintable(text: str) -> list[str]:
    """Distinct characters of ``text`` no bundled font has, in order of appearance
    (whitespace and control characters are never printed as glyphs)."""
    have = covered()
    missing: dict[str, None] = {}
    for char in text or "":
        if char.isspace() or not char.isprintable():
            continue
        if ord(char) not in have:
            missing.setdefault(char, None)
    return list(missing)
