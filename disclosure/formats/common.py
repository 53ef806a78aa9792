"""Parts both national formats share verbatim: tables 三 and 四, the six
headings, and the rules on them (templates.md §1, §4, §5)."""

from .spec import Cell, Column, Group, NarrativeSection, Row, Rule, Severity, Table

# The six numbered sections in the template's order: ``layout.sections`` orders every
# format's narratives and tables by it, and refuses a format that misses one.
SECTION_HEADINGS = (
    ("一", "总体情况"),
    ("二", "主动公开政府信息情况"),
    ("三", "收到和处理政府信息公开申请情况"),
    ("四", "政府信息公开行政复议、行政诉讼情况"),
    ("五", "存在的主要问题及改进情况"),
    ("六", "其他需要报告的事项"),
)

NARRATIVES = (
    NarrativeSection(
        "general",
        "一",
        "总体情况",
        aliases=("政府信息公开工作的基本情况", "基本情况", "概述"),
    ),
    NarrativeSection(
        "problems",
        "五",
        "存在的主要问题及改进情况",
        aliases=(
            "存在的主要问题及整改措施",
            "存在的问题及改进措施",
            "下一步工作措施",
            "存在问题及改进措施",
        ),
    ),
    NarrativeSection("other_matters", "六", "其他需要报告的事项", aliases=("其他需要报告的事项",)),
)

# ---------------------------------------------------------------- table 二


def article_block(code, article, columns, rows):
    """A 第二十条 block of table 二: caption row, column-label row, data rows.

    ``rows`` are (code, label) or (code, label, aliases)."""
    header = (
        (Cell(article, colspan=4),),
        (Cell("信息内容"),) + tuple(Cell(c.label, colspan=c.span) for c in columns),
    )
    body = tuple(Row(r[0], r[1], (Cell(r[1]),), aliases=tuple(r[2:3] and r[2])) for r in rows)
    return Group(code, header, columns, body, article)


def active_table(*groups: Group) -> Table:
    """Table 二, whose blocks differ by format."""
    return Table("active", "二", "主动公开政府信息情况", 4, groups)


# ---------------------------------------------------------------- table 三

APPLICANT_PARTS = (
    ("natural_person", "自然人", "自然人"),
    ("commercial", "商业企业", "法人或其他组织·商业企业"),
    ("research", "科研机构", "法人或其他组织·科研机构"),
    ("public_interest", "社会公益组织", "法人或其他组织·社会公益组织"),
    ("legal_service", "法律服务机构", "法人或其他组织·法律服务机构"),
    ("other", "其他", "法人或其他组织·其他"),
)
APPLICANT_COLUMNS = tuple(Column(code, label, full) for code, label, full in APPLICANT_PARTS) + (
    Column("total", "总计", "总计", sum_of=tuple(code for code, _, _ in APPLICANT_PARTS)),
)

BALANCE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICATION_HEADER = (
    (Cell(BALANCE_NOTE, rowspan=3, colspan=3), Cell("申请人情况", colspan=7)),
    (
        Cell("自然人", rowspan=2),
        Cell("法人或其他组织", colspan=5),
        Cell("总计", rowspan=2),
    ),
    tuple(Cell(label) for _, label, _ in APPLICANT_PARTS[1:]),
)

RESULTS = "三、本年度办理结果"


def grouped_rows(group_label, items):
    """Rows under a merged group label such as （三）不予公开: ``items`` are (code, label)."""
    rows = []
    for index, (code, label) in enumerate(items):
        cells = (Cell(label),)
        if index == 0:
            cells = (Cell(group_label, rowspan=len(items)),) + cells
        rows.append((code, label, cells, f"{group_label}{label}", ()))
    return rows


