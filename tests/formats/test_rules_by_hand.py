"""The Python rule engine against findings worked out by hand.

Every expectation below was written from templates.md §5 (what each rule says,
STATED/ARITH → error, PRACTICE → warning) and the declarations (labels, wording,
which cells a rule reads), not copied from the engine's output. This file pins
the Python engine's correctness; tests/cases/rules_cases.json is a snapshot of
that engine which only keeps the JavaScript engine in step with it.

The reports are small and fully filled (every rule holds on them); a case
changes a few cells and says which findings follow.
"""

from decimal import Decimal

import pytest

from disclosure.formats import Kind, gov2019, gov2021
from disclosure.formats.checks import evaluate
from disclosure.formats.values import parse_number

F19, F21 = gov2019.FORMAT, gov2021.FORMAT

# templates.md §5: the PRACTICE rules warn; STATED and ARITH rules block.
PRACTICE = {"T2-1", "T2-6", "T2-7a", "T2-7b", "T2-7c", "T3-5"}

APPLICANTS = ("natural_person", "commercial", "research", "public_interest", "legal_service", "other")
RESULT_ROWS = (
    "granted",
    "partial",
    "withheld_secret",
    "withheld_prohibited",
    "withheld_security",
    "withheld_third_party",
    "withheld_internal",
    "withheld_process",
    "withheld_enforcement",
    "withheld_inquiry",
    "unable_not_held",
    "unable_create",
    "unable_unclear",
    "ignored_complaint",
    "ignored_repeat",
    "ignored_publication",
    "ignored_excessive",
    "ignored_confirm",
)
OTHER_ROWS = {"gov2019": ("other",), "gov2021": ("other_no_correction", "other_fee_unpaid", "other_other")}

# Table 三 by row: (自然人, 商业企业, 总计); the other four applicant columns are 0.
# 10 + 1 = 9 + 2 for 自然人, 2 + 0 = 2 + 0 for 商业企业, 12 + 1 = 11 + 2 in total.
APPLICATIONS = {
    "new": (10, 2, 12),
    "carried_over": (1, 0, 1),
    "granted": (6, 1, 7),
    "partial": (1, 0, 1),
    "withheld_third_party": (1, 0, 1),
    "unable_not_held": (1, 1, 2),
    "results_total": (9, 2, 11),
    "carried_forward": (2, 0, 2),
}
# Table 四 by block: 结果维持, 结果纠正, 其他结果, 尚未审结, 总计.
APPEALS = {"review": (1, 1, 0, 1, 3), "direct": (2, 0, 0, 0, 2), "after_review": (0, 0, 0, 0, 0)}
OUTCOMES = ("upheld", "corrected", "other", "pending", "total")

ACTIVE = {
    "gov2019": {
        "active.normative_documents.made": 4,
        "active.normative_documents.published": 4,
        "active.normative_documents.total_published": 20,
        "active.licensing.prev_items": 88,
        "active.licensing.change": -30,
        "active.licensing.decisions": 58,
        "active.other_services.prev_items": 10,
        "active.other_services.change": 2,
        "active.other_services.decisions": 7,
        "active.penalty.prev_items": 5,
        "active.penalty.change": -1,
        "active.penalty.decisions": 18,
        "active.coercion.prev_items": 3,
        "active.coercion.decisions": 1,
        "active.fees.prev_items": 2,
        "active.procurement.purchase_count": 10,
        "active.procurement.purchase_amount": Decimal("166781.96"),  # 元
    },
    "gov2021": {
        "active.normative_documents.issued": 5,
        "active.normative_documents.repealed": 2,
        "active.normative_documents.in_force": 13,  # last year 10 + 5 − 2
        "active.licensing.decisions": 40,
        "active.penalty.decisions": 12,
        "active.coercion.decisions": 3,
        "active.fees.fee_amount": Decimal("18651.06"),  # 万元
    },
}

