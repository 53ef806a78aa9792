"""A warning must be fixed or explained before submitting; the reasons go with the record."""

import pytest
from django.db import transaction
from django.urls import reverse

from disclosure.reports.models import Explanation, RecordLocked, Status
from disclosure.reports.services import check_report, explain
from disclosure.review.history import changes_since_previous_submission, entries
from disclosure.review.workflow import TransitionError, approve_report, return_report, submit_report
from tests.conftest import PASSWORD
from tests.review.builders import team

pytestmark = pytest.mark.django_db

CHECK = "S-7:other_matters"


def with_warning():
    """A 2021 report whose section 六 does not state 信息处理费 (S-7 warns); no other warning."""
    _, clerk, reviewer, _, report = team()
    report.other_matters = "无"
    report.save()
    return clerk, reviewer, report


def warning_checks(report):
    return [f.check for f in check_report(report) if f.severity == "warning"]


def test_submit_refused_while_a_warning_has_no_reason_naming_it():
    clerk, _, report = with_warning()
    checks = warning_checks(report)
    assert checks == [CHECK]
    message = next(f.message for f in check_report(report) if f.check == checks[0])
    with pytest.raises(TransitionError) as refused:
        submit_report(report.pk, clerk)
    assert refused.value.messages == [
        f"有1项警告尚未修改或说明理由：{message}。请修改，或在“警告说明”中写明理由后再提交。"
    ]


def test_submit_passes_once_the_warning_is_explained():
    clerk, _, report = with_warning()
    explain(report, {CHECK: "本年度未收到需收费的申请，未收取信息处理费"}, clerk)
    assert submit_report(report.pk, clerk).status == Status.SUBMITTED


def test_blank_reason_is_no_reason_and_removes_the_old_one():
    clerk, _, report = with_warning()
    explain(report, {CHECK: "理由"}, clerk)
    assert explain(report, {CHECK: "   "}, clerk) == [CHECK]
    assert Explanation.objects.count() == 0
    with pytest.raises(TransitionError):
        submit_report(report.pk, clerk)


def test_clerk_explains_on_the_report_page_and_the_reviewer_reads_it(client):
    clerk, reviewer, report = with_warning()
    client.login(username=clerk.username, password=PASSWORD)
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert f'name="reason:{CHECK}"' in page
    response = client.post(
        reverse("reports:explain", args=[report.pk]), {f"reason:{CHECK}": "文件清理后重新核定"}
    )
    assert response.status_code == 302
    submit_report(report.pk, clerk)
    client.login(username=reviewer.username, password=PASSWORD)
    review = client.get(reverse("review:review", args=[report.pk])).content.decode()
    assert "填报人说明（clerk）：文件清理后重新核定" in review


def test_reviewer_may_not_write_reasons(client):
    _, reviewer, report = with_warning()
    client.login(username=reviewer.username, password=PASSWORD)
    response = client.post(reverse("reports:explain", args=[report.pk]), {f"reason:{CHECK}": "x"})
    assert response.status_code == 403
    assert Explanation.objects.count() == 0


def test_reasons_are_in_the_history_and_the_diff_and_frozen_on_approval():
    clerk, reviewer, report = with_warning()
    explain(report, {CHECK: "第一次的理由"}, clerk)
    submit_report(report.pk, clerk)
    return_report(report.pk, reviewer, comment="理由不够充分，请写明清理文件的批次")
    explain(report, {CHECK: "经2021年第二批文件清理，重新核定"}, clerk)
    submit_report(report.pk, clerk)
    report.refresh_from_db()
    _, changes = changes_since_previous_submission(report, {})
    reason_changes = [c for c in changes if c.label.startswith("警告说明")]
    assert [(c.old, c.new) for c in reason_changes] == [("第一次的理由", "经2021年第二批文件清理，重新核定")]
    assert any(e.title == "修改警告说明" for e in entries(report))
    approve_report(report.pk, reviewer)
    with pytest.raises(RecordLocked), transaction.atomic():
        explain(report, {CHECK: "改写"}, clerk)
    with pytest.raises(RecordLocked), transaction.atomic():
        Explanation.objects.get().save()
    assert Explanation.objects.get().text == "经2021年第二批文件清理，重新核定"
