"""《中华人民共和国政府信息公开工作年度报告格式（试行）》, 国办公开办函〔2019〕60号.

Used for the reports of 2019 and 2020 (templates.md §2).
Where each printed cell is stored and which rules read it: see docs/cells.md."""

from .common import (
    APPEALS_TABLE,
    APPLICATION_CARRY_OVER,
    COMMON_RULES,
    NARRATIVES,
    active_table,
    applications_table,
    article_block,
)
from .spec import Cell, Column, Format, Kind, Rule, Severity

ITEM_COLUMNS = (
    Column("prev_items", "上一年项目数量"),
    Column("change", "本年增/减", kind=Kind.SIGNED),
    Column("decisions", "处理决定数量"),
)

ACTIVE_TABLE = active_table(
    article_block(
        "item1",
        "第二十条第（一）项",
        (
            Column("made", "本年新制作数量"),
            Column("published", "本年新公开数量"),
            Column("total_published", "对外公开总数量"),
        ),
        (("regulations", "规章"), ("normative_documents", "规范性文件")),
    ),
    article_block(
        "item5",
        "第二十条第（五）项",
        ITEM_COLUMNS,
        (("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")),
    ),
    article_block(
        "item6",
        "第二十条第（六）项",
        ITEM_COLUMNS,
        (("penalty", "行政处罚"), ("coercion", "行政强制")),
    ),
    article_block(
        "item8",
        "第二十条第（八）项",
        (
            Column("prev_items", "上一年项目数量"),
            Column("change", "本年增/减", kind=Kind.SIGNED, span=2),
        ),
        (("fees", "行政事业性收费"),),
    ),
    article_block(
        "item9",
        "第二十条第（九）项",
        (
            Column("purchase_count", "采购项目数量"),
            Column(
                "purchase_amount",
                "采购总金额",
                kind=Kind.MONEY,
                unit="元",
                decimals=2,
                span=2,
            ),
        ),
        (("procurement", "政府集中采购"),),
    ),
)

ITEM_ROWS = ("licensing", "other_services", "penalty", "coercion", "fees")

RULES = COMMON_RULES + (
    Rule(
        "T2-0",
        "主动公开数量应为非负数（{label}）",
        Severity.ERROR,
        "non_negative",
        "active",
        source="ARITH: 件数、项目数量和金额",
    ),
    Rule(
        "T2-6",
        "“上一年项目数量”应等于上年报告的“上一年项目数量”加“本年增/减”（{label}）",
        Severity.WARNING,
        "per_row",
        "active",
        source="PRACTICE: 跨年度衔接",
        lhs=((1, "prev_items"),),
        rhs=((1, "prev:prev_items"), (1, "prev:change")),
        rows=ITEM_ROWS,
    ),
    Rule(
        "T2-7a",
        "“本年新公开数量”一般不超过“本年新制作数量”（{label}）",
        Severity.WARNING,
        "per_row",
        "active",
        source="PRACTICE: T2-7 第一条（通常相等）",
        op="<=",
        lhs=((1, "published"),),
        rhs=((1, "made"),),
        rows=("regulations", "normative_documents"),
    ),
    Rule(
        "T2-7b",
        "“对外公开总数量”应不少于“本年新公开数量”（{label}）",
        Severity.WARNING,
        "per_row",
        "active",
        source="PRACTICE: T2-7 第二条",
        op=">=",
        lhs=((1, "total_published"),),
        rhs=((1, "published"),),
        rows=("regulations", "normative_documents"),
    ),
    Rule(
        "T2-7c",
        "“对外公开总数量”一般等于上年“对外公开总数量”加“本年新公开数量”（{label}）",
        Severity.WARNING,
        "per_row",
        "active",
        source="PRACTICE: T2-7 第三条（跨年度；真实报告有的行相符、有的不符）",
        lhs=((1, "total_published"),),
        rhs=((1, "prev:total_published"), (1, "published")),
        rows=("regulations", "normative_documents"),
    ),
)

FORMAT = Format(
    code="gov2019",
    name="2019年版年度报告格式（试行）",
    notice="国办公开办函〔2019〕60号",
    first_year=2019,
    last_year=2020,
    tables=(
        ACTIVE_TABLE,
        applications_table((("other", "（六）其他处理", (Cell("（六）其他处理", colspan=2),), "", ()),)),
        APPEALS_TABLE,
    ),
    narratives=NARRATIVES,
    rules=RULES,
    carry_over=APPLICATION_CARRY_OVER,
)
