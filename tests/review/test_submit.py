import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from disclosure.reports.models import AnnualReport, Status, Transition
from disclosure.reports.services import check_report, load_values, save_values
from disclosure.review.workflow import TransitionError, return_report, submit_report, withdraw_report
from tests.conftest import PASSWORD
from tests.review.builders import set_status, team

pytestmark = pytest.mark.django_db


def test_submit_report_valid_draft_becomes_submitted():
    _, clerk, _, _, report = team()
    submit_report(report.pk, clerk, comment=" 请审核 ")
    report.refresh_from_db()
    transition = Transition.objects.get(report=report)
    assert (report.status, report.version) == (Status.SUBMITTED, 2)
    assert (transition.action, transition.from_status, transition.to_status) == (
        "submit",
        "draft",
        "submitted",
    )
    assert (transition.actor, transition.comment, transition.version) == (clerk, "请审核", 2)


def test_submit_report_returned_report_becomes_submitted():
    _, clerk, _, _, report = team()
    set_status(report, Status.RETURNED)
    assert submit_report(report.pk, clerk).status == Status.SUBMITTED


def test_submit_report_error_finding_refused_with_its_message():
    _, clerk, _, _, report = team()
    save_values(report, {"applications.new.natural_person": 3})
    expected = [f.message for f in check_report(report) if f.severity == "error"]
    with pytest.raises(TransitionError) as refused:
        submit_report(report.pk, clerk)
    assert refused.value.messages == expected
    assert AnnualReport.objects.get(pk=report.pk).status == Status.DRAFT
    assert Transition.objects.count() == 0


def test_submit_report_blank_cells_refused_naming_them():
    _, clerk, _, _, report = team()
    fmt = report.format
    keys = fmt.input_keys()[:7]
    save_values(report, dict.fromkeys(keys))
    with pytest.raises(TransitionError) as refused:
        submit_report(report.pk, clerk)
    labels = "、".join(fmt.cell_label(k) for k in keys[:5])
    assert refused.value.messages == [
        f"尚有7个单元格未填写：{labels}等7个单元格。请填写后再提交（没有发生的填0）。"
    ]


def test_submit_report_reviewer_refused():
    _, _, reviewer, _, report = team()
    with pytest.raises(TransitionError) as refused:
        submit_report(report.pk, reviewer)
    assert refused.value.messages == ["只有本机关的填报人可以提交审核。"]


def test_submit_report_already_submitted_refused():
    _, clerk, _, _, report = team()
    submit_report(report.pk, clerk)
    with pytest.raises(TransitionError) as refused:
        submit_report(report.pk, clerk)
    assert refused.value.messages == [
        "报告当前状态为“待审核”，不能提交审核。可能已被他人处理，请刷新页面后查看。"
    ]


def test_submit_view_success_redirects_to_report_page(client):
    _, clerk, _, _, report = team()
    client.login(username=clerk.username, password=PASSWORD)
    response = client.post(reverse("review:submit", args=[report.pk]))
    assert (response.status_code, response.url) == (302, report.get_absolute_url())
    assert [m.message for m in get_messages(response.wsgi_request)] == ["报告已提交审核。"]
    assert AnnualReport.objects.get(pk=report.pk).status == Status.SUBMITTED


def test_submit_view_refusal_redirects_to_edit_page_with_messages(client):
    _, clerk, _, _, report = team()
    save_values(report, {"applications.new.natural_person": 3})
    client.login(username=clerk.username, password=PASSWORD)
    response = client.post(reverse("review:submit", args=[report.pk]))
    expected = [f.message for f in check_report(report, load_values(report)) if f.severity == "error"]
    assert (response.status_code, response.url) == (302, reverse("reports:edit", args=[report.pk]))
    assert [m.message for m in get_messages(response.wsgi_request)] == expected


def test_submit_view_get_not_allowed(client):
    _, clerk, _, _, report = team()
    client.login(username=clerk.username, password=PASSWORD)
    assert client.get(reverse("review:submit", args=[report.pk])).status_code == 405


def test_submit_view_other_agency_clerk_gets_404(client):
    _, _, _, _, report = team()
    _, other_clerk, _, _, _ = team("其他局", "浙江省杭州市", suffix="_other")
    client.login(username=other_clerk.username, password=PASSWORD)
    assert client.post(reverse("review:submit", args=[report.pk])).status_code == 404
    assert AnnualReport.objects.get(pk=report.pk).status == Status.DRAFT


@pytest.mark.parametrize(
    ("field", "heading"),
    [
        ("general", "一、总体情况"),
        ("problems", "五、存在的主要问题及改进情况"),
        ("other_matters", "六、其他需要报告的事项"),
    ],
)
def test_submit_report_empty_narrative_section_refused_naming_it(field, heading):
    _, clerk, _, _, report = team()
    setattr(report, field, "  \n ")
    report.save()
    with pytest.raises(TransitionError) as refused:
        submit_report(report.pk, clerk)
    assert (
        refused.value.messages[0] == f"“{heading}”尚未填写，请填写后再提交（没有需要报告的内容时填写“无”）。"
    )
    assert AnnualReport.objects.get(pk=report.pk).status == Status.DRAFT


def test_withdraw_by_the_clerk_before_any_reviewer_acted(client):
    _, clerk, reviewer, _, report = team()
    submit_report(report.pk, clerk)
    client.login(username="clerk", password=PASSWORD)
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert 'data-action="withdraw"' in page
    response = client.post(reverse("review:withdraw", args=[report.pk]), {"comment": "还要补充数据"})
    report.refresh_from_db()
    assert (response.status_code, report.status) == (302, Status.DRAFT)
    assert Transition.objects.filter(action="withdraw", comment="还要补充数据").exists()


def test_withdraw_refused_once_a_reviewer_acted():
    _, clerk, reviewer, _, report = team()
    submit_report(report.pk, clerk)
    return_report(report.pk, reviewer, comment="请补充")
    with pytest.raises(TransitionError) as refused:
        withdraw_report(report.pk, clerk)
    assert refused.value.messages == [
        "报告当前状态为“已退回”，不能撤回。可能已被他人处理，请刷新页面后查看。"
    ]


def test_display_names_in_comments_history_and_header(client):
    _, clerk, reviewer, _, report = team()
    clerk.first_name, reviewer.first_name = "张填报", "李审核"
    clerk.save()
    reviewer.save()
    submit_report(report.pk, clerk)
    return_report(report.pk, reviewer, comment="请核对表三")
    assert list(Transition.objects.values_list("actor_name", flat=True)) == ["李审核", "张填报"]
    client.login(username="clerk", password=PASSWORD)
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "李审核 最后修改于" in page  # the return was the last change
    history = client.get(reverse("review:history", args=[report.pk])).content.decode()
    assert "李审核" in history and ">reviewer<" not in history
