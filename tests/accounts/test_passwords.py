"""Password policy, self-service change, reset by e-mail, the session's lifetime."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from disclosure.accounts.middleware import RENEWED_KEY
from tests.conftest import PASSWORD, make_agency, make_clerk

pytestmark = pytest.mark.django_db

GOOD = "Wenzhou-gongkai-2026"


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def messages_for(password, user=None):
    try:
        with translation.override("zh-hans"):
            validate_password(password, user)
    except ValidationError as error:
        return error.messages
    return []


def test_policy_refuses_short_numeric_common_and_similar_in_chinese():
    clerk = make_clerk(make_agency(), "wangxiaoming")
    assert any("密码必须包含至少 12 个字符" in m for m in messages_for("Ab3$efgh", clerk))
    assert any("密码只包含数字" in m for m in messages_for("202620262026", clerk))
    assert any("这个密码太常见了" in m for m in messages_for("password1234", clerk))
    assert any("相似" in m for m in messages_for("wangxiaoming1", clerk))
    assert messages_for(GOOD, clerk) == []


def test_change_password_page_and_change():
    clerk = make_clerk(make_agency())
    client = logged_in(clerk)
    page = client.get("/accounts/password/").content.decode()
    assert "修改密码" in page and "当前密码" in page
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "1234567890123", "new_password2": "1234567890123"},
    )
    assert response.status_code == 200
    assert '<div class="invalid-feedback">密码只包含数字。</div>' in response.content.decode()
    response = client.post(
        "/accounts/password/", {"old_password": "wrong", "new_password1": GOOD, "new_password2": GOOD}
    )
    assert '<div class="invalid-feedback">你的旧密码不正确。请重新输入。</div>' in response.content.decode()
    response = client.post(
        "/accounts/password/", {"old_password": PASSWORD, "new_password1": GOOD, "new_password2": GOOD}
    )
    assert response["Location"] == "/accounts/password/done/"
    assert "密码已修改成功" in client.get("/accounts/password/done/").content.decode()
    assert client.get("/reports/").status_code == 200  # still signed in
    clerk.refresh_from_db()
    assert clerk.check_password(GOOD)


def test_change_password_needs_log_in():
    response = Client().get("/accounts/password/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_login_page_links_to_reset():
    page = Client().get("/accounts/login/").content.decode()
    assert 'href="/accounts/password/reset/"' in page and "忘记密码" in page


def reset_link(settings):
    assert len(mail.outbox) == 1
    found = re.search(
        rf"{re.escape(settings.SITE_URL)}(/accounts/password/reset/[^/\s]+/[^/\s]+/)", mail.outbox[0].body
    )
    assert found, mail.outbox[0].body
    return found.group(1)


def test_reset_by_mail_end_to_end(settings):
    settings.SITE_URL = "https://gk.example.gov.cn"
    clerk = make_clerk(make_agency())
    clerk.email, clerk.first_name = "clerk@example.gov.cn", "张填报"
    clerk.save()
    client = Client()
    assert "电子邮箱" in client.get("/accounts/password/reset/").content.decode()
    response = client.post("/accounts/password/reset/", {"email": "clerk@example.gov.cn"})
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox[0].subject == "【年度报告填报】重设密码"
    assert "张填报" in mail.outbox[0].body
    link = reset_link(settings)
    form = client.get(link, follow=True)
    assert "请为账号设置新密码" in form.content.decode()
    response = client.post(form.redirect_chain[-1][0], {"new_password1": GOOD, "new_password2": GOOD})
    assert response["Location"] == "/accounts/password/reset/complete/"
    assert "密码已重设" in client.get(response["Location"]).content.decode()
    clerk.refresh_from_db()
    assert clerk.check_password(GOOD)
    # the link works once
    assert "该重设链接无效" in client.get(link, follow=True).content.decode()


def test_reset_link_uses_the_request_host_without_site_url(settings):
    settings.SITE_URL = ""
    clerk = make_clerk(make_agency())
    clerk.email = "clerk@example.gov.cn"
    clerk.save()
    Client().post("/accounts/password/reset/", {"email": "clerk@example.gov.cn"}, HTTP_HOST="localhost")
    assert "http://localhost/accounts/password/reset/" in mail.outbox[0].body


def test_reset_of_an_unknown_address_looks_the_same_and_sends_nothing():
    response = Client().post("/accounts/password/reset/", {"email": "nobody@example.gov.cn"})
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox == []


def test_completed_reset_lifts_a_lockout(settings):
    settings.AXES_ENABLED = True
    clerk = make_clerk(make_agency())
    clerk.email = "clerk@example.gov.cn"
    clerk.save()
    for _ in range(5):
        Client().post(
            "/accounts/login/", {"username": clerk.username, "password": "bad"}, REMOTE_ADDR="10.0.0.1"
        )
    client = Client()
    client.post("/accounts/password/reset/", {"email": clerk.email})
    form = client.get(reset_link(settings), follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": GOOD, "new_password2": GOOD})
    response = Client().post(
        "/accounts/login/", {"username": clerk.username, "password": GOOD}, REMOTE_ADDR="10.0.0.2"
    )
    assert response.status_code == 302


def test_session_lasts_a_working_day_and_requests_renew_it(settings):
    assert settings.SESSION_COOKIE_AGE == 9 * 60 * 60
    client = logged_in(make_clerk(make_agency()))
    # logging in saved it; within SESSION_RENEW_SECONDS it is not written again
    assert "sessionid" not in client.get("/reports/").cookies
    # later, a request renews it: the expiry stored in the database moves on
    session = Session.objects.get(session_key=client.session.session_key)
    expiry = session.expire_date
    stored = client.session
    stored[RENEWED_KEY] -= settings.SESSION_RENEW_SECONDS
    stored.save()
    Session.objects.filter(pk=session.pk).update(expire_date=expiry - timedelta(hours=1))
    response = client.get("/reports/")
    assert response.cookies["sessionid"]["max-age"] == 9 * 60 * 60
    assert Session.objects.get(pk=session.pk).expire_date > expiry - timedelta(minutes=1)
