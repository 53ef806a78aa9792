"""现行有效件数 pre-filled from rule T2-1's right-hand side (Format.prefill_from)."""

import json
import re

import pytest

from disclosure.formats import gov2021
from disclosure.formats.checks import evaluate
from disclosure.reports.models import AnnualReport
from disclosure.reports.services import load_values, save_values, start_report
from tests.conftest import PASSWORD, make_agency, make_clerk, make_report

pytestmark = pytest.mark.django_db

REG, NORM = "active.regulations", "active.normative_documents"


def last_year(agency, **cells):
    report = make_report(agency, 2021)
    save_values(report, {key.replace("__", "."): value for key, value in cells.items()})
    return report


def test_format_declares_in_force_prefilled_from_t2_1():
    assert gov2021.FORMAT.prefill_from == ("T2-1",)
    # declared once: the carry-over no longer copies 现行有效件数 on its own
    assert not [key for key, _ in gov2021.FORMAT.carry_over if key.endswith(".in_force")]


def test_start_report_prefills_in_force_from_last_year_issued_and_repealed():
    agency = make_agency()
    last_year(agency, active__regulations__in_force=4, active__normative_documents__in_force=40)
    report = start_report(agency, 2022)
    values = load_values(report)
    # nothing issued or repealed yet this year: last year's figure + 0 − 0
    assert (values[f"{REG}.in_force"], values[f"{NORM}.in_force"]) == (4, 40)
    assert values[f"{NORM}.issued"] is None and values[f"{NORM}.repealed"] is None
    previous = load_values(AnnualReport.objects.get(agency=agency, year=2021))
    assert [f.rule for f in evaluate(report.format, values, previous) if f.rule == "T2-1"] == []


def test_prefill_counts_this_years_issued_and_repealed(monkeypatch):
    """The pre-fill reads the operands as they stand after the carry-over
    (here a format that also carries 制发/废止 over, to show they are read)."""
    agency = make_agency()
    last_year(agency, active__normative_documents__in_force=40, active__normative_documents__issued=5)
    carry = gov2021.FORMAT.carry_over + ((f"{NORM}.issued", f"{NORM}.issued"),)
    monkeypatch.setitem(gov2021.FORMAT.__dict__, "carry_over", carry)  # frozen dataclass
    report = start_report(agency, 2022)
    assert load_values(report)[f"{NORM}.in_force"] == 45


def test_no_prefill_without_last_years_figure():
    agency = make_agency()
    make_report(agency, 2020)  # the 2019 format has no 现行有效件数
    report = start_report(agency, 2021)
    assert load_values(report)[f"{NORM}.in_force"] is None
    assert load_values(start_report(make_agency("另一局"), 2021))[f"{NORM}.in_force"] is None


def test_start_view_prefills_and_edit_page_exports_the_declaration(client):
    agency = make_agency()
    last_year(agency, active__normative_documents__in_force=40)
    assert client.login(username=make_clerk(agency).username, password=PASSWORD)
    client.post("/reports/start/", {"year": 2022})
    report = AnnualReport.objects.get(agency=agency, year=2022)
    assert load_values(report)[f"{NORM}.in_force"] == 40
    page = client.get(f"/reports/{report.pk}/edit/").content.decode()
    checks_url = re.search(r'<link rel="preload" href="([^"]+)"[^>]*id="checks-link">', page).group(1)
    rules = json.loads(client.get(checks_url).content)["rules"]
    assert [key for key, _ in rules["prefill"]] == [f"{REG}.in_force", f"{NORM}.in_force"]
    assert 'value="40"' in page
