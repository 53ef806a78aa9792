"""The importer on the five published samples, checked against the texts."""

from collections import Counter
from decimal import Decimal

import pytest

from disclosure.formats.checks import evaluate
from disclosure.formats.structure import check_structure

from .samples import SAMPLES, parse_sample

IDENTITY = {
    "000": ("2020年鹿城区民政局政府信息公开工作年度报告", "鹿城区民政局", 2020, "gov2019"),
    "001": ("津南区民政局2020年政府信息公开工作总结", "津南区民政局", 2020, "gov2019"),
    "002": ("海盐县民政局2020年度政府信息公开工作年度报告", "海盐县民政局", 2020, "gov2019"),
    "003": (
        "温州市鹿城区新居民服务中心2020年政府信息公开工作年度报告",
        "温州市鹿城区新居民服务中心",
        2020,
        "gov2019",
    ),
    "004": ("2021年南关区民政局政府信息公开工作年度报告", "南关区民政局", 2021, "gov2021"),
}

# The error-severity findings of each sample, by check id. Only sample 000 has
# any: its 自然人 （七）总计 is 1 while 予以公开 1 + 保护第三方合法权益 1 = 2.
ERRORS = {
    "000": [
        "T3-1:applications.new.natural_person",
        "T3-2:applications.results_total.natural_person",
        "T3-3:applications.results_total.total",
    ],
    "001": [],
    "002": [],
    "003": [],
    "004": [],
}

# The importer's warnings of each sample, by kind. Headings, missing sections and the
# title are the structure rules' findings (STRUCTURE), no longer import notes; 001's
# blanks are noted by runs (2 runs of whole blank rows, 5 columns, 规章), not row by row.
NOTE_KINDS = {
    "000": {},
    "001": {"blank": 8},
    "002": {},
    "003": {"extra_text": 2, "blank": 1},
    "004": {},
}

# The structure findings of each sample, by check id.
STRUCTURE = {
    "000": [],
    "001": ["S-1:other_matters", "S-4:title"],
    "002": ["S-2:general:number", "S-2:appeals:number"],
    "003": [
        "S-1:other_matters",
        "S-2:general:wording",
        "S-2:applications:wording",
        "S-2:problems:wording",
    ],
    "004": ["S-2:applications:number", "S-2:appeals:number", "S-6:problems", "S-7:other_matters"],
}

# Cells each sample left blank (imported as None, not 0).
BLANK_CELLS = {"000": 0, "001": 3 + 6 * 5 + 17 * 7, "002": 0, "003": 7, "004": 0}


def test_samples_are_the_five_published_reports():
    assert sorted(SAMPLES) == ["000", "001", "002", "003", "004"]


@pytest.mark.parametrize("number", sorted(IDENTITY))
def test_parse_sample_detects_title_agency_year_and_format(number):
    parsed = parse_sample(number)
    assert (parsed.title, parsed.agency_name, parsed.year, parsed.format.code) == IDENTITY[number]
    assert parsed.source == SAMPLES[number].name


@pytest.mark.parametrize("number", sorted(IDENTITY))
def test_parse_sample_reads_every_cell_of_its_format(number):
    parsed = parse_sample(number)
    assert list(parsed.values) == parsed.format.cell_keys()
    blank = [k for k, v in parsed.values.items() if v is None]
    assert len(blank) == BLANK_CELLS[number]
    assert sorted(blank) == sorted(cell for n in parsed.notes if n.kind == "blank" for cell in n.cells)


@pytest.mark.parametrize("number", sorted(ERRORS))
def test_sample_error_findings_with_blanks_unknown(number):
    """As published (blank = not reported), the errors are the same: 000 reports every cell."""
    parsed = parse_sample(number)
    findings = evaluate(parsed.format, parsed.values, None, blanks="unknown")
    assert [f.check for f in findings if f.severity == "error"] == ERRORS[number]
    unchecked = [f for f in findings if f.check.endswith(":blank")]
    assert all(f.severity == "warning" and f.message.startswith("无法检查：") for f in unchecked)
    assert bool(unchecked) == bool(BLANK_CELLS[number])


@pytest.mark.parametrize("number", sorted(STRUCTURE))
def test_sample_structure_findings(number):
    parsed = parse_sample(number)
    findings = check_structure(parsed.format, parsed.outline)
    assert [f.check for f in findings] == STRUCTURE[number]
    assert {f.severity for f in findings} <= {"warning"}


