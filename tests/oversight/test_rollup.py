"""The region's roll-up (汇总): sums in the database equal the sums of the parts,
blanks and money kept exact, the checks hold on sums of valid reports, the
drill-down stays inside the user's region, and every download reads back."""

import io
import json
import random
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from disclosure.formats import Kind, Severity, format_for_year
from disclosure.formats.checks import compute_totals, evaluate
from disclosure.formats.layout import LabelCell, table_grid
from disclosure.oversight.rollup import XLSX_FIRST_ROW, Rollup, contributions, statuses
from disclosure.reports.models import Region, Role
from disclosure.reports.services import save_values
from disclosure.reports.values import load_values
from tests.conftest import make_agency, make_clerk, make_report, make_user
from tests.review.builders import fill, set_status

pytestmark = pytest.mark.django_db

WENZHOU = "浙江省温州市"
CELL = "applications.new.natural_person"


# ------------------------------------------------------------------ builders


def valid_values(fmt, rng: random.Random, blank_share: float = 0.0) -> dict:
    """Random values satisfying every error-severity rule of ``fmt`` that reads one
    year: the parts are random, the totals computed, and 新收 + 上年结转 split so
    that they equal 办理结果总计 + 结转下年度 (T3-1) column by column."""
    values = {}
    for key in fmt.input_keys():
        column = fmt.locate(key)[3]
        if blank_share and rng.random() < blank_share:
            values[key] = None
        elif column.kind == Kind.MONEY:
            values[key] = Decimal(rng.randint(0, 10**8)).scaleb(-column.decimals)
        elif column.kind == Kind.SIGNED:
            values[key] = rng.randint(-40, 40)
        else:
            values[key] = rng.randint(0, 40)
    values = compute_totals(fmt, values)
    table = fmt.table("applications")
    for group in table.groups:
        for column in group.columns:
            if column.computed:
                continue
            key = f"applications.{{}}.{column.code}".format
            whole = (values[key("results_total")] or 0) + (values[key("carried_forward")] or 0)
            carried = rng.randint(0, whole)
            values[key("carried_over")], values[key("new")] = carried, whole - carried
    return compute_totals(fmt, values)


def errors(fmt, values, blanks="unknown") -> list:
    return [f for f in evaluate(fmt, values, blanks=blanks) if f.severity == Severity.ERROR.value]


def report_with(agency, year, values, status="approved"):
    report = make_report(agency, year)
    save_values(report, values)
    return set_status(report, status)


def reference_sum(fmt, parts) -> dict:
    """The per-cell sum of the parts in Python: blank contributes nothing, blank everywhere stays blank."""
    result = {}
    for key in fmt.cell_keys():
        filled = [p[key] for p in parts if p.get(key) is not None]
        result[key] = sum(filled) if filled else None
    return result


def region(written: str) -> Region:
    return Region.from_names(written)


def office(username="office", written=WENZHOU):
    return make_user(username, Role.OFFICE, region=written)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# ------------------------------------------------------------------ sums


def sum_of_parts_case(seed: int, year: int = 2021):
    rng = random.Random(seed)
    fmt = format_for_year(year)
    inside = [make_agency(name=f"鹿城区局{i}", region=f"{WENZHOU}鹿城区") for i in range(3)]
    inside.append(make_agency(name="温州市局", region=WENZHOU))
    outside = make_agency(name="天津市局", region="天津市")
    parts = []
    for agency in inside:
        values = valid_values(fmt, rng, blank_share=0.1)
        report_with(agency, year, values)
        parts.append(load_values(agency.reports.get(year=year)))
    report_with(outside, year, valid_values(fmt, rng))  # outside the region: never summed
    rollup = Rollup(region(WENZHOU), year)
    expected = reference_sum(fmt, parts)
    assert rollup.values == expected  # every cell, including blanks
    assert len(rollup.included) == 4
    return rollup, expected


@pytest.mark.parametrize("year", [2020, 2021])
def test_sum_equals_the_sum_of_the_parts_per_cell(year):
    sum_of_parts_case(seed=year, year=year)


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the same sums on PostgreSQL's numeric")
def test_sum_equals_the_sum_of_the_parts_on_postgresql():
    rollup, expected = sum_of_parts_case(seed=7)
    money = "active.fees.fee_amount"
    assert isinstance(rollup.values[money], Decimal) and rollup.values[money] == expected[money]


