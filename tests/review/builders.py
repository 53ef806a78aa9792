"""Builders for the review tests: reports filled so that every check passes."""

from django.test import TestCase

from disclosure.formats.checks import compute_totals
from disclosure.reports.models import AnnualReport
from disclosure.reports.services import save_values
from disclosure.review.workflow import approve_report
from tests.conftest import make_agency, make_clerk, make_report, make_reviewer


def fill(report: AnnualReport, **overrides) -> dict:
    """Every input cell 0 (overrides by cell key with dots as ``__``), totals computed."""
    fmt = report.format
    values = dict.fromkeys(fmt.input_keys(), 0)
    values.update({key.replace("__", "."): value for key, value in overrides.items()})
    values = compute_totals(fmt, values)
    save_values(report, values)
    return values


def set_status(report: AnnualReport, status: str) -> AnnualReport:
    AnnualReport.objects.filter(pk=report.pk).update(status=status)
    report.refresh_from_db()
    return report


def team(name="测试区民政局", region="浙江省温州市测试区", suffix=""):
    """An agency with a clerk, two reviewers and a filled report."""
    agency = make_agency(name=name, region=region)
    clerk = make_clerk(agency, f"clerk{suffix}")
    reviewer = make_reviewer(agency, f"reviewer{suffix}")
    second = make_reviewer(agency, f"reviewer2{suffix}")
    report = make_report(agency, 2021, clerk)
    write_sections(report)
    fill(report)
    return agency, clerk, reviewer, second, report


SECTIONS = {
    "general": "本年度主动公开政府信息。",
    "problems": "上年度问题已全部整改。存在的问题及改进措施。",
    "other_matters": "本年度未收取信息处理费。",
}


def write_sections(report: AnnualReport) -> AnnualReport:
    """The narrative sections a submission requires, written."""
    for name, text in SECTIONS.items():
        setattr(report, name, text)
    report.save()
    return report


def approve_committed(report_id, user, **kwargs) -> AnnualReport:
    """``approve_report`` followed by what runs once its transaction commits
    (a test's transaction never commits): with no broker configured, the
    background task renders and stores the approval's files in-process."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return approve_report(report_id, user, **kwargs)
