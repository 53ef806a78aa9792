"""Reading the record of a report: its change history (django-simple-history
records of the report and its three tables, plus transitions and stored files),
the values as they stood at a moment, and what changed since the previous
submission. Labels come from the format declaration."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from disclosure.formats import cell_key
from disclosure.formats.spec import Format
from disclosure.formats.values import display
from disclosure.publish.models import Rendition
from disclosure.reports.models import (
    TABLE_MODELS,
    AnnualReport,
    Explanation,
    Status,
    Transition,
    display_name,
)
from disclosure.reports.values import row_cells, values_from_rows
from disclosure.reports.workflow_spec import IMPORT

BLANK = "（空）"


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class Entry:
    """One line of the history page."""

    time: datetime
    user: str
    kind: str  # value / narrative / transition / rendition
    title: str
    changes: tuple[Change, ...] = ()
    comment: str = ""
    rendition: Rendition | None = None


def narrative_fields(report: AnnualReport) -> list[tuple[str, str]]:
    """(model field, label) of the report's free-text parts, in printed order."""
    meta = AnnualReport._meta
    fields = [(name, meta.get_field(name).verbose_name) for name in ("title", "preface")]
    fields += [(n.code, n.heading) for n in report.format.narratives]
    return fields


def _shown(value) -> str:
    if value is None or value == "":
        return BLANK
    return value if isinstance(value, str) else display(value)


def _user(record) -> str:
    user = record.history_user
    return display_name(user)


# ------------------------------------------------------------- value history


def _row_changes(fmt: Format, table_code: str, columns, old, new) -> tuple[Change, ...]:
    changes = []
    for column in columns:
        before = getattr(old, column) if old is not None else None
        after = getattr(new, column)
        if before != after:
            key = cell_key(table_code, new.row_code, column)
            changes.append(Change(fmt.cell_label(key), _shown(before), _shown(after)))
    return tuple(changes)


def _value_entries(report: AnnualReport) -> list[Entry]:
    fmt, entries = report.format, []
    for table_code, model in TABLE_MODELS.items():
        cells = row_cells(fmt, table_code)
        records = model.history.filter(report_id=report.pk).select_related("history_user")
        last_by_row = {}
        for record in records.order_by("history_date", "history_id"):
            previous = last_by_row.get(record.id)
            last_by_row[record.id] = record
            if record.history_type == "-" or record.row_code not in cells:
                continue
            columns = [column for column, _ in cells[record.row_code]]
            changes = _row_changes(fmt, table_code, columns, previous, record)
            if changes:
                entries.append(Entry(record.history_date, _user(record), "value", "修改数据", changes))
    return entries


def _narrative_entries(report: AnnualReport) -> list[Entry]:
    fields, entries, previous = narrative_fields(report), [], None
    records = AnnualReport.history.filter(id=report.pk).select_related("history_user")
    for record in records.order_by("history_date", "history_id"):
        changes = tuple(
            Change(label, _shown(getattr(previous, name, "")), _shown(getattr(record, name)))
            for name, label in fields
            if getattr(previous, name, "") != getattr(record, name)
        )
        previous = record
        if changes:
            entries.append(Entry(record.history_date, _user(record), "narrative", "修改文字", changes))
    return entries


def _transition_entries(report: AnnualReport) -> list[Entry]:
    return [
        Entry(
            t.created_at,
            t.actor_name,
            "transition",
            f"{t.get_action_display()}：{t.get_from_status_display()} → {t.get_to_status_display()}",
            comment=t.comment,
        )
        for t in Transition.objects.filter(report=report)
    ]


def _rendition_entries(report: AnnualReport) -> list[Entry]:
    entries = []
    for r in Rendition.objects.filter(report=report).select_related("created_by").defer("content"):
        how = "首次下载时生成并存档（导入的已通过报告）" if r.backfilled else "审核通过时生成并存档"
        user = display_name(r.created_by)
        title = f"{how}：{r.get_kind_display()}（第{r.version}版）"
        entries.append(Entry(r.created_at, user, "rendition", title, rendition=r))
    return entries


def _merge_saves(chronological: list[Entry]) -> list[Entry]:
    """One entry per save: value changes of the same user, each within a second
    of the previous one, with nothing else in between, are the rows of one save."""
    merged: list[Entry] = []
    previous = None
    for entry in chronological:
        if (
            previous is not None
            and entry.kind == previous.kind == merged[-1].kind == "value"
            and entry.user == previous.user
            and (entry.time - previous.time).total_seconds() < 1
        ):
            last = merged[-1]
            merged[-1] = Entry(last.time, last.user, "value", last.title, last.changes + entry.changes)
        else:
            merged.append(entry)
        previous = entry
    return merged


