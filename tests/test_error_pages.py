"""Refusals speak Chinese and keep their reason; a body that is not UTF-8 is refused, not stored."""

import pytest
from django.template.loader import get_template
from django.test import Client, override_settings
from django.urls import reverse

from disclosure.reports.services import load_values
from tests.conftest import PASSWORD, make_agency, make_clerk, make_report, make_user

pytestmark = pytest.mark.django_db


def test_403_page_is_chinese_and_keeps_the_reason(client):
    agency = make_agency()
    report = make_report(agency, 2021)
    make_user("office", "office", region="浙江省温州市")
    client.login(username="office", password=PASSWORD)
    response = client.post(reverse("reports:edit", args=[report.pk]), {"version": "1"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "无权进行此操作" in page and "只有本机关的填报人可以填写报告。" in page
    assert "Forbidden" not in page


@override_settings(DEBUG=False)
def test_404_page_is_chinese_and_keeps_the_reason(client):
    make_user("someone")
    client.login(username="someone", password=PASSWORD)
    response = client.get("/reports/999999/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "没有找到该页面" in page and "没有找到该报告，或您无权查看。" in page


def test_500_page_is_chinese():
    page = get_template("500.html").render({})
    assert "系统出错，请稍后重试" in page


def test_csrf_failure_page_is_chinese():
    strict = Client(enforce_csrf_checks=True)
    make_user("someone")
    strict.login(username="someone", password=PASSWORD)
    response = strict.post(reverse("logout"))
    assert response.status_code == 403
    assert "页面已过期，本次提交未保存" in response.content.decode()


def test_form_post_not_in_utf8_is_refused_and_nothing_is_stored(client):
    agency = make_agency()
    report = make_report(agency, 2021)
    client.login(username=make_clerk(agency).username, password=PASSWORD)
    body = b"version=1&action=save&general=" + "本年度主动公开".encode("gbk")
    response = client.post(
        reverse("reports:edit", args=[report.pk]), body, content_type="application/x-www-form-urlencoded"
    )
    report.refresh_from_db()
    assert response.status_code == 400
    assert "提交的内容不是 UTF-8 编码" in response.content.decode()
    assert (report.general, report.version) == ("", 1)
    assert load_values(report)["applications.new.natural_person"] is None


def test_multipart_post_not_in_utf8_is_refused(client):
    agency = make_agency()
    report = make_report(agency, 2021)
    client.login(username=make_clerk(agency).username, password=PASSWORD)
    boundary = "XyZ"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="general"\r\n\r\n'.encode()
        + "本年度".encode("gbk")
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = client.post(
        reverse("reports:edit", args=[report.pk]),
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 400


def test_utf8_form_post_passes(client):
    agency = make_agency()
    report = make_report(agency, 2021)
    client.login(username=make_clerk(agency).username, password=PASSWORD)
    body = "version=1&action=save&general=" + "%E6%9C%AC%E5%B9%B4%E5%BA%A6"
    response = client.post(
        reverse("reports:edit", args=[report.pk]), body, content_type="application/x-www-form-urlencoded"
    )
    report.refresh_from_db()
    assert (response.status_code, report.general) == (302, "本年度")
