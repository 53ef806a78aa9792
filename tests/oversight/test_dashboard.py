"""The disclosure office's completeness dashboard: statuses, counts, filters, sort,
deadlines, exports, scoping and its constant number of queries."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from disclosure.oversight import dashboard as board_data
from disclosure.reports.models import AnnualReport, Region, Role
from disclosure.reports.services import save_values
from tests.conftest import make_agency, make_clerk, make_report, make_reviewer, make_user
from tests.review.builders import fill, set_status

pytestmark = pytest.mark.django_db

URL = reverse("oversight:dashboard")
YEAR = 2022  # deadline 2023-01-31: past
ERRORS = {"applications__new__natural_person": 2, "applications__granted__natural_person": 1}


def office(username="office_wz", region="浙江省温州市"):
    user = make_user(username, Role.OFFICE, region=region)
    client = Client()
    client.force_login(user)
    return client


def region_data():
    """Four agencies of 温州 in every state: 未开始, draft with errors, submitted, approved."""
    lucheng = make_agency(name="鹿城区民政局", region="浙江省温州市鹿城区", level="county")
    ouhai = make_agency(name="瓯海区民政局", region="浙江省温州市瓯海区", level="county")
    city = make_agency(name="温州市民政局", region="浙江省温州市", level="city")
    idle = make_agency(name="龙湾区民政局", region="浙江省温州市龙湾区", level="county")
    clerk = make_clerk(lucheng, "clerk_lc")
    clerk.first_name = "张三"
    clerk.save()
    draft = make_report(lucheng, YEAR, clerk)
    fill(draft, **ERRORS)
    submitted = make_report(ouhai, YEAR)
    fill(submitted)
    set_status(submitted, "submitted")
    approved = make_report(city, YEAR)
    fill(approved)
    set_status(approved, "approved")
    return {"draft": draft, "submitted": submitted, "approved": approved, "idle": idle}


def rows_of(response):
    return [(r.agency.name, r.status) for r in response.context["board"].rows]


def names(response):
    return [r.agency.name for r in response.context["board"].rows]


def test_statuses_counts_errors_and_links():
    data = region_data()
    make_agency(name="和平区民政局", region="天津市和平区")  # another region: not listed
    response = office().get(URL, {"year": YEAR})
    assert response.status_code == 200
    board = response.context["board"]
    by_name = {r.agency.name: r for r in board.rows}
    assert set(by_name) == {"鹿城区民政局", "瓯海区民政局", "温州市民政局", "龙湾区民政局"}
    assert by_name["龙湾区民政局"].status_label == "未开始"
    assert by_name["鹿城区民政局"].status_label == "草稿"
    assert by_name["瓯海区民政局"].status_label == "待审核"
    assert by_name["温州市民政局"].status_label == "已通过"
    assert by_name["鹿城区民政局"].errors >= 1
    assert by_name["瓯海区民政局"].errors == 0
    assert by_name["龙湾区民政局"].errors is None
    assert by_name["鹿城区民政局"].updated_by == "张三"
    assert board.counts == {"none": 1, "draft": 1, "submitted": 1, "approved": 1}
    assert board.total == 4 and board.with_errors == 1
    html = response.content.decode()
    assert reverse("reports:detail", args=[data["draft"].pk]) in html
    assert "未开始" in html and "张三" in html
    assert 'id="count-total">4<' in html


def test_default_year_is_last_year_in_shanghai():
    response = office().get(URL)
    assert response.context["filters"].year == timezone.localdate().year - 1
    assert (
        office("office2").get(URL, {"year": "abc"}).context["filters"].year == timezone.localdate().year - 1
    )


def test_filters_by_region_level_status_and_errors():
    region_data()
    client = office()
    lucheng = Region.objects.get(name="鹿城区")
    assert names(client.get(URL, {"year": YEAR, "region": lucheng.code})) == ["鹿城区民政局"]
    assert names(client.get(URL, {"year": YEAR, "level": "city"})) == ["温州市民政局"]
    assert names(client.get(URL, {"year": YEAR, "status": "none"})) == ["龙湾区民政局"]
    assert names(client.get(URL, {"year": YEAR, "status": "submitted"})) == ["瓯海区民政局"]
    assert names(client.get(URL, {"year": YEAR, "errors": "1"})) == ["鹿城区民政局"]
    # the counts stay those of every status
    board = client.get(URL, {"year": YEAR, "status": "none"}).context["board"]
    assert board.total == 4 and board.counts["approved"] == 1
    # a region outside the office's is no choice: ignored, never widens the scope
    make_agency(name="和平区民政局", region="天津市和平区")
    tianjin = Region.objects.get(name="天津市")
    assert len(names(client.get(URL, {"year": YEAR, "region": tianjin.code}))) == 4


def test_sort_by_columns_both_ways():
    region_data()
    client = office()
    assert names(client.get(URL, {"year": YEAR, "sort": "agency"})) == sorted(
        ["鹿城区民政局", "瓯海区民政局", "温州市民政局", "龙湾区民政局"]
    )
    statuses = [s for _, s in rows_of(client.get(URL, {"year": YEAR, "sort": "status"}))]
    assert statuses == ["none", "draft", "submitted", "approved"]
    statuses = [s for _, s in rows_of(client.get(URL, {"year": YEAR, "sort": "-status"}))]
    assert statuses == ["approved", "submitted", "draft", "none"]
    first = names(client.get(URL, {"year": YEAR, "sort": "-errors"}))
    assert first[0] == "鹿城区民政局" and first[-1] == "龙湾区民政局"  # no report: last either way
    assert names(client.get(URL, {"year": YEAR, "sort": "errors"}))[-1] == "龙湾区民政局"
    response = client.get(URL, {"year": YEAR, "sort": "-updated_by"})
    assert names(response)[0] == "鹿城区民政局"
    assert 'aria-sort="descending"' in response.content.decode()
    # an unknown column falls back to the default sort
    assert client.get(URL, {"year": YEAR, "sort": "password"}).context["filters"].sort == "days"


def test_deadline_overdue_and_internal_deadline():
    region_data()
    wenzhou = Region.objects.get(name="温州市")
    lucheng = Region.objects.get(name="鹿城区")
    lucheng.deadline_month, lucheng.deadline_day = 1, 15
    lucheng.save()
    today = timezone.localdate()
    response = office().get(URL, {"year": YEAR})
    by_name = {r.agency.name: r for r in response.context["board"].rows}
    assert by_name["瓯海区民政局"].deadline == datetime.date(YEAR + 1, 1, 31)
    assert by_name["鹿城区民政局"].deadline == datetime.date(YEAR + 1, 1, 15)  # its district's own
    assert by_name["瓯海区民政局"].days_left == (datetime.date(YEAR + 1, 1, 31) - today).days
    assert by_name["瓯海区民政局"].overdue and by_name["龙湾区民政局"].overdue
    assert not by_name["温州市民政局"].overdue  # approved
    html = response.content.decode()
    assert html.count('class="overdue"') == 3 and "逾期" in html
    assert response.context["board"].overdue == 3

    # the office's region sets one for every district that sets none; never later than 31 January
    wenzhou.deadline_month, wenzhou.deadline_day = 1, 20
    wenzhou.save()
    by_name = {r.agency.name: r for r in office("office2").get(URL, {"year": YEAR}).context["board"].rows}
    assert by_name["瓯海区民政局"].deadline == datetime.date(YEAR + 1, 1, 20)
    assert by_name["鹿城区民政局"].deadline == datetime.date(YEAR + 1, 1, 15)

    # this year's reports are due next January: not overdue, days left
    current = timezone.localdate().year
    rows = office("office3").get(URL, {"year": current}).context["board"].rows
    assert all(not r.overdue and r.days_left > 0 for r in rows)
    assert "剩余" in rows[0].days_text


def test_internal_deadline_clamped():
    assert board_data._internal_date(2023, 2, 30) == datetime.date(2023, 2, 28)
    assert board_data._internal_date(2023, 13, 1) is None
    assert board_data._ancestor_paths("33/3303/330302/") == ["33/", "33/3303/", "33/3303/330302/"]


def test_pages_of_200_and_counts_of_all(monkeypatch):
    monkeypatch.setattr(board_data, "PER_PAGE", 2)
    region_data()
    client = office()
    first = client.get(URL, {"year": YEAR, "sort": "agency"})
    assert len(first.context["board"].page_rows) == 2 and first.context["board"].pages == 2
    assert first.context["board"].total == 4
    second = client.get(URL, {"year": YEAR, "sort": "agency", "page": 2})
    assert [r.agency.name for r in second.context["board"].page_rows] == names(first)[2:]
    assert 'rel="prev"' in second.content.decode()


def test_csv_export_with_bom_filters_and_formula_guard():
    region_data()
    make_agency(name='=HYPERLINK("http://evil","x")', region="浙江省温州市洞头区")
    make_agency(name="@SUM(1)", region="浙江省温州市洞头区")
    response = office().get(URL, {"year": YEAR, "sort": "agency", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0][:4] == ["机关", "地区", "层级", "状态"]
    names_written = [line[0] for line in lines[1:]]
    assert '\'=HYPERLINK("http://evil","x")' in names_written and "'@SUM(1)" in names_written
    assert not any(n.startswith(("=", "@", "+", "-")) for n in names_written)
    statuses = {line[0]: line[3] for line in lines[1:]}
    assert statuses["龙湾区民政局"] == "未开始" and statuses["温州市民政局"] == "已通过"
    # the export follows the filters, every page
    filtered = office("office2").get(URL, {"year": YEAR, "status": "none", "format": "csv"})
    rows = list(csv.reader(io.StringIO(filtered.content.decode("utf-8-sig"))))[1:]
    assert sorted(r[0] for r in rows) == sorted(
        ["龙湾区民政局", '\'=HYPERLINK("http://evil","x")', "'@SUM(1)"]
    )


def test_xlsx_export_never_writes_a_formula():
    region_data()
    make_agency(name="=1+1", region="浙江省温州市洞头区")
    make_agency(name="-2+3", region="浙江省温州市洞头区")
    response = office().get(URL, {"year": YEAR, "sort": "agency", "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["机关", "地区", "层级", "状态"]
    cells = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert set(cells) >= {"=1+1", "-2+3", "鹿城区民政局"}
    for name in ("=1+1", "-2+3"):
        assert cells[name][0].data_type == "s"  # a string, not a formula
        assert cells[name][0].quotePrefix
    assert cells["鹿城区民政局"][4].value >= 1  # errors as numbers
    assert cells["龙湾区民政局"][3].value == "未开始"
    assert sheet.max_row == 1 + 6


def test_another_office_sees_none_of_these_agencies():
    region_data()
    tianjin = make_agency(name="和平区民政局", region="天津市和平区")
    response = office("office_tj", region="天津市").get(URL, {"year": YEAR})
    assert names(response) == [tianjin.name]
    assert "鹿城区" not in response.content.decode()
    exported = office("office_tj2", region="天津市").get(URL, {"year": YEAR, "format": "csv"})
    assert "鹿城区" not in exported.content.decode("utf-8-sig")
    # the sub-region select offers only the office's regions
    assert {r.name for r in response.context["filters"].regions} == {"天津市", "和平区"}


def test_superuser_sees_every_region_and_may_choose_one():
    region_data()
    make_agency(name="和平区民政局", region="天津市和平区")
    root = make_user("root", is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(root)
    assert len(names(client.get(URL, {"year": YEAR}))) == 5
    tianjin = Region.objects.get(name="天津市")
    assert names(client.get(URL, {"year": YEAR, "region": tianjin.code})) == ["和平区民政局"]
    assert 'id="nav-oversight"' in client.get(URL).content.decode()


@pytest.mark.parametrize("maker", [make_clerk, make_reviewer])
def test_clerks_and_reviewers_get_403(maker):
    agency = make_agency()
    client = Client()
    client.force_login(maker(agency, "someone"))
    response = client.get(URL)
    assert response.status_code == 403
    assert "政务公开办" in response.content.decode()
    assert client.get(URL, {"format": "csv"}).status_code == 403
    assert 'id="nav-oversight"' not in client.get(reverse("reports:list")).content.decode()


def test_anonymous_goes_to_log_in():
    response = Client().get(URL)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_office_sees_the_nav_link():
    assert 'id="nav-oversight"' in office().get(reverse("reports:list")).content.decode()


def build_agencies(count: int, status: str):
    for n in range(count):
        agency = make_agency(name=f"机关{n:03d}", region=f"浙江省温州市区{n % 3}")
        if n % 3:  # a third never started
            report = make_report(agency, YEAR)
            set_status(report, status)


@pytest.mark.parametrize("status", ["draft", "approved"])
def test_query_count_does_not_grow_with_agencies(django_assert_num_queries, status):
    build_agencies(3, status)
    client = office()
    client.get(URL, {"year": YEAR})  # the session
    with django_assert_num_queries(expected_queries(status)):
        assert client.get(URL, {"year": YEAR}).status_code == 200
    build_agencies_more(30, status)
    client.get(URL, {"year": YEAR})
    with django_assert_num_queries(expected_queries(status)):
        response = client.get(URL, {"year": YEAR})
    assert response.context["board"].total == 30


def build_agencies_more(total: int, status: str):
    for n in range(3, total):
        agency = make_agency(name=f"机关{n:03d}", region=f"浙江省温州市区{n % 3}")
        if n % 3:
            set_status(make_report(agency, YEAR), status)


def expected_queries(status: str) -> int:
    # session, user, membership, the sub-region choices, the agencies' regions, agencies,
    # reports (with their stored check counts), deadlines, the unread notifications count
    # of the navigation bar: the same for any number of agencies and any status
    return 9


def test_counts_are_stored_at_every_change_and_backfilled_once():
    build_agencies(2, "draft")  # the first never started, the second has a report
    report = AnnualReport.objects.get()
    assert None not in (report.error_count, report.warning_count)
    save_values(report, {"applications.new.natural_person": 3})  # 表三 no longer balances
    report.refresh_from_db()
    assert report.error_count > 0
    AnnualReport.objects.update(error_count=None, warning_count=None)  # counted by an older version
    client = office()
    response = client.get(URL, {"year": YEAR})
    row = next(r for r in response.context["board"].rows if r.report is not None)
    assert row.errors == report.error_count
    assert AnnualReport.objects.get().error_count == report.error_count  # stored for next time
