"""The completeness dashboard of a regional disclosure office (政务公开办): every agency
of the office's region and the regions below it, with its report's state for a year,
its check counts, its last change and the days left until (or past) its deadline.

The reads do not grow with the number of agencies: the office's membership, the
regions (the sub-region select and the internal deadlines), the agencies, their
reports of the year (last editor joined), the previous year's reports and, for the
reports whose counts are not cached, one query per table (``values.load_many``)."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone

from disclosure.formats import FORMATS
from disclosure.reports import access
from disclosure.reports.models import Agency, AnnualReport, Region
from disclosure.reports.services import numeric_counts
from disclosure.reports.values import load_many
from disclosure.reports.workflow_spec import RECORD_STATUS, Status

FIRST_YEAR = min(f.first_year for f in FORMATS.values())
PER_PAGE = 200
NOT_STARTED = "none"
NOT_STARTED_LABEL = "未开始"
STATUS_CHOICES = [(NOT_STARTED, NOT_STARTED_LABEL), *Status.choices]
STATUS_LABELS = dict(STATUS_CHOICES)
LEVEL_CHOICES = Agency._meta.get_field("level").choices
LEVEL_LABELS = dict(LEVEL_CHOICES)
# the statutory deadline (条例 第五十条): 31 January of the following year
STATUTORY_MONTH, STATUTORY_DAY = 1, 31

# sort key → (column heading, how a row sorts); None values sort last in either direction
COLUMNS = {
    "agency": ("机关", lambda r: r.agency.name),
    "region": ("地区", lambda r: r.region_name),
    "level": ("层级", lambda r: r.level_label or None),
    "status": ("状态", lambda r: r.status_order),
    "errors": ("错误", lambda r: r.errors),
    "warnings": ("警告", lambda r: r.warnings),
    "updated": ("最后修改", lambda r: r.updated_at),
    "updated_by": ("修改人", lambda r: r.updated_by or None),
    "days": ("距截止日", lambda r: r.days_left),
}
DEFAULT_SORT = "days"
STATUS_ORDER = {code: n for n, (code, _) in enumerate(STATUS_CHOICES)}


@dataclass
class Row:
    agency: AgencyRef
    report: ReportRef | None
    deadline: datetime.date
    days_left: int
    errors: int | None = None
    warnings: int | None = None

    @property
    def status(self) -> str:
        return self.report.status if self.report else NOT_STARTED

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def status_order(self) -> int:
        return STATUS_ORDER[self.status]

    @property
    def region_name(self) -> str:
        return self.agency.region.full_name if self.agency.region else ""

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS.get(self.agency.level, "")

    @property
    def updated_at(self):
        return self.report.updated_at if self.report else None

    @property
    def updated_by(self) -> str:
        return self.report.updated_by if self.report else ""

    @property
    def overdue(self) -> bool:
        return self.days_left < 0 and self.status != RECORD_STATUS

    @property
    def days_text(self) -> str:
        if self.days_left > 0:
            return f"剩余 {self.days_left} 天"
        if self.days_left == 0:
            return "今天截止"
        return f"已过 {-self.days_left} 天"


@dataclass
class Filters:
    """The page's query parameters, validated (anything unknown falls back to the default)."""

    year: int
    region: Region | None = None
    level: str = ""
    status: str = ""
    errors: bool = False
    sort: str = DEFAULT_SORT
    descending: bool = False
    page: int = 1
    regions: list[Region] = field(default_factory=list)  # the choices of the sub-region select

    def query(self, **changes) -> str:
        """The query string of these filters with ``changes`` (None drops a parameter)."""
        params = {
            "year": self.year,
            "region": self.region.code if self.region else None,
            "level": self.level or None,
            "status": self.status or None,
            "errors": "1" if self.errors else None,
            "sort": ("-" if self.descending else "") + self.sort,
        }
        params.update(changes)
        q = QueryDict(mutable=True)
        for key, value in params.items():
            if value not in (None, ""):
                q[key] = str(value)
        return q.urlencode()


def current_year() -> int:
    """The year now being reported: last year, in Asia/Shanghai (the project's time zone)."""
    return timezone.localdate().year - 1


def years() -> list[int]:
    return list(range(timezone.localdate().year, FIRST_YEAR - 1, -1))


def scope_region(user) -> Region | None:
    """The office's region; None for a superuser (every region)."""
    return None if user.is_superuser else access.office_region(user)


