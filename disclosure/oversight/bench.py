"""Benchmark of the disclosure office's pages, for ``python manage.py bench``.

Runs in a throw-away test database (``create_test_db``, like ``reports.bench``): one
region (浙江省 › 温州市 › 20 districts) with first 30, then 3,000 agencies, each with an
approved report of ``YEAR`` and every table row filled (bulk inserts). Each page of
``PAGES`` is measured at both sizes as the region's office sees it:
- ``<page>_queries_30`` and ``<page>_queries``: its query count at 30 and 3,000 agencies
  (they must be equal);
- ``<page>_ms``: its median server time (Django test client) at 3,000 agencies;
- ``<page>_cold_ms``: the first request after the 3,000 were inserted (nothing cached).

A new page is one more entry in ``PAGES``: (figure name, URL builder, what it is called)."""

from __future__ import annotations

import functools
import statistics
import time

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from disclosure.formats import format_for_year
from disclosure.formats.checks import compute_totals
from disclosure.reports.bench import insert_rows, throwaway_database
from disclosure.reports.models import Agency, AnnualReport, Membership, Region, Role, Status

YEAR = 2023
SMALL, LARGE = 30, 3000
RUNS = 15
TARGETS_MS = {"dashboard": 200, "rollup": 300}


def dashboard_url() -> str:
    return f"{reverse('oversight:dashboard')}?year={YEAR}"


def rollup_url() -> str:
    """The region's roll-up page (figures ``rollup_ms``, ``rollup_queries``, ``rollup_queries_30``;
    target ≤ 300 ms at 3,000 agencies on PostgreSQL)."""
    return reverse("oversight:rollup", args=[YEAR])


# (figure name, the URL to measure, the page's name as printed)
PAGES = (("dashboard", dashboard_url, "报送情况总览"), ("rollup", rollup_url, "本地区汇总表"))


def bench_figures(stdout) -> dict:
    with throwaway_database():
        return measure_pages(stdout, PAGES)


def measure_pages(stdout, pages) -> dict:
    """Builds the region once, and measures every page at ``SMALL`` and ``LARGE`` agencies."""
    client = office_client()
    populate(0, SMALL)
    small = {name: queries(client, url()) for name, url, _ in pages}
    populate(SMALL, LARGE)
    figures = {}
    for name, url, label in pages:
        get = functools.partial(client.get, url())
        cold_ms = timed(get)
        large = queries(client, url())
        page_ms = statistics.median(timed(get) for _ in range(RUNS))
        stdout.write(
            f"{label}查询次数：{SMALL} 个机关时 {small[name]} 次，{LARGE} 个机关时 {large} 次；"
            f"服务器耗时（{LARGE} 个机关，中位数，{RUNS} 次）：{page_ms:.1f} ms（目标 ≤ {TARGETS_MS[name]} ms），"
            f"首次请求 {cold_ms:.1f} ms"  # the dashboard counts the bulk-inserted reports then, once
        )
        figures.update(
            {
                f"{name}_ms": round(page_ms, 2),
                f"{name}_cold_ms": round(cold_ms, 2),
                f"{name}_queries": large,
                f"{name}_queries_30": small[name],
            }
        )
    return figures


def office_client() -> Client:
    user = get_user_model().objects.create_user("bench_office")
    Membership.objects.create(user=user, role=Role.OFFICE, region=Region.from_names("基准省基准市"))
    client = Client()
    client.force_login(user)
    return client


def populate(first: int, last: int) -> list[Agency]:
    """Agencies ``first``…``last - 1`` of 20 districts, each with an approved, fully
    filled report of ``YEAR`` (bulk inserts: agencies, reports, every table row)."""
    districts = [Region.from_names(f"基准省基准市基准{n:02d}区") for n in range(20)]
    levels = ("county", "township", "city")
    agencies = Agency.objects.bulk_create(
        Agency(name=f"基准机关{n:05d}", region=districts[n % 20], level=levels[n % 3])
        for n in range(first, last)
    )
    reports = AnnualReport.objects.bulk_create(
        AnnualReport(agency=a, year=YEAR, status=Status.APPROVED) for a in agencies
    )
    fmt = format_for_year(YEAR)
    insert_rows(
        reports,
        lambda report: compute_totals(
            fmt, {key: (report.agency_id + n) % 7 for n, key in enumerate(fmt.input_keys())}
        ),
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # the planner's statistics after a bulk load, as autovacuum's analyze soon gives them:
            # without them PostgreSQL takes 3,000 reports for one and joins row by row
            cursor.execute("ANALYZE")
    return agencies


def queries(client, url: str) -> int:
    client.get(url)  # warm (templates, cached counts)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(captured)


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000