def test_one_query_per_table_whatever_the_number_of_agencies():
    fmt = format_for_year(2021)
    for i in range(2):
        report_with(
            make_agency(name=f"局{i}", region=f"{WENZHOU}鹿城区"), 2021, valid_values(fmt, random.Random(i))
        )
    target = region(WENZHOU)
    with CaptureQueriesContext(connection) as few:
        Rollup(target, 2021)
    for i in range(2, 12):
        report_with(
            make_agency(name=f"局{i}", region=f"{WENZHOU}瓯海区"), 2021, valid_values(fmt, random.Random(i))
        )
    with CaptureQueriesContext(connection) as many:
        Rollup(target, 2021)
    assert len(few) == len(many) == len(fmt.tables) + 2  # the sums, the agencies, the reports
    sums = [q["sql"] for q in many.captured_queries if "SUM(" in q["sql"].upper()]
    assert len(sums) == len(fmt.tables) and all("GROUP BY" in sql.upper() for sql in sums)


def test_submitted_reports_only_with_the_switch():
    a = make_agency(name="甲局", region=f"{WENZHOU}鹿城区")
    b = make_agency(name="乙局", region=f"{WENZHOU}鹿城区")
    fill(
        make_report(a, 2021),
        applications__new__natural_person=5,
        applications__carried_forward__natural_person=5,
    )
    set_status(a.reports.get(), "approved")
    fill(
        make_report(b, 2021),
        applications__new__natural_person=7,
        applications__carried_forward__natural_person=7,
    )
    set_status(b.reports.get(), "submitted")
    assert Rollup(region(WENZHOU), 2021).values[CELL] == 5
    both = Rollup(region(WENZHOU), 2021, include_submitted=True)
    assert both.values[CELL] == 12
    assert {r["agency"]: r["status"] for r in both.included} == {"甲局": "approved", "乙局": "submitted"}
    assert statuses(True) == ("approved", "submitted")