def _result_rows(other_rows):
    """Rows of 三、本年度办理结果 (the merged first cell is added by the caller)."""
    withheld = [
        ("withheld_secret", "1.属于国家秘密"),
        ("withheld_prohibited", "2.其他法律行政法规禁止公开"),
        ("withheld_security", "3.危及“三安全一稳定”"),
        ("withheld_third_party", "4.保护第三方合法权益"),
        ("withheld_internal", "5.属于三类内部事务信息"),
        ("withheld_process", "6.属于四类过程性信息"),
        ("withheld_enforcement", "7.属于行政执法案卷"),
        ("withheld_inquiry", "8.属于行政查询事项"),
    ]
    unable = [
        ("unable_not_held", "1.本机关不掌握相关政府信息"),
        ("unable_create", "2.没有现成信息需要另行制作"),
        ("unable_unclear", "3.补正后申请内容仍不明确"),
    ]
    ignored = [
        ("ignored_complaint", "1.信访举报投诉类申请"),
        ("ignored_repeat", "2.重复申请"),
        ("ignored_publication", "3.要求提供公开出版物"),
        ("ignored_excessive", "4.无正当理由大量反复申请"),
        ("ignored_confirm", "5.要求行政机关确认或重新出具已获取信息"),
    ]
    rows = [
        ("granted", "（一）予以公开", (Cell("（一）予以公开", colspan=2),), "", ()),
        (
            "partial",
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            (
                Cell(
                    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
                    colspan=2,
                ),
            ),
            "",
            ("（二）部分公开",),
        ),
    ]
    for label, items in (
        ("（三）不予公开", withheld),
        ("（四）无法提供", unable),
        ("（五）不予处理", ignored),
    ):
        rows += grouped_rows(label, items)
    rows += list(other_rows)
    return rows


def applications_table(other_rows) -> Table:
    """Table 三. ``other_rows`` are the （六）其他处理 row(s), which differ by format."""
    results = _result_rows(other_rows)
    result_codes = tuple(code for code, *_ in results)
    results.append(("results_total", "（七）总计", (Cell("（七）总计", colspan=2),), "", ()))
    first = results[0]
    results[0] = (
        first[0],
        first[1],
        (Cell(RESULTS, rowspan=len(results)),) + first[2],
        *first[3:],
    )
    rows = [
        Row(
            "new",
            "一、本年新收政府信息公开申请数量",
            (Cell("一、本年新收政府信息公开申请数量", colspan=3),),
        )
    ]
    rows.append(
        Row(
            "carried_over",
            "二、上年结转政府信息公开申请数量",
            (Cell("二、上年结转政府信息公开申请数量", colspan=3),),
        )
    )
    for code, label, cells, full, aliases in results:
        sum_of = result_codes if code == "results_total" else ()
        rows.append(Row(code, label, cells, full_label=full, sum_of=sum_of, aliases=aliases))
    rows.append(
        Row(
            "carried_forward",
            "四、结转下年度继续办理",
            (Cell("四、结转下年度继续办理", colspan=3),),
        )
    )
    group = Group("applications", APPLICATION_HEADER, APPLICANT_COLUMNS, tuple(rows))
    return Table("applications", "三", "收到和处理政府信息公开申请情况", 10, (group,))


# ---------------------------------------------------------------- table 四

OUTCOMES = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
)
APPEAL_BLOCKS = (
    ("review", "行政复议"),
    ("direct", "行政诉讼·未经复议直接起诉"),
    ("after_review", "行政诉讼·复议后起诉"),
)


def _appeal_columns():
    columns = []
    for block, block_label in APPEAL_BLOCKS:
        parts = tuple(f"{block}_{code}" for code, _ in OUTCOMES)
        for (_code, label), part in zip(OUTCOMES, parts):
            columns.append(Column(part, label, f"{block_label}·{label}"))
        columns.append(Column(f"{block}_total", "总计", f"{block_label}·总计", sum_of=parts))
    return tuple(columns)


APPEAL_HEADER = (
    (Cell("行政复议", colspan=5), Cell("行政诉讼", colspan=10)),
    tuple(Cell(label, rowspan=2) for _, label in OUTCOMES)
    + (
        Cell("总计", rowspan=2),
        Cell("未经复议直接起诉", colspan=5),
        Cell("复议后起诉", colspan=5),
    ),
    tuple(Cell(label) for _, label in OUTCOMES + (("total", "总计"),)) * 2,
)

APPEALS_TABLE = Table(
    "appeals",
    "四",
    "政府信息公开行政复议、行政诉讼情况",
    15,
    (Group("appeals", APPEAL_HEADER, _appeal_columns(), (Row("cases", "案件数量", ()),)),),
)

# ---------------------------------------------------------------- rules

APPLICATION_COLUMN_CODES = tuple(c.code for c in APPLICANT_COLUMNS)