KIND_ORDER = {"rendition": 0, "transition": 1, "narrative": 2, "value": 3}


def _reason_label(check: str) -> str:
    return f"警告说明（{check}）"


def _explanation_entries(report: AnnualReport) -> list[Entry]:
    """Each reason given, changed or withdrawn for a warning."""
    found, last = [], {}
    records = Explanation.history.filter(report_id=report.pk).select_related("history_user")
    for record in records.order_by("history_date", "history_id"):
        before = last.get(record.id)
        last[record.id] = record
        after = "" if record.history_type == "-" else record.text
        change = Change(_reason_label(record.check_id), _shown(before.text if before else ""), _shown(after))
        found.append(Entry(record.history_date, _user(record), "narrative", "修改警告说明", (change,)))
    return found


def entries(report: AnnualReport) -> list[Entry]:
    """Every change of every value, narrative and warning's reason, every
    transition and every stored file, newest first."""
    everything = (
        _value_entries(report)
        + _narrative_entries(report)
        + _explanation_entries(report)
        + _transition_entries(report)
        + _rendition_entries(report)
    )
    # At the same instant a transition shows above the save it caused (newest first).
    chronological = sorted(everything, key=lambda e: (e.time, -KIND_ORDER[e.kind]))
    return list(reversed(_merge_saves(chronological)))


# ----------------------------------------------------------- state at a time


def values_as_of(report: AnnualReport, when: datetime) -> dict:
    """The report's cells as they stood at ``when`` (from the historical records;
    one query per table, reads only)."""
    fmt, standing = report.format, {}
    for table in fmt.tables:
        latest = {}
        records = TABLE_MODELS[table.code].history.filter(report_id=report.pk, history_date__lte=when)
        for record in records.order_by("history_date", "history_id"):
            latest[record.id] = record
        standing[table.code] = [r for r in latest.values() if r.history_type != "-"]
    return values_from_rows(fmt, standing)


def narratives_as_of(report: AnnualReport, when: datetime) -> dict:
    record = (
        AnnualReport.history.filter(id=report.pk, history_date__lte=when)
        .order_by("-history_date", "-history_id")
        .first()
    )
    return {name: getattr(record, name, "") if record else "" for name, _ in narrative_fields(report)}


def previous_submission(report: AnnualReport) -> Transition | None:
    """The submission the current content is compared with: while submitted or
    approved, the one before the latest; while being edited, the latest."""
    submits = Transition.objects.filter(report=report, action="submit").order_by("-created_at", "-pk")
    skip = 1 if report.status in (Status.SUBMITTED, Status.APPROVED) else 0
    return submits[skip : skip + 1].first()


def changes_since_previous_submission(report: AnnualReport, values: dict) -> tuple[Transition, list] | None:
    """(the previous submission, each changed cell and narrative section with
    old and new), or None when there was no previous submission."""
    baseline = previous_submission(report)
    if baseline is None:
        return None
    fmt, changes = report.format, []
    before = values_as_of(report, baseline.created_at)
    for key in fmt.cell_keys():
        if before.get(key) != values.get(key):
            changes.append(Change(fmt.cell_label(key), _shown(before.get(key)), _shown(values.get(key))))
    old_text = narratives_as_of(report, baseline.created_at)
    for name, label in narrative_fields(report):
        if old_text[name] != getattr(report, name):
            changes.append(Change(label, _shown(old_text[name]), _shown(getattr(report, name))))
    old_reasons, reasons = explanations_as_of(report, baseline.created_at), explanations_as_of(report, None)
    for check in sorted(set(old_reasons) | set(reasons)):
        if old_reasons.get(check, "") != reasons.get(check, ""):
            label = _reason_label(check)
            changes.append(Change(label, _shown(old_reasons.get(check, "")), _shown(reasons.get(check, ""))))
    return baseline, changes


def explanations_as_of(report: AnnualReport, when: datetime | None) -> dict[str, str]:
    """The warnings' reasons (check id → text) as they stood at ``when`` (now when None)."""
    records = Explanation.history.filter(report_id=report.pk)
    if when is not None:
        records = records.filter(history_date__lte=when)
    latest = {}
    for record in records.order_by("history_date", "history_id"):
        latest[record.check_id] = "" if record.history_type == "-" else record.text
    return {check: text for check, text in latest.items() if text}


# ------------------------------------------------------------ read-only view


def comments(report: AnnualReport) -> list[Transition]:
    """The transitions that carry a comment, newest first."""
    return list(Transition.objects.filter(report=report).exclude(comment="").exclude(action=IMPORT))
