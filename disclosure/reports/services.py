"""Domain functions on reports: reading and writing cell values, starting a
report, and checking it. Views, commands and the importer call these."""

from __future__ import annotations

from django.db import DatabaseError, transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from disclosure.formats import cell_key
from disclosure.formats.checks import Finding, evaluate, prefill_values
from disclosure.formats.spec import Format, Severity
from disclosure.formats.structure import Outline
from disclosure.formats.whole import check_whole

from .models import TABLE_MODELS, Agency, AnnualReport, Explanation, RecordLocked, stored_as_record
from .values import load_many, load_values  # the one loader (reports.values); callers may import it from here


def ensure_rows(report: AnnualReport) -> None:
    """Create the report's empty table rows (one per template row) if missing.

    Side effects: inserts rows into the three table models."""
    for table in report.format.tables:
        model = TABLE_MODELS[table.code]
        existing = set(model.objects.filter(report=report).values_list("row_code", flat=True))
        model.objects.bulk_create(
            model(report=report, row_code=row.code, position=index)
            for index, (_, row) in enumerate(table.rows())
            if row.code not in existing
        )


@transaction.atomic
def save_values(report: AnnualReport, values: dict) -> list[str]:
    """Store ``values`` (a subset of cells may be given); returns the changed keys.

    Side effects: creates missing rows; updates the changed rows of each table
    in one bulk update and writes one history record per changed row
    (django-simple-history, with the request's user). Refused (``RecordLocked``)
    for a report stored as approved: the statutory record never changes."""
    if stored_as_record(report.pk):
        raise RecordLocked()
    ensure_rows(report)
    changed = []
    for table in report.format.tables:
        model = TABLE_MODELS[table.code]
        rows = {r.row_code: r for r in model.objects.filter(report=report)}
        dirty, fields = [], set()
        for group, row in table.rows():
            instance, row_changed = rows[row.code], False
            for column in group.columns:
                key = cell_key(table.code, row.code, column.code)
                if key in values and getattr(instance, column.code) != values[key]:
                    setattr(instance, column.code, values[key])
                    fields.add(column.code)
                    changed.append(key)
                    row_changed = True
            if row_changed:
                dirty.append(instance)
        if dirty:
            bulk_update_with_history(dirty, model, sorted(fields))
    if changed:
        refresh_counts(report)
    return changed


def numeric_counts(report: AnnualReport, values: dict, previous: dict | None) -> tuple[int, int]:
    """(errors, warnings) of the numeric rules, as the report list and dashboard count them."""
    findings = evaluate(report.format, values, previous)
    errors = sum(f.severity == Severity.ERROR for f in findings)
    return errors, len(findings) - errors


def refresh_counts(report: AnnualReport) -> None:
    """Store the report's check counts, and those of the next year's report of the same
    agency (its cross-year rules read this one).

    Side effects: updates ``error_count``/``warning_count`` of up to two reports with a
    queryset update (no history record: the counts are derived, not content)."""
    following = AnnualReport.objects.filter(agency_id=report.agency_id, year=report.year + 1).first()
    previous = previous_report(report)
    values = load_many([r for r in (previous, report, following) if r is not None])
    for current, before in ((report, previous), (following, report)):
        if current is None:
            continue
        errors, warnings = numeric_counts(current, values[current.pk], values[before.pk] if before else None)
        AnnualReport.objects.filter(pk=current.pk).update(error_count=errors, warning_count=warnings)
        current.error_count, current.warning_count = errors, warnings


def previous_report(report: AnnualReport) -> AnnualReport | None:
    return AnnualReport.objects.filter(agency_id=report.agency_id, year=report.year - 1).first()


def previous_values(report: AnnualReport) -> dict | None:
    """The previous year's report's cells, or None when there is none (reads only)."""
    previous = previous_report(report)
    return load_values(previous) if previous else None


def outline(report: AnnualReport) -> Outline:
    """What the structure and narrative checks read of a typed report."""
    return Outline(
        title=report.display_title,
        year=report.year,
        narratives={n.code: getattr(report, n.code) for n in report.format.narratives},
        preface=report.preface,
    )


def check_report(report: AnnualReport, values: dict | None = None, *, blanks: str = "zero") -> list[Finding]:
    """Every finding of the report: the numeric rules (with the previous year's report
    for cross-year rules), the structure rules and the narrative ↔ table checks.

    ``blanks``: the engine's blank policy, ``"zero"`` for a report being typed, ``"unknown"``
    for a published one (a rule reading a blank cell is a warning, not an error). T2-3 is
    checked when the agency's level is known."""
    if values is None:
        values = load_values(report)
    return check_whole(
        report.format,
        values,
        previous_values(report),
        outline(report),
        blanks=blanks,
        maker_of_rules=report.agency.maker_of_rules,
    )


EXPLANATION_MAX_CHARS = 2000  # a short reason, not a second report
UNEXPLAINABLE = frozenset({"S-1"})