# What last year's report says where this year's cross-year rules read it: 结转下年度
# equals this year's 上年结转, and this year's table 二 follows from last year's.
PREVIOUS = {
    "gov2019": {
        "active.licensing.prev_items": 100,  # 100 − 12 = 88
        "active.licensing.change": -12,
        "active.other_services.prev_items": 8,  # 8 + 2 = 10
        "active.other_services.change": 2,
        "active.penalty.prev_items": 6,  # 6 − 1 = 5
        "active.penalty.change": -1,
        "active.coercion.prev_items": 3,
        "active.coercion.change": 0,
        "active.fees.prev_items": 2,
        "active.fees.change": 0,
        "active.regulations.total_published": 0,  # 0 + 0 = 0
        "active.normative_documents.total_published": 16,  # 16 + 4 = 20
    },
    "gov2021": {"active.regulations.in_force": 0, "active.normative_documents.in_force": 10},
}


def app(row, column):
    return f"applications.{row}.{column}"


def report(fmt, changes=None):
    """The consistent report of ``fmt`` with ``changes`` (cell key → value, None = blank)."""
    values = {key: Decimal(0) if fmt.locate(key)[3].kind == Kind.MONEY else 0 for key in fmt.cell_keys()}
    for row, (person, company, total) in APPLICATIONS.items():
        values.update(
            {app(row, "natural_person"): person, app(row, "commercial"): company, app(row, "total"): total}
        )
    for block, numbers in APPEALS.items():
        values.update({f"appeals.cases.{block}_{o}": n for o, n in zip(OUTCOMES, numbers)})
    values.update(ACTIVE[fmt.code])
    values.update(changes or {})
    return values


def previous(fmt, changes=None):
    """Last year's report, in the same format, that this year's ``report(fmt)`` follows on from."""
    values = report(fmt, {app("carried_forward", "natural_person"): 1, app("carried_forward", "total"): 1})
    values.update(PREVIOUS[fmt.code])
    values.update(changes or {})
    return values


def blank(fmt):
    return dict.fromkeys(fmt.cell_keys())


def typed(fmt, key, text):
    """A money cell as the form or importer reads ``text`` (元/万元 converted to the cell's unit)."""
    return parse_number(text, fmt.locate(key)[3])[0]


def row_parts(row):
    """Cells of one T3-3 check: the row's 总计, then its six applicant columns."""
    return [app(row, "total")] + [app(row, c) for c in APPLICANTS]


def result_parts(fmt, column):
    """Cells of one T3-2 check: （七）总计, then every result row of that column."""
    return [app("results_total", column)] + [app(r, column) for r in RESULT_ROWS + OTHER_ROWS[fmt.code]]


def balance_cells(column):
    """Cells of one T3-1 check: 一, 二, 三（七）总计, 四."""
    return [app(r, column) for r in ("new", "carried_over", "results_total", "carried_forward")]


def expect(check, message, cells, difference, previous_cells=()):
    rule = check.split(":")[0]
    severity = "warning" if rule in PRACTICE else "error"
    return (rule, check, severity, message, list(cells), list(previous_cells), difference)


def observed(findings):
    return [
        (f.rule, f.check, f.severity, f.message, f.cells, f.previous_cells, f.difference) for f in findings
    ]


CASES = []


def case(name, fmt, values, last_year, *expected):
    CASES.append(pytest.param(fmt, values, last_year, list(expected), id=f"{fmt.code}: {name}"))


# ---------------------------------------------------------------- tables 三 and 四, both formats

BALANCE = "第一项加第二项之和应等于第三项加第四项之和"
RESULTS_SUM = "（七）总计应等于各项办理结果之和"
ROW_SUM = "总计应等于自然人与法人或其他组织各项之和"
NON_NEGATIVE = "申请数量应为非负整数"
CARRY = "本年“上年结转政府信息公开申请数量”应等于上年“结转下年度继续办理”"
OUTCOME_SUM = "总计应等于结果维持、结果纠正、其他结果、尚未审结之和"
CARRIED_OVER_RESEARCH = app("carried_over", "research")
CARRIED_FORWARD_RESEARCH = app("carried_forward", "research")
NEGATIVE_CARRIES = {
    # -1 in 上年结转 and 结转下年度 keeps T3-1 and T3-3 balanced: only T3-4 (and T3-5) can fail
    CARRIED_OVER_RESEARCH: -1,
    app("carried_over", "total"): 0,
    CARRIED_FORWARD_RESEARCH: -1,
    app("carried_forward", "total"): 1,
}
MORE_CARRIED_OVER = {  # 上年结转 3 instead of 1, 新收 8 instead of 10: T3-1 still holds
    app("new", "natural_person"): 8,
    app("new", "total"): 10,
    app("carried_over", "natural_person"): 3,
    app("carried_over", "total"): 3,
}

