"""《中华人民共和国政府信息公开工作年度报告格式》, 国办公开办函〔2021〕30号.

Used for the reports of 2021 onwards (templates.md §3).
Where each printed cell is stored and which rules read it: see docs/cells.md."""

from .common import (
    APPEALS_TABLE,
    APPLICATION_CARRY_OVER,
    COMMON_RULES,
    NARRATIVES,
    active_table,
    applications_table,
    article_block,
    grouped_rows,
)
from .spec import Column, Format, Kind, Rule, Severity

DECISIONS = Column("decisions", "本年处理决定数量", span=3)

ACTIVE_TABLE = active_table(
    article_block(
        "item1",
        "第二十条第（一）项",
        (
            Column("issued", "本年制发件数"),
            Column("repealed", "本年废止件数"),
            Column("in_force", "现行有效件数"),
        ),
        (
            ("regulations", "规章", ()),
            ("normative_documents", "行政规范性文件", ("规范性文件",)),
        ),
    ),
    article_block(
        "item5",
        "第二十条第（五）项",
        (DECISIONS,),
        (("licensing", "行政许可", ()),),
    ),
    article_block(
        "item6",
        "第二十条第（六）项",
        (DECISIONS,),
        (("penalty", "行政处罚", ()), ("coercion", "行政强制", ())),
    ),
    article_block(
        "item8",
        "第二十条第（八）项",
        (
            Column(
                "fee_amount",
                "本年收费金额（单位：万元）",
                kind=Kind.MONEY,
                unit="万元",
                decimals=6,
                span=3,
            ),
        ),
        (("fees", "行政事业性收费", ()),),
    ),
)

OTHER_ROWS = grouped_rows(
    "（六）其他处理",
    (
        (
            "other_no_correction",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ),
        (
            "other_fee_unpaid",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ),
        ("other_other", "3.其他"),
    ),
)

DOCUMENT_ROWS = ("regulations", "normative_documents")

RULES = COMMON_RULES + (
    Rule(
        # templates.md folds "all values ≥ 0" into T2-2; its own id is gov2019's T2-0 for the same rule
        "T2-0",
        "主动公开数量应为非负数（{label}）",
        Severity.ERROR,
        "non_negative",
        "active",
        source="ARITH: 件数和金额（templates.md 并入 T2-2）",
    ),
    Rule(
        "T2-1",
        "“现行有效件数”应等于上年“现行有效件数”加“本年制发件数”减“本年废止件数”（{label}）",
        Severity.WARNING,
        "per_row",
        "active",
        source="PRACTICE: 跨年度衔接；文件清理等原因可能不一致，需说明",
        lhs=((1, "in_force"),),
        rhs=((1, "prev:in_force"), (1, "issued"), (-1, "repealed")),
        rows=DOCUMENT_ROWS,
    ),
    Rule(
        "T2-2",
        "“本年废止件数”不能超过上年“现行有效件数”与“本年制发件数”之和（{label}）",
        Severity.ERROR,
        "per_row",
        "active",
        source="ARITH",
        op="<=",
        lhs=((1, "repealed"),),
        rhs=((1, "prev:in_force"), (1, "issued")),
        rows=DOCUMENT_ROWS,
    ),
)

FORMAT = Format(
    code="gov2021",
    name="2021年版年度报告格式",
    notice="国办公开办函〔2021〕30号",
    first_year=2021,
    last_year=None,
    tables=(ACTIVE_TABLE, applications_table(OTHER_ROWS), APPEALS_TABLE),
    narratives=NARRATIVES,
    rules=RULES,
    carry_over=APPLICATION_CARRY_OVER,
    # 现行有效件数 starts as 上年现行有效件数 + 本年制发件数 − 本年废止件数 (T2-1's right-hand side)
    prefill_from=("T2-1",),
)