def parse_filters(user, params) -> Filters:
    """The filters of ``params`` (a QueryDict); one query for the regions the user may choose."""
    year = _int(params.get("year"), current_year())
    if year not in years():
        year = current_year()
    root = scope_region(user)
    regions = list(Region.objects.filter(path__startswith=root.path) if root else Region.objects.all())
    chosen = next((r for r in regions if r.code == params.get("region")), None)
    level = params.get("level", "")
    status = params.get("status", "")
    sort = params.get("sort", "") or DEFAULT_SORT
    descending = sort.startswith("-")
    sort = sort.removeprefix("-")
    if sort not in COLUMNS:
        sort, descending = DEFAULT_SORT, False
    return Filters(
        year=year,
        region=chosen,
        level=level if level in LEVEL_LABELS else "",
        status=status if status in STATUS_LABELS else "",
        errors=params.get("errors") == "1",
        sort=sort,
        descending=descending,
        page=max(_int(params.get("page"), 1), 1),
        regions=regions,
    )


def _int(text, default: int) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        return default


@dataclass
class Dashboard:
    filters: Filters
    rows: list[Row]  # filtered and sorted, every page
    counts: dict[str, int]  # status → agencies, before the status and error filters
    total: int  # agencies before the status and error filters
    overdue: int
    with_errors: int

    @property
    def pages(self) -> int:
        return max((len(self.rows) + PER_PAGE - 1) // PER_PAGE, 1)

    @property
    def page(self) -> int:
        return min(self.filters.page, self.pages)

    @property
    def page_rows(self) -> list[Row]:
        start = (self.page - 1) * PER_PAGE
        return self.rows[start : start + PER_PAGE]

    @property
    def status_counts(self) -> list[tuple[str, str, int]]:
        return [(code, label, self.counts.get(code, 0)) for code, label in STATUS_CHOICES]


@dataclass(slots=True)
class AgencyRef:
    """What a dashboard row shows of an agency (read as values: thousands of rows)."""

    pk: int
    name: str
    level: str
    region: Region | None

    @property
    def region_id(self):
        return self.region.pk if self.region else None


@dataclass(slots=True)
class ReportRef:
    """What a dashboard row shows of a report, with its stored check counts."""

    pk: int
    status: str
    updated_at: datetime.datetime
    updated_by: str  # display name, "" when nobody is recorded
    error_count: int | None
    warning_count: int | None


def build(user, filters: Filters) -> Dashboard:
    """Every agency the user oversees (narrowed by the sub-region and level filters),
    with its row; counted, then filtered by status and errors, then sorted."""
    agencies = access.agencies_for_user(user)
    if filters.region is not None:
        agencies = agencies.filter(region__path__startswith=filters.region.path)
    if filters.level:
        agencies = agencies.filter(level=filters.level)
    regions = {r.pk: r for r in Region.objects.filter(pk__in=agencies.values("region_id"))}
    refs = [
        AgencyRef(pk, name, level, regions.get(region_id))
        for pk, name, level, region_id in agencies.order_by("name").values_list(
            "id", "name", "level", "region_id"
        )
    ]
    reports = {
        agency_id: ReportRef(pk, status, updated, _shown_name(first, last, username), errors, warnings)
        for pk, agency_id, status, updated, first, last, username, errors, warnings in AnnualReport.objects.filter(
            agency__in=agencies, year=filters.year
        ).values_list(
            "id",
            "agency_id",
            "status",
            "updated_at",
            "updated_by__first_name",
            "updated_by__last_name",
            "updated_by__username",
            "error_count",
            "warning_count",
        )
    }
    deadlines = deadline_finder(filters.year, scope_region(user))
    today = timezone.localdate()
    rows = []
    for agency in refs:
        deadline = deadlines(agency.region)
        rows.append(Row(agency, reports.get(agency.pk), deadline, (deadline - today).days))
    count_findings([r for r in rows if r.report is not None], filters.year)

    counts = Counter(r.status for r in rows)
    overdue = sum(r.overdue for r in rows)
    with_errors = sum(bool(r.errors) for r in rows)
    total = len(rows)
    if filters.status:
        rows = [r for r in rows if r.status == filters.status]
    if filters.errors:
        rows = [r for r in rows if r.errors]
    return Dashboard(filters, sort_rows(rows, filters), dict(counts), total, overdue, with_errors)


def sort_rows(rows: list[Row], filters: Filters) -> list[Row]:
    """Sorted by the chosen column (blank values last either way), then by agency name."""
    key = COLUMNS[filters.sort][1]
    rows = sorted(rows, key=lambda r: r.agency.name)
    present = [r for r in rows if key(r) is not None]
    blank = [r for r in rows if key(r) is None]
    return sorted(present, key=key, reverse=filters.descending) + blank


def deadline_finder(year: int, root: Region | None):
    """A function region → the deadline of the agencies of that region for ``year``'s
    report: 31 January of the following year, or the earlier internal deadline set by
    the nearest region up the tree that sets one (one query)."""
    statutory = datetime.date(year + 1, STATUTORY_MONTH, STATUTORY_DAY)
    setting = Region.objects.filter(deadline_month__isnull=False, deadline_day__isnull=False)
    if root is not None:
        setting = setting.filter(Q(path__startswith=root.path) | Q(path__in=_ancestor_paths(root.path)))
    internal = {
        r.path: _internal_date(year + 1, r.deadline_month, r.deadline_day)
        for r in setting.only("path", "deadline_month", "deadline_day")
    }
    found: dict[str, datetime.date] = {}

    def deadline(region: Region | None) -> datetime.date:
        if region is None or not internal:
            return statutory
        if region.path not in found:
            own = next((internal[p] for p in reversed(_ancestor_paths(region.path)) if p in internal), None)
            found[region.path] = min(own, statutory) if own else statutory
        return found[region.path]

    return deadline


def _ancestor_paths(path: str) -> list[str]:
    """The paths of a region and every region above it, top first ("33/", "33/3303/", …)."""
    codes = [c for c in path.split("/") if c]
    return ["".join(f"{c}/" for c in codes[: n + 1]) for n in range(len(codes))]


def _internal_date(year: int, month: int, day: int) -> datetime.date | None:
    if not 1 <= month <= 12 or day < 1:
        return None
    for last in (day, 31, 30, 29, 28):  # 2月30日 is the end of February
        if last <= day:
            try:
                return datetime.date(year, month, last)
            except ValueError:
                continue
    return None


def count_findings(rows: list[Row], year: int) -> None:
    """Each row's error and warning counts: the counts stored on the report at its last
    change (``services.refresh_counts``); a report counted never before (saved by an
    older version) is counted now, as the report list counts, and stored for next time."""
    missing = [row for row in rows if row.report.error_count is None]
    for row in rows:
        row.errors, row.warnings = row.report.error_count, row.report.warning_count
    if not missing:
        return
    reports = AnnualReport.objects.in_bulk([row.report.pk for row in missing])
    previous = {
        p.agency_id: p
        for p in AnnualReport.objects.filter(agency_id__in=[r.agency.pk for r in missing], year=year - 1)
    }
    values = load_many(list(reports.values()) + list(previous.values()))
    for row in missing:
        report, prev = reports[row.report.pk], previous.get(row.agency.pk)
        row.errors, row.warnings = numeric_counts(
            report, values[report.pk], values[prev.pk] if prev else None
        )
        report.error_count, report.warning_count = row.errors, row.warnings
    AnnualReport.objects.bulk_update(list(reports.values()), ["error_count", "warning_count"], batch_size=500)


def _shown_name(first: str | None, last: str | None, username: str | None) -> str:
    """``display_name`` from the columns read (full name, else the log-in name)."""
    if username is None:
        return ""
    return f"{first or ''} {last or ''}".strip() or username


# The export's columns: heading → the row's value.
EXPORT_COLUMNS = (
    ("机关", lambda r: r.agency.name),
    ("地区", lambda r: r.region_name),
    ("层级", lambda r: r.level_label),
    ("状态", lambda r: r.status_label),
    ("错误", lambda r: r.errors),
    ("警告", lambda r: r.warnings),
    (
        "最后修改",
        lambda r: timezone.localtime(r.updated_at).strftime("%Y-%m-%d %H:%M") if r.updated_at else "",
    ),
    ("修改人", lambda r: r.updated_by),
    ("截止日期", lambda r: r.deadline.isoformat()),
    ("距截止日（天）", lambda r: r.days_left),
    ("逾期", lambda r: "逾期" if r.overdue else ""),
)


def export_table(board: Dashboard) -> tuple[list[str], list[list]]:
    """The headings and every row (all pages) of the filtered, sorted dashboard."""
    return [h for h, _ in EXPORT_COLUMNS], [[value(r) for _, value in EXPORT_COLUMNS] for r in board.rows]