for fmt in (F19, F21):
    case("consistent report with last year's", fmt, report(fmt), previous(fmt))
    case("consistent report without last year's", fmt, report(fmt), None)
    case("every cell blank, no previous report", fmt, blank(fmt), None)
    case(
        "T3-1 fails when 结转下年度 is one too many",
        fmt,
        report(fmt, {app("carried_forward", "natural_person"): 3, app("carried_forward", "total"): 3}),
        previous(fmt),
        expect(
            "T3-1:applications.new.natural_person",
            f"{BALANCE}（自然人）：10 + 1 ≠ 9 + 3",
            balance_cells("natural_person"),
            -1,
        ),
        expect(
            "T3-1:applications.new.total", f"{BALANCE}（总计）：12 + 1 ≠ 11 + 3", balance_cells("total"), -1
        ),
    )
    case(
        "T3-1 reads a blank 新收 cell as 0",
        fmt,
        report(fmt, {app("new", "commercial"): None, app("new", "total"): 10}),
        previous(fmt),
        expect(
            "T3-1:applications.new.commercial",
            f"{BALANCE}（法人或其他组织·商业企业）：0 + 0 ≠ 2 + 0",
            balance_cells("commercial"),
            -2,
        ),
        expect(
            "T3-1:applications.new.total", f"{BALANCE}（总计）：10 + 1 ≠ 11 + 2", balance_cells("total"), -2
        ),
    )
    case(
        "T3-3 and T3-2 fail when a row's 总计 is typed wrong",
        fmt,
        report(fmt, {app("granted", "total"): 8}),
        previous(fmt),
        expect(
            "T3-2:applications.results_total.total",
            f"{RESULTS_SUM}（总计）：11 ≠ 12",
            result_parts(fmt, "total"),
            -1,
        ),
        expect(
            "T3-3:applications.granted.total",
            f"{ROW_SUM}「（一）予以公开」：8 ≠ 6 + 1 + 0 + 0 + 0 + 0",
            row_parts("granted"),
            1,
        ),
    )
    case(
        "T3-3 names a row under a merged group label",
        fmt,
        report(fmt, {app("withheld_security", "research"): 1}),
        previous(fmt),
        expect(
            "T3-2:applications.results_total.research",
            f"{RESULTS_SUM}（法人或其他组织·科研机构）：0 ≠ 1",
            result_parts(fmt, "research"),
            -1,
        ),
        expect(
            "T3-3:applications.withheld_security.total",
            f"{ROW_SUM}「（三）不予公开3.危及“三安全一稳定”」：0 ≠ 0 + 0 + 1 + 0 + 0 + 0",
            row_parts("withheld_security"),
            -1,
        ),
    )
    case(
        "T3-4 flags negative counts",
        fmt,
        report(fmt, NEGATIVE_CARRIES),
        None,
        expect(
            "T3-4:applications.carried_over.research",
            f"{NON_NEGATIVE}（二、上年结转政府信息公开申请数量·法人或其他组织·科研机构）：-1 < 0",
            [CARRIED_OVER_RESEARCH],
            -1,
        ),
        expect(
            "T3-4:applications.carried_forward.research",
            f"{NON_NEGATIVE}（四、结转下年度继续办理·法人或其他组织·科研机构）：-1 < 0",
            [CARRIED_FORWARD_RESEARCH],
            -1,
        ),
    )
    case(
        "T3-4 errors come before T3-5 warnings",
        fmt,
        report(fmt, NEGATIVE_CARRIES),
        previous(fmt),
        expect(
            "T3-4:applications.carried_over.research",
            f"{NON_NEGATIVE}（二、上年结转政府信息公开申请数量·法人或其他组织·科研机构）：-1 < 0",
            [CARRIED_OVER_RESEARCH],
            -1,
        ),
        expect(
            "T3-4:applications.carried_forward.research",
            f"{NON_NEGATIVE}（四、结转下年度继续办理·法人或其他组织·科研机构）：-1 < 0",
            [CARRIED_FORWARD_RESEARCH],
            -1,
        ),
        expect(
            "T3-5:applications.carried_over.research",
            f"{CARRY}（法人或其他组织·科研机构）：-1 ≠ 0",
            [CARRIED_OVER_RESEARCH],
            -1,
            [CARRIED_FORWARD_RESEARCH],
        ),
        expect(
            "T3-5:applications.carried_over.total",
            f"{CARRY}（总计）：0 ≠ 1",
            [app("carried_over", "total")],
            -1,
            [app("carried_forward", "total")],
        ),
    )
    case(
        "T3-5 warns when last year carried forward more",
        fmt,
        report(fmt),
        previous(fmt, {app("carried_forward", "natural_person"): 2, app("carried_forward", "total"): 2}),
        expect(
            "T3-5:applications.carried_over.natural_person",
            f"{CARRY}（自然人）：1 ≠ 2",
            [app("carried_over", "natural_person")],
            -1,
            [app("carried_forward", "natural_person")],
        ),
        expect(
            "T3-5:applications.carried_over.total",
            f"{CARRY}（总计）：1 ≠ 2",
            [app("carried_over", "total")],
            -1,
            [app("carried_forward", "total")],
        ),
    )
    case("T3-5 is skipped without a previous report", fmt, report(fmt, MORE_CARRIED_OVER), None)
    case(
        "T3-5 compares 上年结转 with last year's 结转下年度",
        fmt,
        report(fmt, MORE_CARRIED_OVER),
        previous(fmt),
        expect(
            "T3-5:applications.carried_over.natural_person",
            f"{CARRY}（自然人）：3 ≠ 1",
            [app("carried_over", "natural_person")],
            2,
            [app("carried_forward", "natural_person")],
        ),
        expect(
            "T3-5:applications.carried_over.total",
            f"{CARRY}（总计）：3 ≠ 1",
            [app("carried_over", "total")],
            2,
            [app("carried_forward", "total")],
        ),
    )
    case(
        "T3-5 is skipped for a column last year left blank",
        fmt,
        report(fmt, MORE_CARRIED_OVER),
        previous(fmt, {app("carried_forward", "natural_person"): None}),
        expect(
            "T3-5:applications.carried_over.total",
            f"{CARRY}（总计）：3 ≠ 1",
            [app("carried_over", "total")],
            2,
            [app("carried_forward", "total")],
        ),
    )
    case(
        "T4-1 fails when 行政复议 总计 is short",
        fmt,
        report(fmt, {"appeals.cases.review_total": 2}),
        previous(fmt),
        expect(
            "T4-1:appeals.cases.review_total",
            f"行政复议{OUTCOME_SUM}：2 ≠ 1 + 1 + 0 + 1",
            [f"appeals.cases.review_{o}" for o in ("total", "upheld", "corrected", "other", "pending")],
            -1,
        ),
    )
    case(
        "T4-2 fails when 尚未审结 is added without the total",
        fmt,
        report(fmt, {"appeals.cases.direct_pending": 2}),
        previous(fmt),
        expect(
            "T4-2:appeals.cases.direct_total",
            f"行政诉讼（未经复议直接起诉）{OUTCOME_SUM}：2 ≠ 2 + 0 + 0 + 2",
            [f"appeals.cases.direct_{o}" for o in ("total", "upheld", "corrected", "other", "pending")],
            -2,
        ),
    )
    case(
        "T4-3 reads a blank 总计 as 0",
        fmt,
        report(fmt, {"appeals.cases.after_review_corrected": 1, "appeals.cases.after_review_total": None}),
        previous(fmt),
        expect(
            "T4-3:appeals.cases.after_review_total",
            f"行政诉讼（复议后起诉）{OUTCOME_SUM}：0 ≠ 0 + 1 + 0 + 0",
            [f"appeals.cases.after_review_{o}" for o in ("total", "upheld", "corrected", "other", "pending")],
            -1,
        ),
    )
    case(
        "T4-4 flags a negative case count",
        fmt,
        report(fmt, {"appeals.cases.review_other": -1, "appeals.cases.review_total": 2}),
        previous(fmt),
        expect(
            "T4-4:appeals.cases.review_other",
            "案件数量应为非负整数（行政复议·其他结果）：-1 < 0",
            ["appeals.cases.review_other"],
            -1,
        ),
    )

