"""Starting from last year's published report: a clerk whose agency begins using
the system uploads the report it published last year (.docx, .html, .pdf, .txt);
the page shows what was read (the three tables, the narratives, the findings)
and nothing is stored until 保存. Saving creates that year's report as an
imported record, so this year's report is pre-filled from it (上年结转, the
pre-filled 现行有效件数) and the cross-year checks read it.

The rules (the page explains them to the clerk):

- Who: a clerk (填报人) of an agency, for their own agency only. The file may
  name another agency (a renamed agency, a report written under the parent's
  name): the preview warns and the report is saved under the clerk's agency
  when the clerk confirms. No agency is ever created.
- Which year: the year the file's title says. It must be a past year (a year's
  report is published in the following year, so a year not yet over cannot
  have a published report) and a year for which the agency has no report in
  the system at all: an upload never replaces a report, whatever its state
  (not even a draft).
- The file: at most ``MAX_UPLOAD_BYTES``; read in a child process bounded in
  time (``importers.bounded.parse_bounded``); whatever the readers refuse
  (not a report, a hostile or broken file, a timeout) is refused with their
  Chinese message and nothing is kept.
- What is saved: the report as published, approved at once (``save_import``
  with ``as_published``), its history starting with an ``import`` transition by
  the clerk. Error findings (tables that do not add up) do not stop it: the
  record is what was published, so it is kept as it is, findings and all,
  and shown as 已发布（导入）. Like every approved report it cannot be edited;
  only the workflow's reopen could move it.
- Between the preview and 保存 the uploaded bytes wait in ``PendingUpload``
  (several web servers may serve the two requests): one per user (a new upload
  replaces the previous one), deleted when saved, expired after a day. 保存
  reads the stored bytes again and applies every rule again.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from disclosure.formats.checks import Finding
from disclosure.formats.spec import Severity
from disclosure.formats.whole import check_whole
from disclosure.importers.bounded import parse_bounded
from disclosure.importers.document import MAX_BYTES as MAX_UPLOAD_BYTES
from disclosure.importers.text import ParsedReport, ReportParseError

from . import access
from .models import Agency, AnnualReport, PendingUpload, Transition
from .record import ImportRefused, save_import
from .values import load_values
from .workflow_spec import IMPORT, Role

PARSE_SECONDS = 30.0
PENDING_LIFETIME = timedelta(days=1)
ACCEPTED_SUFFIXES = (".docx", ".html", ".htm", ".pdf", ".txt")
IMPORTED_LABEL = "已发布（导入）"
TOO_LARGE = f"文件超过 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB，不能上传。请上传上年度发布的报告文件（.docx、.html、.pdf 或 .txt）。"


class UploadRefused(Exception):
    """The upload cannot be read or saved; the message (Chinese) says why."""


@dataclass
class Preview:
    """What a clerk sees before 保存: the report read from the file and its findings."""

    parsed: ParsedReport
    agency: Agency
    findings: list[Finding]
    previous: AnnualReport | None  # the agency's report of the year before, read by cross-year checks
    refusal: str = ""  # why it cannot be saved ('' when it can)
    warnings: list[str] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == Severity.ERROR)

    @property
    def warning_count(self) -> int:
        return sum(1 for f in self.findings if f.severity == Severity.WARNING)


def clerk_agency(user) -> Agency | None:
    """The agency a user may upload for: a clerk's own, else None."""
    m = access.membership(user)
    if m is None or m.role != Role.CLERK or not access.can_start(user, m.agency_id):
        return None
    return m.agency


def latest_year() -> int:
    """The newest year a published report can be of: last year (a year's report is
    published in the following year)."""
    return timezone.localdate().year - 1


