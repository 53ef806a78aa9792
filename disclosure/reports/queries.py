"""The report list's reads: which reports a user sees, which years a clerk may
start, and each report's check summary. The number of queries does not grow
with the number of reports listed."""

from __future__ import annotations

from django.utils import timezone

from disclosure.formats import FORMATS
from disclosure.formats.checks import evaluate

from . import access
from .models import AnnualReport
from .record import current_returns
from .services import blank_cells
from .values import load_many

FIRST_YEAR = min(f.first_year for f in FORMATS.values())  # no format, no report before it
MAX_LIST_SHOWN = 200


def listed_reports(user) -> list[AnnualReport]:
    """The newest ``MAX_LIST_SHOWN`` reports the user may read (one query, agencies joined)."""
    return list(access.reports_for_user(user).order_by("-year", "agency__name")[:MAX_LIST_SHOWN])


def startable_years(user, reports) -> list[int]:
    """The years, newest first, for which ``user`` may start their agency's
    report: none unless a clerk; ``reports`` must include the agency's existing ones."""
    m = access.membership(user)
    if m is None or not access.can_start(user, m.agency_id):
        return []
    taken = {r.year for r in reports if r.agency_id == m.agency_id}
    last = timezone.localdate().year
    return [y for y in range(last, FIRST_YEAR - 1, -1) if y not in taken]


def previous_reports(reports) -> dict[int, AnnualReport]:
    """Report pk → the same agency's report of the year before, where there is one (one query)."""
    wanted = {(r.agency_id, r.year - 1) for r in reports}
    if not wanted:
        return {}
    # agencies × years may match more than wanted; the dict keeps only the pairs asked for
    found = AnnualReport.objects.filter(agency_id__in={a for a, _ in wanted}, year__in={y for _, y in wanted})
    by_pair = {(p.agency_id, p.year): p for p in found}
    return {r.pk: by_pair[key] for r in reports if (key := (r.agency_id, r.year - 1)) in by_pair}


def summaries(user, reports) -> list[dict]:
    """Each report with its failing error and warning counts, its blank cells,
    the current return comment and whether ``user`` may edit it: one query for
    the previous years' reports, one per table and one for the returns."""
    previous = previous_reports(reports)
    values = load_many([*reports, *previous.values()])
    returns = current_returns(reports)
    rows = []
    for report in reports:
        prev = previous.get(report.pk)
        findings = evaluate(report.format, values[report.pk], values[prev.pk] if prev else None)
        rows.append(
            {
                "report": report,
                "errors": sum(f.severity == "error" for f in findings),
                "warnings": sum(f.severity == "warning" for f in findings),
                "blanks": len(blank_cells(report.format, values[report.pk])),
                "can_edit": access.can_edit(user, report),
                "return_comment": returns.get(report.pk),
            }
        )
    return rows