COMMON_RULES = (
    Rule(
        "T3-1",
        "第一项加第二项之和应等于第三项加第四项之和（{label}）",
        Severity.ERROR,
        "per_column",
        "applications",
        source="STATED: 表三表头“本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和”",
        lhs=((1, "new"), (1, "carried_over")),
        rhs=((1, "results_total"), (1, "carried_forward")),
        columns=APPLICATION_COLUMN_CODES,
    ),
    Rule(
        "T3-2",
        "（七）总计应等于各项办理结果之和（{label}）",
        Severity.ERROR,
        "sum_rows",
        "applications",
        source="ARITH: “区分处理的，只计这一情形，不计其他情形”，每件申请只计一次",
    ),
    Rule(
        "T3-3",
        "总计应等于自然人与法人或其他组织各项之和（{label}）",
        Severity.ERROR,
        "sum_columns",
        "applications",
        source="ARITH: 总计列",
    ),
    Rule(
        "T3-4",
        "申请数量应为非负整数（{label}）",
        Severity.ERROR,
        "non_negative",
        "applications",
        source="ARITH: 申请件数",
    ),
    Rule(
        "T3-5",
        "本年“上年结转政府信息公开申请数量”应等于上年“结转下年度继续办理”（{label}）",
        Severity.WARNING,
        "per_column",
        "applications",
        source="PRACTICE: 跨年度衔接",
        lhs=((1, "carried_over"),),
        rhs=((1, "prev:carried_forward"),),
        columns=APPLICATION_COLUMN_CODES,
    ),
    Rule(
        "T4-1",
        "行政复议总计应等于结果维持、结果纠正、其他结果、尚未审结之和",
        Severity.ERROR,
        "sum_columns",
        "appeals",
        source="ARITH",
        columns=("review_total",),
    ),
    Rule(
        "T4-2",
        "行政诉讼（未经复议直接起诉）总计应等于结果维持、结果纠正、其他结果、尚未审结之和",
        Severity.ERROR,
        "sum_columns",
        "appeals",
        source="ARITH",
        columns=("direct_total",),
    ),
    Rule(
        "T4-3",
        "行政诉讼（复议后起诉）总计应等于结果维持、结果纠正、其他结果、尚未审结之和",
        Severity.ERROR,
        "sum_columns",
        "appeals",
        source="ARITH",
        columns=("after_review_total",),
    ),
    Rule(
        "T4-4",
        "案件数量应为非负整数（{label}）",
        Severity.ERROR,
        "non_negative",
        "appeals",
        source="ARITH",
    ),
)

APPLICATION_CARRY_OVER = tuple(
    (f"applications.carried_over.{code}", f"applications.carried_forward.{code}")
    for code in APPLICATION_COLUMN_CODES
)

# ---------------------------------------------------------------- rules outside the table arithmetic
# Declared here, evaluated by ``checks.evaluate`` (T2-3, needs the agency's level) and
# ``structure.check_structure`` (the S- rules); neither is exported to the browser.

AGENCY_RULES = (
    Rule(
        "T2-3",
        "本机关不能制定规章（只有国务院部门和省级、设区的市级人民政府可以制定），“{label}”各项一般应为0",
        Severity.WARNING,
        "rule_maker",
        "active",
        source="PRACTICE: 立法法；县级、乡镇级机关和设区的市人民政府的部门报告规章，多为误填",
        rows=("regulations",),
    ),
)

STRUCTURE_RULES = (
    Rule(
        "S-1",
        "报告应包括模板的六个部分：缺少“{label}”部分",
        Severity.WARNING,
        "structure",
        "",
        source="PRACTICE: R-3 六个部分齐全",
    ),
    Rule(
        "S-2",
        "部分标题应使用模板的编号和措辞“{label}”",
        Severity.WARNING,
        "structure",
        "",
        source="PRACTICE: R-3 标题措辞一致；常见：缺少编号、措辞不同、表格前没有标题",
    ),
    Rule(
        "S-3",
        "六个部分应按模板顺序排列：“{label}”出现在后面的部分之后",
        Severity.WARNING,
        "structure",
        "",
        source="PRACTICE: R-3 六个部分按一至六排列",
    ),
    Rule(
        "S-4",
        "报告标题应为“<机关名称>{label}年政府信息公开工作年度报告”",
        Severity.WARNING,
        "structure",
        "",
        source="PRACTICE: 模板标题；常见：以“工作总结”结尾、缺少年度",
    ),
    Rule(
        "S-5",
        "标题年度、统计期限应与报告年度一致（{label}）",
        Severity.WARNING,
        "structure",
        "",
        source="PRACTICE: R-2 统计期限为报告年度1月1日至12月31日",
    ),
    Rule(
        "S-6",
        "“五、存在的主要问题及改进情况”应说明上年度问题的整改情况",
        Severity.WARNING,
        "structure",
        "",
        source="PRACTICE: R-3（2021年起）",
    ),
    Rule(
        "S-7",
        "“六、其他需要报告的事项”应说明信息处理费的收取情况（未收取也应写明）",
        Severity.WARNING,
        "structure",
        "",
        source="PRACTICE: R-3（2021年起）",
    ),
)
