"""The review workflow: one domain function per transition.

Each function runs in one transaction with the report row locked
(``select_for_update``), re-checks the actor's role and the current state
under the lock, saves the report with ``update_fields`` and records a
``Transition``. A clerk saving a draft locks the same row, so a save and a
transition (or two transitions) are serialised: the loser sees the new state
or the moved version and gets a ``TransitionError`` with a Chinese message.

Transitions are declared as data in ``disclosure.reports.models.TRANSITIONS``.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from disclosure.formats.spec import Severity
from disclosure.reports import services
from disclosure.reports.models import AnnualReport, Status

from .models import Rendition, RenditionKind, Transition
from .permissions import refusals, target_status

BLANK_CELLS_SHOWN = 5


class TransitionError(Exception):
    """A refused transition; ``messages`` says why, in Chinese, one reason a line."""

    def __init__(self, messages: list[str] | str):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("\n".join(self.messages))


def _locked(report_id) -> AnnualReport:
    try:
        return AnnualReport.objects.select_for_update().get(pk=report_id)
    except (AnnualReport.DoesNotExist, ValueError, TypeError):
        raise TransitionError("没有找到该报告。") from None


def _move(report: AnnualReport, user, action: str, comment: str) -> Transition:
    """Set the new state, bump the version, save, record the transition."""
    source = report.status
    report.status = target_status(source, action)
    report.version += 1
    report._history_user = user  # django-simple-history records the actor outside requests too
    report.save(update_fields=["status", "version", "updated_at"])
    return Transition.objects.create(
        report=report,
        action=action,
        from_status=source,
        to_status=report.status,
        actor=user,
        actor_name=user.get_username(),
        comment=comment,
        version=report.version,
    )


def _move_with_comment(report_id, user, action: str, comment: str, missing: str) -> AnnualReport:
    """A transition whose comment is required (return, reopen): lock, check, move."""
    comment = (comment or "").strip()
    with transaction.atomic():
        report = _locked(report_id)
        _refuse_unless_allowed(user, report, action)
        if not comment:
            raise TransitionError(missing)
        _move(report, user, action, comment)
    return report


def _refuse_unless_allowed(user, report: AnnualReport, action: str) -> None:
    problems = refusals(user, report, action)
    if problems:
        raise TransitionError(problems)


def content_problems(report: AnnualReport) -> list[str]:
    """Why the report's content cannot be submitted: failing error-severity
    findings (their messages verbatim), then the blank input cells."""
    values = services.load_values(report)
    problems = [f.message for f in services.check_report(report, values) if f.severity == Severity.ERROR]
    blank = services.blank_cells(report.format, values)
    if blank:
        labels = "、".join(report.format.cell_label(key) for key in blank[:BLANK_CELLS_SHOWN])
        more = f"等{len(blank)}个单元格" if len(blank) > BLANK_CELLS_SHOWN else ""
        problems.append(f"尚有{len(blank)}个单元格未填写：{labels}{more}。请填写后再提交（没有发生的填0）。")
    return problems


def submit_report(report_id, user, *, comment: str = "") -> AnnualReport:
    """Clerk sends a draft (or returned) report to the reviewers.

    Side effects: locks the report row; sets status ``submitted``; bumps
    ``version`` (an open edit form can no longer save); writes a historical
    record of the report and a ``Transition`` with the optional comment.
    Refused (``TransitionError``) unless the user is a clerk of the agency, the
    report is draft or returned, no error-severity check fails and no input
    cell is blank."""
    with transaction.atomic():
        report = _locked(report_id)
        _refuse_unless_allowed(user, report, "submit")
        problems = content_problems(report)
        if problems:
            raise TransitionError(problems)
        _move(report, user, "submit", comment.strip())
    return report


def approve_report(report_id, user, *, comment: str = "") -> AnnualReport:
    """Reviewer signs off a submitted report (four-eyes: not its submitter).

    Side effects: locks the report row; sets status ``approved`` (read-only
    for everyone); bumps ``version``; writes a historical record and a
    ``Transition``; renders the publishable PDF and HTML once from the approved
    content and stores them as ``Rendition`` rows with their SHA-256. If
    rendering fails nothing is changed."""
    with transaction.atomic():
        report = _locked(report_id)
        _refuse_unless_allowed(user, report, "approve")
        approval = _move(report, user, "approve", comment.strip())
        try:
            for kind in RenditionKind.values:
                _store(report, kind, user, approval=approval)
        except Exception as exc:  # any renderer failure: roll the approval back, say why
            raise TransitionError(
                f"生成发布文件失败，报告未审核通过，请稍后重试或联系管理员（{exc}）。"
            ) from exc
    return report


def return_report(report_id, user, *, comment: str) -> AnnualReport:
    """Reviewer sends a submitted report back to the clerks with a comment.

    Side effects: locks the report row; sets status ``returned`` (editable by
    the clerks again, who see the comment); bumps ``version``; writes a
    historical record and a ``Transition`` carrying the comment."""
    return _move_with_comment(report_id, user, "return", comment, "退回时必须填写意见，说明需要修改的内容。")


def reopen_report(report_id, user, *, comment: str) -> AnnualReport:
    """Reviewer reopens an approved report as a draft, giving the reason.

    Side effects: locks the report row; sets status ``draft``; bumps
    ``version`` (so downloads no longer serve the old approval's files, which
    stay stored with their hashes and listed in the history); writes a
    historical record and a ``Transition`` carrying the reason."""
    return _move_with_comment(report_id, user, "reopen", comment, "重新打开时必须填写原因。")


TRANSITION_FUNCTIONS = {
    "submit": submit_report,
    "approve": approve_report,
    "return": return_report,
    "reopen": reopen_report,
}


# ----------------------------------------------------------------- renditions


def _render(report: AnnualReport, kind: str) -> bytes:
    from disclosure.publish.render import render_html, render_pdf  # the renderer loads WeasyPrint

    if kind == RenditionKind.PDF:
        return render_pdf(report)
    return render_html(report).encode("utf-8")


def _store(report: AnnualReport, kind: str, user, *, approval=None, backfilled=False) -> Rendition:
    content = _render(report, kind)
    return Rendition.objects.create(
        report=report,
        approval=approval,
        version=report.version,
        kind=kind,
        content=content,
        sha256=Rendition.digest(content),
        size=len(content),
        backfilled=backfilled,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )


def current_rendition(report: AnnualReport, kind: str) -> Rendition | None:
    """The stored file of the report's current approval (None unless approved and stored)."""
    if report.status != Status.APPROVED:
        return None
    return Rendition.objects.filter(report_id=report.pk, version=report.version, kind=kind).first()


