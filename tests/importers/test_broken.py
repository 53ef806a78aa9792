"""Inputs that cannot be read: a clear error naming the section and the line."""

import pytest

from disclosure.importers.text import ReportParseError, parse_report_file, parse_report_text

from .samples import replace_once, sample_text, set_row


def parse_error(text: str) -> ReportParseError:
    with pytest.raises(ReportParseError) as caught:
        parse_report_text(text)
    return caught.value


def test_empty_file_is_refused():
    error = parse_error("")
    assert (str(error), error.line) == ("文件为空：没有可导入的内容", None)


def test_blank_lines_only_is_an_empty_file():
    assert str(parse_error("\n \u3000\n\t\n")) == "文件为空：没有可导入的内容"


def test_truncated_table_names_section_and_line():
    text = sample_text("000")
    truncated = "".join(text.splitlines(keepends=True)[:190])
    error = parse_error(truncated)
    assert error.line == 187
    assert str(error) == (
        "三、收到和处理政府信息公开申请情况，第187行：表三“（三）不予公开5.属于三类内部事务信息”行"
        "应有10个单元格（3个标签、7个数据），实际有4个"
    )


def test_table_cut_after_a_complete_row_reports_the_missing_row():
    text = sample_text("000")
    cut = text[: text.index("\t\n\t\n\t5.属于三类内部事务信息")] + "\n五、存在的主要问题及改进情况\n无\n"
    error = parse_error(cut)
    assert str(error) == (
        f"三、收到和处理政府信息公开申请情况，表三在第{error.line}行后提前结束，"
        "缺少“（三）不予公开5.属于三类内部事务信息”行"
    )
    assert cut.splitlines()[error.line - 1] == "\t1"


def test_letter_in_a_cell_names_the_cell():
    error = parse_error(set_row(sample_text("000"), "规范性文件", ["6", "6", "1g"]))
    assert error.line == 30
    assert (
        str(error) == "二、主动公开政府信息情况，第30行：表二「规范性文件」「对外公开总数量」：“1g”不是数字"
    )


def test_fraction_in_a_count_cell_is_refused():
    error = parse_error(set_row(sample_text("000"), "规范性文件", ["6", "6", "1.5"]))
    assert str(error) == (
        "二、主动公开政府信息情况，第30行：表二「规范性文件」「对外公开总数量」：应为整数，不能有小数（原文“1.5”）"
    )


def test_missing_table_names_the_table_and_where_the_next_one_starts():
    text = sample_text("000")
    without = (
        text[: text.index("三、收到和处理政府信息公开申请情况")]
        + text[text.index("四、政府信息公开行政复议") :]
    )
    error = parse_error(without)
    assert error.line == 88
    assert str(error) == "三、收到和处理政府信息公开申请情况：缺少表三，第88行开始的是表四"


def test_missing_last_table_is_refused():
    text = sample_text("000")
    error = parse_error(text[: text.index("四、政府信息公开行政复议")])
    assert str(error) == "四、政府信息公开行政复议、行政诉讼情况：缺少表四（文件在第348行结束）"


def test_row_with_too_few_cells_is_refused():
    text = replace_once(sample_text("000"), "\t3\n\t0\n\t0\n\t0\n\t3\n", "\t3\n\t0\n\t0\n\t3\n")
    error = parse_error(text)
    assert error.line == 377
    assert str(error) == (
        "四、政府信息公开行政复议、行政诉讼情况，第377行：表四“案件数量”行应有15个单元格（0个标签、15个数据），实际有14个"
    )


def test_labelled_row_with_a_missing_cell_is_refused():
    text = replace_once(
        sample_text("000"),
        "\t一、本年新收政府信息公开申请数量\n\t2\n",
        "\t一、本年新收政府信息公开申请数量\n",
    )
    assert str(parse_error(text)) == (
        "三、收到和处理政府信息公开申请情况，第105行：表三“一、本年新收政府信息公开申请数量”行应有8个单元格"
        "（1个标签、7个数据），实际有7个"
    )


def test_missing_row_is_named():
    text = sample_text("000")
    start = text.index("\t\n\t\n\t2.其他法律行政法规禁止公开")
    end = text.index("\t\n\t\n\t3.危及")
    error = parse_error(text[:start] + text[end:])
    assert str(error) == (
        f"三、收到和处理政府信息公开申请情况，第{error.line}行：表三缺少“（三）不予公开2.其他法律行政法规禁止公开”行"
        "（此处是“3.危及“三安全一稳定””）"
    )


def test_unrecognised_table_is_refused():
    error = parse_error(replace_once(sample_text("000"), "\t第二十条第（一）项", "\t这不是表格"))
    assert (
        str(error)
        == "二、主动公开政府信息情况，第13行：无法识别的表格，首格为“这不是表格”，应为“第二十条第（一）项”"
    )


def test_unrelated_label_is_refused():
    error = parse_error(replace_once(sample_text("000"), "\t规章\n", "\t合计\n"))
    assert str(error) == "二、主动公开政府信息情况，第22行：表二此处应为“规章”，实际为“合计”"


def test_report_without_a_year_is_refused():
    text = sample_text("000").replace("2020", "").replace("2021", "")
    error = parse_error(text)
    assert (
        str(error)
        == "标题，第1行：无法识别报告年度（标题“年鹿城区民政局政府信息公开工作年度报告”中没有年份）"
    )


def test_year_before_the_first_format_is_refused():
    error = parse_error(sample_text("000").replace("2020年鹿城区", "2018年鹿城区"))
    assert str(error) == "标题，第1行：2018年没有适用的年度报告格式（最早为2019年）"


def test_text_starting_with_a_table_has_no_title():
    assert (
        str(parse_error("\t0\n"))
        == "标题，第1行：找不到报告标题（第一行应为“××机关××年政府信息公开工作年度报告”）"
    )


def test_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes(sample_text("000").encode("gbk", errors="replace"))
    with pytest.raises(ReportParseError) as caught:
        parse_report_file(path)
    assert str(caught.value) == "文件“gbk.txt”不是 UTF-8 编码的文本"


def test_junk_lines_only_is_an_empty_file():
    assert str(parse_error("[bookmark: _GoBack]\n")) == "文件为空：没有可导入的内容"
