"""Draft files are rendered once per report version (and template version):
later readers, and readers arriving during the render, get the stored bytes."""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from disclosure.publish import drafts
from disclosure.publish.drafts import draft_file
from disclosure.publish.models import DraftRendition
from disclosure.publish.tasks import render_draft
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


@pytest.fixture
def with_broker():
    """Tasks go to a broker (in memory: nothing runs them) instead of running in-process."""
    conf = render_draft.app.conf
    saved = (conf.task_always_eager, conf.broker_url)
    conf.update(task_always_eager=False, broker_url="memory://")
    yield
    conf.update(task_always_eager=saved[0], broker_url=saved[1])


@pytest.mark.django_db
def test_with_a_broker_a_draft_is_rendered_by_a_worker_not_in_the_request(
    client, renders, with_broker, django_capture_on_commit_callbacks
):
    agency = make_agency()
    report = make_report(agency, 2021)
    client.force_login(make_clerk(agency))
    url = reverse("publish:pdf", args=[report.pk])
    with django_capture_on_commit_callbacks() as queued:
        pending = client.get(url)
    assert pending.status_code == 202 and pending["Retry-After"]
    page = pending.content.decode()
    assert "草稿文件正在生成" in page and f'data-poll-url="{url}"' in page and "pending.js" in page
    assert len(queued) == 1 and renders["pdf"] == 0
    placeholder = DraftRendition.objects.get(report=report, kind="pdf")
    assert (placeholder.version, placeholder.renders) == (report.version, 0)

    # other readers meanwhile wait: nothing is asked for twice
    with django_capture_on_commit_callbacks() as again:
        assert client.get(url).status_code == 202
    assert again == []
    # a request that looks lost (its worker died) is asked for again
    DraftRendition.objects.filter(pk=placeholder.pk).update(
        locked_at=timezone.now() - drafts.REQUEST_AGAIN_AFTER - timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks() as lost:
        assert client.get(url).status_code == 202
    assert len(lost) == 1

    # the worker's task renders it once; every reader then gets the file
    assert render_draft(report.pk, report.version, "pdf") == "stored"
    assert render_draft(report.pk, report.version, "pdf") == "stored"
    first, second = client.get(url), client.get(url)
    assert (first.status_code, first.content[:5], second.content == first.content) == (200, b"%PDF-", True)
    assert renders["pdf"] == 1
    # a task for a version saved over since does nothing
    AnnualReport.objects.filter(pk=report.pk).update(version=report.version + 1)
    assert render_draft(report.pk, report.version, "pdf") == "stale"


@pytest.mark.django_db
def test_a_render_drops_older_versions_only(renders):
    agency = make_agency()
    report = make_report(agency, 2021)
    tv = drafts.template_version()
    for version in (report.version - 1 if report.version > 1 else 0, report.version + 1):
        DraftRendition.objects.create(report=report, version=version, template_version=tv, kind="pdf")
    DraftRendition.objects.create(report=report, version=report.version, template_version="old", kind="pdf")
    draft_file(report, "pdf")
    left = sorted(DraftRendition.objects.filter(report=report).values_list("version", "template_version"))
    assert left == [(report.version, tv), (report.version + 1, tv)]  # a newer version's row is kept
