"""Downloads of an approved report serve the bytes stored at approval."""

import hashlib

import pytest
from django.urls import reverse

from disclosure.publish.models import Rendition
from disclosure.reports.models import Status
from disclosure.review.workflow import approve_report, submit_report
from tests.conftest import PASSWORD
from tests.review.builders import set_status, team

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["pdf", "html"])
def test_download_approved_report_serves_stored_bytes(client, kind):
    _, clerk, reviewer, _, report = team()
    submit_report(report.pk, clerk)
    approve_report(report.pk, reviewer)
    Rendition.objects.filter(kind=kind).update(content=b"stored at approval")
    client.login(username=clerk.username, password=PASSWORD)
    for _ in range(2):
        response = client.get(reverse(f"publish:{kind}", args=[report.pk]))
        assert response.content == b"stored at approval"


def test_download_imported_approved_report_stored_on_first_download(client):
    _, clerk, _, _, report = team()
    set_status(report, Status.APPROVED)
    client.login(username=clerk.username, password=PASSWORD)
    first = client.get(reverse("publish:html", args=[report.pk])).content
    stored = Rendition.objects.get(report=report, kind="html")
    Rendition.objects.filter(pk=stored.pk).update(content=b"frozen")
    again = client.get(reverse("publish:html", args=[report.pk])).content
    assert (hashlib.sha256(first).hexdigest(), again, stored.backfilled) == (stored.sha256, b"frozen", True)
