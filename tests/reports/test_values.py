"""The one value loader: every cell of a report's format from its table rows."""

from decimal import Decimal

import pytest

from disclosure.formats.checks import compute_totals
from disclosure.reports.models import TABLE_MODELS
from disclosure.reports.services import save_values
from disclosure.reports.values import load_many, load_values, values_from_rows
from tests.conftest import make_agency, make_report

pytestmark = pytest.mark.django_db

NEW_NP = "applications.new.natural_person"
PURCHASE_2019 = "active.procurement.purchase_amount"  # 元, two decimals
FEES_2021 = "active.fees.fee_amount"  # 万元, six decimals


def filled(report, value=0):
    fmt = report.format
    save_values(report, compute_totals(fmt, dict.fromkeys(fmt.input_keys(), value)))
    return report


def test_load_values_one_query_per_table(agency, django_assert_num_queries):
    report = filled(make_report(agency, 2021), 3)
    with django_assert_num_queries(len(TABLE_MODELS)):
        values = load_values(report)
    assert list(values) == report.format.cell_keys()
    assert values[NEW_NP] == 3


def test_load_many_one_query_per_table_for_many_reports_of_both_formats(django_assert_num_queries):
    reports = [
        filled(make_report(make_agency(f"机关{n}", f"浙江省温州市{n}区"), year), n)
        for n, year in enumerate((2019, 2020, 2021, 2022, 2021, 2019))
    ]
    with django_assert_num_queries(len(TABLE_MODELS)):
        loaded = load_many(reports)
    assert {r.format.code for r in reports} == {"gov2019", "gov2021"}
    assert [list(loaded[r.pk]) for r in reports] == [r.format.cell_keys() for r in reports]
    assert [loaded[r.pk][NEW_NP] for r in reports] == [0, 1, 2, 3, 4, 5]


def test_load_many_same_result_as_one_by_one():
    reports = [filled(make_report(make_agency(), 2020), 1), make_report(make_agency("乙", "乙区"), 2021)]
    assert load_many(reports) == {r.pk: load_values(r) for r in reports}


def test_load_many_of_no_reports_reads_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert load_many([]) == {}


def test_load_values_keeps_blank_apart_from_zero(agency):
    report = make_report(agency, 2021)
    save_values(report, {NEW_NP: 0})
    values = load_values(report)
    assert (values[NEW_NP], values["applications.new.commercial"]) == (0, None)


def test_load_values_keeps_money_decimals(agency):
    old, new = make_report(agency, 2020), make_report(agency, 2021)
    save_values(old, {PURCHASE_2019: Decimal("166781.90")})
    save_values(new, {FEES_2021: Decimal("0.012345")})
    loaded = load_many([old, new])
    assert (str(loaded[old.pk][PURCHASE_2019]), str(loaded[new.pk][FEES_2021])) == ("166781.90", "0.012345")


def test_load_values_ignores_rows_the_format_does_not_declare(agency):
    report = filled(make_report(agency, 2021), 1)
    TABLE_MODELS["applications"].objects.create(report=report, row_code="retired_row", natural_person=987654)
    values = load_values(report)
    assert list(values) == report.format.cell_keys()
    assert 987654 not in values.values()


def test_values_from_rows_reads_historical_records(agency):
    report = filled(make_report(agency, 2021), 2)
    model = TABLE_MODELS["applications"]
    records = model.history.filter(report_id=report.pk, history_type="~")
    values = values_from_rows(report.format, {"applications": records})
    assert (values[NEW_NP], values["active.licensing.decisions"]) == (2, None)
