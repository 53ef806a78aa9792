"""The review workflow: one domain function per action.

Each function runs in one transaction with the report row locked
(``select_for_update``), re-checks the actor's role and the current state
under the lock, saves the report with ``update_fields`` and records a
``Transition``. A clerk saving a draft locks the same row, so a save and a
transition (or two transitions) are serialised: the loser sees the new state
or the moved version and gets a ``TransitionError`` with a Chinese message.

The actions (who, from which state to which, comments, messages) are declared
once in ``disclosure.reports.workflow_spec``.
"""

from __future__ import annotations

from django.db import transaction

from disclosure.formats.spec import Severity
from disclosure.publish.archive import store_missing_files_locked
from disclosure.publish.tasks import schedule_approval_files
from disclosure.reports import record, services
from disclosure.reports.models import AnnualReport, Transition, comment_target_label
from disclosure.reports.workflow_spec import action, target_status

from .permissions import refusals

BLANK_CELLS_SHOWN = 5
WARNINGS_SHOWN = 3


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


def _move(report: AnnualReport, user, code: str, comment: str, target: str = "") -> Transition:
    """Set the new state, bump the version, save, record the transition."""
    source = report.status
    report.status = target_status(source, code)
    report.version += 1
    report._history_user = user  # django-simple-history records the actor outside requests too
    report._workflow_transition = True  # the one path that may move an approved report (reopen)
    report.updated_by = user  # the page headers name whoever made the last change, of any kind
    report.save(update_fields=["status", "version", "updated_by", "updated_at"])
    return record.record_transition(report, code, source, user, comment, target)


def _start(report_id, user, code: str, comment: str) -> tuple[AnnualReport, str]:
    """Lock the report and refuse unless ``user`` may take ``code`` with this comment.
    Call inside a transaction."""
    report = _locked(report_id)
    problems = refusals(user, report, code)
    if problems:
        raise TransitionError(problems)
    comment = (comment or "").strip()
    declared = action(code)
    if declared.comment_required and not comment:
        raise TransitionError(declared.missing_comment)
    return report, comment


def content_problems(report: AnnualReport) -> list[str]:
    """Why the report's content cannot be submitted: empty narrative sections,
    failing error-severity findings (their messages verbatim), warnings with
    neither a fix nor a reason, then the blank input cells."""
    values = services.load_values(report)
    problems = [
        f"“{n.heading}”尚未填写，请填写后再提交（没有需要报告的内容时填写“无”）。"
        for n in report.format.narratives
        if not getattr(report, n.code).strip()
    ]
    findings = services.check_report(report, values)
    problems += [f.message for f in findings if f.severity == Severity.ERROR]
    unexplained = services.unexplained_warnings(findings, services.explanations(report))
    if unexplained:
        listed = "；".join(f.message for f in unexplained[:WARNINGS_SHOWN])
        more = f"等{len(unexplained)}项" if len(unexplained) > WARNINGS_SHOWN else ""
        problems.append(
            f"有{len(unexplained)}项警告尚未修改或说明理由：{listed}{more}。请修改，或在“警告说明”中写明理由后再提交。"
        )
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
        report, comment = _start(report_id, user, "submit", comment)
        problems = content_problems(report)
        if problems:
            raise TransitionError(problems)
        _move(report, user, "submit", comment)
    return report


def withdraw_report(report_id, user, *, comment: str = "") -> AnnualReport:
    """Clerk takes back a submitted report no reviewer has acted on yet (a
    reviewer's approval or return moves it out of ``submitted``).

    Side effects: locks the report row; sets status ``draft`` (editable
    again); bumps ``version``; writes a historical record and a
    ``Transition`` with the optional reason."""
    with transaction.atomic():
        report, comment = _start(report_id, user, "withdraw", comment)
        _move(report, user, "withdraw", comment)
    return report


def approve_report(report_id, user, *, comment: str = "") -> AnnualReport:
    """Reviewer signs off a submitted report (four-eyes: not its submitter).

    Side effects: locks the report row; sets status ``approved`` (read-only
    for everyone); bumps ``version``; writes a historical record, a
    ``Transition`` and a queued ``ApprovalFiles`` job, then commits. Once
    committed, the background task (``publish.tasks.render_approval_files``)
    renders the publishable PDF and HTML from the approved content, holding no
    lock, and stores them in the archive with their SHA-256 (in-process with no
    broker configured). A render failure never undoes the approval: the job
    records it and is retried."""
    with transaction.atomic():
        report, comment = _start(report_id, user, "approve", comment)
        approval = _move(report, user, "approve", comment)
        schedule_approval_files(report, approval)
    return report


def return_report(report_id, user, *, comment: str, target: str = "") -> AnnualReport:
    """Reviewer sends a submitted report back to the clerks with a comment,
    about the whole report or attached to one section or cell (``target``: a
    narrative field name or a cell key of the report's format).

    Side effects: locks the report row; sets status ``returned`` (editable by
    the clerks again, who see the comment at the top of the edit page and
    beside its section or cell); bumps ``version``; writes a historical record
    and a ``Transition`` carrying the comment and its target."""
    target = (target or "").strip()
    with transaction.atomic():
        report, comment = _start(report_id, user, "return", comment)
        if target and not comment_target_label(report.format, target):
            raise TransitionError("意见针对的章节或单元格不存在，请重新选择。")
        _move(report, user, "return", comment, target)
    return report


def reopen_report(report_id, user, *, comment: str) -> AnnualReport:
    """Reviewer reopens an approved report as a draft, giving the reason.

    Side effects: locks the report row; if the approval's files are not stored
    yet (the background task has not run), renders and stores them first, from
    the approved content; sets status ``draft``; bumps ``version`` (so
    downloads no longer serve the old approval's files, which stay stored with
    their hashes and listed in the history); writes a historical record and a
    ``Transition`` carrying the reason."""
    with transaction.atomic():
        report, comment = _start(report_id, user, "reopen", comment)
        store_missing_files_locked(report, user)
        _move(report, user, "reopen", comment)
    return report


TRANSITION_FUNCTIONS = {
    "submit": submit_report,
    "withdraw": withdraw_report,
    "approve": approve_report,
    "return": return_report,
    "reopen": reopen_report,
}
