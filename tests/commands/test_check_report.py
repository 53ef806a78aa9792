"""python manage.py check_report PATH [--json]."""

import io
import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from disclosure.reports.record import save_import
from tests.importers.samples import SAMPLES, parse_sample, replace_once, sample_text, set_row

SAMPLE_000_ERRORS = [
    "T3-1:applications.new.natural_person",
    "T3-2:applications.results_total.natural_person",
    "T3-3:applications.results_total.total",
]


def check(*args):
    """(stdout, CommandError or None) of check_report."""
    out = io.StringIO()
    try:
        call_command("check_report", *args, stdout=out)
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


def run_manage(*args, tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )


@pytest.mark.django_db
def test_check_report_lists_errors_and_fails_for_sample_000():
    out, error = check(str(SAMPLES["000"]))
    assert error.returncode == 1
    assert str(error) == "发现 3 个错误"
    assert out.splitlines() == [
        "2020年鹿城区民政局政府信息公开工作年度报告（鹿城区民政局，2020年，2019年版年度报告格式（试行））",
        "没有上年报告，跨年度规则未检查。",
        "[错误] T3-1 第一项加第二项之和应等于第三项加第四项之和（自然人）：2 + 0 ≠ 1 + 0",
        "[错误] T3-2 （七）总计应等于各项办理结果之和（自然人）：1 ≠ 2",
        "[错误] T3-3 总计应等于自然人与法人或其他组织各项之和「（七）总计」：2 ≠ 1 + 0 + 0 + 0 + 0 + 0",
        "共 3 个错误、0 个警告（其中导入提示 0 条）",
    ]


# Warnings besides the import notes: structure findings (S-…) and, where cells were left
# blank, the rules that could not be checked ("无法检查", check ids ending ":blank").
SAMPLE_WARNINGS = {"001": 2 + 37, "002": 2, "003": 4 + 8, "004": 4}


@pytest.mark.django_db
@pytest.mark.parametrize("number", ["001", "002", "003", "004"])
def test_check_report_passes_samples_without_errors(number):
    out, error = check(str(SAMPLES[number]))
    assert error is None
    assert "[错误]" not in out
    notes = len(parse_sample(number).notes)
    warnings = SAMPLE_WARNINGS[number] + notes
    assert out.splitlines()[-1] == f"共 0 个错误、{warnings} 个警告（其中导入提示 {notes} 条）"


@pytest.mark.django_db
def test_check_report_prints_structure_warnings_once():
    out, _ = check(str(SAMPLES["002"]))
    line = "[警告] S-2 第3行：标题“总体情况”缺少编号，应为“一、总体情况”"
    assert line in out.splitlines()
    assert out.count("标题“总体情况”缺少编号") == 1


@pytest.mark.django_db
def test_check_report_says_which_rules_blank_cells_left_unchecked():
    out, error = check(str(SAMPLES["003"]))
    assert error is None
    assert (
        "[警告] T3-1 无法检查：第一项加第二项之和应等于第三项加第四项之和（自然人）"
        "（以下单元格未填写：表三「二、上年结转政府信息公开申请数量」「自然人」）"
    ) in out.splitlines()
    assert "第115行：表三“二、上年结转政府信息公开申请数量”整行空白（7个单元格）" in out


@pytest.mark.django_db
def test_check_report_json_lists_findings_and_notes():
    out, error = check(str(SAMPLES["000"]), "--json")
    assert error.returncode == 1
    data = json.loads(out)
    assert [d["check"] for d in data if d["severity"] == "error"] == SAMPLE_000_ERRORS
    first = data[0]
    assert {
        k: first[k] for k in ("rule", "severity", "severity_label", "message", "cells", "lhs", "rhs")
    } == {
        "rule": "T3-1",
        "severity": "error",
        "severity_label": "错误",
        "message": "第一项加第二项之和应等于第三项加第四项之和（自然人）：2 + 0 ≠ 1 + 0",
        "cells": [
            "applications.new.natural_person",
            "applications.carried_over.natural_person",
            "applications.results_total.natural_person",
            "applications.carried_forward.natural_person",
        ],
        "lhs": "2",
        "rhs": "1",
    }


@pytest.mark.django_db
def test_check_report_json_includes_import_notes_as_warnings():
    out, error = check(str(SAMPLES["003"]), "--json")
    assert error is None
    data = json.loads(out)
    assert {d["rule"] for d in data} == {"T3-1", "T3-3", "S-1", "S-2", "IMPORT"}
    assert {d["severity"] for d in data} == {"warning"}
    structure = [d for d in data if d["rule"].startswith("S-")]
    assert all(d["cells"] == [] and d["lhs"] is None and d["severity_label"] == "警告" for d in structure)
    unchecked = [d for d in data if d["check"].endswith(":blank")]
    assert unchecked[0]["cells"] == ["applications.carried_over.natural_person"]
    blank = [d for d in data if d.get("kind") == "blank"]
    assert blank[0]["line"] == 115
    assert blank[0]["cells"][0] == "applications.carried_over.natural_person"
    assert all(set(d) >= {"rule", "severity", "message", "cells", "lhs", "rhs"} for d in data)


@pytest.mark.django_db
def test_check_report_unreadable_file_exits_2(tmp_path):
    path = tmp_path / "broken.txt"
    path.write_text(set_row(sample_text("000"), "规范性文件", ["6", "6", "1g"]), encoding="utf-8")
    out, error = check(str(path))
    assert error.returncode == 2
    assert (
        str(error)
        == f"无法读取 {path}：二、主动公开政府信息情况，第30行：表二「规范性文件」「对外公开总数量」：“1g”不是数字"
    )
    assert out == ""


@pytest.mark.django_db
def test_check_report_missing_file_exits_2(tmp_path):
    _, error = check(str(tmp_path / "nothing.txt"))
    assert error.returncode == 2


@pytest.mark.django_db
def test_check_report_uses_saved_previous_year_report(tmp_path):
    save_import(parse_sample("000"))  # 鹿城区民政局 2020: 结转下年度 all 0
    text = replace_once(sample_text("004"), "2021年南关区民政局", "2021年鹿城区民政局")
    text = set_row(text, "二、上年结转政府信息公开申请数量", ["1", "0", "0", "0", "0", "0", "1"])
    text = set_row(text, "四、结转下年度继续办理", ["1", "0", "0", "0", "0", "0", "1"])
    path = tmp_path / "lucheng2021.txt"
    path.write_text(text, encoding="utf-8")
    out, error = check(str(path))
    assert error is None
    assert "跨年度核对使用数据库中的上年报告：2020年鹿城区民政局政府信息公开工作年度报告" in out
    assert (
        "[警告] T3-5 本年“上年结转政府信息公开申请数量”应等于上年“结转下年度继续办理”（自然人）：1 ≠ 0" in out
    )


def test_check_report_real_exit_codes(tmp_path):
    assert run_manage("check_report", str(SAMPLES["000"]), tmp_path=tmp_path).returncode == 1
    passed = run_manage("check_report", "--json", str(SAMPLES["004"]), tmp_path=tmp_path)
    assert passed.returncode == 0
    assert [d["rule"] for d in json.loads(passed.stdout)] == ["S-2", "S-2", "S-6", "S-7"]
    broken = tmp_path / "empty.txt"
    broken.write_text("", encoding="utf-8")
    failed = run_manage("check_report", str(broken), tmp_path=tmp_path)
    assert failed.returncode == 2
    assert "文件为空：没有可导入的内容" in failed.stderr
