"""The clerks' pages: list, start, report page and edit page."""

import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from disclosure.formats import format_for_year
from disclosure.formats.checks import compute_totals, evaluate
from disclosure.formats.values import display
from disclosure.reports.models import AnnualReport, Role, Status
from disclosure.reports.services import load_values, save_values
from disclosure.review.workflow import return_report, submit_report
from tests.conftest import PASSWORD, make_agency, make_clerk, make_report, make_reviewer, make_user
from tests.review.builders import SECTIONS, write_sections

pytestmark = pytest.mark.django_db

NEW_NP = "applications.new.natural_person"
RESULTS_NP = "applications.results_total.natural_person"
GRANTED_NP = "applications.granted.natural_person"


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def form_data(report, action="save", **cells):
    """What the edit page posts: every input cell as shown, the texts, the version."""
    values = load_values(report)
    data = {key: display(values[key]) for key in report.format.input_keys()}
    data.update({key.replace("__", "."): text for key, text in cells.items()})
    for name in ("title", "preface", "general", "problems", "other_matters"):
        data[name] = getattr(report, name)
    data.update(version=str(report.version), action=action)
    return data


def filled(report, value=0, **cells):
    """Every input cell set to ``value`` (balanced when 0), then ``cells``; totals computed."""
    values = dict.fromkeys(report.format.input_keys(), value)
    values.update({key.replace("__", "."): v for key, v in cells.items()})
    save_values(report, compute_totals(report.format, values))
    return write_sections(report)


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


# ------------------------------------------------------------------ list and start


def test_report_list_shows_only_own_agency(client):
    mine, other = make_agency("甲区民政局"), make_agency("乙区民政局")
    make_report(mine, 2021)
    make_report(other, 2021)
    response = login(client, make_clerk(mine)).get("/reports/")
    assert [row["report"].agency.name for row in response.context["rows"]] == ["甲区民政局"]


def test_report_list_counts_failing_checks(client, agency):
    filled(make_report(agency, 2021), **{NEW_NP: 2})
    response = login(client, make_clerk(agency)).get("/reports/")
    row = response.context["rows"][0]
    assert (row["errors"], row["warnings"], row["blanks"]) == (2, 0, 0)
    assert "2 项错误" in response.content.decode()


def test_report_list_queries_do_not_grow_with_reports(client, agency):
    clerk = make_clerk(agency)
    make_report(agency, 2019)
    login(client, clerk)
    with CaptureQueriesContext(connection) as one:
        client.get("/reports/")
    for year in (2020, 2021, 2022):
        make_report(agency, year)
    with CaptureQueriesContext(connection) as four:
        response = client.get("/reports/")
    assert len(response.context["rows"]) == 4
    assert len(four) == len(one)


def test_report_list_query_count_pinned_for_many_agencies_and_both_formats(client, django_assert_num_queries):
    office = make_user("office", Role.OFFICE, region="浙江省温州市")
    for n in range(3):
        agency = make_agency(f"机关{n}", f"浙江省温州市{n}区")
        for year in (2019, 2020, 2021, 2022):
            filled(make_report(agency, year), n)
    login(client, office)
    # session, user, membership, the listed reports, their previous years' reports, one per table
    # 9: 8 for the page, + the unread notifications count of the navigation bar
    with django_assert_num_queries(9):
        response = client.get("/reports/")
    assert len(response.context["rows"]) == 12


def test_start_report_prefills_from_previous_year(client):
    agency = make_agency(address="幸福路1号", postcode="325000", phone="0577-1234567")
    previous = filled(make_report(agency, 2021), 1)
    save_values(
        previous, {"applications.carried_forward.natural_person": 7, "active.regulations.in_force": 4}
    )
    response = login(client, make_clerk(agency)).post("/reports/start/", {"year": 2022})
    report = AnnualReport.objects.get(agency=agency, year=2022)
    assert response["Location"] == f"/reports/{report.pk}/edit/"
    values = load_values(report)
    assert values["applications.carried_over.natural_person"] == 7
    assert values["active.regulations.in_force"] == 4
    assert values["applications.new.natural_person"] is None
    assert "幸福路1号" in report.preface
    assert "2022年1月1日起至2022年12月31日止" in report.preface


def test_start_report_format_follows_year(client, agency):
    login(client, make_clerk(agency)).post("/reports/start/", {"year": 2020})
    response = client.get(f"/reports/{AnnualReport.objects.get(year=2020).pk}/edit/")
    html = response.content.decode()
    assert response.context["fmt"].code == "gov2019"
    assert "采购总金额" in html
    assert "本年收费金额（单位：万元）" not in html