@pytest.mark.parametrize("number", sorted(ERRORS))
def test_sample_error_findings_are_exactly_the_genuine_inconsistencies(number):
    parsed = parse_sample(number)
    findings = evaluate(parsed.format, parsed.values, None)
    assert [f.check for f in findings if f.severity == "error"] == ERRORS[number]


@pytest.mark.parametrize("number", sorted(ERRORS))
def test_sample_has_no_checker_warnings_without_previous_year(number):
    parsed = parse_sample(number)
    findings = evaluate(parsed.format, parsed.values, None)
    assert [f.check for f in findings if f.severity == "warning"] == []


@pytest.mark.parametrize("number", sorted(NOTE_KINDS))
def test_sample_import_notes_are_only_the_expected_kinds(number):
    parsed = parse_sample(number)
    assert dict(Counter(n.kind for n in parsed.notes)) == NOTE_KINDS[number]


def test_sample_000_messages_name_the_cells_and_values():
    parsed = parse_sample("000")
    errors = [f.message for f in evaluate(parsed.format, parsed.values, None)]
    assert errors == [
        "第一项加第二项之和应等于第三项加第四项之和（自然人）：2 + 0 ≠ 1 + 0",
        "（七）总计应等于各项办理结果之和（自然人）：1 ≠ 2",
        "总计应等于自然人与法人或其他组织各项之和「（七）总计」：2 ≠ 1 + 0 + 0 + 0 + 0 + 0",
    ]


def test_sample_000_keeps_the_published_totals():
    values = parse_sample("000").values
    assert values["applications.results_total.natural_person"] == 1
    assert values["applications.results_total.total"] == 2
    assert values["applications.withheld_third_party.natural_person"] == 1
    assert values["applications.granted.natural_person"] == 1


def test_sample_000_table_two_values():
    values = parse_sample("000").values
    assert values["active.normative_documents.made"] == 6
    assert values["active.normative_documents.total_published"] == 19
    assert values["active.licensing.prev_items"] == 200
    assert values["active.other_services.change"] == 9060
    assert values["active.penalty.decisions"] == 18
    assert values["active.procurement.purchase_count"] == 10
    assert values["active.procurement.purchase_amount"] == Decimal("166781.96")


def test_sample_000_appeals_values():
    values = parse_sample("000").values
    assert values["appeals.cases.direct_upheld"] == 3
    assert values["appeals.cases.direct_total"] == 3
    assert values["appeals.cases.review_total"] == 0


def test_sample_002_signed_changes_and_amount():
    values = parse_sample("002").values
    assert values["active.licensing.prev_items"] == 88
    assert values["active.licensing.change"] == -30
    assert values["active.licensing.decisions"] == 58
    assert values["active.other_services.change"] == 199
    assert values["active.other_services.decisions"] == 43051
    assert values["active.penalty.change"] == -1
    assert values["active.fees.prev_items"] == 2
    assert values["active.procurement.purchase_amount"] == Decimal("12293400")


def test_sample_003_amount_without_unit_is_in_yuan():
    values = parse_sample("003").values
    assert values["active.procurement.purchase_count"] == 2
    assert values["active.procurement.purchase_amount"] == Decimal("16780")


def test_sample_004_uses_the_2021_table_two():
    values = parse_sample("004").values
    assert values["active.regulations.issued"] == 1
    assert values["active.regulations.in_force"] == 1
    assert values["active.fees.fee_amount"] == Decimal("0")
    assert values["applications.other_other.total"] == 0


