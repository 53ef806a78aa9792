"""Two clerks saving one report: the cell-level merge of the edit page's save
(``reports.edit_page``; the protocol is in its docstring)."""

import json

import pytest
from django.test import Client

from disclosure.reports.models import Role
from disclosure.reports.services import load_values
from tests.conftest import make_report, make_user
from tests.reports.test_views import NEW_NP, filled, login

pytestmark = pytest.mark.django_db

COMMERCIAL = "applications.new.commercial"
JSON = {"HTTP_ACCEPT": "application/json"}


def opened(client, report):
    """What the edit page holds when opened: every field as shown, the base, the version."""
    response = client.get(f"/reports/{report.pk}/edit/")
    form = response.context["form"]
    data = {key: text for key, text in json.loads(response.context["base_json"]).items() if "." in key}
    data.update(
        {
            name: form[name].value() or ""
            for name in ("title", "preface", "general", "problems", "other_matters")
        }
    )
    data.update(version=str(response.context["version"]), base=response.context["base_json"], action="save")
    return data


@pytest.fixture
def clerks(agency):
    wang = make_user("wang", Role.CLERK, agency, first_name="小王")
    li = make_user("li", Role.CLERK, agency, first_name="小李")
    return login(Client(), wang), login(Client(), li)


def test_disjoint_cells_both_kept(agency, clerks):
    a, b = clerks
    report = filled(make_report(agency, 2021))
    page_a, page_b = opened(a, report), opened(b, report)
    assert a.post(f"/reports/{report.pk}/edit/", {**page_a, NEW_NP: "3"}).status_code == 302
    response = b.post(f"/reports/{report.pk}/edit/", {**page_b, COMMERCIAL: "4"})
    assert response.status_code == 302  # no conflict: merged and saved
    values = load_values(report)
    assert (values[NEW_NP], values[COMMERCIAL], values["applications.new.total"]) == (3, 4, 7)
    report.refresh_from_db()
    assert (report.version, report.updated_by.username) == (3, "li")


def test_disjoint_cells_json_answer_carries_the_others_values_and_new_base(agency, clerks):
    a, b = clerks
    report = filled(make_report(agency, 2021))
    page_a, page_b = opened(a, report), opened(b, report)
    a.post(f"/reports/{report.pk}/edit/", {**page_a, NEW_NP: "3"})
    response = b.post(f"/reports/{report.pk}/edit/", {**page_b, COMMERCIAL: "4"}, **JSON)
    answer = response.json()
    assert (response.status_code, answer["state"], answer["version"]) == (200, "saved", 3)
    assert answer["applied"] == [COMMERCIAL]
    assert (answer["values"][NEW_NP], answer["base"][NEW_NP], answer["base"][COMMERCIAL]) == ("3", "3", "4")
    assert answer["conflicts"] == [] and answer["texts"] == {}


def test_unchanged_cells_are_never_written(agency, clerks):
    """B's page still shows A's cell as it was; B saving must not write it back."""
    a, b = clerks
    report = filled(make_report(agency, 2021))
    page_a, page_b = opened(a, report), opened(b, report)
    a.post(f"/reports/{report.pk}/edit/", {**page_a, NEW_NP: "3", "general": "小王写的总体情况。"})
    b.post(f"/reports/{report.pk}/edit/", {**page_b, "problems": "小李写的问题。"})
    report.refresh_from_db()
    assert load_values(report)[NEW_NP] == 3
    assert (report.general, report.problems) == ("小王写的总体情况。", "小李写的问题。")


def test_same_cell_is_a_conflict_naming_the_other_with_both_values(agency, clerks):
    a, b = clerks
    report = filled(make_report(agency, 2021))
    page_a, page_b = opened(a, report), opened(b, report)
    a.post(f"/reports/{report.pk}/edit/", {**page_a, NEW_NP: "5"})
    response = b.post(f"/reports/{report.pk}/edit/", {**page_b, NEW_NP: "9", COMMERCIAL: "2"})
    assert response.status_code == 409
    [conflict] = response.context["conflicts"]
    assert (conflict["key"], conflict["mine"], conflict["theirs"], conflict["who"]) == (
        NEW_NP,
        "9",
        "5",
        "小王",
    )
    html = response.content.decode()
    assert 'value="9"' in html  # B's value stays in the cell, unsaved
    assert "小王" in html and "采用对方的" in html
    values = load_values(report)
    assert (values[NEW_NP], values[COMMERCIAL]) == (5, 2)  # A's kept, B's other change saved
    # B's page now starts from A's value: saving again is B's decision to keep theirs
    assert json.loads(response.context["base_json"])[NEW_NP] == "5"
    again = b.post(f"/reports/{report.pk}/edit/", {**opened(b, report), NEW_NP: "9"})
    assert (again.status_code, load_values(report)[NEW_NP]) == (302, 9)


def test_same_cell_conflict_as_json(agency, clerks):
    a, b = clerks
    report = filled(make_report(agency, 2021))
    page_a, page_b = opened(a, report), opened(b, report)
    a.post(f"/reports/{report.pk}/edit/", {**page_a, NEW_NP: "5"})
    response = b.post(f"/reports/{report.pk}/edit/", {**page_b, NEW_NP: "9"}, **JSON)
    answer = response.json()
    assert (response.status_code, answer["state"], answer["saved"], answer["version"]) == (
        409,
        "conflict",
        False,
        2,
    )
    [conflict] = answer["conflicts"]
    assert (conflict["mine"], conflict["theirs"], conflict["who"], conflict["base"]) == (
        "9",
        "5",
        "小王",
        "5",
    )
    assert "小王已于" in answer["message"]
    assert load_values(report)[NEW_NP] == 5


