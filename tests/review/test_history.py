import pytest
from django.utils import timezone

from disclosure.reports.models import TABLE_MODELS, AnnualReport, Transition
from disclosure.reports.services import load_values, save_values
from disclosure.review.history import Change, changes_since_previous_submission, entries, values_as_of
from disclosure.review.workflow import return_report, submit_report
from tests.review.builders import SECTIONS, team

pytestmark = pytest.mark.django_db

CELL = "active.licensing.decisions"


def round_trip(report, clerk, reviewer):
    """Submit, return with a comment, change a cell and a narrative."""
    submit_report(report.pk, clerk)
    return_report(report.pk, reviewer, comment="行政许可数量有误")
    save_values(report, {CELL: 5})
    report = AnnualReport.objects.get(pk=report.pk)
    report.general = "本年度新增行政许可。"
    report.save(update_fields=["general"])
    return report


def test_history_entries_every_change_and_transition_newest_first():
    _, clerk, reviewer, _, report = team()
    report = round_trip(report, clerk, reviewer)
    label = report.format.cell_label(CELL)
    newest = [(e.kind, e.title, e.user, e.changes, e.comment) for e in entries(report)[:4]]
    assert newest == [
        (
            "narrative",
            "修改文字",
            "系统",
            (Change("一、总体情况", SECTIONS["general"], "本年度新增行政许可。"),),
            "",
        ),
        ("value", "修改数据", "系统", (Change(label, "0", "5"),), ""),
        ("transition", "退回修改：待审核 → 已退回", "reviewer", (), "行政许可数量有误"),
        ("transition", "提交审核：草稿 → 待审核", "clerk", (), ""),
    ]


def test_history_entries_cover_every_filled_cell():
    _, _, _, _, report = team()
    saves = [e for e in entries(report) if e.kind == "value"]
    changed = {c.label for e in saves for c in e.changes}
    fmt = report.format
    assert len(saves) == 1  # the rows of one save are one entry
    assert changed == {fmt.cell_label(key) for key, value in load_values(report).items() if value is not None}


def test_values_as_of_submission_time_ignores_later_saves():
    _, clerk, reviewer, _, report = team()
    report = round_trip(report, clerk, reviewer)
    submitted_at = Transition.objects.get(action="submit").created_at
    assert (values_as_of(report, submitted_at)[CELL], load_values(report)[CELL]) == (0, 5)


def test_values_as_of_now_equals_the_loaded_values(django_assert_num_queries):
    _, clerk, reviewer, _, report = team()
    report = round_trip(report, clerk, reviewer)
    with django_assert_num_queries(len(TABLE_MODELS)):
        standing = values_as_of(report, timezone.now())
    assert standing == load_values(report)


def test_changes_since_previous_submission_lists_cell_and_narrative():
    _, clerk, reviewer, _, report = team()
    report = round_trip(report, clerk, reviewer)
    submit_report(report.pk, clerk)
    report.refresh_from_db()
    baseline, changes = changes_since_previous_submission(report, load_values(report))
    assert baseline == Transition.objects.filter(action="submit").order_by("created_at").first()
    assert changes == [
        Change(report.format.cell_label(CELL), "0", "5"),
        Change("一、总体情况", SECTIONS["general"], "本年度新增行政许可。"),
    ]


def test_changes_since_previous_submission_first_submission_is_none():
    _, clerk, _, _, report = team()
    report = submit_report(report.pk, clerk)
    assert changes_since_previous_submission(report, load_values(report)) is None
