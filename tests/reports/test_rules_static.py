"""Each format's checks as a file of their own, named by its content's hash and
cached for good, instead of ~100 kB inlined in every edit page."""

import hashlib
import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import json_script

from disclosure.formats import FORMATS
from disclosure.formats.checks import rules_json
from disclosure.formats.phrases import phrases_json
from disclosure.reports.edit_page import checks_file
from tests.conftest import make_agency, make_clerk, make_report

pytestmark = pytest.mark.django_db

LINK = re.compile(
    r'<link rel="preload" href="(/formats/(gov\d{4})\.([0-9a-f]{12})\.json)" as="fetch"[^>]*id="checks-link">'
)


@pytest.fixture
def clerk_client(client):
    agency = make_agency()
    client.force_login(make_clerk(agency))
    client.agency = agency
    return client


def edit_page(client, year):
    report = make_report(client.agency, year)
    response = client.get(reverse("reports:edit", args=[report.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(("year", "code"), [(2020, "gov2019"), (2021, "gov2021")])
def test_edit_page_names_its_formats_checks_file_by_hash(clerk_client, year, code):
    html = edit_page(clerk_client, year)
    url, named, version = LINK.search(html).groups()
    body = clerk_client.get(url).content
    assert named == code
    assert version == hashlib.sha256(body).hexdigest()[:12]
    assert 'id="rules-data"' not in html and 'id="phrases-data"' not in html
    assert 'id="previous-data"' in html  # the report's own data stays in the page


def test_checks_file_holds_the_rules_and_phrases_of_its_format(clerk_client):
    for code, fmt in FORMATS.items():
        response = clerk_client.get(reverse("formats:checks", args=[code, checks_file(fmt).version]))
        assert response.status_code == 200
        data = json.loads(response.content)
        assert data == {"rules": rules_json(fmt), "phrases": phrases_json(code)}
        assert data["rules"]["format"] == data["phrases"]["format"] == code
    assert checks_file(FORMATS["gov2019"]).digest != checks_file(FORMATS["gov2021"]).digest


def test_checks_file_is_cached_for_good_with_an_etag(clerk_client):
    checks = checks_file(FORMATS["gov2021"])
    url = reverse("formats:checks", args=["gov2021", checks.version])
    response = clerk_client.get(url)
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["ETag"] == f'"{checks.digest}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    again = clerk_client.get(url, headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    other = clerk_client.get(url, headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200
    head = clerk_client.head(url)
    assert head.status_code == 200 and head["ETag"] == response["ETag"]


def test_checks_file_is_built_once_per_process():
    fmt = FORMATS["gov2021"]
    assert checks_file(fmt) is checks_file(fmt)


def test_an_old_hash_is_sent_to_the_current_file_and_an_unknown_format_is_404(clerk_client):
    current = reverse("formats:checks", args=["gov2021", checks_file(FORMATS["gov2021"]).version])
    old = clerk_client.get(reverse("formats:checks", args=["gov2021", "0123456789ab"]))
    assert old.status_code == 302
    assert old["Location"] == current
    assert "immutable" not in old.get("Cache-Control", "")
    assert clerk_client.get(reverse("formats:checks", args=["gov1999", "0123456789ab"])).status_code == 404
    assert clerk_client.get("/formats/gov2021.json").status_code == 404


def test_checks_file_is_read_only_and_needs_a_login(clerk_client):
    url = reverse("formats:checks", args=["gov2021", checks_file(FORMATS["gov2021"]).version])
    assert clerk_client.post(url).status_code == 405
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("year", [2020, 2021])
def test_edit_page_is_far_smaller_than_with_the_checks_inlined(clerk_client, year, capsys):
    """The page used to carry both JSON documents inline (json_script, as the page
    built them); the sizes are printed for the record."""
    html = edit_page(clerk_client, year)
    link = LINK.search(html)
    fmt = FORMATS[link.group(2)]
    inlined = (
        json_script(rules_json(fmt), "rules-data")
        + "\n"
        + json_script(phrases_json(fmt.code), "phrases-data")
    )
    size = len(html.encode())
    before = size - len(link.group(0).encode()) + len(inlined.encode())
    with capsys.disabled():
        print(
            f"\nedit page {fmt.code}: {before} bytes with the checks inlined, {size} bytes now;"
            f" the checks file {len(checks_file(fmt).body)} bytes, fetched once"
        )
    assert before - size > 50_000
    assert size < before * 0.75