def check_parsed(parsed) -> tuple[list[Finding], AnnualReport | None]:
    """Every finding of a published report read by an importer (a ``ParsedReport``):
    blank cells are "not reported"; cross-year rules read the same agency's saved
    report of the year before and T2-3 the agency's saved level, when the database
    has them. Returns (findings, the previous report used or None)."""
    try:
        previous = AnnualReport.objects.filter(agency__name=parsed.agency_name, year=parsed.year - 1).first()
        agency = Agency.objects.filter(name=parsed.agency_name).first()
    except DatabaseError:  # no database yet: the file is checked on its own
        previous, agency = None, None
    findings = check_whole(
        parsed.format,
        parsed.values,
        load_values(previous) if previous else None,
        parsed.outline,
        blanks="unknown",
        maker_of_rules=agency.maker_of_rules if agency else None,
    )
    return findings, previous


def explanations(report: AnnualReport) -> dict[str, Explanation]:
    """The clerk's reasons for warnings, by check id."""
    return {e.check_id: e for e in Explanation.objects.filter(report=report).select_related("updated_by")}


def unexplained_warnings(findings, explained: dict) -> list[Finding]:
    """The warnings that carry no reason yet (a warning must be fixed or explained to submit).
    A missing section (S-1) is not among them: it cannot be explained away, submitting
    refuses it outright."""
    return [
        f
        for f in findings
        if f.severity == Severity.WARNING
        and f.rule not in UNEXPLAINABLE
        and not getattr(explained.get(f.check), "text", "")
    ]


def warning_rows(findings, explained: dict) -> list[dict]:
    """Each warning with the clerk's reason (or None), for the pages that list them."""
    return [
        {"finding": f, "explanation": explained.get(f.check), "explainable": f.rule not in UNEXPLAINABLE}
        for f in findings
        if f.severity == Severity.WARNING
    ]


@transaction.atomic
def explain(report: AnnualReport, reasons: dict[str, str], user) -> list[str]:
    """Store the clerk's reasons (check id → text; an empty text removes the reason);
    returns the check ids changed.

    Side effects: creates, updates or deletes ``Explanation`` rows (with history
    naming ``user``); refused (``RecordLocked``) for an approved report."""
    if stored_as_record(report.pk):
        raise RecordLocked()
    stored = explanations(report)
    changed = []
    for check, text in reasons.items():
        text = text.strip()[:EXPLANATION_MAX_CHARS]
        current = stored.get(check)
        if current is not None and not text:
            current._history_user = user
            current.delete()
        elif current is None and text:
            Explanation(report=report, check_id=check, text=text, updated_by=user).save()
        elif current is not None and current.text != text:
            current.text, current.updated_by, current._history_user = text, user, user
            current.save()
        else:
            continue
        changed.append(check)
    if changed:  # the page headers name whoever made the last change, of any kind
        AnnualReport.objects.filter(pk=report.pk).update(updated_by=user, updated_at=timezone.now())
    return changed


def blank_cells(fmt: Format, values: dict) -> list[str]:
    """Cells the clerk must still fill (computed totals excluded)."""
    return [key for key in fmt.input_keys() if values.get(key) is None]


def default_preface(agency: Agency, year: int) -> str:
    """The customary opening paragraph, from the agency's contact details."""
    parts = [
        f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）第五十条的规定编制，"
        f"全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
        f"政府信息公开行政复议、行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六个部分。"
        f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
    ]
    if agency.website:
        parts.append(f"本报告电子版可在{agency.website}下载。")
    contact = [
        f"{label}：{value}"
        for label, value in (("地址", agency.address), ("邮编", agency.postcode), ("电话", agency.phone))
        if value
    ]
    if contact:
        parts.append(f"如对本报告有疑问，请与{agency.name}联系（{'，'.join(contact)}）。")
    return "".join(parts)


@transaction.atomic
def start_report(agency: Agency, year: int, user=None) -> AnnualReport:
    """Create the agency's report for ``year`` in the year's format, pre-filled.

    Side effects: inserts the report and its empty table rows; copies the
    values the template carries over from last year's report (上年结转 from
    结转下年度继续办理), fills the cells the format pre-fills from a rule
    (``Format.prefill_from``: in 2021+ 现行有效件数 = 上年现行有效件数 + 本年制发件数
    − 本年废止件数, the operands as they stand, blank as 0) and writes the
    opening paragraph from the agency's contact details."""
    report = AnnualReport.objects.create(
        agency=agency, year=year, preface=default_preface(agency, year), updated_by=user
    )
    ensure_rows(report)
    previous = previous_values(report)
    if previous:
        carried = {
            key: previous.get(prev_key)
            for key, prev_key in report.format.carry_over
            if previous.get(prev_key) is not None
        }
        # cells declared as pre-filled from a rule (2021+: 现行有效件数 = 上年现行有效件数
        # + 本年制发件数 − 本年废止件数), computed over what was just carried over
        suggested = prefill_values(report.format, carried, previous)
        carried.update({key: value for key, value in suggested.items() if key not in carried})
        save_values(report, carried)
    if report.error_count is None:  # nothing carried over: count the empty report
        refresh_counts(report)
    return report
