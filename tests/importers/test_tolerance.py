"""Deviations real published text has, each as a small edit of a sample."""

import re
from decimal import Decimal

from disclosure.formats.structure import check_structure
from disclosure.importers.text import parse_report_text

from .samples import line_of, parse_sample, replace_once, sample_text, set_row


def kinds(parsed):
    return [n.kind for n in parsed.notes]


def structure(parsed):
    """The structure findings (S-…) of a parsed report: headings are judged there, not noted twice."""
    return check_structure(parsed.format, parsed.outline)


def test_full_width_digits_and_spaces_are_read():
    text = set_row(sample_text("000"), "规范性文件", ["６", "\u3000６\u00a0", "　１９　"])
    parsed = parse_report_text(text)
    assert [
        parsed.values[f"active.normative_documents.{c}"] for c in ("made", "published", "total_published")
    ] == [
        6,
        6,
        19,
    ]
    assert parsed.notes == []


def test_signed_change_with_unicode_minus_is_read():
    text = set_row(sample_text("002"), "行政许可", ["88", "−30", "58"])
    assert parse_report_text(text).values["active.licensing.change"] == -30


def test_amount_with_thousands_separator_and_yuan_is_read():
    text = set_row(sample_text("000"), "政府集中采购", ["10", "166,781.96 元"])
    assert parse_report_text(text).values["active.procurement.purchase_amount"] == Decimal("166781.96")


def test_2021_fee_amount_is_in_wan_yuan():
    text = set_row(sample_text("004"), "行政事业性收费", ["18651.06"])
    parsed = parse_report_text(text)
    assert parsed.values["active.fees.fee_amount"] == Decimal("18651.06")
    assert parsed.notes == parse_sample("004").notes


def test_2021_fee_amount_written_in_yuan_is_converted_with_a_note():
    text = set_row(sample_text("004"), "行政事业性收费", ["15000元"])
    parsed = parse_report_text(text)
    assert parsed.values["active.fees.fee_amount"] == Decimal("1.5")
    (note,) = [n for n in parsed.notes if n.kind == "unit"]
    assert note.cells == ["active.fees.fee_amount"]
    assert (
        note.message
        == f"第{note.line}行：表二「行政事业性收费」「本年收费金额（单位：万元）」以元填写，已换算为万元"
    )


def test_header_split_over_lines_matches_the_template():
    text = replace_once(sample_text("004"), "\t本年制发件数\n", "\t本年制\n发件数\n")
    parsed, sample = parse_report_text(text), parse_sample("004")
    assert kinds(parsed) == kinds(sample) == []
    assert [f.check for f in structure(parsed)] == [f.check for f in structure(sample)]
    assert parsed.values == sample.values


def test_missing_section_heading_is_a_warning():
    original = sample_text("000")
    text = replace_once(original, "二、主动公开政府信息情况\n", "")
    parsed = parse_report_text(text)
    assert parsed.values == parse_sample("000").values
    assert parsed.notes == []
    (finding,) = structure(parsed)
    assert (finding.rule, finding.check, finding.severity) == ("S-2", "S-2:active:missing", "warning")
    line = line_of(text, "\t第二十条第（一）项")
    assert finding.message == f"第{line}行：表格前缺少标题“二、主动公开政府信息情况”"


def test_unnumbered_heading_is_a_warning_and_sub_heading_is_text():
    text = replace_once(sample_text("000"), "五、存在的主要问题及改进情况\n", "存在的主要问题及改进情况\n")
    text = replace_once(text, "一是信息公开及时度有待进一步提高。", "主动公开情况")
    parsed = parse_report_text(text)
    assert parsed.notes == []
    assert [(f.rule, f.message) for f in structure(parsed)] == [
        ("S-2", "第394行：标题“存在的主要问题及改进情况”缺少编号，应为“五、存在的主要问题及改进情况”")
    ]
    assert parsed.narratives["problems"].split("\n")[1] == "主动公开情况"


