"""Unit tests of the rule engine: each rule kind, both severities, cross-year rules."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from disclosure.formats import gov2019, gov2021
from disclosure.formats.checks import (
    compute_totals,
    computed_cells,
    evaluate,
    expand,
    has_errors,
    prefill_checks,
    prefill_values,
    rules_json,
)
from disclosure.formats.spec import Kind, Severity

F2019, F2021 = gov2019.FORMAT, gov2021.FORMAT


def zeros(fmt):
    return {k: Decimal(0) if fmt.locate(k)[3].kind == Kind.MONEY else 0 for k in fmt.cell_keys()}


def consistent(fmt, **changes):
    """A report whose arithmetic holds: 2 new requests (自然人), one granted, one
    withheld to protect a third party; then ``changes`` (cell key with "__" for ".")."""
    values = zeros(fmt)
    for row, count in (("new", 2), ("granted", 1), ("withheld_third_party", 1), ("results_total", 2)):
        values[f"applications.{row}.natural_person"] = count
        values[f"applications.{row}.total"] = count
    values.update({key.replace("__", "."): value for key, value in changes.items()})
    return values


def checks(findings, severity=None):
    return [f.check for f in findings if severity is None or f.severity == severity]


def by_check(findings, check_id):
    (found,) = [f for f in findings if f.check == check_id]
    return found


@pytest.mark.parametrize("fmt", [F2019, F2021], ids=["gov2019", "gov2021"])
def test_evaluate_consistent_report_has_no_findings(fmt):
    assert evaluate(fmt, consistent(fmt)) == []
    assert evaluate(fmt, zeros(fmt)) == []


def test_evaluate_blank_cells_count_as_zero():
    values = dict.fromkeys(F2021.cell_keys())
    assert evaluate(F2021, values) == []


# ---------------------------------------------------------------- per_column (T3-1)


def test_per_column_rule_failure_message_names_column_and_sides():
    values = consistent(
        F2021,
        applications__carried_forward__natural_person=1,
        applications__carried_forward__total=1,
    )
    findings = evaluate(F2021, values)
    assert checks(findings) == ["T3-1:applications.new.natural_person", "T3-1:applications.new.total"]
    first = findings[0]
    assert first.message == "第一项加第二项之和应等于第三项加第四项之和（自然人）：2 + 0 ≠ 2 + 1"
    assert first.wording == "第一项加第二项之和应等于第三项加第四项之和（自然人）"
    assert (first.rule, first.severity, first.lhs, first.rhs, first.difference) == ("T3-1", "error", 2, 3, -1)
    assert first.cells == [
        "applications.new.natural_person",
        "applications.carried_over.natural_person",
        "applications.results_total.natural_person",
        "applications.carried_forward.natural_person",
    ]
    assert first.previous_cells == []


def test_sample_shaped_total_error_fails_three_rules():
    values = consistent(F2019, applications__results_total__natural_person=1)
    findings = evaluate(F2019, values)
    assert [(f.check, f.message) for f in findings] == [
        (
            "T3-1:applications.new.natural_person",
            "第一项加第二项之和应等于第三项加第四项之和（自然人）：2 + 0 ≠ 1 + 0",
        ),
        (
            "T3-2:applications.results_total.natural_person",
            "（七）总计应等于各项办理结果之和（自然人）：1 ≠ 2",
        ),
        (
            "T3-3:applications.results_total.total",
            "总计应等于自然人与法人或其他组织各项之和「（七）总计」：2 ≠ 1 + 0 + 0 + 0 + 0 + 0",
        ),
    ]
    assert has_errors(findings)


# ---------------------------------------------------------------- sum_rows (T3-2)


def test_sum_rows_rule_counts_every_result_row_2021():
    values = consistent(
        F2021,
        applications__other_fee_unpaid__natural_person=1,
        applications__other_fee_unpaid__total=1,
    )
    findings = evaluate(F2021, values)
    assert checks(findings) == [
        "T3-2:applications.results_total.natural_person",
        "T3-2:applications.results_total.total",
    ]
    assert findings[0].message == "（七）总计应等于各项办理结果之和（自然人）：2 ≠ 3"
    assert len(findings[0].cells) == 1 + 21  # the total and its 21 result rows


def test_sum_rows_rule_has_one_other_row_in_2019():
    values = consistent(F2019, applications__other__natural_person=1, applications__other__total=1)
    finding = by_check(evaluate(F2019, values), "T3-2:applications.results_total.natural_person")
    assert "applications.other.natural_person" in finding.cells
    assert len(finding.cells) == 1 + 19


# ---------------------------------------------------------------- sum_columns (T3-3, T4-x)


def test_sum_columns_rule_shows_each_part_up_to_six():
    values = consistent(F2021, applications__granted__commercial=1)
    finding = by_check(evaluate(F2021, values), "T3-3:applications.granted.total")
    assert (
        finding.message
        == "总计应等于自然人与法人或其他组织各项之和「（一）予以公开」：1 ≠ 1 + 1 + 0 + 0 + 0 + 0"
    )


@pytest.mark.parametrize(
    ("block", "rule", "wording"),
    [
        ("review", "T4-1", "行政复议总计应等于结果维持、结果纠正、其他结果、尚未审结之和"),
        (
            "direct",
            "T4-2",
            "行政诉讼（未经复议直接起诉）总计应等于结果维持、结果纠正、其他结果、尚未审结之和",
        ),
        (
            "after_review",
            "T4-3",
            "行政诉讼（复议后起诉）总计应等于结果维持、结果纠正、其他结果、尚未审结之和",
        ),
    ],
)
def test_appeal_totals_are_checked_per_block(block, rule, wording):
    values = consistent(F2021, **{f"appeals__cases__{block}_pending": 2})
    findings = evaluate(F2021, values)
    assert [(f.check, f.message) for f in findings] == [
        (f"{rule}:appeals.cases.{block}_total", f"{wording}：0 ≠ 0 + 0 + 0 + 2")
    ]


# ---------------------------------------------------------------- non_negative


def test_non_negative_rule_flags_a_negative_count():
    values = consistent(F2021, applications__carried_over__research=-1, applications__carried_over__total=-1)
    findings = evaluate(F2021, values)
    negative = [f for f in findings if f.rule == "T3-4"]
    assert [(f.check, f.message) for f in negative] == [
        (
            "T3-4:applications.carried_over.research",
            "申请数量应为非负整数（二、上年结转政府信息公开申请数量·法人或其他组织·科研机构）：-1 < 0",
        ),
        (
            "T3-4:applications.carried_over.total",
            "申请数量应为非负整数（二、上年结转政府信息公开申请数量·总计）：-1 < 0",
        ),
    ]


def test_non_negative_rule_skips_signed_change_columns():
    values = zeros(F2019)
    values["active.licensing.change"] = -30
    assert evaluate(F2019, values) == []


def test_non_negative_rule_of_table_two_has_its_own_id_in_2021():
    values = zeros(F2021)
    values["active.fees.fee_amount"] = Decimal("-0.5")
    findings = evaluate(F2021, values)
    assert [(f.rule, f.check, f.message) for f in findings] == [
        (
            "T2-0",
            "T2-0:active.fees.fee_amount",
            "主动公开数量应为非负数「行政事业性收费·本年收费金额（单位：万元）」：-0.5 < 0",
        )
    ]


def test_non_negative_rule_covers_table_two_counts():
    values = zeros(F2019)
    values["active.penalty.decisions"] = -1
    finding = by_check(evaluate(F2019, values), "T2-0:active.penalty.decisions")
    assert (finding.severity, finding.message) == (
        "error",
        "主动公开数量应为非负数（行政处罚·处理决定数量）：-1 < 0",
    )


# ---------------------------------------------------------------- per_row and warnings


def test_warning_rule_does_not_make_errors():
    values = zeros(F2019)
    values.update(
        {
            "active.regulations.made": 3,
            "active.regulations.published": 5,
            "active.regulations.total_published": 5,
        }
    )
    findings = evaluate(F2019, values)
    assert [(f.check, f.severity, f.message) for f in findings] == [
        (
            "T2-7a:active.regulations.published",
            "warning",
            "“本年新公开数量”一般不超过“本年新制作数量”（规章）：5 > 3",
        )
    ]
    assert has_errors(findings) is False


def test_per_row_rule_with_greater_or_equal():
    values = zeros(F2019)
    values.update({"active.normative_documents.made": 4, "active.normative_documents.published": 4})
    finding = by_check(evaluate(F2019, values), "T2-7b:active.normative_documents.total_published")
    assert finding.message == "“对外公开总数量”应不少于“本年新公开数量”（规范性文件）：0 < 4"


# ---------------------------------------------------------------- cross-year


def test_cross_year_rule_is_skipped_without_previous_report():
    values = consistent(F2021, applications__carried_over__natural_person=1)
    values["applications.carried_forward.natural_person"] = 1
    assert [f.rule for f in evaluate(F2021, values, None)] == ["T3-3", "T3-3"]


def test_cross_year_rule_compares_with_previous_report():
    previous = consistent(F2021, applications__carried_forward__natural_person=1)
    finding = by_check(
        evaluate(F2021, consistent(F2021), previous), "T3-5:applications.carried_over.natural_person"
    )
    assert (finding.severity, finding.message) == (
        "warning",
        "本年“上年结转政府信息公开申请数量”应等于上年“结转下年度继续办理”（自然人）：0 ≠ 1",
    )
    assert finding.cells == ["applications.carried_over.natural_person"]
    assert finding.previous_cells == ["applications.carried_forward.natural_person"]


def test_cross_year_rule_is_skipped_when_previous_cell_is_blank():
    previous = consistent(F2021)
    previous["applications.carried_forward.natural_person"] = None
    values = consistent(F2021, applications__carried_over__natural_person=5)
    assert "T3-5" not in [f.rule for f in evaluate(F2021, values, previous)]


def test_cross_year_rules_across_the_2020_to_2021_format_change():
    previous_2020 = consistent(F2019, applications__carried_forward__other=2)
    values_2021 = consistent(F2021, active__regulations__repealed=5)
    findings = evaluate(F2021, values_2021, previous_2020)
    # 上年结转 links the two formats; 现行有效件数 has no 2019 counterpart, so T2-1/T2-2 are skipped.
    assert checks(findings) == ["T3-5:applications.carried_over.other"]
    assert (
        findings[0].message
        == "本年“上年结转政府信息公开申请数量”应等于上年“结转下年度继续办理”（法人或其他组织·其他）：0 ≠ 2"
    )


def test_in_force_documents_reconcile_with_previous_year():
    previous = zeros(F2021)
    previous["active.regulations.in_force"] = 10
    values = zeros(F2021)
    values.update(
        {"active.regulations.issued": 2, "active.regulations.repealed": 1, "active.regulations.in_force": 12}
    )
    finding = by_check(evaluate(F2021, values, previous), "T2-1:active.regulations.in_force")
    assert (finding.severity, finding.message) == (
        "warning",
        "“现行有效件数”应等于上年“现行有效件数”加“本年制发件数”减“本年废止件数”（规章）：12 ≠ 10 + 2 − 1",
    )
    assert finding.difference == 1


def test_repealing_more_than_existed_is_an_error():
    previous = zeros(F2021)
    previous["active.normative_documents.in_force"] = 3
    values = zeros(F2021)
    values["active.normative_documents.repealed"] = 5
    finding = by_check(evaluate(F2021, values, previous), "T2-2:active.normative_documents.repealed")
    assert (finding.severity, finding.message) == (
        "error",
        "“本年废止件数”不能超过上年“现行有效件数”与“本年制发件数”之和（行政规范性文件）：5 > 3 + 0",
    )


def test_item_counts_carry_over_in_the_2019_format():
    previous = zeros(F2019)
    previous.update({"active.licensing.prev_items": 100, "active.licensing.change": 5})
    values = zeros(F2019)
    values["active.licensing.prev_items"] = 105
    assert evaluate(F2019, values, previous) == []
    values["active.licensing.prev_items"] = 104
    finding = by_check(evaluate(F2019, values, previous), "T2-6:active.licensing.prev_items")
    assert (
        finding.message
        == "“上一年项目数量”应等于上年报告的“上一年项目数量”加“本年增/减”（行政许可）：104 ≠ 100 + 5"
    )


# ---------------------------------------------------------------- output shapes


def test_finding_as_json_prints_numbers_as_text():
    previous = zeros(F2021)
    previous["active.regulations.in_force"] = Decimal("10")
    values = zeros(F2021)
    values["active.regulations.in_force"] = 12
    data = by_check(evaluate(F2021, values, previous), "T2-1:active.regulations.in_force").as_json()
    assert (data["lhs"], data["rhs"], data["difference"]) == ("12", "10", "2")
    assert (data["severity"], data["severity_label"]) == ("warning", "警告")
    assert json.loads(json.dumps(data, ensure_ascii=False))["rule"] == "T2-1"


def test_compute_totals_sums_parts_and_leaves_all_blank_blank():
    values = dict.fromkeys(F2021.cell_keys())
    values["applications.granted.natural_person"] = 1
    values["applications.granted.other"] = 2
    totals = compute_totals(F2021, values)
    assert totals["applications.granted.total"] == 3
    assert totals["applications.results_total.total"] == 3
    assert totals["applications.results_total.natural_person"] == 1
    assert totals["applications.new.total"] is None
    assert totals["appeals.cases.review_total"] is None


def test_computed_cells_are_the_declared_totals():
    keys = [key for key, _ in computed_cells(F2021)]
    assert keys == [k for k in F2021.cell_keys() if F2021.is_computed(k) and "results_total" not in k] + [
        k for k in F2021.cell_keys() if ".results_total." in k
    ]


def test_rules_json_exports_every_expanded_check():
    data = rules_json(F2019)
    assert data["format"] == "gov2019"
    assert data["severityLabels"] == {"error": "错误", "warning": "警告"}
    assert len(data["checks"]) == len(expand(F2019))
    assert data["checks"][0] == {
        "rule": "T3-1",
        "id": "T3-1:applications.new.natural_person",
        "severity": "error",
        "message": "第一项加第二项之和应等于第三项加第四项之和（自然人）",
        "op": "==",
        "lhs": [
            [1, "applications.new.natural_person", False],
            [1, "applications.carried_over.natural_person", False],
        ],
        "rhs": [
            [1, "applications.results_total.natural_person", False],
            [1, "applications.carried_forward.natural_person", False],
        ],
    }
    json.dumps(data, ensure_ascii=False)


def test_severity_label_is_the_one_word_shown():
    assert [(s.value, s.label) for s in Severity] == [("error", "错误"), ("warning", "警告")]


@pytest.mark.parametrize("fmt", [F2019, F2021], ids=["gov2019", "gov2021"])
def test_rule_ids_are_unique_within_a_format(fmt):
    ids = [rule.id for rule in fmt.rules]
    assert sorted(ids) == sorted(set(ids))


def test_rule_ids_of_table_two():
    assert [r.id for r in F2019.rules if r.table == "active"] == ["T2-0", "T2-6", "T2-7a", "T2-7b", "T2-7c"]
    assert [r.id for r in F2021.rules if r.table == "active"] == ["T2-0", "T2-1", "T2-2"]


def test_check_ids_start_with_their_rule_id():
    for fmt in (F2019, F2021):
        assert {c.id.split(":")[0] for c in expand(fmt)} == {r.id for r in fmt.rules}
        assert all(c.id.split(":")[0] == c.rule for c in expand(fmt))


def test_expand_gives_unique_check_ids_per_format():
    for fmt in (F2019, F2021):
        ids = [c.id for c in expand(fmt)]
        assert len(ids) == len(set(ids))
        assert expand(fmt) is expand(fmt)


# ------------------------------------------------------------------ pre-filled cells

CASES = json.loads((Path(__file__).parents[1] / "cases" / "rules_cases.json").read_text(encoding="utf-8"))


def test_in_force_is_prefilled_from_t2_1_in_2021_only():
    assert [c.lhs[0].key for c in prefill_checks(F2021)] == [
        "active.regulations.in_force",
        "active.normative_documents.in_force",
    ]
    assert prefill_checks(F2019) == ()
    assert rules_json(F2019)["prefill"] == []
    assert rules_json(F2021)["prefill"][1] == [
        "active.normative_documents.in_force",
        [
            [1, "active.normative_documents.in_force", True],
            [1, "active.normative_documents.issued", False],
            [-1, "active.normative_documents.repealed", False],
        ],
    ]


def test_prefill_is_last_years_figure_plus_issued_minus_repealed():
    previous = {"active.regulations.in_force": 40, "active.normative_documents.in_force": None}
    values = {
        "active.regulations.issued": 5,
        "active.regulations.repealed": 2,
        "active.regulations.in_force": 9,
    }
    # the cell's own figure is not an operand; no suggestion without last year's figure
    assert prefill_values(F2021, values, previous) == {"active.regulations.in_force": 43}
    assert prefill_values(F2021, values, None) == {}


@pytest.mark.parametrize("case", CASES["prefill"], ids=lambda c: c["name"])
def test_python_prefill_matches_case_file(case):
    fmt = {"gov2019": F2019, "gov2021": F2021}[case["format"]]
    assert prefill_values(fmt, case["values"], case["previous"]) == case["expected"]
