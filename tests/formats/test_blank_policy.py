"""The engine's blank policy, T2-3 (who may make 规章) and T2-7c (2019 cross-year)."""

import pytest

from disclosure.formats import get_format
from disclosure.formats.checks import evaluate
from tests.importers.samples import parse_sample

GOV2019, GOV2021 = get_format("gov2019"), get_format("gov2021")
NEW = "appeals.cases.review_total"


def appeals(total, upheld, corrected, other, pending):
    names = ("review_total", "review_upheld", "review_corrected", "review_other", "review_pending")
    return {f"appeals.cases.{n}": v for n, v in zip(names, (total, upheld, corrected, other, pending))}


def t41(findings):
    return [f for f in findings if f.rule == "T4-1"]


def test_zero_policy_is_the_default_and_reads_blank_as_0():
    values = appeals(None, 1, 0, 0, 0)
    (finding,) = t41(evaluate(GOV2019, values))
    assert finding.severity == "error"
    assert finding.message.endswith("：0 ≠ 1 + 0 + 0 + 0")
    assert evaluate(GOV2019, values) == evaluate(GOV2019, values, None, blanks="zero")


def test_unknown_policy_turns_a_rule_with_a_blank_operand_into_a_warning():
    (finding,) = t41(evaluate(GOV2019, appeals(None, 1, 0, 0, 0), blanks="unknown"))
    assert (finding.rule, finding.check, finding.severity) == (
        "T4-1",
        "T4-1:appeals.cases.review_total:blank",
        "warning",
    )
    assert finding.message == (
        "无法检查：行政复议总计应等于结果维持、结果纠正、其他结果、尚未审结之和"
        "（以下单元格未填写：表四「案件数量」「行政复议·总计」）"
    )
    assert finding.cells == [NEW]
    assert (finding.lhs, finding.rhs, finding.difference) == (None, None, None)
    assert finding.as_json()["lhs"] is None


def test_unknown_policy_still_reports_failing_arithmetic_on_reported_numbers():
    (finding,) = t41(evaluate(GOV2019, appeals(0, 1, 0, 0, 0), blanks="unknown"))
    assert (finding.check, finding.severity) == ("T4-1:appeals.cases.review_total", "error")
    assert finding.message.endswith("：0 ≠ 1 + 0 + 0 + 0")


def test_unknown_policy_passes_over_non_negativity_of_a_blank_cell():
    findings = evaluate(GOV2019, appeals(0, 0, 0, 0, None), blanks="unknown")
    assert [f.rule for f in findings if f.rule == "T4-4"] == []
    assert [f.check for f in t41(findings)] == ["T4-1:appeals.cases.review_total:blank"]


def test_unknown_policy_skips_cross_year_checks_without_last_year_as_before():
    values = {"applications.carried_over.natural_person": None}
    findings = evaluate(GOV2019, values, None, blanks="unknown")
    assert [f for f in findings if f.rule == "T3-5"] == []
    previous = {"applications.carried_forward.natural_person": 2}
    (t35,) = [
        f for f in evaluate(GOV2019, values, previous, blanks="unknown") if f.check.startswith("T3-5:")
    ][:1]
    assert t35.check == "T3-5:applications.carried_over.natural_person:blank"
    assert t35.previous_cells == ["applications.carried_forward.natural_person"]


def test_unknown_policy_on_sample_000_gives_exactly_its_three_errors():
    parsed = parse_sample("000")
    findings = evaluate(parsed.format, parsed.values, None, blanks="unknown")
    assert [f.check for f in findings] == [
        "T3-1:applications.new.natural_person",
        "T3-2:applications.results_total.natural_person",
        "T3-3:applications.results_total.total",
    ]


def test_unknown_policy_on_sample_001_has_no_error_and_names_its_blanks():
    parsed = parse_sample("001")
    findings = evaluate(parsed.format, parsed.values, None, blanks="unknown")
    assert [f for f in findings if f.severity == "error"] == []
    assert all(f.check.endswith(":blank") and f.message.startswith("无法检查：") for f in findings)
    blank = {k for k, v in parsed.values.items() if v is None}
    assert {c for f in findings for c in f.cells} <= blank


def test_unknown_blank_policy_name_is_checked():
    with pytest.raises(ValueError):
        evaluate(GOV2019, {}, blanks="empty")


# ------------------------------------------------------------------ T2-3


@pytest.mark.parametrize("maker", [None, True])
def test_t2_3_is_silent_when_the_agency_may_make_rules_or_is_unknown(maker):
    values = {"active.regulations.issued": 1, "active.regulations.in_force": 1}
    assert [f for f in evaluate(GOV2021, values, maker_of_rules=maker) if f.rule == "T2-3"] == []


def test_t2_3_warns_when_a_district_bureau_reports_rules():
    parsed = parse_sample("004")  # 南关区民政局 reports 规章 1 | 0 | 1
    (finding,) = [f for f in evaluate(parsed.format, parsed.values, maker_of_rules=False) if f.rule == "T2-3"]
    assert (finding.check, finding.severity) == ("T2-3:active.regulations", "warning")
    assert finding.cells == ["active.regulations.issued", "active.regulations.in_force"]
    assert finding.message.endswith("：本年制发件数 1、现行有效件数 1")
    assert "规章" in finding.message


def test_t2_3_is_silent_for_zero_or_blank_rules():
    values = {"active.regulations.made": 0, "active.regulations.published": None}
    assert [
        f for f in evaluate(GOV2019, values, blanks="unknown", maker_of_rules=False) if f.rule == "T2-3"
    ] == []
    values = {"active.regulations.total_published": 2}
    (finding,) = [f for f in evaluate(GOV2019, values, maker_of_rules=False) if f.rule == "T2-3"]
    assert finding.cells == ["active.regulations.total_published"]


# ------------------------------------------------------------------ T2-7c


def t27c(values, previous):
    return [f for f in evaluate(GOV2019, values, previous) if f.rule == "T2-7c"]


def test_t2_7c_holds_when_the_stock_grows_by_what_was_published():
    values = {"active.normative_documents.published": 6, "active.normative_documents.total_published": 19}
    assert t27c(values, {"active.normative_documents.total_published": 13}) == []


def test_t2_7c_warns_when_the_stock_does_not_reconcile():
    values = {"active.normative_documents.published": 6, "active.normative_documents.total_published": 19}
    (finding,) = t27c(values, {"active.normative_documents.total_published": 10})
    assert (finding.check, finding.severity) == (
        "T2-7c:active.normative_documents.total_published",
        "warning",
    )
    assert finding.message.endswith("（规范性文件）：19 ≠ 10 + 6")
    assert finding.previous_cells == ["active.normative_documents.total_published"]


def test_t2_7c_is_skipped_without_last_year():
    values = {"active.normative_documents.published": 6, "active.normative_documents.total_published": 19}
    assert t27c(values, None) == []
