"""fixtures/demo.json: the five samples as imported, the generated sample agencies of
温州市 for the office's view, demo users, refused in production."""

import json
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings

from disclosure.formats.checks import compute_totals
from disclosure.formats.spec import Severity
from disclosure.reports.models import Agency, AnnualReport, Membership, Region, Role, Status, Transition
from disclosure.reports.services import check_report, load_values
from disclosure.reports.signals import DemoDataRefused
from tests.importers.samples import SAMPLES, parse_sample

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "disclosure-demo"
REGIONS = {
    "鹿城区民政局": "浙江省温州市鹿城区",
    "温州市鹿城区新居民服务中心": "浙江省温州市鹿城区",
    "津南区民政局": "天津市津南区",
    "海盐县民政局": "浙江省嘉兴市海盐县",
    "南关区民政局": "吉林省长春市南关区",
}


SAMPLE_REGIONS = {"浙江省温州市鹿城区": 8, "浙江省温州市瓯海区": 8, "浙江省温州市龙湾区": 8}
SAMPLE_YEAR = 2025


def load_demo():
    call_command("loaddata", "demo", verbosity=0)


def sample_reports(year=SAMPLE_YEAR):
    return AnnualReport.objects.filter(agency__name__startswith="示例单位", year=year).select_related(
        "agency"
    )


def test_demo_fixture_has_agencies_with_regions():
    load_demo()
    regions = {a.name: a.region.full_name for a in Agency.objects.select_related("region")}
    assert {n: r for n, r in regions.items() if not n.startswith("示例单位")} == REGIONS
    samples = {n: r for n, r in regions.items() if n.startswith("示例单位")}
    assert sorted(samples) == [f"示例单位{n:02d}" for n in range(1, 25)]
    assert Counter(samples.values()) == SAMPLE_REGIONS


def test_demo_fixture_regions_have_real_codes_and_an_internal_deadline():
    load_demo()
    codes = {r.full_name: r.code for r in Region.objects.filter(path__startswith="330000/")}
    assert codes == {
        "浙江省": "330000",
        "浙江省温州市": "330300",
        "浙江省温州市鹿城区": "330302",
        "浙江省温州市龙湾区": "330303",
        "浙江省温州市瓯海区": "330304",
        "浙江省嘉兴市": "浙江省嘉兴市",  # no real code loaded for the 海盐县 sample's region
        "浙江省嘉兴市海盐县": "浙江省嘉兴市海盐县",
    }
    lucheng = Region.objects.get(code="330302")
    assert (lucheng.path, lucheng.deadline_month, lucheng.deadline_day) == ("330000/330300/330302/", 1, 15)
    office = Membership.objects.get(user__username="office_wenzhou")
    assert office.region.code == "330300"


def test_demo_fixture_sample_reports_in_every_state():
    load_demo()
    reports = list(sample_reports())
    assert Counter(r.status for r in reports) == {
        Status.DRAFT: 8,
        Status.SUBMITTED: 3,
        Status.RETURNED: 3,
        Status.APPROVED: 6,
    }
    assert 24 - len(reports) == 4  # 未开始
    with_errors = [r for r in reports if any(f.severity == Severity.ERROR for f in check_report(r))]
    assert len(with_errors) == 3 and {r.status for r in with_errors} == {Status.DRAFT}
    half = [r for r in reports if load_values(r)["applications.new.total"] is None]
    assert len(half) == 2 and {r.status for r in half} == {Status.DRAFT}
    assert sample_reports(SAMPLE_YEAR - 1).count() == 21
    assert {r.status for r in sample_reports(SAMPLE_YEAR - 1)} == {Status.APPROVED}


def test_demo_fixture_sample_numbers_add_up_and_carry_over():
    load_demo()
    for report in [*sample_reports(), *sample_reports(SAMPLE_YEAR - 1)]:
        values = load_values(report)
        if values["applications.new.total"] is not None:
            assert compute_totals(report.format, values) == values
        previous = AnnualReport.objects.filter(agency=report.agency, year=report.year - 1).first()
        if previous and values["applications.carried_over.total"] is not None:
            assert (
                values["applications.carried_over.total"]
                == load_values(previous)["applications.carried_forward.total"]
            )


def test_demo_fixture_sample_transitions_as_the_workflow_records_them():
    load_demo()
    actions = {
        Status.DRAFT: [],
        Status.SUBMITTED: ["submit"],
        Status.RETURNED: ["submit", "return"],
        Status.APPROVED: ["submit", "approve"],
    }
    for report in sample_reports():
        steps = list(report.transitions.order_by("pk"))
        assert [t.action for t in steps] == actions[report.status]
        assert [t.version for t in steps] == list(range(2, 2 + len(steps)))
        if steps:
            assert (steps[-1].to_status, steps[-1].version) == (report.status, report.version)
        if report.status == Status.RETURNED:
            assert steps[-1].comment and steps[-1].actor_name == f"{report.agency.name}审核员"
    for report in sample_reports(SAMPLE_YEAR - 1):
        (step,) = report.transitions.all()
        assert (step.action, step.from_status, step.to_status) == ("import", "", Status.APPROVED)


