"""The national template formats, declared as data, and how a year picks one."""

from . import gov2019, gov2021
from .spec import Column, Format, Kind, Severity, cell_key

FORMATS: dict[str, Format] = {f.code: f for f in (gov2019.FORMAT, gov2021.FORMAT)}


def format_for_year(year: int) -> Format:
    """2019 and 2020 use the 2019 format; 2021 onwards the 2021 format."""
    for fmt in FORMATS.values():
        if year >= fmt.first_year and (fmt.last_year is None or year <= fmt.last_year):
            return fmt
    raise ValueError(f"{year}年没有适用的年度报告格式（最早为2019年）")


def get_format(code: str) -> Format:
    return FORMATS[code]


def table_columns(table_code: str) -> list[Column]:
    """Every column a table has in any format, first appearance first (model fields)."""
    seen: dict[str, Column] = {}
    for fmt in FORMATS.values():
        for group in fmt.table(table_code).groups:
            for column in group.columns:
                seen.setdefault(column.code, column)
    return list(seen.values())


def table_codes() -> list[str]:
    return [t.code for t in gov2021.FORMAT.tables]


__all__ = [
    "FORMATS",
    "Format",
    "Kind",
    "Severity",
    "cell_key",
    "format_for_year",
    "get_format",
    "table_codes",
    "table_columns",
]
