"""/reports/<id>/data.json: every cell of the report's format, numbers as numbers,
money as a string with its decimals, blank as null; the report page's access rules."""

import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from disclosure.formats import format_for_year
from disclosure.publish.data import cells_json
from disclosure.reports.models import Agency, Role
from disclosure.reports.services import save_values
from tests.conftest import make_agency, make_clerk, make_report, make_user
from tests.review.builders import fill, set_status

pytestmark = pytest.mark.django_db


def get_json(user, report, method="get"):
    client = Client()
    if user is not None:
        client.force_login(user)
    return getattr(client, method)(reverse("publish:data", args=[report.pk]))


def test_data_json_shape_2021():
    agency = make_agency(name="鹿城区民政局", region="浙江省温州市鹿城区")
    clerk = make_clerk(agency)
    report = make_report(agency, 2021, clerk)
    fill(report, active__regulations__issued=3, active__fees__fee_amount=Decimal("1.5"))
    response = get_json(clerk, report)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert {k: v for k, v in data.items() if k != "cells"} == {
        "format": "gov2021",
        "agency": "鹿城区民政局",
        "region": "浙江省温州市鹿城区",
        "year": 2021,
        "status": "draft",
        "version": 1,
    }
    fmt = format_for_year(2021)
    assert list(data["cells"]) == fmt.cell_keys()
    assert data["cells"]["active.regulations.issued"] == 3
    assert isinstance(data["cells"]["applications.new.total"], int)
    assert data["cells"]["active.fees.fee_amount"] == "1.500000"


def test_data_json_money_string_and_blank_null_2019():
    agency = make_agency(name="海盐县民政局", region="")
    clerk = make_clerk(agency)
    report = make_report(agency, 2020, clerk)
    save_values(report, {"active.procurement.purchase_amount": Decimal("166781.96")})
    data = json.loads(get_json(clerk, report).content)
    assert data["format"] == "gov2019"
    assert data["region"] is None
    assert data["cells"]["active.procurement.purchase_amount"] == "166781.96"
    assert list(data["cells"]) == format_for_year(2020).cell_keys()
    blank = [k for k, v in data["cells"].items() if v is None]
    assert len(blank) == len(data["cells"]) - 1  # only the amount was typed


def test_data_json_reflects_status_and_version():
    agency = make_agency()
    clerk = make_clerk(agency)
    report = make_report(agency, 2022, clerk)
    fill(report)
    set_status(report, "submitted")
    data = json.loads(get_json(clerk, report).content)
    assert (data["status"], data["version"]) == ("submitted", report.version)
    assert all(v == 0 or v == "0.000000" for v in data["cells"].values())


def test_cells_json_is_pure():
    fmt = format_for_year(2019)
    cells = cells_json(fmt, {"active.procurement.purchase_amount": Decimal("12.5")})
    assert cells["active.procurement.purchase_amount"] == "12.50"
    assert set(cells) == set(fmt.cell_keys())
    assert json.loads(json.dumps(cells)) == cells


def test_data_json_access_like_the_report_page():
    agency = make_agency(name="鹿城区民政局", region="浙江省温州市鹿城区")
    other = make_agency(name="瓯海区民政局", region="浙江省温州市瓯海区")
    report = make_report(agency, 2021)
    office = make_user("office", Role.OFFICE, region="浙江省温州市")
    other_office = make_user("other_office", Role.OFFICE, region="天津市")
    other_clerk = make_clerk(other, "other_clerk")
    assert get_json(office, report).status_code == 200
    assert get_json(other_office, report).status_code == 404
    assert get_json(other_clerk, report).status_code == 404
    assert get_json(other_clerk, report, "post").status_code == 404  # scope before method
    assert get_json(office, report, "post").status_code == 405
    assert get_json(office, report, "head").status_code == 200
    anonymous = get_json(None, report)
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("login"))
    assert Agency.objects.count() == 2
