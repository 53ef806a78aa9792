"""Saving an imported report: one transaction, round trip through the database,
recorded as an import transition, never replacing a report in the workflow."""

import pytest

from disclosure.reports import record
from disclosure.reports.models import Agency, AnnualReport, ApplicationRow, Status, Transition
from disclosure.reports.record import ImportRefused, save_import
from disclosure.reports.services import check_report, explain, load_values
from disclosure.review.workflow import submit_report
from tests.conftest import make_agency, make_clerk
from tests.importers.samples import parse_sample

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("number", ["000", "001", "002", "003", "004"])
def test_save_import_round_trips_every_cell(number):
    parsed = parse_sample(number)
    report = save_import(parsed)
    report.refresh_from_db()
    assert load_values(report) == parsed.values
    assert (report.agency.name, report.year) == (parsed.agency_name, parsed.year)


@pytest.mark.parametrize("number", ["001", "002", "003", "004"])
def test_save_import_without_errors_is_approved_and_recorded(number):
    report = save_import(parse_sample(number))
    report.refresh_from_db()
    assert report.status == Status.APPROVED
    transition = Transition.objects.get(report=report)
    assert (transition.action, transition.from_status, transition.to_status, transition.actor_name) == (
        "import",
        "",
        Status.APPROVED,
        "import_report 命令",
    )
    assert transition.comment.endswith("检查无错误，作为已发布报告存档")


def test_save_import_with_error_findings_is_a_draft():
    report = save_import(parse_sample("000"))  # 表三 自然人 总计 does not add up
    report.refresh_from_db()
    assert report.status == Status.DRAFT
    transition = Transition.objects.get(report=report)
    assert (transition.action, transition.to_status) == ("import", Status.DRAFT)
    assert "勾稽关系有错误，导入为草稿" in transition.comment


def test_save_import_records_the_importing_user():
    clerk = make_clerk(make_agency("鹿城区民政局"))
    report = save_import(parse_sample("001"), user=clerk)
    transition = Transition.objects.get(report=report)
    assert (transition.actor, transition.actor_name) == (clerk, "clerk")  # no display name set
    assert report.history.latest().history_user == clerk


def test_save_import_stores_texts():
    parsed = parse_sample("000")
    report = AnnualReport.objects.get(pk=save_import(parsed).pk)
    assert report.title == "2020年鹿城区民政局政府信息公开工作年度报告"
    assert report.preface == parsed.preface
    assert (report.general, report.problems, report.other_matters) == (
        parsed.narratives["general"],
        parsed.narratives["problems"],
        "无",
    )
    assert report.source == "000_fb8b1bf54db1738d.txt"
    assert report.version == 1


def test_save_import_creates_agency_with_contact_details():
    agency = save_import(parse_sample("000")).agency
    agency.refresh_from_db()
    assert (agency.address, agency.postcode, agency.phone, agency.website, agency.email) == (
        "鹿城区洪殿北路128号民政局",
        "325000",
        "0577-88362048",
        "http://www.lucheng.gov.cn",
        "mzj@lucheng.gov.cn",
    )


def test_save_import_keeps_existing_agency_details():
    existing = make_agency("鹿城区民政局", region="浙江省温州市鹿城区", phone="0577-00000000")
    report = save_import(parse_sample("000"))
    existing.refresh_from_db()
    assert report.agency == existing
    assert (existing.region.full_name, existing.phone, existing.postcode) == (
        "浙江省温州市鹿城区",
        "0577-00000000",
        "325000",
    )


def test_save_import_replaces_a_draft_only_with_force():
    first = save_import(parse_sample("000"))  # a draft (it has errors)
    parsed = parse_sample("000")
    parsed.values["applications.results_total.natural_person"] = 2
    with pytest.raises(ImportRefused) as caught:
        save_import(parsed)
    assert "确认覆盖请加 --force" in str(caught.value)
    second = save_import(parsed, force=True)
    assert second.pk == first.pk
    assert AnnualReport.objects.count() == 1
    assert ApplicationRow.objects.filter(report=second).count() == 23
    second.refresh_from_db()
    assert second.version == 2
    assert load_values(second)["applications.results_total.natural_person"] == 2
    assert list(Transition.objects.filter(report=second).values_list("from_status", flat=True)) == [
        Status.DRAFT,
        "",
    ]


def test_save_import_never_replaces_an_approved_report():
    report = save_import(parse_sample("001"))
    before = load_values(report)
    with pytest.raises(ImportRefused) as caught:
        save_import(parse_sample("001"), force=True)
    assert "当前状态为“已通过”，导入不能覆盖" in str(caught.value)
    report.refresh_from_db()
    assert (report.version, load_values(report)) == (1, before)


def test_save_import_never_replaces_a_submitted_report():
    report = save_import(parse_sample("002"), draft=True)  # every cell reported
    clerk = make_clerk(report.agency)
    explain(report, {f.check: "已核对" for f in check_report(report) if f.severity == "warning"}, clerk)
    submit_report(report.pk, clerk)
    with pytest.raises(ImportRefused) as caught:
        save_import(parse_sample("002"), force=True)
    assert "当前状态为“待审核”" in str(caught.value)


def test_save_import_as_draft_when_asked():
    report = save_import(parse_sample("004"), agency_name="长春市南关区民政局", year=2022, draft=True)
    assert (report.agency.name, report.year, report.status) == ("长春市南关区民政局", 2022, Status.DRAFT)


def test_save_import_refuses_a_year_of_another_format():
    with pytest.raises(ImportRefused) as caught:
        save_import(parse_sample("004"), year=2020)
    assert str(caught.value) == (
        "2020年适用2019年版年度报告格式（试行），但报告是按2021年版年度报告格式读取的（2021年）"
    )
    assert Agency.objects.count() == 0


def test_save_import_saves_nothing_when_a_step_fails(monkeypatch):
    def broken(report, values):
        raise RuntimeError("disk full")

    monkeypatch.setattr(record, "save_values", broken)
    with pytest.raises(RuntimeError):
        save_import(parse_sample("000"))
    assert (Agency.objects.count(), AnnualReport.objects.count(), Transition.objects.count()) == (0, 0, 0)


def test_saved_report_is_checked_like_the_text():
    report = save_import(parse_sample("000"))
    checks = [f.check for f in check_report(report) if f.severity == "error"]
    assert checks == [
        "T3-1:applications.new.natural_person",
        "T3-2:applications.results_total.natural_person",
        "T3-3:applications.results_total.total",
    ]