def test_heading_with_leading_spaces_and_other_wording_is_recognised():
    text = replace_once(
        sample_text("004"), "五、存在的主要问题及改进情况", "\u3000五、存在的主要问题及整改措施"
    )
    parsed = parse_report_text(text)
    assert parsed.narratives["problems"].startswith("2021年，我局政府信息公开工作虽然取得了一定成效")
    assert "第388行：标题“五、存在的主要问题及整改措施”与模板“五、存在的主要问题及改进情况”不一致" in [
        f.message for f in structure(parsed) if f.rule == "S-2"
    ]


def test_title_on_one_line_and_on_two_lines_give_the_same_report():
    joined = replace_once(
        sample_text("000"),
        "2020年鹿城区民政局政府信息公开\n\n工作年度报告",
        "2020年鹿城区民政局政府信息公开工作年度报告",
    )
    assert parse_report_text(joined).title == parse_sample("000").title
    assert parse_report_text(joined).values == parse_sample("000").values


def test_title_with_full_width_year_is_detected():
    text = replace_once(sample_text("004"), "2021年南关区民政局", "２０２１年南关区民政局")
    parsed = parse_report_text(text)
    assert (parsed.year, parsed.agency_name, parsed.format.code) == (2021, "南关区民政局", "gov2021")


def test_year_override_chooses_the_format():
    parsed = parse_report_text(sample_text("004"), year=2022)
    assert (parsed.year, parsed.format.code) == (2022, "gov2021")


def test_rows_numbered_with_dunhao_are_matched_with_a_warning():
    text = replace_once(sample_text("000"), "\t1.属于国家秘密\n", "\t1、属于国家秘密\n")
    parsed = parse_report_text(text)
    assert parsed.values == parse_sample("000").values
    (note,) = parsed.notes
    assert note.kind == "label"
    assert note.line == text.splitlines().index("\t1、属于国家秘密") + 1
    assert (
        note.message
        == f"第{note.line}行：表三标签“1、属于国家秘密”与模板“1.属于国家秘密”不一致，已按位置对应"
    )


def test_label_with_a_dropped_character_is_matched_by_position():
    text = replace_once(sample_text("000"), "\t4.保护第三方合法权益\n", "\t4.保护第三合法权益\n")
    parsed = parse_report_text(text)
    assert parsed.values["applications.withheld_third_party.natural_person"] == 1
    assert kinds(parsed) == ["label"]


def test_old_name_of_normative_documents_in_2021_table_is_an_alias():
    text = set_row(sample_text("004"), "行政规范性文件", ["3", "1", "12"])
    text = replace_once(text, "\t行政规范性文件\n", "\t规范性文件\n")
    parsed = parse_report_text(text)
    assert [parsed.values[f"active.normative_documents.{c}"] for c in ("issued", "repealed", "in_force")] == [
        3,
        1,
        12,
    ]
    alias = [n for n in parsed.notes if n.kind == "alias"]
    line = text.splitlines().index("\t规范性文件") + 1
    assert [n.message for n in alias] == [
        f"第{line}行：表二标签“规范性文件”与模板“行政规范性文件”不一致（旧称或别称）"
    ]


OTHER_ROWS_2021 = re.compile(r"\t\n\t（六）其他处理\n.*?(?=\t\n\t（七）总计)", re.S)


def test_2021_report_with_the_2019_single_other_row_goes_to_other_other():
    original = sample_text("004")
    single = "\t\n\t（六）其他处理\n" + "".join(f"\t{v}\n" for v in (2, 0, 0, 0, 0, 1, 3)) + "\n"
    text, count = OTHER_ROWS_2021.subn(single, original)
    assert count == 1
    parsed = parse_report_text(text)
    values = parsed.values
    assert values["applications.other_other.natural_person"] == 2
    assert values["applications.other_other.other"] == 1
    assert values["applications.other_other.total"] == 3
    assert values["applications.other_no_correction.total"] == 0
    assert values["applications.other_fee_unpaid.natural_person"] == 0
    (note,) = [n for n in parsed.notes if n.kind == "collapsed"]
    assert note.message == (
        f"第{note.line}行：表三“（六）其他处理”在本格式中分为3行，本报告只有一行，其数字计入“3.其他”，其余2行按0导入"
    )
    assert len(note.cells) == 14
    assert text.splitlines()[note.line - 1] == "\t"


