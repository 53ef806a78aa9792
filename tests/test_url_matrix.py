"""Every URL of the app × every role × GET and POST, against one table.

The URLs are read from the URLconf (the reports, publish and review
namespaces), so a new URL that is not in ``TABLE`` fails
``test_url_matrix_covers_every_url``: nobody adds an unscoped page silently.
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from disclosure.publish.models import Rendition
from disclosure.reports.models import Role
from tests.conftest import make_agency, make_clerk, make_report, make_reviewer, make_user
from tests.review.builders import fill, set_status

NAMESPACES = ("reports", "publish", "review", "oversight")

ROLES = (
    "anonymous",
    "clerk",  # clerk of the report's agency
    "reviewer",  # reviewer of the report's agency
    "other_clerk",  # clerk of another agency of the same region
    "other_reviewer",  # reviewer of that other agency
    "office",  # 政务公开办 of the report's region
    "other_office",  # 政务公开办 of another region
    "superuser",
)

# URL name → (the report's state, {method: the status code each role gets, in ROLES order}).
# "login" is a redirect to the login page; other 302s are the page's own redirects.
LOGIN = "login"
OUTSIDE = (404, 404)  # other_clerk, other_reviewer get 404 with any method
TABLE = {
    "reports:list": ("draft", {"GET": (LOGIN, 200, 200, 200, 200, 200, 200, 200),
                               "POST": (LOGIN, 405, 405, 405, 405, 405, 405, 405)}),
    "reports:start": ("draft", {"GET": (LOGIN, 405, 405, 405, 405, 405, 405, 405),
                                "POST": (LOGIN, 302, 403, 302, 403, 403, 403, 403)}),
    "reports:detail": ("draft", {"GET": (LOGIN, 200, 200, *OUTSIDE, 200, 404, 200),
                                 "POST": (LOGIN, 405, 405, *OUTSIDE, 405, 404, 405)}),
    "reports:edit": ("draft", {"GET": (LOGIN, 200, 302, *OUTSIDE, 302, 404, 302),
                               "POST": (LOGIN, 302, 403, *OUTSIDE, 403, 404, 403)}),
    "reports:explain": ("draft", {"GET": (LOGIN, 405, 405, *OUTSIDE, 405, 404, 405),
                                  "POST": (LOGIN, 302, 403, *OUTSIDE, 403, 404, 403)}),
    "reports:xlsx_upload": ("draft", {"GET": (LOGIN, 200, 403, *OUTSIDE, 403, 404, 403),
                                      "POST": (LOGIN, 400, 403, *OUTSIDE, 403, 404, 403)}),
    "publish:html": ("draft", {"GET": (LOGIN, 200, 200, *OUTSIDE, 200, 404, 200),
                               "POST": (LOGIN, 405, 405, *OUTSIDE, 405, 404, 405)}),
    "publish:pdf": ("draft", {"GET": (LOGIN, 200, 200, *OUTSIDE, 200, 404, 200),
                              "POST": (LOGIN, 405, 405, *OUTSIDE, 405, 404, 405)}),
    "publish:data": ("draft", {"GET": (LOGIN, 200, 200, *OUTSIDE, 200, 404, 200),
                               "POST": (LOGIN, 405, 405, *OUTSIDE, 405, 404, 405)}),
    "publish:docx": ("draft", {"GET": (LOGIN, 200, 200, *OUTSIDE, 200, 404, 200),
                               "POST": (LOGIN, 405, 405, *OUTSIDE, 405, 404, 405)}),
    "publish:xlsx": ("draft", {"GET": (LOGIN, 200, 200, *OUTSIDE, 200, 404, 200),
                               "POST": (LOGIN, 405, 405, *OUTSIDE, 405, 404, 405)}),
    "review:submit": ("draft", {"GET": (LOGIN, 405, 405, *OUTSIDE, 405, 404, 405),
                                "POST": (LOGIN, 302, 403, *OUTSIDE, 403, 404, 403)}),
    "review:withdraw": ("submitted", {"GET": (LOGIN, 405, 405, *OUTSIDE, 405, 404, 405),
                                      "POST": (LOGIN, 302, 403, *OUTSIDE, 403, 404, 403)}),
    "review:approve": ("submitted", {"GET": (LOGIN, 405, 405, *OUTSIDE, 405, 404, 405),
                                     "POST": (LOGIN, 403, 302, *OUTSIDE, 403, 404, 403)}),
    "review:return": ("submitted", {"GET": (LOGIN, 405, 405, *OUTSIDE, 405, 404, 405),
                                    "POST": (LOGIN, 403, 302, *OUTSIDE, 403, 404, 403)}),
    "review:reopen": ("approved", {"GET": (LOGIN, 405, 405, *OUTSIDE, 405, 404, 405),
                                   "POST": (LOGIN, 403, 302, *OUTSIDE, 403, 404, 403)}),
    "review:review": ("submitted", {"GET": (LOGIN, 200, 200, *OUTSIDE, 200, 404, 200),
                                    "POST": (LOGIN, 405, 405, *OUTSIDE, 405, 404, 405)}),
    "review:history": ("draft", {"GET": (LOGIN, 200, 200, *OUTSIDE, 200, 404, 200),
                                 "POST": (LOGIN, 405, 405, *OUTSIDE, 405, 404, 405)}),
    "review:rendition": ("approved", {"GET": (LOGIN, 200, 200, *OUTSIDE, 200, 404, 200),
                                      "POST": (LOGIN, 405, 405, *OUTSIDE, 405, 404, 405)}),
    "oversight:dashboard": ("draft", {"GET": (LOGIN, 403, 403, 403, 403, 200, 200, 200),
                                      "POST": (LOGIN, 405, 405, 405, 405, 405, 405, 405)}),
    "oversight:rollup": ("approved", {"GET": (LOGIN, 403, 403, 403, 403, 200, 200, 200),
                                      "POST": (LOGIN, 403, 403, 403, 403, 405, 405, 405)}),
    "oversight:rollup_cell": ("approved", {"GET": (LOGIN, 403, 403, 403, 403, 200, 200, 200),
                                           "POST": (LOGIN, 403, 403, 403, 403, 405, 405, 405)}),
    "oversight:rollup_json": ("approved", {"GET": (LOGIN, 403, 403, 403, 403, 200, 200, 200),
                                           "POST": (LOGIN, 403, 403, 403, 403, 405, 405, 405)}),
    "oversight:rollup_xlsx": ("approved", {"GET": (LOGIN, 403, 403, 403, 403, 200, 200, 200),
                                           "POST": (LOGIN, 403, 403, 403, 403, 405, 405, 405)}),
    "oversight:rollup_html": ("approved", {"GET": (LOGIN, 403, 403, 403, 403, 200, 200, 200),
                                           "POST": (LOGIN, 403, 403, 403, 403, 405, 405, 405)}),
    "oversight:rollup_pdf": ("approved", {"GET": (LOGIN, 403, 403, 403, 403, 200, 200, 200),
                                          "POST": (LOGIN, 403, 403, 403, 403, 405, 405, 405)}),
    "reports:upload_start": ("draft", {"GET": (LOGIN, 200, 403, 200, 403, 403, 403, 403),
                                       "POST": (LOGIN, 400, 403, 400, 403, 403, 403, 403)}),
    "reports:upload_start_save": ("draft", {"GET": (LOGIN, 405, 405, 405, 405, 405, 405, 405),
                                            "POST": (LOGIN, 409, 403, 409, 403, 403, 403, 403)}),
    "reports:upload_start_done": ("approved", {"GET": (LOGIN, 302, 302, *OUTSIDE, 302, 404, 302),
                                               "POST": (LOGIN, 405, 405, *OUTSIDE, 405, 404, 405)}),
    "oversight:upload": ("draft", {"GET": (LOGIN, 403, 403, 403, 403, 200, 200, 200),
                                   "POST": (LOGIN, 403, 403, 403, 403, 400, 400, 400)}),
    "oversight:rollup_export": ("approved", {"GET": (LOGIN, 403, 403, 403, 403, 405, 405, 405),
                                             "POST": (LOGIN, 403, 403, 403, 403, 400, 400, 400)}),
}  # fmt: skip

POST_DATA = {"comment": "矩阵测试", "year": "2022", "action": "save"}  # version added per report


def app_urls() -> dict:
    """name → URL pattern, for every named URL of the app's namespaces."""
    found = {}

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and namespace in NAMESPACES:
                found[f"{namespace}:{pattern.name}"] = pattern

    walk(get_resolver().url_patterns, None)
    return found


