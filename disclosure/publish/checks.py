"""System check: WeasyPrint subsets fonts with HarfBuzz when libharfbuzz-subset0
is installed (about 0.3 s a report) and falls back to fontTools without it
(3–11 s a report)."""

from __future__ import annotations

import ctypes.util

from django.core.checks import Warning

# The names WeasyPrint's ffi tries, in its order (weasyprint/text/ffi.py).
HARFBUZZ_SUBSET_NAMES = ("harfbuzz-subset", "harfbuzz-subset-0", "harfbuzz-subset-0.0")


def harfbuzz_subset_available() -> bool:
    return any(ctypes.util.find_library(name) for name in HARFBUZZ_SUBSET_NAMES)


def check_harfbuzz_subset(app_configs=None, **kwargs):
    if harfbuzz_subset_available():
        return []
    return [
        Warning(
            "未找到 libharfbuzz-subset0，PDF 生成将改用 fontTools 子集化，每份报告需 3–11 秒。",
            hint="Debian/Ubuntu：apt-get install libharfbuzz-subset0（make run 会尝试自动安装）。",
            id="publish.W001",
        )
    ]
