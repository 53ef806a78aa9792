"""Regions (行政区划) as a tree: finding or creating a region from its written name
path ("浙江省温州市鹿城区" → 浙江省 › 温州市 › 鹿城区), and the subtree an office sees.

The tree is stored with a materialised ``path`` (the codes from the root, each
followed by "/"), so "every agency of this region and its sub-regions" is one
indexed prefix filter, whatever the depth."""

from __future__ import annotations

import re

# One level of a written place name: the shortest run ending in an administrative suffix
# (a bare 州 is no suffix: 温州市, 杭州市; 自治州 is).
_LEVEL = re.compile(r".+?(?:特别行政区|自治区|自治州|自治县|自治旗|地区|街道|省|市|盟|区|县|旗|镇|乡)")


def split_names(written: str) -> list[str]:
    """The levels of a written region, e.g. "天津市津南区" → ["天津市", "津南区"]; a rest
    that ends in no suffix is its own last level."""
    written = (written or "").strip()
    levels = _LEVEL.findall(written)
    rest = written[sum(len(level) for level in levels) :]
    return levels + ([rest] if rest else [])


def path_of(parent_path: str, code: str) -> str:
    return f"{parent_path}{code}/"