def test_sample_001_blank_cells_are_not_reported_with_a_note_per_run():
    parsed = parse_sample("001")
    blank_notes = [n for n in parsed.notes if n.kind == "blank"]
    blank_cells = [cell for n in blank_notes for cell in n.cells]
    assert blank_notes[0].cells == [
        "active.regulations.made",
        "active.regulations.published",
        "active.regulations.total_published",
    ]
    assert blank_notes[0].line == 23
    how = "按未填写导入（不计为0，涉及的勾稽关系无法检查）"
    assert [n.message for n in blank_notes] == [
        f"第23行：表二“规章”整行空白（3个单元格），{how}",
        "第135行至第234行：表三“（二）部分公开（区分处理的，只计这一情形，不计其他情形）”至"
        f"“（四）无法提供1.本机关不掌握相关政府信息”共10行全部空白（70个单元格），{how}",
        "第256行至第321行：表三“（四）无法提供3.补正后申请内容仍不明确”至“（六）其他处理”"
        f"共7行全部空白（49个单元格），{how}",
    ] + [
        f"第106行至第340行：表三“法人或其他组织·{name}”列全部空白（6行），{how}"
        for name in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
    ]
    assert len(blank_cells) == 3 + 6 * 5 + 17 * 7  # 规章; 6 rows with only 法人 blank; 17 rows all blank
    assert {parsed.values[cell] for cell in blank_cells} == {None}
    assert parsed.values["applications.new.natural_person"] == 2
    assert parsed.values["applications.unable_create.natural_person"] == 1
    assert parsed.values["applications.results_total.total"] == 2


def test_sample_003_blank_carried_over_row_is_noted():
    parsed = parse_sample("003")
    (blank,) = [n for n in parsed.notes if n.kind == "blank"]
    assert blank.line == 115
    assert blank.cells == [
        f"applications.carried_over.{c}"
        for c in (
            "natural_person",
            "commercial",
            "research",
            "public_interest",
            "legal_service",
            "other",
            "total",
        )
    ]


def test_sample_003_headings_worded_differently_are_structure_findings():
    parsed = parse_sample("003")
    messages = [f.message for f in check_structure(parsed.format, parsed.outline)]
    assert messages == [
        "缺少“六、其他需要报告的事项”部分",
        "第5行：标题“一、政府信息公开工作的基本情况”与模板“一、总体情况”不一致",
        "第85行：标题“三、依申请公开政府信息等情况”与模板“三、收到和处理政府信息公开申请情况”不一致",
        "第394行：标题“五、下一步工作措施”与模板“五、存在的主要问题及改进情况”不一致",
    ]


def test_sample_002_unnumbered_headings_are_structure_findings():
    parsed = parse_sample("002")
    assert parsed.notes == []
    messages = [f.message for f in check_structure(parsed.format, parsed.outline)]
    assert messages == [
        "第3行：标题“总体情况”缺少编号，应为“一、总体情况”",
        "第361行：标题“政府信息公开行政复议、行政诉讼情况”缺少编号，应为“四、政府信息公开行政复议、行政诉讼情况”",
    ]


def test_sample_002_sub_headings_stay_in_the_narrative():
    parsed = parse_sample("002")
    paragraphs = parsed.narratives["general"].split("\n")
    assert paragraphs[0].startswith("2020年，海盐县民政局严格按照")
    assert "主动公开情况" in paragraphs
    assert parsed.narratives["problems"].split("\n")[:2] == [
        "（一）主要问题",
        "2020年，海盐县民政局政府信息公开工作取得了新成效，但在基础性日常管理、拓宽信息公开渠道和形式等方面仍需要完善丰富。",
    ]
    assert parsed.narratives["other_matters"] == "无。"
    assert parsed.preface == ""


def test_sample_narratives_and_preface():
    parsed = parse_sample("000")
    assert parsed.preface.startswith("根据《中华人民共和国政府信息公开条例》和《浙江省政府信息公开暂行办法》")
    assert parsed.narratives["general"].startswith("2020年度鹿城区民政局主动公开信息合计117条")
    assert parsed.narratives["problems"].split("\n")[1] == "一是信息公开及时度有待进一步提高。"
    assert parsed.narratives["other_matters"] == "无"
    assert parse_sample("001").narratives["other_matters"] == ""
    assert parse_sample("003").narratives["problems"].startswith("今年以来，我中心积极推进政府信息公开工作")


def test_sample_contact_details_come_from_the_preface():
    assert parse_sample("000").contact == {
        "address": "鹿城区洪殿北路128号民政局",
        "postcode": "325000",
        "phone": "0577-88362048",
        "website": "http://www.lucheng.gov.cn",
        "email": "mzj@lucheng.gov.cn",
    }
    assert parse_sample("004").contact == {
        "address": "长春市自由大路3388号南关区人民政府114室",
        "postcode": "130022",
        "phone": "85284294",
        "website": "http://www.nanguan.gov.cn/",
    }
    assert parse_sample("001").contact == {}
