"""Structure rules (S-1 … S-7): sections, headings, title, period, sections 五 and 六."""

import pytest

from disclosure.formats import get_format
from disclosure.formats.common import STRUCTURE_RULES
from disclosure.formats.structure import Outline, SeenHeading, check_structure, mentions_last_year_review
from disclosure.importers.text import parse_report_text
from tests.importers.samples import parse_sample, replace_once, sample_text

GOV2019, GOV2021 = get_format("gov2019"), get_format("gov2021")
TEMPLATE = [("一", "一、总体情况"), ("二", "二、主动公开政府信息情况"), ("三", "三、收到和处理政府信息公开申请情况"),
            ("四", "四、政府信息公开行政复议、行政诉讼情况"), ("五", "五、存在的主要问题及改进情况"),
            ("六", "六、其他需要报告的事项")]  # fmt: skip
GOOD_2021 = {
    "general": "总体情况。",
    "problems": "上年度问题整改情况：针对上一年度发现的问题，已全部整改到位。",
    "other_matters": "本年度未收取信息处理费。",
}


def outline(fmt=GOV2021, title="某某市人民政府2021年政府信息公开工作年度报告", year=2021, **kwargs):
    headings = kwargs.pop("headings", tuple(SeenHeading(n, h, i + 1) for i, (n, h) in enumerate(TEMPLATE)))
    narratives = kwargs.pop("narratives", GOOD_2021)
    return Outline(title=title, year=year, narratives=narratives, headings=headings, **kwargs)


def rules(findings):
    return [f.rule for f in findings]


def parse_structure(text):
    parsed = parse_report_text(text)
    return check_structure(parsed.format, parsed.outline)


def test_every_structure_rule_is_declared_once_as_a_warning():
    ids = [r.id for r in STRUCTURE_RULES]
    assert ids == ["S-1", "S-2", "S-3", "S-4", "S-5", "S-6", "S-7"]
    assert {r.severity.value for r in STRUCTURE_RULES} == {"warning"}


def test_a_report_in_the_template_form_has_no_structure_finding():
    assert check_structure(GOV2021, outline()) == []
    assert check_structure(GOV2021, outline(headings=None)) == []  # a typed report


def test_findings_have_the_shape_of_the_numeric_findings():
    (finding,) = check_structure(GOV2021, outline(title="某局2021年政府信息公开工作总结"))
    data = finding.as_json()
    assert data["rule"] == "S-4" and data["severity_label"] == "警告"
    assert (data["cells"], data["previous_cells"], data["lhs"]) == ([], [], None)


# ------------------------------------------------------------------ S-1 … S-3 on real headings


def test_heading_variant_zhenggai_cuoshi_is_accepted_with_a_warning_naming_the_template():
    text = replace_once(sample_text("000"), "五、存在的主要问题及改进情况", "五、存在的主要问题及整改措施")
    (finding,) = parse_structure(text)
    assert finding.rule == "S-2"
    assert finding.message.endswith(
        "标题“五、存在的主要问题及整改措施”与模板“五、存在的主要问题及改进情况”不一致"
    )


def test_unnumbered_heading_is_s2():
    text = replace_once(sample_text("000"), "\n六、其他需要报告的事项", "\n其他需要报告的事项")
    (finding,) = parse_structure(text)
    assert (finding.rule, finding.check) == ("S-2", "S-2:other_matters:number")
    assert "缺少编号，应为“六、其他需要报告的事项”" in finding.message


def test_missing_section_six_is_s1():
    text = sample_text("000")
    text = text[: text.index("\n六、其他需要报告的事项")] + "\n"
    (finding,) = parse_structure(text)
    assert (finding.rule, finding.message) == ("S-1", "缺少“六、其他需要报告的事项”部分")