def test_missing_lists_agencies_without_an_included_report():
    approved = make_agency(name="甲局", region=f"{WENZHOU}鹿城区")
    draft = make_agency(name="乙局", region=f"{WENZHOU}鹿城区")
    submitted = make_agency(name="丙局", region=f"{WENZHOU}瓯海区")
    make_agency(name="丁局", region=f"{WENZHOU}瓯海区")  # no report at all
    make_agency(name="天津局", region="天津市")  # another region: not listed
    fill(make_report(approved, 2021))
    set_status(approved.reports.get(), "approved")
    fill(make_report(draft, 2021))
    fill(make_report(submitted, 2021))
    set_status(submitted.reports.get(), "submitted")
    fill(make_report(draft, 2020))
    set_status(draft.reports.get(year=2020), "approved")  # another year: irrelevant
    rollup = Rollup(region(WENZHOU), 2021)
    assert [r["agency"] for r in rollup.included] == ["甲局"]
    assert {m["agency"]: m["status"] for m in rollup.missing} == {
        "乙局": "draft",
        "丙局": "submitted",
        "丁局": "none",
    }
    page = client_for(office()).get(reverse("oversight:rollup", args=[2021]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "未创建报告" in text and "丁局" in text and "丙局" in text and "天津局" not in text
    assert 'id="included-count">1<' in text and 'id="missing-count">3<' in text


def test_blank_contributes_nothing_and_blank_everywhere_stays_blank():
    fmt = format_for_year(2021)
    a = make_agency(name="甲局", region=f"{WENZHOU}鹿城区")
    b = make_agency(name="乙局", region=f"{WENZHOU}鹿城区")
    report_with(a, 2021, {CELL: 4, "appeals.cases.review_upheld": None})
    report_with(b, 2021, {CELL: None, "appeals.cases.review_upheld": None})
    rollup = Rollup(region(WENZHOU), 2021)
    assert rollup.values[CELL] == 4
    assert rollup.values["appeals.cases.review_upheld"] is None
    assert set(rollup.values) == set(fmt.cell_keys())
    data = rollup.as_json()
    assert data["cells"][CELL] == 4 and data["cells"]["appeals.cases.review_upheld"] is None


def test_money_keeps_its_decimals_exactly():
    for year, key, parts, total, text in (
        (2020, "active.procurement.purchase_amount", ["0.10", "0.20", "166781.96"], "166782.26", "166782.26"),
        (2021, "active.fees.fee_amount", ["1.250000", "2.000001", "0.1"], "3.350001", "3.350001"),
        (2022, "active.fees.fee_amount", ["1.5", "2.5"], "4", "4.000000"),
    ):
        for i, amount in enumerate(parts):
            agency = make_agency(name=f"局{year}-{i}", region=f"{WENZHOU}鹿城区")
            report_with(agency, year, {key: Decimal(amount)})
        rollup = Rollup(region(WENZHOU), year)
        assert isinstance(rollup.values[key], Decimal)
        assert rollup.values[key] == Decimal(total)
        assert rollup.as_json()["cells"][key] == text


def test_formats_of_different_years_are_never_summed():
    agency = make_agency(name="甲局", region=f"{WENZHOU}鹿城区")
    report_with(agency, 2020, {CELL: 100, "active.procurement.purchase_amount": Decimal("9.99")})
    report_with(agency, 2021, {CELL: 3, "active.fees.fee_amount": Decimal("1")})
    r2020, r2021 = Rollup(region(WENZHOU), 2020), Rollup(region(WENZHOU), 2021)
    assert (r2020.format.code, r2021.format.code) == ("gov2019", "gov2021")
    assert r2020.values[CELL] == 100 and r2021.values[CELL] == 3
    assert "active.fees.fee_amount" not in r2020.values
    assert "active.procurement.purchase_amount" not in r2021.values
    assert set(r2021.as_json()["cells"]) == set(format_for_year(2021).cell_keys())


# ------------------------------------------------------------------ checks


@pytest.mark.parametrize("year", [2020, 2021])
def test_checks_hold_on_sums_of_valid_reports_pure(year):
    """200 random trials: the per-cell sum of 1–6 valid reports passes every error check."""
    fmt = format_for_year(year)
    rng = random.Random(2024 + year)
    for _ in range(200):
        parts = [valid_values(fmt, rng) for _ in range(rng.randint(1, 6))]
        for part in parts:
            assert errors(fmt, part, blanks="zero") == []
        assert errors(fmt, reference_sum(fmt, parts)) == []


def test_checks_hold_on_the_database_roll_up_of_valid_reports():
    """The same property through the SQL: random valid reports, summed by the roll-up."""
    rng = random.Random(11)
    target = region(WENZHOU)
    for trial in range(12):
        year = rng.choice([2020, 2021, 2022])
        fmt = format_for_year(year)
        for i in range(rng.randint(1, 4)):
            agency = make_agency(name=f"局{trial}-{i}", region=f"{WENZHOU}区{trial}")
            report_with(agency, year, valid_values(fmt, rng))
        rollup = Rollup(target, year)
        assert [f.check for f in rollup.findings if f.severity == "error"] == []
    bad = make_agency(name="错局", region=f"{WENZHOU}错区")
    report_with(bad, 2023, {**valid_values(format_for_year(2023), rng), CELL: 10**6})  # T3-1 fails
    assert any(f.rule == "T3-1" for f in Rollup(target, 2023).findings)


# ------------------------------------------------------------------ drill-down and access


def drill(user, key=CELL, year=2021, **params):
    return client_for(user).get(reverse("oversight:rollup_cell", args=[year, key]), params)


def test_drill_down_lists_only_the_users_region():
    lucheng = make_agency(name="鹿城区局", region=f"{WENZHOU}鹿城区")
    ouhai = make_agency(name="瓯海区局", region=f"{WENZHOU}瓯海区")
    tianjin = make_agency(name="天津市局", region="天津市")
    for agency, value in ((lucheng, 2), (ouhai, 3), (tianjin, 50)):
        report_with(agency, 2021, {CELL: value})
    city_office = office()
    city = drill(city_office).json()
    assert sorted((p["agency"], p["value"]) for p in city["parts"]) == sorted(
        [("瓯海区局", 3), ("鹿城区局", 2)]
    )
    district = drill(office("office_lc", f"{WENZHOU}鹿城区")).json()
    assert [p["agency"] for p in district["parts"]] == ["鹿城区局"]
    root = make_user("root", is_superuser=True, is_staff=True)
    chosen = drill(root, region=region("天津市").pk).json()
    assert [p["agency"] for p in chosen["parts"]] == ["天津市局"]
    assert drill(make_clerk(lucheng)).status_code == 403
    assert drill(city_office, key="applications.nope.total").status_code == 404
    target = region(WENZHOU)
    with CaptureQueriesContext(connection) as queries:
        contributions(format_for_year(2021), CELL, target, 2021, statuses(False))
    assert len(queries) == 1


def test_office_sees_its_own_region_and_superuser_chooses():
    report_with(make_agency(name="鹿城区局", region=f"{WENZHOU}鹿城区"), 2021, {CELL: 2})
    report_with(make_agency(name="天津市局", region="天津市"), 2021, {CELL: 50})
    own = client_for(office("office_tj", "天津市")).get(reverse("oversight:rollup_json", args=[2021])).json()
    assert own["region"]["name"] == "天津市" and own["cells"][CELL] == 50
    root = client_for(make_user("root", is_superuser=True, is_staff=True))
    wenzhou = region(WENZHOU)
    data = root.get(reverse("oversight:rollup_json", args=[2021]), {"region": wenzhou.pk}).json()
    assert data["cells"][CELL] == 2
    page = root.get(reverse("oversight:rollup", args=[2021]), {"region": wenzhou.pk})
    assert 'id="rollup-region"' in page.content.decode()
    assert root.get(reverse("oversight:rollup", args=[2021]), {"region": "x"}).status_code == 404
    assert client_for(office()).get(reverse("oversight:rollup", args=[2018])).status_code == 404


def test_json_shape():
    agency = make_agency(name="鹿城区局", region=f"{WENZHOU}鹿城区")
    draft = make_agency(name="瓯海区局", region=f"{WENZHOU}瓯海区")
    report = report_with(agency, 2021, {CELL: 2, "active.fees.fee_amount": Decimal("1.5")})
    make_report(draft, 2021)
    response = client_for(office()).get(reverse("oversight:rollup_json", args=[2021]))
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    wenzhou = region(WENZHOU)
    assert {k: data[k] for k in ("format", "year", "region", "included", "missing")} == {
        "format": "gov2021",
        "year": 2021,
        "region": {"id": wenzhou.pk, "code": wenzhou.code, "name": WENZHOU, "path": wenzhou.path},
        "included": [{"id": report.pk, "agency": "鹿城区局", "status": "approved"}],
        "missing": [{"agency": "瓯海区局", "status": "draft"}],
    }
    assert list(data["cells"]) == format_for_year(2021).cell_keys()
    assert data["cells"][CELL] == 2 and data["cells"]["active.fees.fee_amount"] == "1.500000"
    assert data["cells"]["applications.new.commercial"] is None


# ------------------------------------------------------------------ downloads


def test_xlsx_merged_headers_and_numeric_cells():
    fmt = format_for_year(2021)
    for i, (count, money) in enumerate(((2, "1.25"), (3, "0.000001"))):
        agency = make_agency(name=f"局{i}", region=f"{WENZHOU}鹿城区")
        report_with(agency, 2021, {CELL: count, "active.fees.fee_amount": Decimal(money)})
    response = client_for(office()).get(reverse("oversight:rollup_xlsx", args=[2021]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["表二", "表三", "表四"]
    for table in fmt.tables:
        sheet = book[f"表{table.number}"]
        merged = {str(r) for r in sheet.merged_cells.ranges}
        grid = table_grid(table)
        for offset, grid_row in enumerate(grid.rows):
            row = XLSX_FIRST_ROW + offset
            for slot in grid_row.printed:
                cell = sheet.cell(row, slot.x + 1)
                if isinstance(slot, LabelCell):
                    assert cell.value == slot.text
                    if slot.rowspan > 1 or slot.colspan > 1:
                        last = sheet.cell(row + slot.rowspan - 1, slot.x + slot.colspan)
                        assert f"{cell.coordinate}:{last.coordinate}" in merged
    applications = book["表三"]
    value_cell = next(v for v in table_grid(fmt.table("applications")).value_cells if v.key == CELL)
    cell = applications.cell(XLSX_FIRST_ROW + len(table_grid(fmt.table("applications")).groups[0].header) + value_cell.y,
                             value_cell.x + 1)  # fmt: skip
    assert cell.value == 5 and cell.data_type == "n"
    money = next(
        (r, v) for r, grid_row in enumerate(table_grid(fmt.table("active")).rows) for v in grid_row.values
        if v.key == "active.fees.fee_amount"
    )  # fmt: skip
    cell = book["表二"].cell(XLSX_FIRST_ROW + money[0], money[1].x + 1)
    assert cell.data_type == "n" and cell.number_format == "0.000000"
    assert Decimal(str(cell.value)) == Decimal("1.250001")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_pdf_and_html_render_the_sums():
    for i, value in enumerate((1234, 4321)):
        agency = make_agency(name=f"局{i}", region=f"{WENZHOU}鹿城区")
        report_with(agency, 2021, {CELL: value})
    client = client_for(office())
    response = client.get(reverse("oversight:rollup_pdf", args=[2021]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "5555" in text
    assert "汇总表" in text and "三、收到和处理政府信息公开申请情况" in text
    assert "一、总体情况" not in text  # no narrative
    html = client.get(reverse("oversight:rollup_html", args=[2021])).content.decode()
    assert f"{WENZHOU}2021年政府信息公开工作" in html and "<td>5555</td>" in html
    assert "本表汇总" in html


def test_page_shows_the_checks_and_the_cells():
    agency = make_agency(name="鹿城区局", region=f"{WENZHOU}鹿城区")
    report_with(agency, 2021, {CELL: 9})  # T3-1 fails on the sums
    page = client_for(office()).get(reverse("oversight:rollup", args=[2021])).content.decode()
    assert f'data-key="{CELL}"' in page and ">9</button>" in page
    assert "T3-1" in page and "汇总数的检查结果" in page
    assert "<script>" not in page and "disclosure/js/rollup.js" in page
