"""The notification list: each user sees and marks only their own."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from disclosure.notifications.models import Kind, Notification
from disclosure.notifications.services import notify
from tests.conftest import make_agency, make_clerk, make_reviewer

pytestmark = pytest.mark.django_db


def setup_two():
    agency = make_agency()
    clerk = make_clerk(agency)
    reviewer = make_reviewer(agency)
    mine = notify(
        [clerk], Kind.RETURNED, "【已退回】测试报告", "请修改<script>alert(1)</script>", "/reports/1/edit/"
    )[0]
    theirs = notify([reviewer], Kind.SUBMITTED, "【待审核】别人的通知", "别人的内容", "/reports/1/review/")[0]
    return clerk, reviewer, mine, theirs


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_list_shows_only_own_notifications_escaped_with_unread_count():
    clerk, _, mine, theirs = setup_two()
    response = client_for(clerk).get("/notifications/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "【已退回】测试报告" in page
    assert "别人的通知" not in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'id="unread-count">1<' in page  # the badge in the navigation bar


def test_anonymous_is_sent_to_log_in():
    response = Client().get("/notifications/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_mark_read_is_post_only_and_own_only():
    clerk, reviewer, mine, theirs = setup_two()
    client = client_for(clerk)
    assert client.get(f"/notifications/{mine.pk}/read/").status_code == 405
    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    response = client.post(f"/notifications/{mine.pk}/read/")
    assert response.status_code == 302 and response["Location"] == "/notifications/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert 'id="unread-count"' not in client.get("/notifications/").content.decode()


def test_open_marks_read_and_goes_to_the_report_page():
    clerk, _, mine, _ = setup_two()
    response = client_for(clerk).post(f"/notifications/{mine.pk}/read/", {"open": "1"})
    assert response["Location"] == "/reports/1/edit/"
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_mark_all_read_touches_only_own():
    clerk, reviewer, mine, theirs = setup_two()
    notify([clerk], Kind.APPROVED, "二", "二")
    client_for(clerk).post("/notifications/read-all/")
    assert not Notification.objects.filter(recipient=clerk, read_at=None).exists()
    assert Notification.objects.filter(recipient=reviewer, read_at=None).count() == 1


def test_mark_read_needs_the_csrf_token():
    clerk, _, mine, _ = setup_two()
    client = Client(enforce_csrf_checks=True)
    client.force_login(clerk)
    assert client.post(f"/notifications/{mine.pk}/read/").status_code == 403
    assert client.post("/notifications/read-all/").status_code == 403
    mine.refresh_from_db()
    assert mine.read_at is None


def test_read_notification_keeps_its_read_time():
    clerk, _, mine, _ = setup_two()
    earlier = timezone.now() - datetime.timedelta(days=1)
    Notification.objects.filter(pk=mine.pk).update(read_at=earlier)
    client_for(clerk).post(f"/notifications/{mine.pk}/read/")
    mine.refresh_from_db()
    assert mine.read_at == earlier


def test_subject_is_one_line_even_from_a_crafted_title(django_capture_on_commit_callbacks):
    clerk = make_clerk(make_agency())
    clerk.email = "clerk@example.gov.cn"
    clerk.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify([clerk], Kind.RETURNED, "【已退回】标题\nBcc: someone@example.com", "正文")
    assert mail.outbox[0].subject == "【已退回】标题 Bcc: someone@example.com"
    assert mail.outbox[0].bcc == []
