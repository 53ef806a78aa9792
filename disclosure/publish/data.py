"""Cell values as JSON: the one conversion every data download goes through
(a report's ``data.json``, the region's roll-up ``rollup.json``).

A count is a JSON number, money a string with its declared decimals (exact:
never a float), a blank cell ``null``. Keys are the format's cell keys in
printed order."""

from __future__ import annotations

from decimal import Decimal

from disclosure.formats.spec import Column, Format, Kind


def money_text(value, column: Column) -> str:
    """Money with exactly the column's declared decimals ("1234.50")."""
    exponent = Decimal(1).scaleb(-column.decimals)
    return format(Decimal(value).quantize(exponent), "f")


def json_value(value, column: Column) -> int | str | None:
    """One cell's value as JSON: None for blank, money as its string, counts as int."""
    if value is None:
        return None
    if column.kind == Kind.MONEY:
        return money_text(value, column)
    return int(value)


def cells_json(fmt: Format, values: dict) -> dict:
    """Every cell of ``fmt`` (printed order) → its JSON value; cells missing from
    ``values`` are blank."""
    return {key: json_value(values.get(key), fmt.locate(key)[3]) for key in fmt.cell_keys()}


def report_data(report, values: dict) -> dict:
    """A saved report's data (``/reports/<id>/data.json`` and the attachment of its
    PDF): format, agency, region, year, status, version and every cell."""
    fmt = report.format
    region = report.agency.region
    return {
        "format": fmt.code,
        "agency": report.agency.name,
        "region": region.full_name if region else None,
        "year": report.year,
        "status": report.status,
        "version": report.version,
        "cells": cells_json(fmt, values),
    }
