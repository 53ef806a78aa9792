"""Downloads: access, file names, draft watermark, escaping; the report page's
publish panel; the render_report command; the HarfBuzz system check."""

import re
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, TestCase
from django.urls import reverse
from pypdf import PdfReader

from disclosure.publish import checks
from disclosure.publish.render import download_name, render_html
from disclosure.publish.tasks import request_files
from disclosure.reports.models import AnnualReport, Status
from disclosure.reports.services import save_values
from tests.conftest import PASSWORD, make_agency, make_clerk, make_report, make_user

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"


def client_for(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def approve(report):
    """Approved (as if imported so), with the files an approval stores in the background."""
    AnnualReport.objects.filter(pk=report.pk).update(status=Status.APPROVED)
    report.refresh_from_db()
    with TestCase.captureOnCommitCallbacks(execute=True):
        request_files(report)
    return report


def test_report_html_draft_has_watermark_and_draft_name():
    agency = make_agency()
    report = make_report(agency, 2021)
    response = client_for(make_clerk(agency)).get(reverse("publish:html", args=[report.pk]))
    html = response.content.decode()
    name = f"{agency.name}2021年政府信息公开工作年度报告（草稿）.html"
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"report-2021-{report.pk}-draft.html\"; filename*=UTF-8''{quote(name)}"
    )
    assert html.count('class="watermark"') == 1


def test_report_html_approved_is_clean():
    agency = make_agency()
    report = approve(make_report(agency, 2021))
    response = client_for(make_clerk(agency)).get(reverse("publish:html", args=[report.pk]))
    name = f"{agency.name}2021年政府信息公开工作年度报告.html"
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f"filename*=UTF-8''{quote(name)}")
    assert 'class="watermark"' not in response.content.decode()


def test_report_pdf_draft_is_pdf_with_draft_name():
    agency = make_agency()
    report = make_report(agency, 2020)
    response = client_for(make_clerk(agency)).get(reverse("publish:pdf", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content[:5] == b"%PDF-"
    assert response["Content-Disposition"].endswith(quote("（草稿）.pdf"))


@pytest.mark.parametrize("name", ["publish:html", "publish:pdf"])
def test_report_download_other_agency_is_404(name):
    report = make_report(make_agency("甲区民政局"), 2021)
    stranger = make_clerk(make_agency("乙区民政局", region="浙江省温州市乙区"), "stranger")
    assert client_for(stranger).get(reverse(name, args=[report.pk])).status_code == 404


@pytest.mark.parametrize("name", ["publish:html", "publish:pdf"])
def test_report_download_anonymous_redirects_to_login(name):
    report = make_report(make_agency(), 2021)
    response = Client().get(reverse(name, args=[report.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_report_download_post_not_allowed():
    agency = make_agency()
    report = make_report(agency, 2021)
    assert client_for(make_clerk(agency)).post(reverse("publish:pdf", args=[report.pk])).status_code == 405


def test_render_html_narrative_script_is_text():
    report = make_report(make_agency(), 2021)
    report.general = f"第一段{SCRIPT}\n第二段"
    report.save()
    html = render_html(report)
    assert SCRIPT not in html
    assert "第一段&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<p>第二段</p>" in html


def test_render_html_lang_and_inline_stylesheet_fonts_embedded():
    html = render_html(make_report(make_agency(), 2021))
    assert '<html lang="zh-CN">' in html
    assert "<link" not in html
    font_urls = re.findall(r'url\("([^"]+)"\)', html)
    # A fresh draft prints a title (Song), headings and the watermark (Hei) and
    # body text (Fang): no level-2 heading (Kai), no rare character (fallback).
    assert [url.startswith("data:font/woff;base64,") for url in font_urls] == [True] * 3


def test_render_html_2020_report_uses_2019_tables():
    agency = make_agency()
    report = make_report(agency, 2020)
    save_values(report, {"active.procurement.purchase_amount": Decimal("166781.96")})
    html = render_html(report)
    assert "第二十条第（九）项" in html
    assert "166781.96元" in html
    assert "本年收费金额（单位：万元）" not in html


def test_download_name_strips_path_characters():
    agency = make_agency("测试/区民政局")
    report = make_report(agency, 2021)
    assert download_name(report, "pdf") == "测试区民政局2021年政府信息公开工作年度报告（草稿）.pdf"


def test_report_detail_panel_links_and_warns_unprintable_characters():
    agency = make_agency()
    report = make_report(agency, 2021)
    report.general = "经办人：王𠀀"
    report.save()
    response = client_for(make_clerk(agency)).get(reverse("reports:detail", args=[report.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("publish:pdf", args=[report.pk]) in html
    assert reverse("publish:html", args=[report.pk]) in html
    assert re.search(r'id="unprintable-chars".*?<span class="fw-bold">𠀀</span>', html, re.S)


def test_report_detail_panel_no_warning_when_printable():
    agency = make_agency()
    report = make_report(agency, 2021)
    response = client_for(make_clerk(agency)).get(reverse("reports:detail", args=[report.pk]))
    assert response.status_code == 200
    assert 'id="unprintable-chars"' not in response.content.decode()


def test_render_report_command_saved_report_html(tmp_path):
    report = make_report(make_agency(), 2021)
    out = tmp_path / "r.html"
    call_command("render_report", str(report.pk), "--format", "html", "-o", str(out))
    assert out.read_text(encoding="utf-8") == render_html(report)


def test_render_report_command_published_file_pdf(tmp_path, settings):
    out = tmp_path / "r.pdf"
    sample = settings.BASE_DIR / "fixtures" / "published" / "004_d7a04d8f45e15f88.txt"
    call_command("render_report", str(sample), "--format", "pdf", "-o", str(out))
    text = "".join(page.extract_text() for page in PdfReader(out).pages).replace("\n", "")
    assert text.startswith("2021年南关区民政局政府信息公开工作年度报告")
    assert "草稿" not in text


def test_render_report_command_unknown_id():
    with pytest.raises(CommandError, match="没有编号为 999999 的报告"):
        call_command("render_report", "999999")


def test_check_harfbuzz_subset_missing_warns(monkeypatch):
    monkeypatch.setattr(checks.ctypes.util, "find_library", lambda name: None)
    assert [w.id for w in checks.check_harfbuzz_subset()] == ["publish.W001"]


def test_check_harfbuzz_subset_present_is_silent(monkeypatch):
    monkeypatch.setattr(checks.ctypes.util, "find_library", lambda name: f"lib{name}.so.0")
    assert checks.check_harfbuzz_subset() == []


def test_make_user_without_role_sees_nothing():
    report = make_report(make_agency(), 2021)
    user = make_user("nobody")
    assert client_for(user).get(reverse("publish:pdf", args=[report.pk])).status_code == 404