def test_start_report_refused_for_existing_year(client, agency):
    make_report(agency, 2021)
    response = login(client, make_clerk(agency)).post("/reports/start/", {"year": 2021}, follow=True)
    assert AnnualReport.objects.filter(agency=agency, year=2021).count() == 1
    assert messages_of(response) == ["请选择一个尚未建立报告的年度。"]


def test_start_report_refused_for_reviewer(client, agency):
    response = login(client, make_reviewer(agency)).post("/reports/start/", {"year": 2021})
    assert response.status_code == 403
    assert AnnualReport.objects.count() == 0


# ------------------------------------------------------------------ permissions


@pytest.mark.parametrize(
    "method,path",
    [("get", ""), ("post", ""), ("put", ""), ("get", "edit/"), ("post", "edit/"), ("delete", "edit/")],
)
def test_other_agencys_report_is_404(client, method, path):
    report = make_report(make_agency("乙区民政局"), 2021)
    login(client, make_clerk(make_agency("甲区民政局")))
    response = getattr(client, method)(
        f"/reports/{report.pk}/{path}", form_data(report) if method == "post" else None
    )
    assert response.status_code == 404


def test_anonymous_user_is_sent_to_login(client, agency):
    report = make_report(agency, 2021)
    response = client.get(f"/reports/{report.pk}/edit/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.OFFICE])
def test_edit_page_redirects_readers_to_report_page(client, agency, role):
    report = make_report(agency, 2021)
    user = make_user("reader", role, agency if role != Role.OFFICE else None, region="浙江省")
    response = login(client, user).get(f"/reports/{report.pk}/edit/")
    assert response["Location"] == f"/reports/{report.pk}/"
    page = client.get(f"/reports/{report.pk}/")
    assert page.status_code == 200
    assert 'id="edit-link"' not in page.content.decode()


def test_edit_save_refused_for_reviewer(client, agency):
    report = make_report(agency, 2021)
    response = login(client, make_reviewer(agency)).post(
        f"/reports/{report.pk}/edit/", form_data(report, **{NEW_NP: "5"})
    )
    assert response.status_code == 403
    assert load_values(report)[NEW_NP] is None


# ------------------------------------------------------------------ edit page


def test_edit_page_lays_out_tables_in_section_order(client, agency):
    report = make_report(agency, 2021)
    html = login(client, make_clerk(agency)).get(f"/reports/{report.pk}/edit/").content.decode()
    headings = re.findall(r'<h2 class="h5 section-heading" id="heading-\w+">(.+?)</h2>', html)
    assert headings == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    assert '<th scope="rowgroup" rowspan="22" class="grid-label">三、本年度办理结果</th>' in html
    assert 'colspan="3" rowspan="3" class="grid-header">（本列数据的勾稽关系为' in html
    assert html.count('name="applications.') == 24 * 6
    assert 'readonly tabindex="-1"' in html


def test_edit_page_embeds_rules_and_only_referenced_previous_cells(client, agency):
    filled(make_report(agency, 2021), 3)
    report = make_report(agency, 2022)
    response = login(client, make_clerk(agency)).get(f"/reports/{report.pk}/edit/")
    html = response.content.decode()
    checks_url = re.search(r'<link rel="preload" href="([^"]+)"[^>]*id="checks-link">', html).group(1)
    rules = json.loads(client.get(checks_url).content)["rules"]
    previous = json.loads(
        re.search(r'<script id="previous-data" type="application/json">(.+?)</script>', html).group(1)
    )
    assert rules["format"] == "gov2021"
    assert len(rules["checks"]) == 253
    assert sorted(previous) == sorted(
        [
            f"applications.carried_forward.{c}"
            for c in (
                "natural_person",
                "commercial",
                "research",
                "public_interest",
                "legal_service",
                "other",
                "total",
            )
        ]
        + ["active.regulations.in_force", "active.normative_documents.in_force"]
    )


def test_edit_page_queries_do_not_grow_with_data(client, agency):
    clerk = make_clerk(agency)
    make_report(agency, 2020)
    report = make_report(agency, 2021)
    login(client, clerk)
    with CaptureQueriesContext(connection) as alone:
        client.get(f"/reports/{report.pk}/edit/")
    for n in range(5):
        make_report(make_agency(f"其他机关{n}"), 2021)
    filled(report, 2)
    with CaptureQueriesContext(connection) as crowded:
        client.get(f"/reports/{report.pk}/edit/")
    assert len(crowded) == len(alone)


def test_edit_save_stores_cells_and_computes_totals(client, agency):
    report = make_report(agency, 2021)
    data = form_data(
        report, **{NEW_NP: "３", "applications.new.commercial": "2", "applications.new.total": "999"}
    )
    data["general"] = "本年度工作总体情况。"
    response = login(client, make_clerk(agency)).post(f"/reports/{report.pk}/edit/", data)
    assert response["Location"] == f"/reports/{report.pk}/edit/"
    values = load_values(report)
    assert (values[NEW_NP], values["applications.new.commercial"], values["applications.new.total"]) == (
        3,
        2,
        5,
    )
    report.refresh_from_db()
    assert (report.version, report.general, report.updated_by.username) == (
        2,
        "本年度工作总体情况。",
        "clerk",
    )


def test_edit_save_keeps_numbers_that_fail_checks(client, agency):
    report = filled(make_report(agency, 2021))
    login(client, make_clerk(agency)).post(
        f"/reports/{report.pk}/edit/", form_data(report, **{NEW_NP: "2", GRANTED_NP: "1"})
    )
    page = client.get(f"/reports/{report.pk}/edit/")
    assert load_values(report)[NEW_NP] == 2
    messages = [f["message"] for f in page.context["findings"]]
    assert "第一项加第二项之和应等于第三项加第四项之和（自然人）：2 + 0 ≠ 1 + 0" in messages
    assert 'id="cell-applications-new-natural_person"' in page.content.decode()
    assert re.search(
        r'id="cell-applications-new-natural_person"[^>]*aria-invalid="true"', page.content.decode()
    )
    assert not re.search(r'id="cell-applications-new-commercial"[^>]*aria-invalid', page.content.decode())


def test_edit_save_money_with_unit(client, agency):
    report = make_report(agency, 2020)
    data = form_data(report, **{"active.procurement.purchase_amount": "166,781.96元"})
    login(client, make_clerk(agency)).post(f"/reports/{report.pk}/edit/", data)
    assert load_values(report)["active.procurement.purchase_amount"] == Decimal("166781.96")


@pytest.mark.parametrize(
    "text,problem",
    [
        ("-1", "不能为负数"),
        ("1.5", "应为整数，不能有小数"),
        ("十二", "“十二”不是数字"),
        ("1000000001", "数值过大（绝对值不能超过1,000,000,000）"),
    ],
)
def test_edit_bad_input_is_refused_on_its_cell_and_the_rest_is_saved(client, agency, text, problem):
    report = make_report(agency, 2021)
    save_values(report, {NEW_NP: 4})
    data = form_data(report, **{NEW_NP: text, "applications.new.commercial": "１２"})
    response = login(client, make_clerk(agency)).post(f"/reports/{report.pk}/edit/", data)
    html = response.content.decode()
    assert response.status_code == 422
    assert load_values(report)[NEW_NP] == 4
    assert load_values(report)["applications.new.commercial"] == 12
    assert f'value="{text}"' in html
    assert f'<div class="cell-msg" id="cell-applications-new-natural_person-msg">{problem}</div>' in html
    assert response.context["cell_errors"] == [
        f"表三「一、本年新收政府信息公开申请数量」「自然人」：{problem}"
    ]
    assert response.context["version"] == 2


def test_edit_fill_blanks_sets_remaining_cells_to_zero(client, agency):
    report = make_report(agency, 2021)
    data = form_data(report, action="fill_blanks", **{NEW_NP: "1", "applications.new.commercial": "x"})
    login(client, make_clerk(agency)).post(f"/reports/{report.pk}/edit/", data)
    values = load_values(report)
    assert values[NEW_NP] == 1
    assert values["applications.new.commercial"] is None
    assert [k for k in report.format.input_keys() if values[k] is None] == ["applications.new.commercial"]
    assert values["applications.new.total"] == 1


def test_edit_second_save_on_same_version_is_refused(client, agency):
    other_client = Client()
    report = make_report(agency, 2021)
    first = make_user("wang", Role.CLERK, agency, first_name="小王")
    second = make_clerk(agency, "li")
    stale = form_data(report, **{NEW_NP: "9"})
    login(other_client, first).post(f"/reports/{report.pk}/edit/", form_data(report, **{NEW_NP: "5"}))
    response = login(client, second).post(f"/reports/{report.pk}/edit/", stale)
    html = response.content.decode()
    assert response.status_code == 409
    assert messages_of(response)[0].startswith("小王已于")
    assert "您的修改未保存" in messages_of(response)[0]
    assert 'value="9"' in html
    assert load_values(report)[NEW_NP] == 5
    assert response.context["version"] == 2


def test_edit_save_refused_once_submitted(client, agency):
    report = filled(make_report(agency, 2021))
    data = form_data(report, **{NEW_NP: "3"})
    AnnualReport.objects.filter(pk=report.pk).update(status=Status.SUBMITTED)
    response = login(client, make_clerk(agency)).post(f"/reports/{report.pk}/edit/", data)
    assert response.status_code == 409
    assert messages_of(response) == ["报告已处于“待审核”状态，不能再修改，您的修改未保存。"]
    assert load_values(report)[NEW_NP] == 0


def test_edit_submit_refused_with_the_browsers_messages(client, agency):
    report = filled(make_report(agency, 2021))
    data = form_data(report, action="submit", **{NEW_NP: "2", GRANTED_NP: "1"})
    response = login(client, make_clerk(agency)).post(f"/reports/{report.pk}/submit/", data, follow=True)
    report.refresh_from_db()
    expected = [f.message for f in evaluate(report.format, load_values(report)) if f.severity == "error"]
    assert report.status == Status.DRAFT
    assert "第一项加第二项之和应等于第三项加第四项之和（自然人）：2 + 0 ≠ 1 + 0" in expected
    assert [m for m in messages_of(response) if m in expected] == expected
    assert load_values(report)[NEW_NP] == 2


def test_edit_submit_refused_while_cells_blank(client, agency):
    report = make_report(agency, 2021)
    response = login(client, make_clerk(agency)).post(
        f"/reports/{report.pk}/submit/", form_data(report, action="submit"), follow=True
    )
    report.refresh_from_db()
    assert report.status == Status.DRAFT
    assert "草稿已保存，但未能提交审核：" in messages_of(response)


def test_edit_submit_saves_the_form_first(client, agency):
    """提交审核 on the edit page posts the form to the review app's submit view,
    which saves the draft, then submits it."""
    report = filled(make_report(agency, 2021))
    data = {**form_data(report, action="submit"), "general": "提交前最后修改的文字"}
    response = login(client, make_clerk(agency)).post(f"/reports/{report.pk}/submit/", data)
    report.refresh_from_db()
    assert (report.status, report.general, report.version) == (Status.SUBMITTED, "提交前最后修改的文字", 3)
    assert response["Location"] == f"/reports/{report.pk}/"


def test_edit_submit_with_a_bad_cell_shows_the_edit_page_and_does_not_submit(client, agency):
    report = filled(make_report(agency, 2021))
    data = form_data(report, action="submit", **{NEW_NP: "abc"})
    response = login(client, make_clerk(agency)).post(f"/reports/{report.pk}/submit/", data)
    report.refresh_from_db()
    assert (response.status_code, report.status) == (422, Status.DRAFT)
    assert messages_of(response)[0].startswith(f"草稿已保存（第{report.version}版），未提交审核，")


def test_edit_page_submit_button_posts_to_the_review_app(client, agency):
    report = make_report(agency, 2021)
    page = login(client, make_clerk(agency)).get(f"/reports/{report.pk}/edit/").content.decode()
    assert f'formaction="/reports/{report.pk}/submit/"' in page


def test_edit_submit_succeeds_when_complete_and_consistent(client, agency):
    report = filled(make_report(agency, 2021))
    response = login(client, make_clerk(agency)).post(
        f"/reports/{report.pk}/submit/", form_data(report, action="submit")
    )
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
    assert response["Location"] == f"/reports/{report.pk}/"


def test_narrative_text_is_escaped(client, agency):
    report = make_report(agency, 2021)
    report.general = "<script>alert(1)</script>"
    report.save()
    login(client, make_clerk(agency))
    for path in ("", "edit/"):
        html = client.get(f"/reports/{report.pk}/{path}").content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_report_page_shows_findings_tables_and_panels(client, agency):
    report = filled(make_report(agency, 2021), **{NEW_NP: 2})
    response = login(client, make_reviewer(agency)).get(f"/reports/{report.pk}/")
    html = response.content.decode()
    assert [f["check"] for f in response.context["findings"]] == [
        "T3-1:applications.new.natural_person",
        "T3-1:applications.new.total",
    ]
    assert '<td class="grid-value is-failing" data-key="applications.new.natural_person">2</td>' in html
    assert 'name="applications.' not in html
    assert format_for_year(2021).name in html


def test_refused_save_marks_page_unsaved(client, agency):
    report = make_report(agency, 2021)
    data = form_data(report, **{NEW_NP: "abc"})
    response = login(client, make_clerk(agency)).post(f"/reports/{report.pk}/edit/", data)
    assert response.context["unsaved"] is True
    assert 'id="report-form" novalidate data-unsaved="true"' in response.content.decode()
    page = client.get(f"/reports/{report.pk}/edit/")
    assert page.context["unsaved"] is False


def test_edit_invalid_title_saves_nothing(client, agency):
    report = make_report(agency, 2021)
    data = form_data(report, **{NEW_NP: "7"})
    data["title"] = "长" * 201
    response = login(client, make_clerk(agency)).post(f"/reports/{report.pk}/edit/", data)
    report.refresh_from_db()
    assert response.status_code == 422
    assert messages_of(response) == ["请修改标出的错误后再保存，本次未保存。"]
    assert (report.version, load_values(report)[NEW_NP]) == (1, None)
    assert 'value="7"' in response.content.decode()


def test_login_page_and_navbar_are_chinese(client, agency):
    page = client.get("/accounts/login/")
    html = page.content.decode()
    assert '<html lang="zh-CN">' in html
    assert ">登录</button>" in html
    response = client.post("/accounts/login/", {"username": "clerk", "password": "wrong"})
    assert "用户名或密码不正确" in response.content.decode()
    make_clerk(agency)
    response = client.post("/accounts/login/", {"username": "clerk", "password": PASSWORD}, follow=True)
    navbar = response.content.decode()
    assert re.search(r'id="whoami">\s*clerk · 填报人 · 测试区民政局', navbar)
    assert 'action="/accounts/logout/"' in navbar
    assert ">退出</button>" in navbar


def test_edit_save_warns_about_blank_cells(client, agency):
    report = make_report(agency, 2021)
    response = login(client, make_clerk(agency)).post(
        f"/reports/{report.pk}/edit/", form_data(report, **{NEW_NP: "1"}), follow=True
    )
    blanks = len(report.format.input_keys()) - 1
    assert messages_of(response) == [
        f"草稿已保存（第2版）。还有 {blanks} 个单元格未填写，提交前须全部填写（可用“空白填0”）。"
    ]


def test_report_page_refuses_post_for_its_readers(client, agency):
    report = make_report(agency, 2021)
    response = login(client, make_clerk(agency)).post(f"/reports/{report.pk}/")
    assert response.status_code == 405


def test_narrative_over_the_limit_is_refused_naming_the_section_and_kept(client, agency):
    report = filled(make_report(agency, 2021))
    long_text = "本年度" * 10_001  # 30,003 characters
    data = {**form_data(report, **{NEW_NP: "3"}), "problems": long_text}
    response = login(client, make_clerk(agency)).post(f"/reports/{report.pk}/edit/", data)
    page = response.content.decode()
    report.refresh_from_db()
    assert response.status_code == 422
    assert "“五、存在的主要问题及改进情况”共30003字，超过了每部分30000字的上限" in page
    assert long_text in page  # what was typed is still on the page
    assert 'maxlength="' not in page.split('name="problems"')[0].rsplit("<textarea", 1)[1]
    assert (report.problems, load_values(report)[NEW_NP]) == (SECTIONS["problems"], 0)


def test_narrative_at_the_limit_saves(client, agency):
    report = filled(make_report(agency, 2021))
    data = {**form_data(report), "general": "政" * 30_000}
    response = login(client, make_clerk(agency)).post(f"/reports/{report.pk}/edit/", data)
    report.refresh_from_db()
    assert (response.status_code, len(report.general)) == (302, 30_000)


def test_report_list_shows_the_return_comment(client, agency):
    report = filled(make_report(agency, 2021))
    clerk, reviewer = make_clerk(agency), make_user("rev", Role.REVIEWER, agency)
    submit_report(report.pk, clerk)
    return_report(report.pk, reviewer, comment="表三数据请与台账核对")
    page = login(client, clerk).get("/reports/").content.decode()
    assert "审核意见（rev）：表三数据请与台账核对" in page
