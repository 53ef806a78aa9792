"""Reading a typed or published number into a cell value.

Shared by the form (what a clerk types) and the importer (what an agency
published): full-width digits from a Chinese input method, ``+199``/``-30``,
amounts written with 元 or 万元, thousands separators, stray spaces.

What a clerk types (``parse_cell``) is stricter than what an agency published
(``parse_number``): a space between two digits is refused ("1 2" is two
values, e.g. a row pasted into one cell, never 12), while the importer keeps
reading "1 234" in published text as 1234. Spaces around the number or before
its unit are dropped either way.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from .spec import Column, Kind

MAX_ABS_VALUE = 1_000_000_000
_SPACES = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
_MINUS = str.maketrans({"−": "-", "—": "-", "–": "-", "﹣": "-"})
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
# a space (or tab) between two digits or separators of one typed number
_INNER_SPACE = re.compile(r"[0-9.,][\s\u00a0\u3000]+[0-9.,]")
_INVISIBLE = re.compile(r"[\u200b\ufeff]")
INNER_SPACE_PROBLEM = "数字中间有空格"


class ValueProblem(ValueError):
    """A value that cannot be stored in its cell; the text is for the clerk."""


def normalize_text(text: str) -> str:
    """Full-width to half-width, unify minus signs, drop all spaces."""
    text = unicodedata.normalize("NFKC", text or "").translate(_MINUS)
    return _SPACES.sub("", text)


def parse_number(text: str, column: Column) -> tuple[Decimal | int | None, str]:
    """(value, unit written) for ``text``; None when blank. Raises ValueProblem."""
    text = normalize_text(text).replace(",", "")
    unit = ""
    for suffix in ("万元", "元"):
        if column.kind == Kind.MONEY and text.endswith(suffix):
            text, unit = text[: -len(suffix)], suffix
            break
    if text == "":
        if unit:
            raise ValueProblem("只有单位没有数字")
        return None, ""
    if not _NUMBER.match(text):
        raise ValueProblem(f"“{text}”不是数字")
    try:
        number = Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the pattern already rules this out
        raise ValueProblem(f"“{text}”不是数字") from exc
    if unit and column.unit and unit != column.unit:
        number = _convert(number, unit, column.unit)
    if column.kind != Kind.MONEY:
        if number != number.to_integral_value():
            raise ValueProblem("应为整数，不能有小数")
        return int(number), unit
    return number, unit


def _convert(number: Decimal, unit: str, target: str) -> Decimal:
    if unit == "元" and target == "万元":
        return number / Decimal(10000)
    if unit == "万元" and target == "元":
        return number * Decimal(10000)
    return number


def validate(value, column: Column) -> None:
    """Raises ValueProblem for a parsed value the cell may not hold."""
    if value is None:
        return
    if column.kind != Kind.SIGNED and value < 0:
        raise ValueProblem("不能为负数")
    if abs(value) > MAX_ABS_VALUE:
        raise ValueProblem("数值过大（绝对值不能超过1,000,000,000）")
    if column.kind == Kind.MONEY:
        exponent = Decimal(value).normalize().as_tuple().exponent
        if isinstance(exponent, int) and -exponent > column.decimals:
            raise ValueProblem(f"最多保留{column.decimals}位小数")


def parse_cell(text: str, column: Column):
    """Parse and validate what a clerk typed; returns the value or raises ValueProblem.

    Unlike ``parse_number`` it refuses a space inside the number (``1 2``)."""
    if _INNER_SPACE.search(_INVISIBLE.sub("", unicodedata.normalize("NFKC", text or ""))):
        raise ValueProblem(INNER_SPACE_PROBLEM)
    value, _ = parse_number(text, column)
    validate(value, column)
    return value


def display(value) -> str:
    """How a value is printed: blank for None, decimals without trailing zeros."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return "0" if text == "-0" else text
    return str(value)
