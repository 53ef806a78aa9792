"""The bundled fonts: which face prints which character, which characters of a
report none of them can print, and a face cut down to a document's characters.

``report.css`` declares the faces (``@font-face``, files in
``static/disclosure/fonts/``) and one font stack per text role (custom
properties: ``--fang`` body text, ``--kai``, ``--hei``, ``--song``). Each stack
of a regular role ends with a fallback face holding what FangSong and Kai lack,
so every character of GB 2312, of the 8,105 standard characters and of the
symbols list prints with a bundled face in every role. A character none of them
has falls back to a system CJK font if the server has one and prints as an
empty box otherwise: the report page warns the clerk before publishing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

from .checks import HARFBUZZ_SUBSET_NAMES

FONT_DIR = "disclosure/fonts"
STYLESHEET = "disclosure/css/report.css"

_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_FACE_RULE = re.compile(r"@font-face\s*{([^}]*)}")
_FAMILY = re.compile(r'font-family:\s*"([^"]+)"')
_FACE_URL = re.compile(r"""url\((["']?)([^"')]+)\1\)""")
_ROOT_RULE = re.compile(r":root\s*{([^}]*)}")
_STACK = re.compile(r"--([\w-]+):\s*([^;]+);")
_QUOTED = re.compile(r'"([^"]+)"')
_RULE = re.compile(r"([^{}]+){([^{}]*)}")
_ROLE = re.compile(r"font-family:\s*var\(--([\w-]+)\)")
_SIMPLE_SELECTOR = re.compile(r"^\.?[a-z][\w-]*$")


@dataclass(frozen=True)
class BundledFonts:
    faces: dict[str, Path]  # CSS family → font file (one face per family)
    stacks: dict[str, tuple[str, ...]]  # role ("fang", …) → its families, in order
    element_roles: dict[str, str]  # "h2", ".title", … → the role a rule sets on it


def font_files() -> list[Path]:
    """The bundled font files (every ``*.otf`` under static/disclosure/fonts/)."""
    files = []
    for root in settings.STATICFILES_DIRS:
        files.extend(sorted((Path(root) / FONT_DIR).glob("*.otf")))
    return files


def bundled_fonts() -> BundledFonts:
    """The faces and role stacks report.css declares."""
    path = Path(finders.find(STYLESHEET))
    return _bundled_fonts(str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=2)
def _bundled_fonts(path: str, mtime: int) -> BundledFonts:
    css = _COMMENT.sub("", Path(path).read_text(encoding="utf-8"))
    faces = {}
    for rule in _FACE_RULE.findall(css):
        url = _FACE_URL.search(rule).group(2)
        faces[_FAMILY.search(rule).group(1)] = (Path(path).parent / url).resolve()
    root = _ROOT_RULE.search(css).group(1)
    stacks = {name: tuple(_QUOTED.findall(value)) for name, value in _STACK.findall(root)}
    return BundledFonts(faces, stacks, _element_roles(css))


def _element_roles(css: str) -> dict[str, str]:
    """Simple selectors (a tag or a class) of the rules setting a role's stack;
    rules with other selectors (@page margin boxes) print no page text."""
    roles = {}
    for selectors, body in _RULE.findall(css):
        role = _ROLE.search(body)
        for selector in selectors.split(","):
            if role and _SIMPLE_SELECTOR.match(selector.strip()):
                roles[selector.strip()] = role.group(1)
    return roles


def cmap(path: Path) -> frozenset[int]:
    """The code points a font file has a glyph for."""
    return _cmap(str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _cmap(path: str, mtime: int) -> frozenset[int]:
    from fontTools.ttLib import TTFont  # noqa: PLC0415 - loaded only when a page or download asks

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def covered() -> frozenset[int]:
    """Code points every text role prints with a bundled face."""
    fonts = bundled_fonts()
    files = tuple((family, path, path.stat().st_mtime_ns) for family, path in sorted(fonts.faces.items()))
    return _covered(tuple(fonts.stacks.values()), files)


@lru_cache(maxsize=2)
def _covered(stacks: tuple[tuple[str, ...], ...], files: tuple[tuple[str, Path, int], ...]) -> frozenset[int]:
    paths = {family: path for family, path, _ in files}
    roles = [set().union(*(cmap(paths[f]) for f in stack if f in paths)) for stack in stacks]
    return frozenset(set.intersection(*roles))


def unprintable(text: str) -> list[str]:
    """Distinct characters of ``text`` that some text role cannot print with a
    bundled face, in order of appearance (whitespace and control characters are
    never printed as glyphs)."""
    have = covered()
    missing: dict[str, None] = {}
    for char in text or "":
        if char.isspace() or not char.isprintable():
            continue
        if ord(char) not in have:
            missing.setdefault(char, None)
    return list(missing)


def faces_for(text_by_role: dict[str, str]) -> dict[str, set[int]]:
    """CSS family → the code points it prints, for text set in each role: a
    character goes to the first face of the role's stack that has it, as
    browsers and Pango choose. Characters no face has are left out."""
    fonts = bundled_fonts()
    used: dict[str, set[int]] = {}
    for role, text in text_by_role.items():
        stack = [f for f in fonts.stacks[role] if f in fonts.faces]
        for point in {ord(c) for c in text if unicodedata.category(c) != "Cc"}:
            family = next((f for f in stack if point in cmap(fonts.faces[f])), None)
            if family:
                used.setdefault(family, set()).add(point)
    return used


def subset_woff(path: Path, points: frozenset[int]) -> bytes:
    """The face cut down to ``points`` as WOFF, for embedding in a page: with
    HarfBuzz when libharfbuzz-subset is installed (milliseconds), else with
    fontTools (seconds)."""
    return _subset_woff(str(path), path.stat().st_mtime_ns, points)


def clear_subset_cache() -> None:
    """Forget the faces cut down so far (the benchmark measures the cold cost)."""
    _subset_woff.cache_clear()


@lru_cache(maxsize=16)
def _subset_woff(path: str, mtime: int, points: frozenset[int]) -> bytes:
    from fontTools.ttLib import TTFont  # noqa: PLC0415 - loaded only when a download asks

    data = Path(path).read_bytes()
    otf = _harfbuzz_subset(data, points) if _harfbuzz() else _fonttools_subset(data, points)
    font = TTFont(io.BytesIO(otf), recalcTimestamp=False)  # same input, same bytes
    font.flavor = "woff"
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _fonttools_subset(data: bytes, points: frozenset[int]) -> bytes:
    from fontTools import subset  # noqa: PLC0415 - the slow path, only without HarfBuzz

    options = subset.Options(
        hinting=False, layout_features=["kern"], name_IDs=["*"], name_languages=["*"], name_legacy=True
    )
    font = subset.load_font(io.BytesIO(data), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=points)
    subsetter.subset(font)
    out = io.BytesIO()
    subset.save_font(font, out, options)
    return out.getvalue()


HB_MEMORY_MODE_READONLY = 1
HB_SUBSET_FLAGS_NO_HINTING = 0x1
HB_SUBSET_FLAGS_NAME_LEGACY = 0x8
HB_SUBSET_SETS_NAME_ID, HB_SUBSET_SETS_NAME_LANG_ID = 4, 5


@lru_cache(maxsize=1)
def _harfbuzz():
    """libharfbuzz-subset through ctypes (its own prototypes), or None."""
    name = next(filter(None, map(ctypes.util.find_library, HARFBUZZ_SUBSET_NAMES)), None)
    if name is None:
        return None
    hb = ctypes.CDLL(name)
    p, u = ctypes.c_void_p, ctypes.c_uint
    prototypes = {
        "hb_blob_create": (p, [ctypes.c_char_p, u, ctypes.c_int, p, p]),
        "hb_face_create": (p, [p, u]),
        "hb_subset_input_create_or_fail": (p, []),
        "hb_subset_input_unicode_set": (p, [p]),
        "hb_subset_input_set": (p, [p, ctypes.c_int]),
        "hb_subset_input_set_flags": (None, [p, u]),
        "hb_set_add": (None, [p, ctypes.c_uint32]),
        "hb_set_add_range": (None, [p, ctypes.c_uint32, ctypes.c_uint32]),
        "hb_subset_or_fail": (p, [p, p]),
        "hb_face_reference_blob": (p, [p]),
        "hb_blob_get_data": (ctypes.c_void_p, [p, ctypes.POINTER(u)]),
        "hb_blob_destroy": (None, [p]),
        "hb_face_destroy": (None, [p]),
        "hb_subset_input_destroy": (None, [p]),
    }
    for function, (restype, argtypes) in prototypes.items():
        getattr(hb, function).restype = restype
        getattr(hb, function).argtypes = argtypes
    return hb


def _harfbuzz_subset(data: bytes, points: frozenset[int]) -> bytes:
    """``data`` cut down to ``points``, every name record kept (copyright and
    licence included), hinting dropped."""
    hb = _harfbuzz()
    blob = hb.hb_blob_create(data, len(data), HB_MEMORY_MODE_READONLY, None, None)
    face = hb.hb_face_create(blob, 0)
    request = hb.hb_subset_input_create_or_fail()
    try:
        unicodes = hb.hb_subset_input_unicode_set(request)
        for point in sorted(points):
            hb.hb_set_add(unicodes, point)
        hb.hb_set_add_range(hb.hb_subset_input_set(request, HB_SUBSET_SETS_NAME_ID), 0, 0x7FFF)
        hb.hb_set_add_range(hb.hb_subset_input_set(request, HB_SUBSET_SETS_NAME_LANG_ID), 0, 0xFFFF)
        hb.hb_subset_input_set_flags(request, HB_SUBSET_FLAGS_NO_HINTING | HB_SUBSET_FLAGS_NAME_LEGACY)
        result = hb.hb_subset_or_fail(face, request)
        if not result:
            raise ValueError(f"HarfBuzz could not subset {len(data)} bytes of font")
        out = hb.hb_face_reference_blob(result)
        length = ctypes.c_uint()
        pointer = hb.hb_blob_get_data(out, ctypes.byref(length))
        subset = ctypes.string_at(pointer, length.value)
        hb.hb_blob_destroy(out)
        hb.hb_face_destroy(result)
        return subset
    finally:
        hb.hb_subset_input_destroy(request)
        hb.hb_face_destroy(face)
        hb.hb_blob_destroy(blob)