# ---------------------------------------------------------------- 2021: table 二 and （六）其他处理

IN_FORCE = "“现行有效件数”应等于上年“现行有效件数”加“本年制发件数”减“本年废止件数”"
NORMATIVE_21 = [f"active.normative_documents.{c}" for c in ("in_force", "issued", "repealed")]
FEE = "active.fees.fee_amount"
FEE_NAME = "行政事业性收费·本年收费金额（单位：万元）"

case(
    "T3-2 counts the three （六）其他处理 rows",
    F21,
    report(F21, {app("other_fee_unpaid", "commercial"): 1, app("other_fee_unpaid", "total"): 1}),
    previous(F21),
    expect(
        "T3-2:applications.results_total.commercial",
        f"{RESULTS_SUM}（法人或其他组织·商业企业）：2 ≠ 3",
        result_parts(F21, "commercial"),
        -1,
    ),
    expect(
        "T3-2:applications.results_total.total",
        f"{RESULTS_SUM}（总计）：11 ≠ 12",
        result_parts(F21, "total"),
        -1,
    ),
)
case(
    "T2-0 flags a negative amount in 万元 with its decimals",
    F21,
    report(F21, {FEE: Decimal("-5949.088667")}),
    previous(F21),
    expect(
        f"T2-0:{FEE}",
        f"主动公开数量应为非负数「{FEE_NAME}」：-5949.088667 < 0",
        [FEE],
        Decimal("-5949.088667"),
    ),
)
case(
    "T2-0 reads an amount typed in 元 as 万元",
    F21,
    report(F21, {FEE: typed(F21, FEE, "-30000元")}),
    previous(F21),
    expect(f"T2-0:{FEE}", f"主动公开数量应为非负数「{FEE_NAME}」：-3 < 0", [FEE], Decimal("-3")),
)
case(
    "T2-0 holds for an amount typed in 元", F21, report(F21, {FEE: typed(F21, FEE, "30000元")}), previous(F21)
)
case(
    "T2-0 flags a negative decision count",
    F21,
    report(F21, {"active.penalty.decisions": -2}),
    previous(F21),
    expect(
        "T2-0:active.penalty.decisions",
        "主动公开数量应为非负数（行政处罚·本年处理决定数量）：-2 < 0",
        ["active.penalty.decisions"],
        -2,
    ),
)
case(
    "T2-1 warns when 现行有效件数 does not reconcile",
    F21,
    report(F21, {"active.normative_documents.in_force": 14}),
    previous(F21),
    expect(
        "T2-1:active.normative_documents.in_force",
        f"{IN_FORCE}（行政规范性文件）：14 ≠ 10 + 5 − 2",
        NORMATIVE_21,
        1,
        ["active.normative_documents.in_force"],
    ),
)
case(
    "T2-1 is skipped without a previous report",
    F21,
    report(F21, {"active.normative_documents.in_force": 14}),
    None,
)
case(
    "T2-1 and T2-2 are skipped after a 2019-format year, T3-5 still links",
    F21,
    report(F21, {"active.normative_documents.in_force": 14, "active.normative_documents.repealed": 99}),
    previous(F19),
)
case(
    "T2-2 fails when more is repealed than existed",
    F21,
    report(F21, {"active.normative_documents.repealed": 9}),
    previous(F21, {"active.normative_documents.in_force": 3}),
    expect(
        "T2-1:active.normative_documents.in_force",
        f"{IN_FORCE}（行政规范性文件）：13 ≠ 3 + 5 − 9",
        NORMATIVE_21,
        14,
        ["active.normative_documents.in_force"],
    ),
    expect(
        "T2-2:active.normative_documents.repealed",
        "“本年废止件数”不能超过上年“现行有效件数”与“本年制发件数”之和（行政规范性文件）：9 > 3 + 5",
        ["active.normative_documents.repealed", "active.normative_documents.issued"],
        1,
        ["active.normative_documents.in_force"],
    ),
)
case(
    "T2-2 is skipped when last year's 现行有效件数 is blank",
    F21,
    report(F21, {"active.normative_documents.repealed": 9}),
    previous(F21, {"active.normative_documents.in_force": None}),
)
TOTAL_PUBLISHED = "“对外公开总数量”一般等于上年“对外公开总数量”加“本年新公开数量”"
case(
    "T2-7c warns when the published stock does not follow last year's",
    F19,
    report(F19, {"active.normative_documents.total_published": 21}),
    previous(F19),
    expect(
        "T2-7c:active.normative_documents.total_published",
        f"{TOTAL_PUBLISHED}（规范性文件）：21 ≠ 16 + 4",
        ["active.normative_documents.total_published", "active.normative_documents.published"],
        1,
        ["active.normative_documents.total_published"],
    ),
)
case(
    "T2-7c is skipped without last year's report",
    F19,
    report(F19, {"active.normative_documents.total_published": 21}),
    None,
)
case(
    "a blank report is read as 0 against last year's",
    F21,
    blank(F21),
    previous(F21),
    expect(
        "T3-5:applications.carried_over.natural_person",
        f"{CARRY}（自然人）：0 ≠ 1",
        [app("carried_over", "natural_person")],
        -1,
        [app("carried_forward", "natural_person")],
    ),
    expect(
        "T3-5:applications.carried_over.total",
        f"{CARRY}（总计）：0 ≠ 1",
        [app("carried_over", "total")],
        -1,
        [app("carried_forward", "total")],
    ),
    expect(
        "T2-1:active.normative_documents.in_force",
        f"{IN_FORCE}（行政规范性文件）：0 ≠ 10 + 0 − 0",
        NORMATIVE_21,
        -10,
        ["active.normative_documents.in_force"],
    ),
)

