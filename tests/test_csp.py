"""The Content-Security-Policy: on every page (the app's, the admin's, log-in and
error pages), and no page the app renders relies on what it forbids: inline
script (only ``type="application/json"`` data), inline style, event-handler
attributes, ``javascript:`` links."""

from html.parser import HTMLParser

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from disclosure.reports.models import AnnualReport, Role
from tests.conftest import PASSWORD, make_agency, make_clerk, make_report, make_user
from tests.review.builders import fill, set_status
from tests.test_url_matrix import ROLES, TABLE, url_for, users

pytestmark = pytest.mark.django_db

HEADER = "Content-Security-Policy"
EXPECTED = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "font-src": "'self'",
    "img-src": "'self' data:",
    "connect-src": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'self'",
    "object-src": "'none'",
}


def directives(response) -> dict:
    policy = response[HEADER]
    return dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())


class InlineFinder(HTMLParser):
    """Collects what a policy without 'unsafe-inline' blocks."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.scripts = 0
        self._in_script = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> event handler")
            if name == "style":
                self.problems.append(f"<{tag} style={value!r}> inline style")
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "script":
            self.scripts += 1
            if "src" not in attributes and attributes.get("type") != "application/json":
                self._in_script = f"<script {attributes}>"
            if attributes.get("type") == "importmap":
                self.problems.append("import map (inline)")

    def handle_data(self, data):
        if self._in_script is not None and data.strip():
            self.problems.append(f"{self._in_script} inline script: {data.strip()[:60]!r}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None


def inline_problems(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    finder.close()
    return finder.problems


def assert_policy(response):
    assert directives(response) == EXPECTED, response[HEADER]


def assert_clean_page(response, what):
    assert_policy(response)
    assert response["Content-Type"].startswith("text/html"), what
    assert inline_problems(response.content.decode()) == [], what


def test_inline_finder_sees_what_the_policy_blocks():
    """The checker itself: each kind of inline content is reported, data is not."""
    page = (
        '<script>alert(1)</script><script type="module">x()</script>'
        '<div style="color:red" onclick="x()"></div><style>p{}</style><a href="javascript:x()">a</a>'
        '<script type="application/json" id="d">{"a": 1}</script><script src="/static/a.js"></script>'
    )
    problems = inline_problems(page)
    assert len(problems) == 6, problems
    assert inline_problems('<script type="application/json">{}</script><script src="/a.js"></script>') == []


def test_login_page_carries_the_policy_and_no_inline_content(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert_clean_page(response, "login")


def test_redirect_to_login_carries_the_policy(client):
    response = client.get(reverse("reports:list"))
    assert response.status_code == 302
    assert_policy(response)


@pytest.mark.parametrize("name", sorted(n for n, (_, e) in TABLE.items() if 200 in e["GET"]))
def test_every_page_for_every_role_carries_the_policy_and_no_inline_script(name):
    """Every GET page of the URL matrix, as each role that may see it: the header,
    and HTML without inline script or style. Downloads (HTML, PDF, Word, Excel,
    JSON) carry the header too; the HTML report keeps its own ``<style>`` — it is an
    attachment, opened from disk without any policy, and the PDF's source."""
    agency, people = users()
    report = make_report(agency, 2021, people["clerk"])
    fill(report)
    state, expected = TABLE[name]
    url = url_for(name, report)
    seen = 0
    for role, status in zip(ROLES, expected["GET"]):
        if status != 200:
            continue
        set_status(report, state)
        client = Client()
        client.force_login(people[role])
        response = client.get(url)
        assert response.status_code == 200, (name, role)
        assert_policy(response)
        if response.get("Content-Disposition", "").startswith("attachment"):
            continue
        if response["Content-Type"].startswith("text/html"):
            assert_clean_page(response, (name, role))
            seen += 1
    if name in ("reports:list", "reports:detail", "reports:edit", "review:review", "review:history"):
        assert seen > 0, name


def test_report_html_download_is_an_attachment_with_its_stylesheet(client):
    """The one page with inline style is never rendered under the app's policy."""
    agency, people = users()
    report = make_report(agency, 2021, people["clerk"])
    fill(report)
    client.force_login(people["clerk"])
    response = client.get(reverse("publish:html", args=[report.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    assert "<style>" in response.content.decode()
    assert "<script" not in response.content.decode()


def test_edit_page_data_is_json_only(client):
    agency = make_agency()
    clerk = make_clerk(agency)
    report = make_report(agency, 2021, clerk)
    client.force_login(clerk)
    html = client.get(reverse("reports:edit", args=[report.pk])).content.decode()
    finder = InlineFinder()
    finder.feed(html)
    assert finder.problems == []
    assert finder.scripts >= 3  # bootstrap, edit.js, the JSON data (conflicts, previous)
    assert 'id="checks-link"' in html


def test_list_page_for_each_role_has_no_inline_content():
    agency, people = users()
    for year in (2020, 2021, 2022):
        fill(make_report(agency, year, people["clerk"]))
    AnnualReport.objects.filter(year=2020).update(status="approved")
    for role in ROLES[1:]:
        client = Client()
        client.force_login(people[role])
        assert_clean_page(client.get(reverse("reports:list")), role)


@override_settings(DEBUG=False)
def test_error_pages_carry_the_policy(client):
    user = make_user("someone")
    client.login(username=user.username, password=PASSWORD)
    missing = client.get("/reports/999999/")
    assert missing.status_code == 404
    assert_clean_page(missing, "404")
    office = make_user("office", Role.OFFICE, region="浙江省温州市")
    agency = make_agency()
    report = make_report(agency, 2021)
    client.force_login(office)
    refused = client.post(reverse("reports:edit", args=[report.pk]), {"version": "1"})
    assert refused.status_code == 403
    assert_clean_page(refused, "403")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    csrf = strict.post(reverse("logout"))
    assert csrf.status_code == 403
    assert_clean_page(csrf, "403 csrf")


@override_settings(DEBUG=False)
def test_server_error_page_carries_the_policy(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    agency = make_agency()
    clerk = make_clerk(agency)
    report = make_report(agency, 2021, clerk)
    client = Client(raise_request_exception=False)
    client.force_login(clerk)
    monkeypatch.setattr("disclosure.reports.edit_page.check_report", broken)
    response = client.get(reverse("reports:edit", args=[report.pk]))
    assert response.status_code == 500
    assert_clean_page(response, "500")


def admin_pages(report, superuser):
    pages = [reverse("admin:index")]
    model = type(report)
    info = (model._meta.app_label, model._meta.model_name)
    pages += [
        reverse("admin:{}_{}_changelist".format(*info)),
        reverse("admin:{}_{}_change".format(*info), args=[report.pk]),
        reverse("admin:{}_{}_history".format(*info), args=[report.pk]),
        reverse("admin:{}_{}_delete".format(*info), args=[report.pk]),
        reverse("admin:{}_{}_add".format(*info)),
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_change", args=[superuser.pk]),
        reverse("admin:auth_user_password_change", args=[superuser.pk]),
        reverse("admin:password_change"),
    ]
    return pages


def test_admin_pages_carry_the_policy_and_no_inline_content(client):
    agency = make_agency()
    report = make_report(agency, 2021)
    fill(report)
    superuser = make_user("root", is_superuser=True, is_staff=True)
    client.force_login(superuser)
    for url in admin_pages(report, superuser):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_clean_page(response, url)
    login = Client().get(reverse("admin:login"))
    assert login.status_code == 200
    assert_clean_page(login, "admin login")