def test_both_typing_the_same_value_is_no_conflict(agency, clerks):
    a, b = clerks
    report = filled(make_report(agency, 2021))
    page_a, page_b = opened(a, report), opened(b, report)
    a.post(f"/reports/{report.pk}/edit/", {**page_a, NEW_NP: "5"})
    assert b.post(f"/reports/{report.pk}/edit/", {**page_b, NEW_NP: "5"}).status_code == 302


def test_narrative_omitted_is_not_erased(agency, clerks):
    a, _ = clerks
    report = filled(make_report(agency, 2021))
    before = (report.general, report.problems, report.preface)
    page = opened(a, report)
    for name in ("title", "preface", "general", "problems", "other_matters"):
        del page[name]
    assert a.post(f"/reports/{report.pk}/edit/", {**page, NEW_NP: "3"}).status_code == 302
    report.refresh_from_db()
    assert (report.general, report.problems, report.preface) == before
    assert load_values(report)[NEW_NP] == 3


def test_narrative_omitted_without_base_is_not_erased(agency, clerks):
    a, _ = clerks
    report = filled(make_report(agency, 2021))
    general = report.general
    response = a.post(f"/reports/{report.pk}/edit/", {"version": str(report.version), NEW_NP: "3"})
    report.refresh_from_db()
    assert (response.status_code, report.general, load_values(report)[NEW_NP]) == (302, general, 3)


def test_narrative_same_field_conflict(agency, clerks):
    a, b = clerks
    report = filled(make_report(agency, 2021))
    page_a, page_b = opened(a, report), opened(b, report)
    a.post(f"/reports/{report.pk}/edit/", {**page_a, "general": "小王的总体情况。"})
    response = b.post(
        f"/reports/{report.pk}/edit/",
        {**page_b, "general": "小李的总体情况。", "problems": "小李的问题。"},
        **JSON,
    )
    answer = response.json()
    assert answer["state"] == "conflict"
    [conflict] = answer["conflicts"]
    assert (conflict["key"], conflict["kind"], conflict["label"]) == ("general", "text", "一、总体情况")
    assert (conflict["mine"], conflict["theirs"], conflict["who"]) == (
        "小李的总体情况。",
        "小王的总体情况。",
        "小王",
    )
    report.refresh_from_db()
    assert (report.general, report.problems) == ("小王的总体情况。", "小李的问题。")
    # keep mine: the page's base for the field moves to the other's text
    again = {**opened(b, report), "general": "小李的总体情况。"}
    again["base"] = json.dumps({**json.loads(again["base"]), "general": conflict["base"]})
    assert b.post(f"/reports/{report.pk}/edit/", again, **JSON).json()["state"] == "saved"
    report.refresh_from_db()
    assert report.general == "小李的总体情况。"


def test_narrative_line_ends_as_posted_by_browsers_are_no_change(agency, clerks):
    a, b = clerks
    report = filled(make_report(agency, 2021))
    report.general = "第一段。\n第二段。"
    report.save()
    page_a, page_b = opened(a, report), opened(b, report)
    a.post(f"/reports/{report.pk}/edit/", {**page_a, "general": "小王改过。"})
    response = b.post(
        f"/reports/{report.pk}/edit/", {**page_b, "general": "第一段。\r\n第二段。", NEW_NP: "1"}
    )
    report.refresh_from_db()
    assert (response.status_code, report.general) == (302, "小王改过。")


def test_stale_post_without_base_overwrites_nothing(agency, clerks):
    a, b = clerks
    report = filled(make_report(agency, 2021))
    page_a, page_b = opened(a, report), opened(b, report)
    del page_b["base"]
    a.post(f"/reports/{report.pk}/edit/", {**page_a, NEW_NP: "5"})
    response = b.post(f"/reports/{report.pk}/edit/", {**page_b, COMMERCIAL: "4"})
    assert response.status_code == 409
    assert {c["key"] for c in response.context["conflicts"]} == {NEW_NP, COMMERCIAL}
    values = load_values(report)
    assert (values[NEW_NP], values[COMMERCIAL]) == (5, 0)


def test_save_with_no_change_keeps_the_version(agency, clerks):
    a, _ = clerks
    report = filled(make_report(agency, 2021))
    answer = a.post(f"/reports/{report.pk}/edit/", opened(a, report), **JSON).json()
    assert (answer["state"], answer["saved"], answer["version"]) == ("saved", False, 1)


def test_bad_cell_in_json_answer_is_refused_and_the_rest_saved(agency, clerks):
    a, _ = clerks
    report = filled(make_report(agency, 2021))
    answer = a.post(
        f"/reports/{report.pk}/edit/", {**opened(a, report), NEW_NP: "abc", COMMERCIAL: "2"}, **JSON
    ).json()
    assert (answer["state"], answer["version"], answer["applied"]) == ("errors", 2, [COMMERCIAL])
    assert answer["errors"] == {NEW_NP: "“abc”不是数字"}
    assert answer["base"][NEW_NP] == "0"
