"""Draft files are rendered once per report version (and template version):
later readers, and readers arriving during the render, get the stored bytes."""

import threading
from collections import Counter

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from disclosure.publish import drafts
from disclosure.publish.drafts import draft_file
from disclosure.publish.models import DraftRendition
from disclosure.reports.models import AnnualReport
from tests.conftest import make_agency, make_clerk, make_report


@pytest.fixture
def renders(monkeypatch):
    """Counts the renders the draft cache really runs, by kind."""
    counted = Counter()
    for kind, renderer in list(drafts.RENDERERS.items()):

        def counting(report, kind=kind, renderer=renderer):
            counted[kind] += 1
            return renderer(report)

        monkeypatch.setitem(drafts.RENDERERS, kind, counting)
    return counted


@pytest.mark.django_db
def test_draft_pdf_downloaded_twice_is_rendered_once(client, renders):
    agency = make_agency()
    report = make_report(agency, 2021)
    client.force_login(make_clerk(agency))
    first, second = (client.get(reverse("publish:pdf", args=[report.pk])) for _ in range(2))
    assert (first.status_code, second.status_code, first.content[:5]) == (200, 200, b"%PDF-")
    assert first.content == second.content
    row = DraftRendition.objects.get(report=report)
    assert (renders["pdf"], row.renders, row.version, row.size) == (1, 1, 1, len(first.content))


@pytest.mark.django_db
def test_draft_new_version_rendered_again_and_old_one_dropped(renders):
    report = make_report(make_agency(), 2021)
    before = draft_file(report, "html")
    AnnualReport.objects.filter(pk=report.pk).update(version=2, general="新的总体情况。")
    report.refresh_from_db()
    after = draft_file(report, "html")
    assert "新的总体情况。" in after.decode() and "新的总体情况。" not in before.decode()
    assert renders["html"] == 2
    assert list(DraftRendition.objects.values_list("version", flat=True)) == [2]


@pytest.mark.django_db
def test_draft_changed_without_version_bump_is_not_served_stale(renders):
    report = make_report(make_agency(), 2021)
    draft_file(report, "html")
    report.general = "脚本直接修改的文字。"
    report.save()  # updated_at moves, the version does not
    assert "脚本直接修改的文字。" in draft_file(report, "html").decode()
    assert (renders["html"], DraftRendition.objects.get().renders) == (2, 2)


@pytest.mark.django_db
def test_draft_new_template_version_rendered_again(renders, monkeypatch):
    report = make_report(make_agency(), 2021)
    draft_file(report, "html")
    monkeypatch.setattr(drafts, "template_version", lambda: "f" * 64)
    draft_file(report, "html")
    assert renders["html"] == 2
    assert list(DraftRendition.objects.values_list("template_version", flat=True)) == ["f" * 64]


@pytest.mark.django_db(transaction=True)
def test_ten_readers_at_once_cost_one_render(renders):
    """Ten downloads of the same draft in parallel threads (each its own database
    connection, as separate gunicorn workers would have): one render, ten equal files."""
    agency = make_agency()
    report = make_report(agency, 2021)
    clerk = make_clerk(agency)
    barrier = threading.Barrier(10)
    results = [None] * 10

    def reader(index):
        try:
            client = Client()
            client.force_login(clerk)
            barrier.wait()
            response = client.get(reverse("publish:pdf", args=[report.pk]))
            results[index] = (response.status_code, response.content)
        finally:
            connection.close()

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [status for status, _ in results] == [200] * 10
    assert len({content for _, content in results}) == 1
    assert (renders["pdf"], DraftRendition.objects.get(report=report).renders) == (1, 1)
