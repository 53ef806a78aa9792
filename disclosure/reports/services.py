"""Domain functions on reports: reading and writing cell values, starting a
report, and checking it. Views, commands and the importer call these."""

from __future__ import annotations

from django.db import transaction
from simple_history.utils import bulk_update_with_history

from disclosure.formats import cell_key
from disclosure.formats.checks import Finding, evaluate
from disclosure.formats.spec import Format

from .models import TABLE_MODELS, Agency, AnnualReport, RecordLocked, stored_as_record
from .values import load_values  # the one loader (reports.values); callers may import it from here


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
    return changed


def previous_report(report: AnnualReport) -> AnnualReport | None:
    return AnnualReport.objects.filter(agency_id=report.agency_id, year=report.year - 1).first()


def previous_values(report: AnnualReport) -> dict | None:
    """The previous year's report's cells, or None when there is none (reads only)."""
    previous = previous_report(report)
    return load_values(previous) if previous else None


def check_report(report: AnnualReport, values: dict | None = None) -> list[Finding]:
    """Every failing rule of the report (with the previous year's report for cross-year rules)."""
    if values is None:
        values = load_values(report)
    return evaluate(report.format, values, previous_values(report))


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
    结转下年度继续办理, and in 2021+ the 现行有效件数 baseline) and writes the
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
        save_values(report, carried)
    return report