def test_url_matrix_covers_every_url():
    urls = app_urls()
    assert sorted(name for name in urls if name not in TABLE) == [], "add the new URL to TABLE"
    assert sorted(name for name in TABLE if name not in urls) == []


def users():
    agency = make_agency(name="鹿城区民政局", region="浙江省温州市鹿城区")
    other = make_agency(name="瓯海区民政局", region="浙江省温州市瓯海区")
    return agency, {
        "anonymous": None,
        "clerk": make_clerk(agency, "clerk"),
        "reviewer": make_reviewer(agency, "reviewer"),
        "other_clerk": make_clerk(other, "other_clerk"),
        "other_reviewer": make_reviewer(other, "other_reviewer"),
        "office": make_user("office", Role.OFFICE, region="浙江省温州市"),
        "other_office": make_user("other_office", Role.OFFICE, region="天津市"),
        "superuser": make_user("root", is_superuser=True, is_staff=True),
    }


def url_for(name: str, report) -> str:
    kwargs = {}
    for argument in app_urls()[name].pattern.converters:
        if argument == "pk":
            kwargs[argument] = report.pk
        elif argument == "rendition_id":
            content = b"stored"
            kwargs[argument] = Rendition.objects.create(
                report=report, version=report.version, kind="html", content=content,
                sha256=Rendition.digest(content), size=len(content),
            ).pk  # fmt: skip
        elif argument == "year" and name.startswith("oversight:rollup"):
            kwargs[argument] = report.year
        elif argument == "key" and name == "oversight:rollup_cell":
            kwargs[argument] = "applications.new.total"
        else:
            raise AssertionError(f"url_for does not know how to fill {argument!r} of {name}")
    return reverse(name, kwargs=kwargs)


def outcome(response):
    if response.status_code == 302 and response.url.startswith(reverse("login")):
        return LOGIN
    return response.status_code


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("name", sorted(TABLE))
def test_url_matrix_every_role(name, method):
    agency, people = users()
    report = make_report(agency, 2021, people["clerk"])
    fill(report)
    state, expected = TABLE[name]
    set_status(report, state)
    url = url_for(name, report)
    got = []
    for role in ROLES:
        set_status(report, state)  # an allowed transition by an earlier role moved it
        client = Client()
        if people[role]:
            client.force_login(people[role])
        data = {**POST_DATA, "version": str(report.version)}
        response = client.get(url) if method == "GET" else client.post(url, data)
        got.append(outcome(response))
    assert dict(zip(ROLES, got)) == dict(zip(ROLES, expected[method]))
