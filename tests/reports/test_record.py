"""Saving a parsed report: one transaction, round trip through the database."""

import pytest

from disclosure.importers.text import ReportParseError, save_parsed_report
from disclosure.reports import services
from disclosure.reports.models import Agency, AnnualReport, ApplicationRow, Status
from disclosure.reports.services import load_values
from tests.conftest import make_agency

from .samples import parse_sample

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("number", ["000", "001", "002", "003", "004"])
def test_save_parsed_report_round_trips_every_cell(number):
    parsed = parse_sample(number)
    report = save_parsed_report(parsed)
    report.refresh_from_db()
    assert load_values(report) == parsed.values
    assert (report.agency.name, report.year) == (parsed.agency_name, parsed.year)


def test_save_parsed_report_stores_texts_and_status():
    parsed = parse_sample("000")
    report = AnnualReport.objects.get(pk=save_parsed_report(parsed).pk)
    assert report.status == Status.APPROVED
    assert report.title == "2020年鹿城区民政局政府信息公开工作年度报告"
    assert report.preface == parsed.preface
    assert (report.general, report.problems, report.other_matters) == (
        parsed.narratives["general"],
        parsed.narratives["problems"],
        "无",
    )
    assert report.source == "000_fb8b1bf54db1738d.txt"
    assert report.version == 1


def test_save_parsed_report_creates_agency_with_contact_details():
    agency = save_parsed_report(parse_sample("000")).agency
    agency.refresh_from_db()
    assert (agency.address, agency.postcode, agency.phone, agency.website, agency.email) == (
        "鹿城区洪殿北路128号民政局",
        "325000",
        "0577-88362048",
        "http://www.lucheng.gov.cn",
        "mzj@lucheng.gov.cn",
    )


def test_save_parsed_report_keeps_existing_agency_details():
    existing = make_agency("鹿城区民政局", region="浙江省温州市鹿城区", phone="0577-00000000")
    report = save_parsed_report(parse_sample("000"))
    existing.refresh_from_db()
    assert report.agency == existing
    assert (existing.region, existing.phone, existing.postcode) == (
        "浙江省温州市鹿城区",
        "0577-00000000",
        "325000",
    )


def test_save_parsed_report_twice_updates_the_same_report():
    first = save_parsed_report(parse_sample("000"))
    parsed = parse_sample("000")
    parsed.values["applications.results_total.natural_person"] = 2
    second = save_parsed_report(parsed)
    assert second.pk == first.pk
    assert AnnualReport.objects.count() == 1
    assert ApplicationRow.objects.filter(report=second).count() == 23
    second.refresh_from_db()
    assert second.version == 2
    assert load_values(second)["applications.results_total.natural_person"] == 2


def test_save_parsed_report_with_agency_and_year_given():
    report = save_parsed_report(
        parse_sample("004"), agency_name="长春市南关区民政局", year=2022, status=Status.DRAFT
    )
    assert (report.agency.name, report.year, report.status) == ("长春市南关区民政局", 2022, Status.DRAFT)


def test_save_parsed_report_refuses_a_year_of_another_format():
    with pytest.raises(ReportParseError) as caught:
        save_parsed_report(parse_sample("004"), year=2020)
    assert str(caught.value) == (
        "2020年适用2019年版年度报告格式（试行），但报告是按2021年版年度报告格式读取的（2021年）"
    )
    assert Agency.objects.count() == 0


def test_save_parsed_report_saves_nothing_when_a_step_fails(monkeypatch):
    def broken(report, values):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "save_values", broken)
    with pytest.raises(RuntimeError):
        save_parsed_report(parse_sample("000"))
    assert (Agency.objects.count(), AnnualReport.objects.count()) == (0, 0)


def test_saved_report_is_checked_like_the_text():
    report = save_parsed_report(parse_sample("000"))
    checks = [f.check for f in services.check_report(report) if f.severity == "error"]
    assert checks == [
        "T3-1:applications.new.natural_person",
        "T3-2:applications.results_total.natural_person",
        "T3-3:applications.results_total.total",
    ]
