"""Reading typed and published numbers (disclosure.formats.values)."""

from decimal import Decimal

import pytest

from disclosure.formats import gov2019, gov2021
from disclosure.formats.values import (
    ValueProblem,
    display,
    normalize_text,
    parse_cell,
    parse_number,
    validate,
)

COUNT = gov2021.FORMAT.locate("applications.new.natural_person")[3]
SIGNED = gov2019.FORMAT.locate("active.licensing.change")[3]
YUAN = gov2019.FORMAT.locate("active.procurement.purchase_amount")[3]
WAN = gov2021.FORMAT.locate("active.fees.fee_amount")[3]


@pytest.mark.parametrize(
    ("text", "column", "expected"),
    [
        ("12", COUNT, (12, "")),
        ("１２", COUNT, (12, "")),
        ("\u00a0 0\u3000", COUNT, (0, "")),
        ("1,234", COUNT, (1234, "")),
        ("+199", SIGNED, (199, "")),
        ("-30", SIGNED, (-30, "")),
        ("−18", SIGNED, (-18, "")),
        ("166781.96元", YUAN, (Decimal("166781.96"), "元")),
        ("12293400元", YUAN, (Decimal("12293400"), "元")),
        ("16780", YUAN, (Decimal("16780"), "")),
        ("1.5万元", YUAN, (Decimal("15000"), "万元")),
        ("15000元", WAN, (Decimal("1.5"), "元")),
        ("5949.088667", WAN, (Decimal("5949.088667"), "")),
        ("", COUNT, (None, "")),
        ("\u3000", COUNT, (None, "")),
    ],
)
def test_parse_number_reads_published_forms(text, column, expected):
    assert parse_number(text, column) == expected


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [
        ("abc", COUNT, "“abc”不是数字"),
        ("1g", COUNT, "“1g”不是数字"),
        ("5元", COUNT, "“5元”不是数字"),
        ("1.5", COUNT, "应为整数，不能有小数"),
        ("元", YUAN, "只有单位没有数字"),
    ],
)
def test_parse_number_refuses_what_is_not_a_number(text, column, message):
    with pytest.raises(ValueProblem) as caught:
        parse_number(text, column)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("value", "column", "message"),
    [
        (-1, COUNT, "不能为负数"),
        (2_000_000_000, COUNT, "数值过大（绝对值不能超过1,000,000,000）"),
        (Decimal("1.234"), YUAN, "最多保留2位小数"),
        (Decimal("-1"), WAN, "不能为负数"),
    ],
)
def test_validate_refuses_values_the_cell_cannot_hold(value, column, message):
    with pytest.raises(ValueProblem) as caught:
        validate(value, column)
    assert str(caught.value) == message


def test_validate_accepts_negative_change_and_blank():
    assert validate(-30, SIGNED) is None
    assert validate(None, COUNT) is None
    assert validate(Decimal("5949.088667"), WAN) is None


def test_parse_cell_parses_and_validates():
    assert parse_cell(" ３ ", COUNT) == 3
    with pytest.raises(ValueProblem) as caught:
        parse_cell("-3", COUNT)
    assert str(caught.value) == "不能为负数"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, ""),
        (5, "5"),
        (-30, "-30"),
        (Decimal("12293400.00"), "12293400"),
        (Decimal("1.50"), "1.5"),
        (Decimal("-0"), "0"),
    ],
)
def test_display_prints_without_trailing_zeros(value, shown):
    assert display(value) == shown


def test_normalize_text_unifies_width_minus_and_spaces():
    assert normalize_text("－\u00a0１２　") == "-12"


@pytest.mark.parametrize("text", ["1 2", " 1 2 ", "1\t2", "１　２", "1\u00a0234", "1, 234", "1.5 0"])
def test_parse_cell_refuses_a_space_inside_a_typed_number(text):
    with pytest.raises(ValueProblem) as caught:
        parse_cell(text, YUAN)
    assert str(caught.value) == "数字中间有空格"


def test_parse_cell_drops_spaces_around_the_number_and_before_its_unit():
    assert parse_cell("\t12 ", COUNT) == 12
    assert parse_cell(" 1.5 万元 ", YUAN) == Decimal("15000")
    assert parse_cell("1\u200b2", COUNT) == 12  # an invisible joiner is not a space


def test_parse_number_keeps_reading_spaces_inside_published_numbers():
    assert parse_number("1 234", COUNT) == (1234, "")
