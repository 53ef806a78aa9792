"""python manage.py import_report PATH [--agency NAME] [--year N] [--draft] [--force] [--user NAME]."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from disclosure.reports.models import Agency, AnnualReport, ApplicationRow, Status, Transition
from disclosure.reports.services import load_values
from tests.importers.samples import SAMPLES, parse_sample, sample_text

from .test_check_report import run_manage

pytestmark = pytest.mark.django_db


def import_report(*args) -> str:
    out = io.StringIO()
    call_command("import_report", *args, stdout=out)
    return out.getvalue()


def test_import_report_creates_agency_and_report():
    out = import_report(str(SAMPLES["002"]))
    report = AnnualReport.objects.get()
    assert (report.agency.name, report.year, report.status) == ("海盐县民政局", 2020, Status.APPROVED)
    assert out.splitlines()[1] == f"已新建：海盐县民政局 2020年报告（编号 {report.pk}，版本 1，状态：已通过）"
    assert load_values(report) == parse_sample("002").values


def test_import_report_again_replaces_a_draft_only_with_force():
    import_report(str(SAMPLES["000"]))  # errors: imported as a draft
    with pytest.raises(CommandError) as caught:
        import_report(str(SAMPLES["000"]))
    assert caught.value.returncode == 2
    assert "已存在（草稿，第1版），导入会覆盖其全部内容；确认覆盖请加 --force" in str(caught.value)
    out = import_report(str(SAMPLES["000"]), "--force")
    report = AnnualReport.objects.get()
    assert out.splitlines()[1] == (
        f"已覆盖原草稿：鹿城区民政局 2020年报告（编号 {report.pk}，版本 2，状态：草稿）"
    )
    assert ApplicationRow.objects.count() == 23


def test_import_report_never_replaces_an_approved_report():
    import_report(str(SAMPLES["002"]))
    with pytest.raises(CommandError) as caught:
        import_report(str(SAMPLES["002"]), "--force")
    assert "当前状态为“已通过”，导入不能覆盖审核流程中或已通过的报告" in str(caught.value)
    assert AnnualReport.objects.get().version == 1


def test_import_report_records_the_user_as_a_transition():
    User = get_user_model()
    User.objects.create_user("importer", password="x" * 12)
    import_report(str(SAMPLES["002"]), "--user", "importer")
    transition = Transition.objects.get()
    assert (transition.action, transition.actor_name, transition.to_status) == (
        "import",
        "importer",
        Status.APPROVED,
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--year", "1999"), "年度 1999 超出范围：应在 2019 至"),
        (("--year", "99999"), "年度 99999 超出范围：应在 2019 至"),
        (("--agency", "局" * 101), "机关名称应为1至100个字符（现为101个）"),
        (("--user", "nobody"), "没有用户“nobody”"),
    ],
)
def test_import_report_bad_options_get_a_clear_error(args, message):
    with pytest.raises(CommandError) as caught:
        import_report(str(SAMPLES["002"]), *args)
    assert caught.value.returncode == 2
    assert message in str(caught.value)
    assert AnnualReport.objects.count() == 0


def test_import_report_prints_blank_cells_compactly():
    out = import_report(str(SAMPLES["001"]))
    blank_lines = [line for line in out.splitlines() if "空白" in line]
    assert len(blank_lines) == 8  # one line per run of blank rows or blank column, not per cell
    assert blank_lines[0] == (
        "[警告] 导入 第23行：表二“规章”整行空白（3个单元格），按未填写导入（不计为0，涉及的勾稽关系无法检查）"
    )
    assert "无法检查：" in out and "个错误" in out.splitlines()[-1]


def test_import_report_prints_the_checker_errors_and_imports_a_draft():
    out = import_report(str(SAMPLES["000"]))
    assert "[错误] T3-1 第一项加第二项之和应等于第三项加第四项之和（自然人）：2 + 0 ≠ 1 + 0" in out
    assert AnnualReport.objects.get().status == Status.DRAFT


def test_import_report_with_agency_and_year_options():
    import_report(str(SAMPLES["004"]), "--agency", "长春市南关区民政局", "--year", "2022")
    report = AnnualReport.objects.get()
    assert (report.agency.name, report.year) == ("长春市南关区民政局", 2022)


def test_import_report_year_of_another_format_is_refused():
    with pytest.raises(CommandError) as caught:
        import_report(str(SAMPLES["000"]), "--year", "2021")
    assert caught.value.returncode == 2
    assert AnnualReport.objects.count() == 0


BROKEN = {
    "empty": "",
    "letter": sample_text("000").replace("\t166781.96元", "\t166781.96元x"),
    "truncated": "".join(sample_text("000").splitlines(keepends=True)[:190]),
    "no_table_four": sample_text("000")[: sample_text("000").index("四、政府信息公开行政复议")],
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_import_report_broken_file_saves_nothing(name, tmp_path):
    path = tmp_path / f"{name}.txt"
    path.write_text(BROKEN[name], encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        import_report(str(path))
    assert caught.value.returncode == 2
    assert str(caught.value).startswith(f"未导入 {path}：")
    assert (Agency.objects.count(), AnnualReport.objects.count(), ApplicationRow.objects.count()) == (0, 0, 0)


def test_import_report_error_names_section_and_line(tmp_path):
    path = tmp_path / "letter.txt"
    path.write_text(BROKEN["letter"], encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        import_report(str(path))
    assert str(caught.value) == (
        f"未导入 {path}：二、主动公开政府信息情况，第84行：表二「政府集中采购」「采购总金额」：“166781.96元x”不是数字"
    )


def test_import_report_real_exit_code_for_a_broken_file(tmp_path):
    path = tmp_path / "truncated.txt"
    path.write_text(BROKEN["truncated"], encoding="utf-8")
    done = run_manage("import_report", str(path), tmp_path=tmp_path)
    assert done.returncode == 2
    assert "三、收到和处理政府信息公开申请情况，第187行" in done.stderr