def test_bookmark_junk_lines_are_ignored_anywhere():
    text = replace_once(sample_text("000"), "\t规范性文件\n", "[bookmark: _GoBack]\n\t规范性文件\n")
    text = replace_once(text, "一、总体情况\n", "一、总体情况\n[bookmark: _GoBack]\n")
    parsed = parse_report_text(text)
    assert parsed.values == parse_sample("000").values
    assert parsed.notes == []
    assert "bookmark" not in parsed.narratives["general"]


def test_empty_cell_variants_are_blank():
    text = set_row(sample_text("000"), "行政强制", ["", " ", "\u3000"])
    parsed = parse_report_text(text)
    keys = [f"active.coercion.{c}" for c in ("prev_items", "change", "decisions")]
    assert [parsed.values[key] for key in keys] == [None, None, None]  # not reported, not 0
    (note,) = parsed.notes
    assert (note.kind, note.cells) == ("blank", keys)
    assert note.message.endswith("整行空白（3个单元格），按未填写导入（不计为0，涉及的勾稽关系无法检查）")


def test_text_inside_a_table_section_is_noted_not_lost_silently():
    text = replace_once(
        sample_text("000"), "\n\t第二十条第（一）项", "\n本年度主动公开情况见下表。\n\t第二十条第（一）项"
    )
    parsed = parse_report_text(text)
    (note,) = parsed.notes
    assert note.kind == "extra_text"
    assert note.line == line_of(text, "本年度主动公开情况见下表。")
    assert "本年度主动公开情况见下表。" in note.message


def test_windows_line_endings_and_bom_are_read():
    text = "\ufeff" + sample_text("002").replace("\n", "\r\n")
    parsed = parse_report_text(text)
    assert parsed.values == parse_sample("002").values
    assert parsed.title == "海盐县民政局2020年度政府信息公开工作年度报告"


def test_missing_header_row_is_a_warning():
    text = replace_once(
        sample_text("000"),
        "第二十条第（六）项\n\n\t信息内容\n\t上一年项目数量\n\t本年增/减\n\t处理决定数量\n\n",
        "第二十条第（六）项\n\n",
    )
    parsed = parse_report_text(text)
    assert parsed.values == parse_sample("000").values
    (note,) = parsed.notes
    assert note.kind == "header"
    assert (
        note.message == f"第{note.line}行：表二缺少表头行“信息内容、上一年项目数量、本年增/减、处理决定数量”"
    )
    assert text.splitlines()[note.line - 1] == "\t行政处罚"


def test_paragraph_right_after_a_number_cell_is_not_part_of_the_table():
    original = sample_text("000")
    tail = original.index("\n\n\n五、存在的主要问题及改进情况")
    text = original[:tail] + "\n以上为本年度复议诉讼情况\n" + original[tail:]
    parsed = parse_report_text(text)
    assert parsed.values == parse_sample("000").values
    (note,) = parsed.notes
    assert (note.kind, note.line) == ("extra_text", line_of(text, "以上为本年度复议诉讼情况"))


def test_numbered_sub_point_in_the_general_section_is_text():
    text = replace_once(
        sample_text("000"),
        "本年度我局持续加大动态管理",
        "二、主动公开工作，稳步推进\n本年度我局持续加大动态管理",
    )
    parsed = parse_report_text(text)
    assert parsed.notes == []
    assert "二、主动公开工作，稳步推进" in parsed.narratives["general"].split("\n")


def test_heading_with_its_text_on_the_same_line_opens_the_section():
    text = replace_once(sample_text("000"), "六、其他需要报告的事项\n\n无", "六、其他需要报告的事项：无。")
    parsed = parse_report_text(text)
    assert parsed.narratives["other_matters"] == "无。"
    assert parsed.narratives["problems"].endswith("切实发挥政务公开的作用。")
    assert parsed.notes == []


def test_sentence_with_a_colon_is_not_taken_for_a_heading():
    text = replace_once(sample_text("000"), "六、其他需要报告的事项\n\n无", "六、其他事项说明如下：无\n\n无")
    parsed = parse_report_text(text)
    assert "六、其他事项说明如下：无" in parsed.narratives["problems"]
