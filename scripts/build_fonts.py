#!/usr/bin/env python3
"""Build the subset CJK fonts bundled in static/disclosure/fonts/.

The PDF renderer (WeasyPrint) typesets GB/T 9704-style government documents
with four faces and one fallback:

    NotoSerifSC-Bold-subset.otf    Song/serif bold   (document titles)
    NotoSansSC-Bold-subset.otf     Hei/sans bold     (level-1 headings)
    FandolFang-Regular-subset.otf  FangSong          (body text)
    FandolKai-Regular-subset.otf   Kai               (level-2 headings)
    NotoSerifSC-Regular-subset.otf Song/serif regular, only the characters the
                                   Fandol faces lack (rare characters in names,
                                   some symbols): the fallback after FangSong/Kai

Sources (Debian bookworm packages):

    fonts-noto-cjk         /usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc
                           /usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc
                           /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc
                           (the "SC" face is taken out of each collection)
    texlive-lang-chinese   /usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/
                           FandolFang-Regular.otf, FandolKai-Regular.otf

Install them with

    apt-get install fonts-noto-cjk texlive-lang-chinese

or, to avoid pulling in a TeX installation just for two font files,

    apt-get download texlive-lang-chinese
    dpkg -x texlive-lang-chinese_*.deb /tmp/tlc
    python scripts/build_fonts.py --fandol-dir /tmp/tlc/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol

Each font is subset (fontTools.subset) to the union of the character lists in
scripts/fonts/ (GB 2312, the 8105 characters of the 2013 Table of General
Standard Chinese Characters, and a list of ASCII/punctuation/symbols); the
fallback face only to the part of that union the built Fandol subsets lack
(so it is built last, from the Fandol files in static/disclosure/fonts/), with
hinting dropped and only the 'kern' layout feature kept.  CFF outlines are
kept; the output is plain OpenType (.otf), not WOFF2.

The character lists themselves are committed.  ``--regen-lists`` rebuilds
them: gb2312.txt from Python's gb2312 codec, symbols.txt from the ranges in
this file, tongyong-guifan-8105.txt from the Unihan kTGH field (Debian package
unicode-data, /usr/share/unicode/Unihan_OtherMappings.txt.bz2, or --unihan).

Usage:
    python scripts/build_fonts.py --subroutinize  # build the five fonts, then check
                                                  # (--subroutinize needs `pip install cffsubr`)
    python scripts/build_fonts.py --check         # only check the committed fonts
    python scripts/build_fonts.py --regen-lists   # rewrite scripts/fonts/*.txt first
"""

from __future__ import annotations

import argparse
import bz2
import glob
import os
import shutil
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

from fontTools import subset
from fontTools.pens.boundsPen import BoundsPen
from fontTools.pens.recordingPen import RecordingPen
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.pens.transformPen import TransformPen
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parent.parent
LIST_DIR = ROOT / "scripts" / "fonts"
OUT_DIR = ROOT / "static" / "disclosure" / "fonts"

LISTS = {
    "gb2312": LIST_DIR / "gb2312.txt",
    "tongyong-guifan-8105": LIST_DIR / "tongyong-guifan-8105.txt",
    "symbols": LIST_DIR / "symbols.txt",
}

NOTO_DIRS = ["/usr/share/fonts/opentype/noto", "/usr/share/fonts/opentype/noto-cjk"]
FANDOL_DIRS = [
    "/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol",
    "/usr/share/texmf/fonts/opentype/public/fandol",
    "/usr/local/texlive/*/texmf-dist/fonts/opentype/public/fandol",
]
UNIHAN_PATHS = [
    "/usr/share/unicode/Unihan_OtherMappings.txt.bz2",
    "/usr/share/unicode/Unihan_OtherMappings.txt",
]

# (output file, source kind, source file name, face PostScript name inside a .ttc)
FONTS = [
    ("NotoSerifSC-Bold-subset.otf", "noto", "NotoSerifCJK-Bold.ttc", "NotoSerifCJKsc-Bold"),
    ("NotoSansSC-Bold-subset.otf", "noto", "NotoSansCJK-Bold.ttc", "NotoSansCJKsc-Bold"),
    ("FandolFang-Regular-subset.otf", "fandol", "FandolFang-Regular.otf", None),
    ("FandolKai-Regular-subset.otf", "fandol", "FandolKai-Regular.otf", None),
    # Last: its character set is what the Fandol files just built lack.
    ("NotoSerifSC-Regular-subset.otf", "noto", "NotoSerifCJK-Regular.ttc", "NotoSerifCJKsc-Regular"),
]
# The fallback face: subset to the characters of the lists that these lack.
FALLBACK = "NotoSerifSC-Regular-subset.otf"
FALLBACK_FOR = ["FandolFang-Regular-subset.otf", "FandolKai-Regular-subset.otf"]

