"""The new oversight URLs (upload, roll-up job) × every role × GET and POST, with the
URL matrix's own users and expectations format (tests/test_url_matrix.py)."""

import pytest
from django.test import Client

from tests.conftest import make_report
from tests.review.builders import fill, set_status
from tests.test_url_matrix import LOGIN, POST_DATA, ROLES, outcome, url_for, users

TABLE = {
    "oversight:upload": ("draft", {"GET": (LOGIN, 403, 403, 403, 403, 200, 200, 200),
                                   "POST": (LOGIN, 403, 403, 403, 403, 400, 400, 400)}),
    "oversight:rollup_export": ("approved", {"GET": (LOGIN, 403, 403, 403, 403, 405, 405, 405),
                                             "POST": (LOGIN, 403, 403, 403, 403, 400, 400, 400)}),
}  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("name", sorted(TABLE))
def test_new_oversight_urls_every_role(name, method):
    agency, people = users()
    report = make_report(agency, 2021, people["clerk"])
    fill(report)
    state, expected = TABLE[name]
    set_status(report, state)
    url = url_for(name, report)
    got = []
    for role in ROLES:
        client = Client()
        if people[role]:
            client.force_login(people[role])
        response = client.get(url) if method == "GET" else client.post(url, POST_DATA)
        got.append(outcome(response))
    assert dict(zip(ROLES, got, strict=True)) == dict(zip(ROLES, expected[method], strict=True))
