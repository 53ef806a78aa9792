"""load_regions and load_agencies: real files (UTF-8, UTF-8 with BOM, GBK), every
problem listed with exit code 1 and nothing loaded, re-loading updates."""

import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError

from disclosure.reports.models import Agency, Region

pytestmark = pytest.mark.django_db

REGIONS = "代码,名称,上级代码\r\n330302,鹿城区,330300\r\n330300,温州市,330000\r\n330000,浙江省,\r\n"
AGENCIES = (
    "机关名称,地区代码,层级,是否人民政府,上级机关,地址,邮编,电话,网站,邮箱\r\n"
    '鹿城区民政局,330302,县级,否,鹿城区人民政府,"洪殿北路128号,民政局",325000,88888888,,\r\n'
    "鹿城区人民政府,330302,县级,是,,,,,,\r\n"
)


def write(tmp_path, name, text, encoding):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def run(command, path):
    return call_command(command, path, verbosity=0)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_load_regions_and_agencies_in_each_encoding(tmp_path, encoding, capsys):
    run("load_regions", write(tmp_path, "regions.csv", REGIONS, encoding))
    run("load_agencies", write(tmp_path, "agencies.csv", AGENCIES, encoding))
    out = capsys.readouterr().out
    assert "已导入 regions.csv：共3行：新建3个地区" in out
    assert "已导入 agencies.csv：共2行：新建2个机关" in out
    assert Region.objects.get(code="330302").full_name == "浙江省温州市鹿城区"
    agency = Agency.objects.get(name="鹿城区民政局")
    assert (agency.address, agency.parent.name, agency.level) == (
        "洪殿北路128号,民政局",
        "鹿城区人民政府",
        "county",
    )


def test_reload_updates(tmp_path, capsys):
    regions = write(tmp_path, "regions.csv", REGIONS, "gbk")
    agencies = write(tmp_path, "agencies.csv", AGENCIES, "utf-8-sig")
    run("load_regions", regions)
    run("load_agencies", agencies)
    run("load_regions", regions)
    run("load_agencies", write(tmp_path, "agencies.csv", AGENCIES.replace("88888888", "66666666"), "gbk"))
    out = capsys.readouterr().out
    assert "共3行：新建0个地区，更新0个地区，3个地区无变化。" in out
    assert "共2行：新建0个机关，更新1个机关，1个机关无变化。" in out
    assert (Region.objects.count(), Agency.objects.count()) == (3, 2)
    assert Agency.objects.get(name="鹿城区民政局").phone == "66666666"


def test_bad_rows_listed_and_nothing_loaded(tmp_path):
    run("load_regions", write(tmp_path, "regions.csv", REGIONS, "utf-8"))
    bad = AGENCIES + "鹿城区民政局,330302,县级,否,,,,,,\r\n新局,123,镇级,是,旧局,,,,,\r\n"
    with pytest.raises(CommandError) as refused:
        run("load_agencies", write(tmp_path, "agencies.csv", bad, "gbk"))
    assert str(refused.value).splitlines() == [
        "agencies.csv 有4个问题，未导入任何机关：",
        "第4行：机关名称“鹿城区民政局”重复（第2行已有）。",
        "第5行：地区代码“123”不存在，请先用 load_regions 导入地区。",
        "第5行：层级“镇级”无法识别（应为省级、市级、县级、乡镇级或留空）。",
        "第5行：上级机关“旧局”不存在（文件中和系统中都没有这个机关）。",
    ]
    assert Agency.objects.count() == 0  # the good rows were not loaded either


def test_bad_region_file_loads_nothing(tmp_path):
    with pytest.raises(CommandError) as refused:
        run("load_regions", write(tmp_path, "regions.csv", REGIONS + "1,甲,1\r\n", "utf-8"))
    assert "第5行：地区“1”的上级关系形成循环" in str(refused.value)
    assert Region.objects.count() == 0


def test_missing_file_and_undecodable_file(tmp_path):
    with pytest.raises(CommandError, match="文件不存在"):
        run("load_regions", str(tmp_path / "none.csv"))
    path = tmp_path / "utf16.csv"
    path.write_bytes(REGIONS.encode("utf-16"))
    with pytest.raises(CommandError, match="文件编码无法识别"):
        run("load_regions", str(path))


def test_exit_code_one_from_the_command_line(tmp_path, capsys):
    path = write(tmp_path, "regions.csv", "代码,名称,上级代码\n330302,鹿城区,999\n", "utf-8")
    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(["manage.py", "load_regions", path])
    assert exited.value.code == 1
    assert "第2行：上级代码“999”不存在" in capsys.readouterr().err