# ---------------------------------------------------------------------------
# Character lists
# ---------------------------------------------------------------------------

# Symbols and punctuation needed on top of GB 2312 / the 8105 list.
SYMBOL_RANGES = [
    (0x0020, 0x007E, "ASCII"),
    (0x00A0, 0x00FF, "Latin-1 supplement (· × ÷ ± ° § ¥ ...)"),
    (0x2010, 0x2016, "general punctuation: hyphens, dashes, double vertical line"),
    (0x2018, 0x2019, "single quotation marks"),
    (0x201C, 0x201D, "double quotation marks"),
    (0x2020, 0x2022, "dagger, double dagger, bullet"),
    (0x2025, 0x2027, "two-dot leader, ellipsis, hyphenation point"),
    (0x2030, 0x2030, "per mille"),
    (0x2032, 0x2033, "prime, double prime"),
    (0x203B, 0x203B, "reference mark"),
    (0x2103, 0x2103, "degree Celsius"),
    (0x2109, 0x2109, "degree Fahrenheit"),
    (0x2116, 0x2116, "numero sign"),
    (0x2121, 0x2122, "TEL, trade mark"),
    (0x2160, 0x216B, "Roman numerals I-XII"),
    (0x2170, 0x217B, "small Roman numerals i-xii"),
    (0x2190, 0x2193, "arrows"),
    (0x2460, 0x249B, "circled / parenthesized / full-stop numbers 1-20"),
    (0x3000, 0x303F, "CJK symbols and punctuation"),
    (0x3220, 0x3229, "parenthesized ideographs one-ten"),
    (0xFF01, 0xFF5E, "full-width forms"),
    (0xFFE0, 0xFFE5, "full-width signs (cent, pound, not, macron, broken bar, yen)"),
]
SYMBOL_SINGLES = (
    # pinyin with tone marks
    "ĀāÁáǍǎÀàĒēÉéĚěÈèĪīÍíǏǐÌìŌōÓóǑǒÒòŪūÚúǓǔÙùǕǖǗǘǙǚǛǜÜüŃńŇňǸǹḾḿ"
    # maths and other signs
    "−∕∶∷∽≈≡≠≤≥≮≯√∞∴∵∈∑∏∠∥∩∪∫∮⊙⊥⌒∝"
    "■□▲△◆◇○◎●★☆♀♂"
    # middle dots and ellipsis variants used in Chinese text
    "・⋯"
)


# Ranges whose unassigned code points are skipped when generating the list.
def _assigned(cp: int) -> bool:
    return unicodedata.category(chr(cp)) != "Cn"


def gen_symbols() -> list[tuple[int, str]]:
    seen: dict[int, str] = {}
    for lo, hi, note in SYMBOL_RANGES:
        for cp in range(lo, hi + 1):
            if _assigned(cp):
                seen.setdefault(cp, note)
    for ch in SYMBOL_SINGLES:
        seen.setdefault(ord(ch), "extra")
    return sorted(seen.items())


def gen_gb2312() -> list[tuple[int, str]]:
    """All valid two-byte codes of GB 2312 (EUC-CN), via Python's codec."""
    out = []
    for hi in range(0xA1, 0xFF):
        for lo in range(0xA1, 0xFF):
            try:
                ch = bytes([hi, lo]).decode("gb2312")
            except UnicodeDecodeError:
                continue
            out.append((ord(ch), f"{hi:02X}{lo:02X}"))
    return out


def find_unihan(explicit: str | None) -> Path:
    cands = [explicit] if explicit else UNIHAN_PATHS
    for p in cands:
        if p and Path(p).exists():
            return Path(p)
    sys.exit("Unihan_OtherMappings.txt(.bz2) not found; `apt-get install unicode-data` or pass --unihan PATH")