def current_renditions(report: AnnualReport) -> list[Rendition]:
    """The current approval's stored files, without their content (for display)."""
    if report.status != Status.APPROVED:
        return []
    return list(Rendition.objects.filter(report_id=report.pk, version=report.version).defer("content"))


def stored_rendition(report: AnnualReport, kind: str) -> bytes | None:
    """The stored bytes of the current approval's ``kind`` ("pdf" or "html"), or None."""
    rendition = current_rendition(report, kind)
    return bytes(rendition.content) if rendition else None


def approved_rendition(report: AnnualReport, kind: str, user=None) -> Rendition | None:
    """The current approval's stored file, rendering and storing it first if an
    approved report has none (imported historic reports); None unless approved.

    Side effects: for an approved report without a stored file, locks the
    report row, renders ``kind`` once and stores it as a backfilled
    ``Rendition`` (shown as such in the history); later calls serve those bytes."""
    rendition = current_rendition(report, kind)
    if rendition is not None or report.status != Status.APPROVED:
        return rendition
    try:
        with transaction.atomic():
            locked = _locked(report.pk)
            rendition = current_rendition(locked, kind)
            if rendition is None and locked.status == Status.APPROVED:
                rendition = _store(locked, kind, user, backfilled=True)
    except IntegrityError:  # stored meanwhile by a parallel first download
        rendition = current_rendition(report, kind)
    return rendition