# ---------------------------------------------------------------- 2019: table 二 and （六）其他处理

ITEMS = "“上一年项目数量”应等于上年报告的“上一年项目数量”加“本年增/减”"
AMOUNT = "active.procurement.purchase_amount"


def items_check(row, message, difference):
    return expect(
        f"T2-6:active.{row}.prev_items",
        f"{ITEMS}{message}",
        [f"active.{row}.prev_items"],
        difference,
        [f"active.{row}.prev_items", f"active.{row}.change"],
    )


case(
    "T3-2 counts the single （六）其他处理 row",
    F19,
    report(F19, {app("other", "natural_person"): 1, app("other", "total"): 1}),
    previous(F19),
    expect(
        "T3-2:applications.results_total.natural_person",
        f"{RESULTS_SUM}（自然人）：9 ≠ 10",
        result_parts(F19, "natural_person"),
        -1,
    ),
    expect(
        "T3-2:applications.results_total.total",
        f"{RESULTS_SUM}（总计）：11 ≠ 12",
        result_parts(F19, "total"),
        -1,
    ),
)
case(
    "T2-0 flags a negative amount in 元 with its decimals",
    F19,
    report(F19, {AMOUNT: Decimal("-166781.96")}),
    previous(F19),
    expect(
        f"T2-0:{AMOUNT}",
        "主动公开数量应为非负数（政府集中采购·采购总金额）：-166781.96 < 0",
        [AMOUNT],
        Decimal("-166781.96"),
    ),
)
case(
    "T2-0 reads an amount typed in 万元 as 元",
    F19,
    report(F19, {AMOUNT: typed(F19, AMOUNT, "-1.5万元")}),
    previous(F19),
    expect(
        f"T2-0:{AMOUNT}", "主动公开数量应为非负数（政府集中采购·采购总金额）：-15000 < 0", [AMOUNT], -15000
    ),
)
case(
    "T2-0 flags a negative item count but not a negative 本年增/减",
    F19,
    report(F19, {"active.licensing.prev_items": -1}),
    None,
    expect(
        "T2-0:active.licensing.prev_items",
        "主动公开数量应为非负数（行政许可·上一年项目数量）：-1 < 0",
        ["active.licensing.prev_items"],
        -1,
    ),
)
case(
    "T2-6 shows last year's negative 本年增/减 as it is",
    F19,
    report(F19, {"active.licensing.prev_items": 90}),
    previous(F19),
    items_check("licensing", "（行政许可）：90 ≠ 100 + -12", 2),
)
case(
    "T2-6 covers 行政事业性收费",
    F19,
    report(F19, {"active.fees.prev_items": 3}),
    previous(F19),
    items_check("fees", "（行政事业性收费）：3 ≠ 2 + 0", 1),
)
case("T2-6 is skipped without a previous report", F19, report(F19, {"active.licensing.prev_items": 90}), None)
case(
    "T2-6 is skipped when last year's 本年增/减 is blank",
    F19,
    report(F19, {"active.licensing.prev_items": 90}),
    previous(F19, {"active.licensing.change": None}),
)
case(
    "T2-7a warns when more is published than made",
    F19,
    report(
        F19,
        {
            "active.regulations.made": 3,
            "active.regulations.published": 5,
            "active.regulations.total_published": 5,
        },
    ),
    previous(F19),
    expect(
        "T2-7a:active.regulations.published",
        "“本年新公开数量”一般不超过“本年新制作数量”（规章）：5 > 3",
        ["active.regulations.published", "active.regulations.made"],
        2,
    ),
)
case(
    "T2-7b warns when the published stock is below this year's",
    F19,
    report(F19, {"active.normative_documents.total_published": 3}),
    previous(F19),
    expect(
        "T2-7b:active.normative_documents.total_published",
        "“对外公开总数量”应不少于“本年新公开数量”（规范性文件）：3 < 4",
        ["active.normative_documents.total_published", "active.normative_documents.published"],
        -1,
    ),
    expect(
        "T2-7c:active.normative_documents.total_published",
        "“对外公开总数量”一般等于上年“对外公开总数量”加“本年新公开数量”（规范性文件）：3 ≠ 16 + 4",
        ["active.normative_documents.total_published", "active.normative_documents.published"],
        -17,
        ["active.normative_documents.total_published"],
    ),
)
TOTAL_PUBLISHED = "“对外公开总数量”一般等于上年“对外公开总数量”加“本年新公开数量”"
case(
    "T2-7c warns when the published stock does not follow last year's",
    F19,
    report(F19, {"active.normative_documents.total_published": 21}),
    previous(F19),
    expect(
        "T2-7c:active.normative_documents.total_published",
        f"{TOTAL_PUBLISHED}（规范性文件）：21 ≠ 16 + 4",
        ["active.normative_documents.total_published", "active.normative_documents.published"],
        1,
        ["active.normative_documents.total_published"],
    ),
)
case(
    "T2-7c is skipped without last year's report",
    F19,
    report(F19, {"active.normative_documents.total_published": 21}),
    None,
)
case(
    "a blank report is read as 0 against last year's",
    F19,
    blank(F19),
    previous(F19),
    expect(
        "T3-5:applications.carried_over.natural_person",
        f"{CARRY}（自然人）：0 ≠ 1",
        [app("carried_over", "natural_person")],
        -1,
        [app("carried_forward", "natural_person")],
    ),
    expect(
        "T3-5:applications.carried_over.total",
        f"{CARRY}（总计）：0 ≠ 1",
        [app("carried_over", "total")],
        -1,
        [app("carried_forward", "total")],
    ),
    items_check("licensing", "（行政许可）：0 ≠ 100 + -12", -88),
    items_check("other_services", "（其他对外管理服务事项）：0 ≠ 8 + 2", -10),
    items_check("penalty", "（行政处罚）：0 ≠ 6 + -1", -5),
    items_check("coercion", "（行政强制）：0 ≠ 3 + 0", -3),
    items_check("fees", "（行政事业性收费）：0 ≠ 2 + 0", -2),
    expect(
        "T2-7c:active.normative_documents.total_published",
        f"{TOTAL_PUBLISHED}（规范性文件）：0 ≠ 16 + 0",
        ["active.normative_documents.total_published", "active.normative_documents.published"],
        -16,
        ["active.normative_documents.total_published"],
    ),
)


@pytest.mark.parametrize(("fmt", "values", "last_year", "expected"), CASES)
def test_evaluate_finds_what_was_worked_out_by_hand(fmt, values, last_year, expected):
    assert observed(evaluate(fmt, values, last_year)) == expected


def test_hand_written_cases_fail_every_rule_of_both_formats():
    covered = {(param.values[0].code, finding[0]) for param in CASES for finding in param.values[3]}
    declared = {(fmt.code, rule.id) for fmt in (F19, F21) for rule in fmt.rules}
    assert covered == declared


def test_hand_written_cases_cover_every_rule_kind():
    failing = {finding[0] for param in CASES for finding in param.values[3]}
    kinds = {rule.kind for fmt in (F19, F21) for rule in fmt.rules if rule.id in failing}
    assert kinds == {"sum_columns", "sum_rows", "non_negative", "per_column", "per_row"}


def test_hand_written_cases_are_at_least_twenty_five():
    assert len(CASES) >= 25