def gen_tongyong(unihan: Path) -> tuple[list[tuple[int, str]], list[str]]:
    """8105 characters of 通用规范汉字表 (2013) from the Unihan kTGH field."""
    opener = bz2.open if unihan.suffix == ".bz2" else open
    header, rows = [], []
    with opener(unihan, "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                if len(header) < 10:
                    header.append(line.rstrip("\n"))
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 3 and parts[1] == "kTGH":
                cp = int(parts[0][2:], 16)
                for value in parts[2].split():
                    year, num = value.split(":")
                    if year == "2013":
                        rows.append((int(num), cp))
    rows.sort()
    nums = [n for n, _ in rows]
    cps = [cp for _, cp in rows]
    if nums != list(range(1, 8106)) or len(set(cps)) != 8105:
        sys.exit(f"kTGH data is not a clean 1..8105 list ({len(rows)} rows)")
    out = []
    for n, cp in rows:
        level = 1 if n <= 3500 else 2 if n <= 6500 else 3
        out.append((cp, f"{n:04d}\t{level}"))
    return out, header


def write_list(path: Path, rows, header_lines: list[str]) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for h in header_lines:
            f.write(f"# {h}\n" if not h.startswith("#") else h + "\n")
        for cp, extra in rows:
            ch = chr(cp)
            # the character itself is shown for reading only; tools use the U+ column
            shown = ch if unicodedata.category(ch)[0] not in "CZM" else " "
            f.write(f"U+{cp:04X}\t{shown}\t{extra}\n")


def regen_lists(unihan_arg: str | None) -> None:
    LIST_DIR.mkdir(parents=True, exist_ok=True)
    gb = gen_gb2312()
    write_list(
        LISTS["gb2312"],
        gb,
        [
            "GB 2312-1980: every valid two-byte code 0xA1A1-0xFEFE decoded with",
            "Python's 'gb2312' codec (EUC-CN).  Generated by scripts/build_fonts.py --regen-lists.",
            f"{len(gb)} characters ({sum(1 for cp, _ in gb if 0x4E00 <= cp <= 0x9FFF)} hanzi).",
            "Columns: code point, character, EUC-CN code.",
        ],
    )
    unihan = find_unihan(unihan_arg)
    ty, uh_header = gen_tongyong(unihan)
    write_list(
        LISTS["tongyong-guifan-8105"],
        ty,
        [
            "通用规范汉字表 (Table of General Standard Chinese Characters, 2013): 8105 characters,",
            'in table order.  Source: the kTGH field ("2013:NNNN") of the Unicode Han Database,',
            f"file {unihan.name} of Debian package unicode-data 15.0.0-1.",
            "Generated by scripts/build_fonts.py --regen-lists.",
            "Columns: code point, character, serial number in the table, level",
            "(1 = 一级字表 0001-3500, 2 = 二级字表 3501-6500, 3 = 三级字表 6501-8105).",
            "Unihan header (derived data, see scripts/fonts/UNICODE-LICENSE.txt):",
        ]
        + [h.lstrip("# ").rstrip() or "" for h in uh_header if h.strip("# ")],
    )
    sym = gen_symbols()
    write_list(
        LISTS["symbols"],
        sym,
        [
            "ASCII, Latin-1, punctuation and symbols used in Chinese government documents,",
            "added on top of gb2312.txt and tongyong-guifan-8105.txt.",
            "Generated by scripts/build_fonts.py --regen-lists from SYMBOL_RANGES/SYMBOL_SINGLES.",
            "Columns: code point, character (blank for spaces/controls/marks), group.",
        ],
    )
    for path in LISTS.values():
        print(f"wrote {path.relative_to(ROOT)}: {len(read_list(path))} code points")


def read_list(path: Path) -> list[int]:
    cps = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            cps.append(int(line.split("\t", 1)[0][2:], 16))
    return cps


def load_lists() -> dict[str, list[int]]:
    missing = [str(p) for p in LISTS.values() if not p.exists()]
    if missing:
        sys.exit(f"missing character lists {missing}; run with --regen-lists")
    return {name: read_list(path) for name, path in LISTS.items()}


# ---------------------------------------------------------------------------
# Locating the source fonts
# ---------------------------------------------------------------------------


def find_file(name: str, dirs: list[str], extra: str | None) -> Path:
    cands = ([extra] if extra else []) + dirs
    for d in cands:
        for dd in glob.glob(d):
            p = Path(dd) / name
            if p.exists():
                return p
    if name.startswith("Fandol") and shutil.which("kpsewhich"):
        r = subprocess.run(["kpsewhich", name], capture_output=True, text=True)
        if r.returncode == 0 and r.stdout.strip():
            return Path(r.stdout.strip())
    hint = (
        "apt-get install fonts-noto-cjk"
        if name.startswith("Noto")
        else "apt-get install texlive-lang-chinese (or apt-get download + dpkg -x, then --fandol-dir DIR)"
    )
    sys.exit(f"source font {name} not found in {cands}; {hint}")


def deb_version(path: Path) -> str:
    try:
        r = subprocess.run(["dpkg", "-S", str(path)], capture_output=True, text=True)
        pkg = r.stdout.split(":")[0].strip()
        if pkg:
            v = subprocess.run(
                ["dpkg-query", "-W", "-f=${Version}", pkg], capture_output=True, text=True
            ).stdout
            return f"{pkg} {v}"
    except OSError:
        pass
    return "(not from an installed package)"


def open_face(path: Path, psname: str | None) -> TTFont:
    if path.suffix.lower() not in (".ttc", ".otc"):
        return TTFont(path, lazy=False)
    coll = TTCollection(path, lazy=True)
    for i, face in enumerate(coll.fonts):
        if face["name"].getDebugName(6) == psname:
            return TTFont(path, fontNumber=i, lazy=False)
    sys.exit(f"face {psname} not in {path}")


# ---------------------------------------------------------------------------
# Subsetting and checking
# ---------------------------------------------------------------------------


def subset_options() -> subset.Options:
    opts = subset.Options()
    opts.layout_features = ["kern"]  # no vert/locl/palt/halt: horizontal print only
    opts.hinting = False  # drop CFF hints (smaller; PDFs are rendered at print resolution)
    opts.desubroutinize = False  # keep (pruned) CFF subroutines: much smaller output
    opts.name_IDs = ["*"]  # keep all names incl. copyright/licence (IDs 0, 13, 14)
    opts.name_languages = ["*"]
    opts.name_legacy = True
    opts.notdef_outline = True
    opts.glyph_names = False
    opts.recalc_bounds = True
    opts.prune_unicode_ranges = True
    opts.flavor = None  # plain OpenType/CFF, not woff/woff2
    return opts


def _outline(glyphset, name):
    pen = RecordingPen()
    glyphset[name].draw(pen)
    return pen.value


def fix_fullwidth_yen(font: TTFont) -> bool:
    """FandolFang 0.3 draws FULLWIDTH YEN SIGN (U+FFE5, CID 265) as a copy of
    FULLWIDTH DOLLAR SIGN (U+FF04).  Replace it with the font's own YEN SIGN
    (U+00A5) outline centred in the full-width advance, which is exactly how
    Fandol builds its other full-width Latin forms.  Returns True if patched."""
    cmap = font.getBestCmap()
    fw_yen, fw_dollar, yen = cmap.get(0xFFE5), cmap.get(0xFF04), cmap.get(0x00A5)
    if not (fw_yen and fw_dollar and yen) or fw_yen in (fw_dollar, yen):
        return False
    gs = font.getGlyphSet()
    if _outline(gs, fw_yen) != _outline(gs, fw_dollar):
        return False
    advance = font["hmtx"][fw_yen][0]
    bp = BoundsPen(gs)
    gs[yen].draw(bp)
    x_min, _, x_max, _ = bp.bounds
    dx = round(advance / 2 - (x_min + x_max) / 2)
    top = font["CFF "].cff.topDictIndex[0]
    old = top.CharStrings[fw_yen]
    private = old.private
    width = None if advance == private.defaultWidthX else advance - private.nominalWidthX
    pen = T2CharStringPen(width, gs)
    gs[yen].draw(TransformPen(pen, (1, 0, 0, 1, dx, 0)))
    new = pen.getCharString(private=private, globalSubrs=old.globalSubrs)
    cs = top.CharStrings
    cs[fw_yen] = new
    return True


def build_one(src: TTFont, unicodes: set[int], out: Path, note: str, subr: bool) -> None:
    cmap = src.getBestCmap()
    wanted = sorted(cp for cp in unicodes if cp in cmap)
    sub = subset.Subsetter(subset_options())
    sub.populate(unicodes=wanted)
    sub.subset(src)
    if fix_fullwidth_yen(src):
        note += "; U+FFE5 glyph fixed"
        print("  patched U+FFE5 FULLWIDTH YEN SIGN (was a copy of U+FF04)")
    if subr:
        # Re-subroutinize the CFF with AFDKO's tx (PyPI package cffsubr).  The
        # Fandol fonts ship without any subroutines; this saves 5-10 %.
        import cffsubr  # noqa: PLC0415 - optional: only --subroutinize needs it

        cffsubr.subroutinize(src)
    name = src["name"]
    for rec in name.names:
        if rec.nameID == 5:
            rec.string = rec.toUnicode() + f"; {note}"
    src.save(out)


def coverage(font_path: Path, lists: dict[str, list[int]]) -> dict[str, list[int]]:
    cmap = TTFont(font_path, lazy=True).getBestCmap()
    return {name: [cp for cp in cps if cp not in cmap] for name, cps in lists.items()}


def fmt_missing(cps: list[int], limit: int = 40) -> str:
    shown = " ".join(f"U+{cp:04X}" for cp in cps[:limit])
    return shown + (" ..." if len(cps) > limit else "")


def check(lists: dict[str, list[int]]) -> None:
    print("\nCoverage (missing / total per list):")
    for out_name, *_ in FONTS:
        path = OUT_DIR / out_name
        if not path.exists():
            print(f"  {out_name}: MISSING FILE")
            continue
        f = TTFont(path, lazy=True)
        assert "CFF " in f, f"{out_name} lost its CFF table"
        gaps = coverage(path, lists)
        size = path.stat().st_size
        print(f"  {out_name}  {size / 1e6:.2f} MB  family={f['name'].getDebugName(1)!r}")
        if out_name == FALLBACK:  # a gap filler: see check_fallback below
            print(f"    {len(f.getBestCmap())} code points: the listed ones {' or '.join(FALLBACK_FOR)} lack")
            continue
        for name, miss in gaps.items():
            total = len(lists[name])
            print(f"    {name:22s} {total - len(miss):5d}/{total}  missing {len(miss)}")
            if miss:
                print(f"      {fmt_missing(miss)}")
    check_fallback(lists)


def check_fallback(lists: dict[str, list[int]]) -> None:
    """What each Fandol face prints with the fallback face behind it."""
    paths = [OUT_DIR / name for name in [*FALLBACK_FOR, FALLBACK]]
    if not all(p.exists() for p in paths):
        return
    fallback = set(TTFont(paths[-1], lazy=True).getBestCmap())
    print(f"\nWith the fallback {FALLBACK}:")
    for path in paths[:-1]:
        have = set(TTFont(path, lazy=True).getBestCmap()) | fallback
        for name, cps in lists.items():
            miss = [cp for cp in cps if cp not in have]
            print(f"  {path.name:30s} {name:22s} {len(cps) - len(miss):5d}/{len(cps)}  missing {len(miss)}")


def fallback_unicodes(wanted: set[int]) -> set[int]:
    """The listed characters one of the built Fandol subsets lacks: all the
    fallback face is ever asked for, so the only ones it needs."""
    have = [set(TTFont(OUT_DIR / name, lazy=True).getBestCmap()) for name in FALLBACK_FOR]
    return wanted - set.intersection(*have)


def build(args, lists: dict[str, list[int]]) -> None:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    wanted = set().union(*lists.values())
    for out_name, kind, src_name, psname in FONTS:
        if args.only and out_name not in args.only:
            continue
        if kind == "noto":
            src_path = find_file(src_name, NOTO_DIRS, args.noto_dir)
        else:
            src_path = find_file(src_name, FANDOL_DIRS, args.fandol_dir)
        t0 = time.time()
        src = open_face(src_path, psname)
        unicodes, note = wanted, "subset by scripts/build_fonts.py"
        if out_name == FALLBACK:
            unicodes, note = fallback_unicodes(wanted), note + " (characters the Fandol faces lack)"
        build_one(src, unicodes, OUT_DIR / out_name, note, args.subroutinize)
        print(f"built {out_name} from {src_path} [{deb_version(src_path)}] in {time.time() - t0:.1f}s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--regen-lists", action="store_true", help="rewrite scripts/fonts/*.txt first")
    ap.add_argument("--unihan", help="path to Unihan_OtherMappings.txt(.bz2)")
    ap.add_argument(
        "--noto-dir", help="directory holding Noto{Serif,Sans}CJK-Bold.ttc and NotoSerifCJK-Regular.ttc"
    )
    ap.add_argument(
        "--fandol-dir",
        default=os.environ.get("FANDOL_DIR"),
        help="directory holding FandolFang-Regular.otf / FandolKai-Regular.otf",
    )
    ap.add_argument("--check", action="store_true", help="only report coverage of the built fonts")
    ap.add_argument("--only", action="append", help="build only this output file (repeatable)")
    ap.add_argument(
        "--subroutinize",
        action="store_true",
        help="re-subroutinize the CFF with cffsubr (pip install cffsubr); used for the committed files",
    )
    args = ap.parse_args()

    if args.regen_lists:
        regen_lists(args.unihan)
    lists = load_lists()
    if not args.check:
        build(args, lists)
    check(lists)


if __name__ == "__main__":
    main()
