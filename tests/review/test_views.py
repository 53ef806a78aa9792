import pytest
from django.contrib.messages import get_messages
from django.template import Context, Template
from django.urls import reverse

from disclosure.publish.models import Rendition
from disclosure.reports.models import AnnualReport, Status
from disclosure.reports.services import check_report, load_values, save_values
from disclosure.review.workflow import TransitionError, approve_report, return_report, submit_report
from tests.conftest import PASSWORD
from tests.review.builders import approve_committed, set_status, team

pytestmark = pytest.mark.django_db


def login(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def messages_of(response):
    return [m.message for m in get_messages(response.wsgi_request)]


def test_return_view_with_comment_returns_report(client):
    _, clerk, reviewer, _, report = team()
    submit_report(report.pk, clerk)
    response = login(client, reviewer).post(reverse("review:return", args=[report.pk]), {"comment": "请核对"})
    assert (response.status_code, response.url) == (302, report.get_absolute_url())
    assert messages_of(response) == ["报告已退回填报人修改。"]
    assert AnnualReport.objects.get(pk=report.pk).status == Status.RETURNED


def test_return_view_without_comment_redirects_to_review_page_with_message(client):
    _, clerk, reviewer, _, report = team()
    submit_report(report.pk, clerk)
    response = login(client, reviewer).post(reverse("review:return", args=[report.pk]), {"comment": " "})
    assert (response.status_code, response.url) == (302, reverse("review:review", args=[report.pk]))
    assert messages_of(response) == ["退回时必须填写意见，说明需要修改的内容。"]


def test_approve_view_clerk_forbidden(client):
    _, clerk, _, _, report = team()
    submit_report(report.pk, clerk)
    assert login(client, clerk).post(reverse("review:approve", args=[report.pk])).status_code == 403
    assert AnnualReport.objects.get(pk=report.pk).status == Status.SUBMITTED


def test_approve_view_already_approved_shows_clear_message(client):
    _, clerk, reviewer, second, report = team()
    submit_report(report.pk, clerk)
    approve_report(report.pk, reviewer)
    response = login(client, second).post(reverse("review:approve", args=[report.pk]))
    assert response.url == reverse("review:review", args=[report.pk])
    assert messages_of(response) == [
        "报告当前状态为“已通过”，不能审核通过。可能已被他人处理，请刷新页面后查看。"
    ]


def test_reopen_view_with_reason_makes_draft(client):
    _, _, reviewer, _, report = team()
    set_status(report, Status.APPROVED)
    response = login(client, reviewer).post(
        reverse("review:reopen", args=[report.pk]), {"comment": "数据有误"}
    )
    assert messages_of(response) == ["报告已重新打开为草稿。"]
    assert AnnualReport.objects.get(pk=report.pk).status == Status.DRAFT


def test_review_page_shows_changes_since_previous_submission_and_comments(client):
    _, clerk, reviewer, _, report = team()
    submit_report(report.pk, clerk)
    return_report(report.pk, reviewer, comment="请核对<表二>")
    save_values(report, {"active.licensing.decisions": 5})
    submit_report(report.pk, clerk)
    page = login(client, reviewer).get(reverse("review:review", args=[report.pk])).content.decode()
    label = report.format.cell_label("active.licensing.decisions")
    assert page.count('class="review-change"') == 1
    assert f'{label}</th><td class="review-change-old">0</td><td class="review-change-new">5</td>' in page
    assert "请核对&lt;表二&gt;" in page
    assert 'data-action="approve"' in page and 'data-action="return"' in page


def test_review_page_shows_every_finding(client):
    _, _, reviewer, _, report = team()
    save_values(report, {"applications.new.natural_person": 2})
    set_status(report, Status.SUBMITTED)
    page = login(client, reviewer).get(reverse("review:review", args=[report.pk])).content.decode()
    findings = check_report(report)
    assert page.count('class="mb-1 finding finding-') == len(findings)
    assert "第一项加第二项之和应等于第三项加第四项之和（自然人）：2 + 0 ≠ 0 + 0" in page


def test_review_page_first_submission_says_so(client):
    _, clerk, reviewer, _, report = team()
    submit_report(report.pk, clerk)
    page = login(client, reviewer).get(reverse("review:review", args=[report.pk])).content.decode()
    assert "这是第一次提交，没有可比较的上次提交。" in page
    assert "所有检查均已通过。" in page


def test_review_page_escapes_narrative(client):
    _, _, reviewer, _, report = team()
    AnnualReport.objects.filter(pk=report.pk).update(general="<script>alert(1)</script>")
    page = login(client, reviewer).get(reverse("review:review", args=[report.pk])).content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_history_page_lists_transitions_and_rendition_hash(client):
    _, clerk, reviewer, _, report = team()
    submit_report(report.pk, clerk)
    approve_committed(report.pk, reviewer)
    page = login(client, clerk).get(reverse("review:history", args=[report.pk])).content.decode()
    pdf = Rendition.objects.get(kind="pdf")
    assert "审核通过：待审核 → 已通过" in page
    assert f'<code class="sha256">{pdf.sha256}</code>' in page
    assert reverse("review:rendition", args=[report.pk, pdf.pk]) in page


def test_rendition_view_serves_stored_bytes(client):
    _, clerk, reviewer, _, report = team()
    submit_report(report.pk, clerk)
    approve_committed(report.pk, reviewer)
    pdf = Rendition.objects.get(kind="pdf")
    response = login(client, clerk).get(reverse("review:rendition", args=[report.pk, pdf.pk]))
    assert (response["Content-Type"], response["X-Content-SHA256"]) == ("application/pdf", pdf.sha256)
    assert response.content == bytes(pdf.content)


def test_rendition_view_other_reports_rendition_404(client):
    _, clerk, reviewer, _, report = team()
    submit_report(report.pk, clerk)
    approve_committed(report.pk, reviewer)
    other = AnnualReport.objects.create(agency=report.agency, year=2022)
    pdf = Rendition.objects.get(kind="pdf")
    assert login(client, clerk).get(reverse("review:rendition", args=[other.pk, pdf.pk])).status_code == 404


def test_panel_on_report_page_shows_sha256_after_approval(client):
    _, clerk, reviewer, _, report = team()
    submit_report(report.pk, clerk)
    approve_committed(report.pk, reviewer)
    page = login(client, clerk).get(report.get_absolute_url()).content.decode()
    for rendition in Rendition.objects.all():
        assert f'<code class="sha256" data-kind="{rendition.kind}">{rendition.sha256}</code>' in page


def test_panel_on_report_page_returned_shows_comment_and_submit(client):
    _, clerk, reviewer, _, report = team()
    submit_report(report.pk, clerk)
    return_report(report.pk, reviewer, comment="表三数据请再核对")
    page = login(client, clerk).get(report.get_absolute_url()).content.decode()
    assert "表三数据请再核对" in page
    assert 'data-action="submit"' in page
    assert 'data-action="approve"' not in page


@pytest.mark.parametrize("state", [Status.SUBMITTED, Status.APPROVED])
def test_edit_post_not_editable_report_refused_on_server(client, state):
    _, clerk, _, _, report = team()
    set_status(report, state)
    data = {"action": "save", "version": str(report.version), "active.licensing.decisions": "9"}
    response = login(client, clerk).post(reverse("reports:edit", args=[report.pk]), data)
    assert response.status_code == 409
    assert load_values(report)["active.licensing.decisions"] == 0


def test_review_panel_offers_the_declared_actions_the_user_may_take():
    _, clerk, reviewer, _, report = team()
    report = submit_report(report.pk, clerk)
    source = (
        "{% load review %}{% review_panel report user as panel %}"
        "{% for f in panel.actions %}{{ f.action }}|{{ f.label }}|{{ f.prompt }}|{{ f.required }}|{{ f.button }};{% endfor %}"
    )
    shown = {
        u.username: Template(source).render(Context({"report": report, "user": u})) for u in (clerk, reviewer)
    }
    assert shown == {
        "clerk": "withdraw|撤回|撤回原因（可选）|False|btn-outline-secondary;",
        "reviewer": "approve|审核通过|审核意见（可选）|False|btn-primary;"
        "return|退回修改|退回意见（必填）|True|btn-outline-danger;",
    }


def test_return_comment_attached_to_a_cell_shows_on_the_edit_page(client):
    _, clerk, reviewer, _, report = team()
    submit_report(report.pk, clerk)
    key = "applications.new.natural_person"
    login(client, reviewer).post(
        reverse("review:return", args=[report.pk]), {"comment": "自然人申请数与登记台账不符", "target": key}
    )
    report.refresh_from_db()
    assert report.status == Status.RETURNED
    page = login(client, clerk).get(reverse("reports:edit", args=[report.pk])).content.decode()
    label = report.format.cell_label(key)
    assert 'id="review-note"' in page and "自然人申请数与登记台账不符" in page
    assert f'href="#cell-applications-new-natural_person" id="review-note-target">{label}</a>' in page
    assert (
        "has-review-note" in page.split('id="cell-applications-new-natural_person"')[0].rsplit("<input", 1)[1]
    )


def test_return_comment_attached_to_a_section_shows_beside_it(client):
    _, clerk, reviewer, _, report = team()
    submit_report(report.pk, clerk)
    return_report(report.pk, reviewer, comment="请补充整改情况", target="problems")
    page = login(client, clerk).get(reverse("reports:edit", args=[report.pk])).content.decode()
    section = page.split('id="section-problems"')[1].split("</section>")[0]
    assert 'data-target="problems"' in section and "请补充整改情况" in section


def test_return_comment_target_must_exist():
    _, clerk, reviewer, _, report = team()
    submit_report(report.pk, clerk)
    with pytest.raises(TransitionError) as refused:
        return_report(report.pk, reviewer, comment="意见", target="applications.nope.total")
    assert refused.value.messages == ["意见针对的章节或单元格不存在，请重新选择。"]


def test_review_panel_return_form_offers_sections_and_cells(client):
    _, clerk, reviewer, _, report = team()
    submit_report(report.pk, clerk)
    page = login(client, reviewer).get(reverse("review:review", args=[report.pk])).content.decode()
    assert '<select class="form-select form-select-sm mb-1" name="target" id="review-target-return">' in page
    assert '<option value="general">一、总体情况</option>' in page
