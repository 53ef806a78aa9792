"""python manage.py check_report with several paths, a folder or a .zip: one summary
row per file, unreadable files as rows, archives read safely, exit codes."""

import csv
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError, OutputWrapper

from disclosure.importers.batch import BatchRow, Limits, batch_exit_code, check_batch
from disclosure.importers.bounded import DEFAULT_SECONDS
from disclosure.management.commands import check_report
from disclosure.publish import bench_batch
from disclosure.reports.services import check_parsed
from tests.commands.test_check_report import check
from tests.importers.samples import SAMPLES, sample_text
from tests.importers.test_bounded import BOUND, endless_pdf

pytestmark = pytest.mark.django_db

# Errors per sample (000 fails three table rules; the others pass).
ERRORS = {"000": 3, "001": 0, "002": 0, "003": 0, "004": 0}


def folder_of(tmp_path, numbers=("001", "002"), nested=True):
    folder = tmp_path / "reports"
    (folder / "sub").mkdir(parents=True)
    for number in numbers:
        target = folder / ("sub" if nested and number == numbers[-1] else "") / f"{number}.txt"
        target.write_text(sample_text(number), encoding="utf-8")
    (folder / "notes.md").write_text("not a report", encoding="utf-8")  # not a report suffix: skipped
    return folder


def zip_of(path, members: dict):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return path


def batch_json(*args):
    out, error = check(*args, "--json")
    return json.loads(out), error


def test_folder_is_walked_recursively(tmp_path):
    rows, error = batch_json(str(folder_of(tmp_path)))
    assert error is None
    assert [r["file"].split("reports/")[1] for r in rows] == ["001.txt", "sub/002.txt"]
    assert rows[0] == {
        "file": rows[0]["file"],
        "agency": rows[0]["agency"],
        "year": rows[0]["year"],
        "format": rows[0]["format"],
        "errors": 0,
        "warnings": rows[0]["warnings"],
        "unreadable": None,
    }
    assert all(r["agency"] and r["year"] and r["format"] in ("gov2019", "gov2021") for r in rows)


def test_several_paths_keep_their_order_and_counts_match_single_file(tmp_path):
    rows, error = batch_json(str(SAMPLES["002"]), str(SAMPLES["000"]))
    assert error.returncode == 1
    assert [r["file"] for r in rows] == [str(SAMPLES["002"]), str(SAMPLES["000"])]
    assert [r["errors"] for r in rows] == [0, 3]
    single, _ = check(str(SAMPLES["002"]))
    assert (
        single.splitlines()[-1]
        == f"共 0 个错误、{rows[0]['warnings']} 个警告（其中导入提示 "
        + single.split("其中导入提示 ")[1].split("\n")[0]
    )


def test_zip_is_read_and_named_by_member(tmp_path):
    archive = zip_of(
        tmp_path / "reports.zip",
        {
            "2021/001.txt": sample_text("001"),
            "2021/readme.pdf.md": "x",
            "__MACOSX/._001.txt": "junk",
            "004.txt": sample_text("004"),
        },
    )
    rows, error = batch_json(str(archive))
    assert error is None
    assert [r["file"] for r in rows] == [f"{archive}!/2021/001.txt", f"{archive}!/004.txt"]
    assert [r["unreadable"] for r in rows] == [None, None]


def test_unreadable_file_in_the_middle_does_not_stop_the_batch(tmp_path):
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"\xff\xfe not utf-8 \x80")
    missing = tmp_path / "missing.txt"
    rows, error = batch_json(str(SAMPLES["001"]), str(broken), str(missing), str(SAMPLES["004"]))
    assert [r["unreadable"] is not None for r in rows] == [False, True, True, False]
    assert rows[3]["errors"] == 0 and rows[3]["agency"]
    assert error.returncode == 2  # unreadable files, no errors


def _check(parsed):
    return check_parsed(parsed)[0]


def test_file_taking_too_long_is_an_unreadable_row_and_the_batch_goes_on(tmp_path):
    """A PDF of a few kilobytes that would keep the reader busy for many minutes."""
    slow = tmp_path / "slow.pdf"
    slow.write_bytes(endless_pdf())
    seconds = Limits().seconds_per_file
    assert seconds == DEFAULT_SECONDS
    rows = check_batch([SAMPLES["001"], slow, SAMPLES["004"]], _check, limits=Limits(seconds_per_file=BOUND))
    assert rows[1] == BatchRow(
        str(slow), unreadable=f"读取文件“slow.pdf”超时（超过{BOUND}秒），文件可能已损坏或过于复杂"
    )
    assert [r.unreadable for r in (rows[0], rows[2])] == [None, None]
    assert [r.errors for r in (rows[0], rows[2])] == [ERRORS["001"], ERRORS["004"]]


def test_file_over_20_mb_is_an_unreadable_row(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"0" * (20 * 1024 * 1024 + 1))
    rows = check_batch([big, SAMPLES["001"]], _check)
    assert rows[0].unreadable == "文件“big.txt”过大（超过20MB），请拆分或精简后上传"
    assert rows[1].unreadable is None


def test_exit_code_errors_win_over_unreadable(tmp_path):
    missing = tmp_path / "missing.txt"
    rows, error = batch_json(str(SAMPLES["000"]), str(missing))
    assert error.returncode == 1
    assert str(error) == "2 个文件中 1 个有错误，1 个无法读取"


def test_exit_code_zero_when_all_clean(tmp_path):
    _, error = batch_json(str(SAMPLES["001"]), str(SAMPLES["004"]))
    assert error is None


