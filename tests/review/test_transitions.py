import pytest

from disclosure.publish.models import ApprovalFiles, FilesState, Rendition
from disclosure.reports.models import AnnualReport, Role, Status, Transition
from disclosure.review.permissions import allowed_actions
from disclosure.review.workflow import (
    TRANSITION_FUNCTIONS,
    TransitionError,
    approve_report,
    reopen_report,
    return_report,
    submit_report,
)
from tests.conftest import make_agency, make_clerk, make_reviewer, make_user
from tests.review.builders import approve_committed, set_status, team

pytestmark = pytest.mark.django_db

STATES = ["draft", "submitted", "returned", "approved"]
ACTIONS = ["submit", "withdraw", "approve", "return", "reopen"]
ROLES = ["clerk", "reviewer", "other_clerk", "other_reviewer", "office", "superuser"]

# (state, action, role) → resulting state; every other combination is refused.
ALLOWED = {
    ("draft", "submit", "clerk"): "submitted",
    ("returned", "submit", "clerk"): "submitted",
    ("submitted", "withdraw", "clerk"): "draft",
    ("submitted", "approve", "reviewer"): "approved",
    ("submitted", "return", "reviewer"): "returned",
    ("approved", "reopen", "reviewer"): "draft",
}


def actor(role, clerk, reviewer):
    if role == "clerk":
        return clerk
    if role == "reviewer":
        return reviewer
    if role == "office":
        return make_user("office", Role.OFFICE, region="浙江省温州市")
    if role == "superuser":
        return make_user("root", is_superuser=True, is_staff=True)
    other = make_agency(name="其他区民政局", region="浙江省温州市其他区")
    return (
        make_clerk(other, "other_clerk") if role == "other_clerk" else make_reviewer(other, "other_reviewer")
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("state", STATES)
def test_transition_table_every_state_action_role(state, action, role):
    _, clerk, reviewer, _, report = team()
    set_status(report, state)
    user = actor(role, clerk, reviewer)
    expected = ALLOWED.get((state, action, role))
    if expected is None:
        with pytest.raises(TransitionError):
            TRANSITION_FUNCTIONS[action](report.pk, user, comment="意见")
        assert AnnualReport.objects.get(pk=report.pk).status == state
        assert Transition.objects.count() == 0
    else:
        TRANSITION_FUNCTIONS[action](report.pk, user, comment="意见")
        transition = Transition.objects.get()
        assert AnnualReport.objects.get(pk=report.pk).status == expected
        assert (transition.from_status, transition.to_status, transition.actor) == (state, expected, user)
    assert (action in allowed_actions(user, report)) == (expected is not None)


def test_approve_report_submitter_refused_four_eyes():
    _, clerk, _, _, report = team()
    submit_report(report.pk, clerk)
    clerk.membership.role = Role.REVIEWER  # the submitter later became a reviewer
    clerk.membership.save()
    with pytest.raises(TransitionError) as refused:
        approve_report(report.pk, clerk)
    assert refused.value.messages == ["提交人不能审核通过自己提交的报告，请由另一位审核人审核（四眼原则）。"]
    assert AnnualReport.objects.get(pk=report.pk).status == Status.SUBMITTED


def test_approve_report_submitter_may_still_return():
    _, clerk, _, _, report = team()
    submit_report(report.pk, clerk)
    clerk.membership.role = Role.REVIEWER
    clerk.membership.save()
    assert return_report(report.pk, clerk, comment="请补充").status == Status.RETURNED


@pytest.mark.parametrize("comment", ["", "  \n "])
def test_return_report_blank_comment_refused(comment):
    _, clerk, reviewer, _, report = team()
    submit_report(report.pk, clerk)
    with pytest.raises(TransitionError) as refused:
        return_report(report.pk, reviewer, comment=comment)
    assert refused.value.messages == ["退回时必须填写意见，说明需要修改的内容。"]
    assert AnnualReport.objects.get(pk=report.pk).status == Status.SUBMITTED


def test_reopen_report_blank_reason_refused():
    _, _, reviewer, _, report = team()
    set_status(report, Status.APPROVED)
    with pytest.raises(TransitionError) as refused:
        reopen_report(report.pk, reviewer, comment="")
    assert refused.value.messages == ["重新打开时必须填写原因。"]


def test_transition_missing_report_refused():
    _, clerk, _, _, _ = team()
    with pytest.raises(TransitionError) as refused:
        submit_report(999999, clerk)
    assert refused.value.messages == ["没有找到该报告。"]


def test_transitions_bump_version_each_step():
    _, clerk, reviewer, _, report = team()
    submit_report(report.pk, clerk)
    return_report(report.pk, reviewer, comment="请修改表三")
    submit_report(report.pk, clerk)
    steps = list(Transition.objects.order_by("created_at", "pk").values_list("action", "version"))
    assert steps == [("submit", 2), ("return", 3), ("submit", 4)]
    assert AnnualReport.objects.get(pk=report.pk).version == 4


def test_approve_report_stores_pdf_and_html_with_sha256():
    _, clerk, reviewer, _, report = team()
    submit_report(report.pk, clerk)
    approve_committed(report.pk, reviewer)
    approval = Transition.objects.get(action="approve")
    stored = {r.kind: r for r in Rendition.objects.filter(report=report)}
    assert sorted(stored) == ["html", "pdf"]
    for rendition in stored.values():
        content = bytes(rendition.content)
        assert rendition.sha256 == Rendition.digest(content)
        assert (rendition.approval, rendition.version, rendition.size) == (approval, 3, len(content))
    assert bytes(stored["pdf"].content)[:5] == b"%PDF-"
    assert "草稿" not in bytes(stored["html"].content).decode()


def test_approve_report_commits_before_any_file_is_rendered():
    _, clerk, reviewer, _, report = team()
    submit_report(report.pk, clerk)
    report = approve_report(report.pk, reviewer)  # the test's transaction never commits
    job = ApprovalFiles.objects.get(report=report)
    assert (report.status, Rendition.objects.count()) == (Status.APPROVED, 0)
    assert (job.version, job.state, job.approval) == (
        3,
        FilesState.QUEUED,
        Transition.objects.get(action="approve"),
    )


def test_approve_report_render_failure_keeps_approval_and_records_error(monkeypatch):
    _, clerk, reviewer, _, report = team()
    submit_report(report.pk, clerk)

    def broken(report):
        raise OSError("字体缺失")

    monkeypatch.setattr("disclosure.publish.archive.render_pdf", broken)
    approve_committed(report.pk, reviewer)
    job = ApprovalFiles.objects.get(report=report)
    assert AnnualReport.objects.get(pk=report.pk).status == Status.APPROVED
    assert (Transition.objects.filter(action="approve").count(), Rendition.objects.count()) == (1, 0)
    assert (job.state, job.attempts, job.error) == (FilesState.FAILED, 1, "OSError: 字体缺失")
