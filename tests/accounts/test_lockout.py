"""Log-in throttling (django-axes): five failures lock the user name and the address."""

import pytest
from django.test import Client, RequestFactory, override_settings

from disclosure.accounts.lockout import client_ip
from tests.conftest import PASSWORD, make_agency, make_clerk

pytestmark = [pytest.mark.django_db]

LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def axes_on(settings):
    settings.AXES_ENABLED = True


def attempt(client, username, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_failures_lock_the_account_with_a_chinese_page():
    clerk = make_clerk(make_agency())
    client = Client()
    for _ in range(4):
        response = attempt(client, clerk.username, "wrong-password")
        assert response.status_code == 200
        assert "用户名或密码不正确" in response.content.decode()
    response = attempt(client, clerk.username, "wrong-password")
    assert response.status_code == 429
    page = response.content.decode()
    assert "登录失败次数过多" in page and "30分钟后再试" in page
    assert 'id="forgot-password"' in page
    # the right password does not get in while the lock lasts
    response = attempt(client, clerk.username, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_user_name_is_locked_from_another_address():
    clerk = make_clerk(make_agency())
    for _ in range(5):
        attempt(Client(), clerk.username, "wrong-password", "10.0.0.1")
    assert attempt(Client(), clerk.username, PASSWORD, "10.9.9.9").status_code == 429


def test_the_address_is_locked_for_other_user_names():
    agency = make_agency()
    make_clerk(agency, "clerk")
    other = make_clerk(agency, "clerk2")
    for n in range(5):
        attempt(Client(), f"guess{n}", "wrong-password", "10.0.0.7")
    assert attempt(Client(), other.username, PASSWORD, "10.0.0.7").status_code == 429
    assert attempt(Client(), other.username, PASSWORD, "10.0.0.8").status_code == 302


def test_fewer_failures_then_success_logs_in_and_resets():
    clerk = make_clerk(make_agency())
    for _ in range(4):
        attempt(Client(), clerk.username, "wrong-password")
    client = Client()
    response = attempt(client, clerk.username, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(clerk.pk)
    for _ in range(4):  # the count started again after the success
        assert attempt(Client(), clerk.username, "wrong-password").status_code == 200


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_the_lock_follows_the_forwarded_client():
    clerk = make_clerk(make_agency())

    def through_proxy(username, password, client_address):
        return Client().post(
            LOGIN,
            {"username": username, "password": password},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"192.0.2.1, {client_address}",  # the left entry is the client's own
        )

    for n in range(5):
        through_proxy(f"guess{n}", "bad", "203.0.113.5")
    assert through_proxy(clerk.username, PASSWORD, "203.0.113.5").status_code == 429
    # another client through the same proxy is not locked
    assert through_proxy(clerk.username, PASSWORD, "198.51.100.9").status_code == 302


def test_client_ip_reads_the_trusted_end_of_x_forwarded_for(settings):
    factory = RequestFactory()
    spoofed = factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5")
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(spoofed) == "203.0.113.5"  # what the client wrote to the left is ignored
    assert client_ip(factory.get("/", REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"
    assert client_ip(factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="junk")) == "127.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(spoofed) == "1.2.3.4"
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(spoofed) == "127.0.0.1"
