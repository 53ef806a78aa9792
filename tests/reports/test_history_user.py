"""Every saved change is attributed to the user who made it (history of values and narratives)."""

import pytest

from disclosure.reports.models import ApplicationRow
from tests.conftest import make_clerk, make_report
from tests.reports.test_views import form_data, login

pytestmark = pytest.mark.django_db


def test_edit_save_records_the_clerk_in_value_and_narrative_history(client, agency):
    report = make_report(agency, 2021)
    clerk = make_clerk(agency, "xiaowang")
    data = form_data(report, **{"applications.new.natural_person": "4"})
    data["general"] = "总体情况。"
    login(client, clerk).post(f"/reports/{report.pk}/edit/", data)
    row = ApplicationRow.objects.get(report=report, row_code="new")
    latest_row = row.history.first()
    latest_report = report.history.first()
    assert (latest_row.natural_person, latest_row.total, latest_row.history_user) == (4, 4, clerk)
    assert (latest_report.general, latest_report.history_user) == ("总体情况。", clerk)


def test_edit_save_writes_history_only_for_changed_rows(client, agency):
    report = make_report(agency, 2021)
    before = ApplicationRow.history.filter(report_id=report.pk).count()
    data = form_data(report, **{"applications.new.natural_person": "1"})
    login(client, make_clerk(agency)).post(f"/reports/{report.pk}/edit/", data)
    after = ApplicationRow.history.filter(report_id=report.pk).count()
    # only the 新收 row changes (its typed cell and its computed 总计)
    assert after - before == 1