def test_section_out_of_order_is_s3_and_keeps_its_text():
    text = sample_text("000")
    five = text.index("五、存在的主要问题及改进情况")
    six = text.index("六、其他需要报告的事项")
    moved = text[:five] + text[six:].rstrip("\n") + "\n" + text[five:six]
    parsed = parse_report_text(moved)
    findings = check_structure(parsed.format, parsed.outline)
    assert rules(findings) == ["S-3"]
    assert "出现在后面的部分之后" in findings[0].message
    assert parsed.narratives["problems"] == parse_sample("000").narratives["problems"]


def test_typed_report_with_an_empty_section_is_s1():
    narratives = {**GOOD_2021, "other_matters": ""}
    findings = check_structure(GOV2021, outline(headings=None, narratives=narratives))
    assert [f.check for f in findings] == ["S-1:other_matters", "S-7:other_matters"]
    assert findings[0].message == "缺少“六、其他需要报告的事项”部分（内容为空）"


# ------------------------------------------------------------------ S-4, S-5


@pytest.mark.parametrize(
    "title",
    [
        "某某区民政局2021年政府信息公开工作年度报告",
        "2021年某某区民政局政府信息公开工作年度报告",
        "某某区民政局2021年度政府信息公开工作年度报告",
    ],
)
def test_title_in_the_template_form_or_its_customary_variants_holds(title):
    assert check_structure(GOV2021, outline(title=title)) == []


def test_title_ending_gongzuo_zongjie_is_s4():
    parsed = parse_sample("001")
    (finding,) = [f for f in check_structure(parsed.format, parsed.outline) if f.rule == "S-4"]
    assert finding.message == (
        "第2行：标题“津南区民政局2020年政府信息公开工作总结”应以“政府信息公开工作年度报告”结尾"
        "（模板：“<机关名称>2020年政府信息公开工作年度报告”）"
    )


def test_title_year_disagreeing_with_the_report_year_is_s5():
    findings = check_structure(GOV2021, outline(title="某局2020年政府信息公开工作年度报告", year=2021))
    assert [f.check for f in findings] == ["S-5:title"]


def test_statistics_period_of_another_year_is_s5():
    preface = "本报告中所列数据的统计期限自2020年1月1日起至2020年12月31日止。"
    (finding,) = check_structure(GOV2021, outline(preface=preface))
    assert finding.check == "S-5:period"
    assert "应为2021年1月1日至2021年12月31日" in finding.message
    assert check_structure(GOV2021, outline(preface=preface.replace("2020", "2021"))) == []


# ------------------------------------------------------------------ S-6, S-7 (2021)


def test_2021_section_five_without_last_years_review_is_s6():
    parsed = parse_sample("004")
    assert "S-6" in rules(check_structure(parsed.format, parsed.outline))
    text = replace_once(
        sample_text("004"),
        "2021年，我局政府信息公开工作虽然取得了一定成效，但仍存在一些问题。",
        "2021年，我局对上年度发现的问题逐项整改，均已完成。",
    )
    assert "S-6" not in rules(parse_structure(text))


@pytest.mark.parametrize(
    "text, mentions",
    [
        ("上一年度问题整改情况：已全部整改。", True),
        ("针对2020年度报告中的问题，我局已逐项落实改进。", True),
        ("去年存在的问题已经解决。", True),
        ("今后将进一步加强信息公开工作。", False),
        ("上年度工作取得成效。", False),
    ],
)
def test_last_years_review_wording(text, mentions):
    assert mentions_last_year_review(text, 2021) is mentions


def test_2021_section_six_without_fees_is_s7_and_2019_is_not_asked():
    narratives = {**GOOD_2021, "other_matters": "无"}
    (finding,) = check_structure(GOV2021, outline(narratives=narratives))
    assert finding.check == "S-7:other_matters"
    assert "原文“无”" in finding.message
    assert (
        check_structure(
            GOV2019, outline(GOV2019, "某局2020年政府信息公开工作年度报告", 2020, narratives=narratives)
        )
        == []
    )


@pytest.mark.parametrize("text", ["本年度未收取信息处理费。", "本机关未收费。", "收取信息处理费0元。"])
def test_2021_section_six_stating_fees_holds(text):
    assert check_structure(GOV2021, outline(narratives={**GOOD_2021, "other_matters": text})) == []