def test_batch_exit_code_rule():
    assert batch_exit_code([]) == 0
    assert batch_exit_code([BatchRow("a", errors=0, warnings=2)]) == 0
    assert batch_exit_code([BatchRow("a", unreadable="x"), BatchRow("b", errors=0)]) == 2
    assert batch_exit_code([BatchRow("a", unreadable="x"), BatchRow("b", errors=1)]) == 1


@pytest.mark.parametrize(
    "name", ["../evil.txt", "a/../../evil.txt", "/etc/evil.txt", "C:/evil.txt", "..\\evil.txt"]
)
def test_zip_slip_refused_whole_and_nothing_written_outside(tmp_path, name):
    archive = zip_of(tmp_path / "slip.zip", {"001.txt": sample_text("001"), name: sample_text("002")})
    rows, error = batch_json(str(archive))
    assert len(rows) == 1
    assert rows[0]["file"] == str(archive)
    assert rows[0]["unreadable"].startswith("压缩包被拒绝")
    assert error.returncode == 2
    assert not (tmp_path / "evil.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["slip.zip"]


def test_zip_bomb_refused_by_total_size(tmp_path):
    archive = zip_of(tmp_path / "bomb.zip", {f"{i}.txt": b"0" * 200_000 for i in range(3)})
    rows = check_batch([archive], lambda parsed: [], limits=Limits(max_total_bytes=500_000))
    assert len(rows) == 1 and "解压后过大" in rows[0].unreadable


def test_zip_bomb_refused_by_file_size_and_count(tmp_path):
    big = zip_of(tmp_path / "big.zip", {"a.txt": b"0" * 300_000})
    rows = check_batch([big], lambda parsed: [], limits=Limits(max_file_bytes=100_000))
    assert "文件过大" in rows[0].unreadable
    many = zip_of(tmp_path / "many.zip", {f"{i}.txt": b"" for i in range(30)})
    rows = check_batch([many], lambda parsed: [], limits=Limits(max_files=20))
    assert "文件过多" in rows[0].unreadable


def test_zip_bomb_default_limits_refuse_a_real_bomb(tmp_path):
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        with out.open("bomb.txt", "w", force_zip64=True) as member:
            block = b"\0" * (1 << 20)
            for _ in range(600):  # 600 MB of zeros, a few hundred KB compressed
                member.write(block)
    assert archive.stat().st_size < 2_000_000
    rows, error = batch_json(str(archive))
    assert rows[0]["unreadable"].startswith("压缩包被拒绝")
    assert error.returncode == 2


def test_broken_zip_is_an_unreadable_row(tmp_path):
    archive = tmp_path / "broken.zip"
    archive.write_bytes(b"PK\x03\x04 not really")
    rows, _ = batch_json(str(archive), str(SAMPLES["001"]))
    assert rows[0]["unreadable"].startswith("无法打开压缩包")
    assert rows[1]["unreadable"] is None


def test_csv_summary(tmp_path):
    missing = tmp_path / "missing.txt"
    out, error = check(str(SAMPLES["000"]), str(missing), "--csv")
    lines = list(csv.reader(io.StringIO(out)))
    assert lines[0] == ["file", "agency", "year", "format", "errors", "warnings", "unreadable"]
    assert lines[1][0] == str(SAMPLES["000"]) and lines[1][4] == "3" and lines[1][6] == ""
    assert lines[2][0] == str(missing) and lines[2][4] == "" and lines[2][6]
    assert error.returncode == 1


def test_text_summary_table_and_no_progress_bar_when_not_a_tty(tmp_path):
    out, error = check(str(folder_of(tmp_path)))
    lines = out.splitlines()
    assert lines[0].split() == ["文件", "机关", "年度", "格式", "错误", "警告", "无法读取"]
    assert len(lines) == 4
    assert lines[-1] == "共 2 个文件：0 个有错误，0 个无法读取"
    assert "\r" not in out and "\x1b" not in out and "[###" not in out
    assert error is None


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_on_a_terminal(tmp_path):
    out = Terminal()
    call_command("check_report", str(folder_of(tmp_path)), stdout=out)
    text = out.getvalue()
    assert "\r\x1b[2K[" in text and "0/2" in text and "1/2" in text
    assert text.splitlines()[-1] == "共 2 个文件：0 个有错误，0 个无法读取"


def test_single_file_keeps_todays_output():
    out, error = check(str(SAMPLES["000"]))
    assert out.splitlines()[0].startswith("2020年鹿城区民政局")
    assert (error.returncode, str(error)) == (1, "发现 3 个错误")


def test_single_unreadable_file_keeps_exit_2(tmp_path):
    with pytest.raises(CommandError) as raised:
        call_command("check_report", str(tmp_path / "missing.txt"), stdout=io.StringIO())
    assert raised.value.returncode == 2


def test_help_documents_batch_exit_codes():
    assert "任一文件有错误为1" in check_report.Command.help
    assert "无法读取为2" in check_report.Command.help


def test_bench_batch_figures_shape():
    out = io.StringIO()
    figures = bench_batch.bench_figures(OutputWrapper(out), count=10, small=5)
    assert sorted(figures) == ["batch_check_per_file_ms_200", "batch_check_per_file_ms_50", "batch_check_s"]
    assert all(v > 0 for v in figures.values())
    assert out.getvalue().startswith("批量检查：10 个报告") and "无法读取 0 个" in out.getvalue()