def test_demo_fixture_agencies_have_contact_details_from_prefaces():
    load_demo()
    lucheng = Agency.objects.get(name="鹿城区民政局")
    assert (lucheng.address, lucheng.postcode, lucheng.email) == (
        "鹿城区洪殿北路128号民政局",
        "325000",
        "mzj@lucheng.gov.cn",
    )
    assert Agency.objects.get(name="南关区民政局").phone == "85284294"


@pytest.mark.parametrize("number", sorted(SAMPLES))
def test_demo_fixture_numbers_match_the_published_text(number):
    load_demo()
    parsed = parse_sample(number)
    report = AnnualReport.objects.get(agency__name=parsed.agency_name, year=parsed.year)
    assert report.status == (Status.DRAFT if number == "000" else Status.APPROVED)
    assert report.source == SAMPLES[number].name
    assert report.general == parsed.narratives["general"]
    assert load_values(report) == parsed.values


def test_demo_fixture_users_and_roles():
    load_demo()
    memberships = {
        m.user.username: (m.role, m.agency.name if m.agency else m.region.full_name)
        for m in Membership.objects.all()
    }
    assert memberships == {
        "clerk_lucheng": (Role.CLERK, "鹿城区民政局"),
        "reviewer_lucheng": (Role.REVIEWER, "鹿城区民政局"),
        "clerk_jinnan": (Role.CLERK, "津南区民政局"),
        "reviewer_jinnan": (Role.REVIEWER, "津南区民政局"),
        "office_wenzhou": (Role.OFFICE, "浙江省温州市"),
    }
    admin = get_user_model().objects.get(username="admin")
    assert (admin.is_superuser, admin.is_staff) == (True, True)


def test_demo_fixture_passwords_are_hashed_demo_password():
    load_demo()
    users = list(get_user_model().objects.order_by("username"))
    assert [u.username for u in users] == [
        "admin",
        "clerk_jinnan",
        "clerk_lucheng",
        "office_wenzhou",
        "reviewer_jinnan",
        "reviewer_lucheng",
    ]
    # one proper PBKDF2 hash shared by all demo accounts (see build_demo)
    assert {u.password for u in users} == {users[0].password}
    assert users[0].password.startswith("pbkdf2_sha256$")
    assert users[0].check_password(DEMO_PASSWORD)
    assert users[0].check_password("wrong-password") is False


def test_demo_fixture_loads_twice():
    load_demo()
    load_demo()
    assert (Agency.objects.count(), AnnualReport.objects.count(), get_user_model().objects.count()) == (
        29,
        46,
        6,
    )


def test_demo_fixture_history_is_consistent():
    load_demo()
    statuses = {}
    for report in AnnualReport.objects.exclude(agency__name__startswith="示例单位"):
        # imported as a draft; approved in a second step when no error-severity check fails
        assert report.history.latest().status == report.status
        assert report.history.earliest().status == Status.DRAFT
        transition = Transition.objects.get(report=report)
        assert (transition.action, transition.to_status) == ("import", report.status)
        statuses[report.source[:3]] = report.status
    assert statuses == {
        "000": Status.DRAFT,  # 表三 自然人 总计 does not add up
        "001": Status.APPROVED,
        "002": Status.APPROVED,
        "003": Status.APPROVED,
        "004": Status.APPROVED,
    }


@override_settings(DEMO_DATA_ALLOWED=False)
def test_demo_fixture_is_refused_in_production():
    with pytest.raises(DemoDataRefused) as caught:
        load_demo()
    assert str(caught.value).startswith("生产环境不允许加载演示数据：DEMO_DATA_ALLOWED 未开启")
    assert (Agency.objects.count(), get_user_model().objects.count()) == (0, 0)


@override_settings(DEMO_DATA_ALLOWED=False)
def test_production_guard_leaves_ordinary_saves_alone():
    Agency.objects.create(name="测试局")
    assert Agency.objects.count() == 1


def test_build_demo_regenerates_the_fixture(tmp_path, settings):
    output = tmp_path / "demo.json"
    call_command("build_demo", "--output", str(output), verbosity=0)
    built = json.loads(output.read_text(encoding="utf-8"))
    committed = json.loads((settings.BASE_DIR / "fixtures" / "demo.json").read_text(encoding="utf-8"))

    def stable(objects):
        volatile = {"password", "created_at", "updated_at", "history_date", "date_joined", "last_login"}
        return [
            (o["model"], o["pk"], {k: v for k, v in o["fields"].items() if k not in volatile})
            for o in objects
        ]

    assert stable(built) == stable(committed)
