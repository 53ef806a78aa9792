"""The report's record: every transition (workflow actions and imports) as a
``Transition`` row, and saving a published report read by an importer.

A reader of a document never writes to the database; saving what it read is
this module's ``save_import``, recorded as an ``import`` transition by the
importing user (or the command)."""

from __future__ import annotations

from django.db import transaction

from disclosure.formats import format_for_year
from disclosure.formats.spec import Severity

from .models import Agency, AnnualReport, Transition, display_name
from .services import check_report, save_values
from .workflow_spec import IMPORT, Status

COMMAND_ACTOR = "import_report 命令"
CONTACT_FIELDS = ("address", "postcode", "phone", "website", "email")


class ImportRefused(Exception):
    """Saving an import would replace a report it must not; the message says why, in Chinese."""


def record_transition(
    report: AnnualReport, code: str, source: str, user, comment: str = "", target: str = ""
) -> Transition:
    """Append one step to the report's record (the report is already saved in its new state).

    Side effects: inserts a ``Transition`` with the report's current status and version."""
    return Transition.objects.create(
        report=report,
        action=code,
        from_status=source,
        to_status=report.status,
        actor=user if getattr(user, "is_authenticated", False) else None,
        actor_name=display_name(user, COMMAND_ACTOR),
        comment=comment,
        target=target,
        version=report.version,
    )


def current_returns(reports) -> dict[int, Transition]:
    """The reviewers' return each 已退回 report is under, by report id (one query for all)."""
    returned = [r.pk for r in reports if r.status == Status.RETURNED]
    latest: dict[int, Transition] = {}
    if returned:
        for t in Transition.objects.filter(report_id__in=returned, action="return").order_by(
            "created_at", "pk"
        ):
            latest[t.report_id] = t
    return latest


def current_return(report: AnnualReport) -> Transition | None:
    """The reviewers' return the clerks are working on (while the report is 已退回)."""
    return current_returns([report]).get(report.pk)


def _agency(parsed, name: str) -> Agency:
    agency, _ = Agency.objects.get_or_create(name=name)
    _fill_contact(agency, parsed)
    return agency


def _fill_contact(agency: Agency, parsed) -> None:
    """Fill the agency's empty contact fields from the report's preface."""
    missing = {
        f: parsed.contact[f] for f in CONTACT_FIELDS if parsed.contact.get(f) and not getattr(agency, f)
    }
    if missing:
        for field, value in missing.items():
            setattr(agency, field, value[: Agency._meta.get_field(field).max_length])
        agency.save(update_fields=list(missing))


def _refusal(report: AnnualReport, force: bool) -> str:
    """Why an existing report must not be replaced by an import ('' when it may)."""
    where = f"{report.agency.name}{report.year}年的报告（编号 {report.pk}）"
    if report.status != Status.DRAFT:
        return (
            f"{where}当前状态为“{report.get_status_display()}”，导入不能覆盖审核流程中或已通过的报告；"
            "如确需更正，请由审核人重新打开后在页面中修改。"
        )
    if not force:
        return f"{where}已存在（草稿，第{report.version}版），导入会覆盖其全部内容；确认覆盖请加 --force。"
    return ""


def save_import(
    parsed,
    *,
    user=None,
    agency_name=None,
    year=None,
    draft=False,
    force=False,
    agency: Agency | None = None,
    as_published: bool = False,
) -> AnnualReport:
    """Store a published report read by an importer; returns the AnnualReport.

    The report is approved (published) only when no error-severity check fails
    and ``draft`` is not asked for; otherwise it is saved as a draft for the
    clerks to correct. An existing report is replaced only when it is a draft
    and ``force`` is given (``ImportRefused`` otherwise); a report in the
    workflow or approved is never replaced.

    ``agency`` (the importing clerk's own agency, from the upload page) is used
    as it is, whatever name the file gives: no agency is created, and its
    missing contact details are filled in only from a file that names it.
    ``as_published`` stores the report as approved even when error checks fail
    (the record of what was published, findings and all; the comment says so).

    Side effects, in one transaction: creates the agency (or fills in its
    missing contact details from the report's preface); creates the report or
    overwrites the draft (title, preface, narratives, source; version
    incremented); stores every cell; sets the status and records an ``import``
    transition by ``user`` (or the command)."""
    name = agency.name if agency is not None else (agency_name or parsed.agency_name).strip()
    if not name:
        raise ImportRefused("未能从标题识别机关名称，请用 --agency 指定")
    year = year or parsed.year
    if format_for_year(year).code != parsed.format.code:
        raise ImportRefused(
            f"{year}年适用{format_for_year(year).name}，但报告是按{parsed.format.name}读取的（{parsed.year}年）"
        )
    fields = {"title": parsed.title[:200], "preface": parsed.preface, "source": parsed.source[:200]}
    fields.update(parsed.narratives)
    with transaction.atomic():
        if agency is None:
            agency = _agency(parsed, name)
        elif parsed.agency_name.strip() == agency.name:
            _fill_contact(agency, parsed)
        report = AnnualReport.objects.select_for_update().filter(agency=agency, year=year).first()
        source = ""
        if report is None:
            report = AnnualReport(agency=agency, year=year, status=Status.DRAFT)
        else:
            refusal = _refusal(report, force)
            if refusal:
                raise ImportRefused(refusal)
            source = report.status
            report.version += 1
        for field, value in fields.items():
            setattr(report, field, value)
        report._history_user = user if getattr(user, "is_authenticated", False) else None
        report.updated_by = report._history_user
        report.save()  # a draft while its cells are written
        save_values(report, parsed.values)
        errors = any(f.severity == Severity.ERROR for f in check_report(report, blanks="unknown"))
        if not draft and (as_published or not errors):
            report.status = Status.APPROVED
            report.save(update_fields=["status", "updated_at"])
        comment = _import_comment(parsed, errors, draft, as_published)
        record_transition(report, IMPORT, source, user, comment)
    return report


def _import_comment(parsed, errors: bool, draft: bool, as_published: bool = False) -> str:
    comment = f"导入已发布报告“{parsed.source or parsed.title}”"
    if errors and as_published and not draft:
        return comment + "；勾稽关系有错误，按发布时的原样作为已发布报告存档（不作修改）"
    if errors:
        return comment + "；勾稽关系有错误，导入为草稿，修改后走审核流程"
    if draft:
        return comment + "；按要求导入为草稿"
    return comment + "；检查无错误，作为已发布报告存档"