def read_upload(data: bytes, name: str) -> ParsedReport:
    """The report a file holds, read within ``PARSE_SECONDS``. Raises UploadRefused."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadRefused(TOO_LARGE)
    if not data:
        raise UploadRefused("上传的文件是空的，请重新选择文件。")
    try:
        return parse_bounded(data, name, seconds=PARSE_SECONDS)
    except ReportParseError as exc:
        raise UploadRefused(f"无法读取该文件：{exc}。请上传本机关上年度发布的年度报告原文件。") from exc


def year_refusal(agency: Agency, year: int) -> str:
    """Why a report of ``year`` cannot be imported for ``agency`` ('' when it can)."""
    if year > latest_year():
        return (
            f"文件是{year}年度的报告。{year}年度的报告要到{year + 1}年才发布，"
            f"只能上传{latest_year()}年度及以前已发布的报告；{year}年度的报告请在系统中新建并填写。"
        )
    existing = AnnualReport.objects.filter(agency=agency, year=year).first()
    if existing is not None:
        return (
            f"本机关{year}年度的报告已在系统中（状态：{status_label(existing)}），"
            "上传不会覆盖系统中已有的报告。如需查看，请在报告列表中打开该报告。"
        )
    return ""


def findings_for(parsed: ParsedReport, agency: Agency) -> tuple[list[Finding], AnnualReport | None]:
    """Every finding of the file as it would be stored for ``agency`` (blank cells are
    "not reported"; cross-year rules read the agency's report of the year before,
    when there is one; T2-3 the agency's level)."""
    previous = AnnualReport.objects.filter(agency=agency, year=parsed.year - 1).first()
    findings = check_whole(
        parsed.format,
        parsed.values,
        load_values(previous) if previous else None,
        parsed.outline,
        blanks="unknown",
        maker_of_rules=agency.maker_of_rules,
    )
    return findings, previous


def preview(parsed: ParsedReport, agency: Agency) -> Preview:
    findings, previous = findings_for(parsed, agency)
    result = Preview(parsed, agency, findings, previous, refusal=year_refusal(agency, parsed.year))
    named = parsed.agency_name.strip()
    if named and named != agency.name:
        result.warnings.append(
            f"文件中的机关名称为“{named}”，与您所在的机关“{agency.name}”不一致。"
            f"保存后该报告将作为“{agency.name}”{parsed.year}年度的报告；如果这不是本机关的报告，请不要保存。"
        )
    elif not named:
        result.warnings.append(f"未能从文件标题识别机关名称；保存后将作为“{agency.name}”的报告。")
    if result.errors:
        result.warnings.append(
            f"文件中的表格有{result.errors}项错误（勾稽关系不符）。报告按发布时的原样保存为已发布记录，"
            "不作修改，检查结果随报告保留。"
        )
    return result


# ------------------------------------------------------------------ keeping the upload


def expire_pending() -> int:
    """Remove uploads older than ``PENDING_LIFETIME``; returns how many."""
    deleted, _ = PendingUpload.objects.filter(created_at__lt=timezone.now() - PENDING_LIFETIME).delete()
    return deleted


def keep_pending(user, agency: Agency, name: str, data: bytes) -> PendingUpload:
    """Store an upload until 保存: replaces the user's earlier upload, drops expired ones."""
    with transaction.atomic():
        expire_pending()
        PendingUpload.objects.filter(user=user).delete()
        return PendingUpload.objects.create(user=user, agency=agency, name=name[:255], content=data)


def pending_for(user, token: str) -> PendingUpload | None:
    """The user's own unexpired upload with ``token`` (None for anyone else's, a stale
    or a malformed one)."""
    try:
        token = uuid.UUID(str(token))
    except ValueError:
        return None
    return PendingUpload.objects.filter(
        user=user, token=token, created_at__gte=timezone.now() - PENDING_LIFETIME
    ).first()


def save_pending(pending: PendingUpload, user) -> AnnualReport:
    """Save a kept upload as its year's imported record for the clerk's agency.

    The bytes are read again and every rule applied again (the agency may have
    started that year's report since the preview). Raises UploadRefused; on
    success the pending upload is deleted."""
    agency = clerk_agency(user)
    if agency is None or agency.pk != pending.agency_id:
        raise UploadRefused("您已不是该机关的填报人，不能保存该报告。")
    parsed = read_upload(bytes(pending.content), pending.name)
    refusal = year_refusal(agency, parsed.year)
    if refusal:
        raise UploadRefused(refusal)
    try:
        report = save_import(parsed, user=user, agency=agency, year=parsed.year, as_published=True)
    except ImportRefused as exc:
        raise UploadRefused(str(exc)) from exc
    except IntegrityError as exc:  # the same year's report was created at the same moment
        raise UploadRefused(f"本机关{parsed.year}年度的报告刚刚已在系统中建立，上传不会覆盖它。") from exc
    pending.delete()
    return report


# ------------------------------------------------------------------ how an imported record is shown


def import_transition(report: AnnualReport) -> Transition | None:
    """The ``import`` step the report's history starts with, if it was imported."""
    first = Transition.objects.filter(report=report).order_by("created_at", "pk").first()
    return first if first is not None and first.action == IMPORT else None


def status_label(report: AnnualReport, imported: bool | None = None) -> str:
    """The report's state as these pages print it: an approved report whose history
    starts with an import is 已发布（导入）."""
    if imported is None:
        imported = report.is_record and import_transition(report) is not None
    return IMPORTED_LABEL if report.is_record and imported else report.get_status_display()
