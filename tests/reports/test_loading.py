"""disclosure.reports.loading: regions and agencies from CSV, every problem listed
by line, nothing half-loaded, re-loading updates."""

import pytest

from disclosure.reports.loading import LoadRefused, check_agencies, decode, load_agencies, load_regions
from disclosure.reports.models import Agency, Region

pytestmark = pytest.mark.django_db

REGIONS = """代码,名称,上级代码
330302,鹿城区,330300
330300,温州市,330000
330000,浙江省,
330304,瓯海区,330300
"""
AGENCIES = """机关名称,地区代码,层级,是否人民政府,上级机关,地址,邮编,电话,网站,邮箱
鹿城区民政局,330302,县级,否,鹿城区人民政府,洪殿北路128号,325000,0577-1,http://x.gov.cn,a@b.cn
鹿城区人民政府,330302,县级,是,,,,,,
温州市人民政府,330300,市级,是,,,,,,
瓯海区人民政府,330304,县级,,温州市人民政府,,,,,
"""


def problems_of(loader, text):
    with pytest.raises(LoadRefused) as refused:
        loader(text)
    return refused.value.problems


def test_regions_parents_after_children_are_resolved():
    result = load_regions(REGIONS)
    assert (result.created, result.updated, result.rows) == (4, 0, 4)
    lucheng = Region.objects.get(code="330302")
    assert lucheng.full_name == "浙江省温州市鹿城区"
    assert lucheng.path == "330000/330300/330302/"


def test_regions_parent_from_the_database():
    load_regions(REGIONS)
    load_regions("代码,名称,上级代码\n330303,龙湾区,330300\n")
    assert Region.objects.get(code="330303").full_name == "浙江省温州市龙湾区"


def test_regions_reload_updates_and_moves_the_subtree():
    load_regions(REGIONS)
    assert load_regions(REGIONS).unchanged == 4
    result = load_regions(REGIONS.replace("330300,温州市,330000", "330300,温州市区,330000"))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 3)
    assert Region.objects.get(code="330302").full_name == "浙江省温州市区鹿城区"
    assert Region.objects.count() == 4


def test_regions_adopt_a_region_created_from_written_names():
    placeholder = Region.from_names("浙江省温州市鹿城区")
    agency = Agency.objects.create(name="鹿城区民政局", region=placeholder)
    load_regions(REGIONS)
    assert Region.objects.count() == 4
    agency.refresh_from_db()
    assert (agency.region.code, agency.region.path) == ("330302", "330000/330300/330302/")


def test_regions_every_problem_listed_and_nothing_written():
    text = (
        "代码,名称,上级代码\n"
        "330000,浙江省,\n"
        "330300,,330000\n"  # 3: no name
        "330300,温州市,330000\n"  # 4: duplicate code
        "330302,鹿城区,339999\n"  # 5: unknown parent
        "1,甲,2\n"  # 6: cycle
        "2,乙,1\n"  # 7: cycle
        "3,丙,3\n"  # 8: its own parent
        f"330303,{'龙' * 51},330300\n"  # 9: too long
        ",无代码,\n"  # 10: no code
        "a/b,斜杠,\n"  # 11: slash
    )
    problems = problems_of(load_regions, text)
    assert problems == [
        "第3行：缺少名称。",
        "第4行：代码“330300”重复（第3行已有）。",
        "第5行：上级代码“339999”不存在（文件中和系统中都没有这个地区）。",
        "第6行：地区“1”的上级关系形成循环（上级的上级最终又是它自己）。",
        "第7行：地区“2”的上级关系形成循环（上级的上级最终又是它自己）。",
        "第8行：地区“3”的上级关系形成循环（上级的上级最终又是它自己）。",
        f"第9行：名称“{'龙' * 20}…”太长（51字，最多50字）。",
        "第10行：缺少代码。",
        "第11行：代码“a/b”不能包含“/”。",
    ]
    assert Region.objects.count() == 0


def test_regions_cycle_through_the_database():
    load_regions(REGIONS)
    # 温州市 under 鹿城区, which is under 温州市 in the database
    problems = problems_of(load_regions, "代码,名称,上级代码\n330300,温州市,330302\n")
    assert problems == ["第2行：地区“330300”的上级关系形成循环（上级的上级最终又是它自己）。"]


def test_header_missing_columns():
    assert problems_of(load_regions, "编号,名称\n1,甲\n") == [
        "第1行：表头缺少列“代码”（应为：代码，名称，上级代码）。"
    ]
    assert problems_of(load_agencies, "") == [
        "文件为空：第1行应为表头（机关名称，地区代码，层级，是否人民政府，上级机关，地址，邮编，电话，网站，邮箱）。"
    ]


def test_decode_utf8_bom_and_gbk():
    text = REGIONS
    assert decode(text.encode("utf-8")) == text
    assert decode(text.encode("utf-8-sig")) == text
    assert decode(text.encode("gbk")) == text
    with pytest.raises(LoadRefused):
        decode(b"\xff\xfe\x00\xd8\x00")


def test_agencies_created_with_every_field_and_parents_later_in_the_file():
    load_regions(REGIONS)
    result = load_agencies(AGENCIES)
    assert (result.created, result.updated) == (4, 0)
    agency = Agency.objects.get(name="鹿城区民政局")
    assert (agency.region.code, agency.level, agency.is_government, agency.parent.name) == (
        "330302",
        "county",
        False,
        "鹿城区人民政府",
    )
    assert (agency.address, agency.postcode, agency.phone, agency.website, agency.email) == (
        "洪殿北路128号",
        "325000",
        "0577-1",
        "http://x.gov.cn",
        "a@b.cn",
    )
    assert Agency.objects.get(name="温州市人民政府").maker_of_rules is True
    assert Agency.objects.get(name="瓯海区人民政府").is_government is None


def test_agencies_reload_updates_by_name():
    load_regions(REGIONS)
    load_agencies(AGENCIES)
    assert load_agencies(AGENCIES).unchanged == 4
    changed = AGENCIES.replace("0577-1", "0577-2").replace(
        "瓯海区人民政府,330304,县级,,温州市人民政府", "瓯海区人民政府,330304,县级,是,"
    )
    result = load_agencies(changed)
    assert (result.created, result.updated, result.unchanged) == (0, 2, 2)
    assert Agency.objects.get(name="鹿城区民政局").phone == "0577-2"
    ouhai = Agency.objects.get(name="瓯海区人民政府")
    assert (ouhai.is_government, ouhai.parent) == (True, None)
    assert Agency.objects.count() == 4


def test_agencies_parent_from_the_database_and_missing_columns_kept():
    load_regions(REGIONS)
    load_agencies(AGENCIES)
    load_agencies(
        "机关名称,地区代码,上级机关\n鹿城区财政局,330302,鹿城区人民政府\n鹿城区民政局,330302,鹿城区人民政府\n"
    )
    assert Agency.objects.get(name="鹿城区财政局").parent.name == "鹿城区人民政府"
    assert Agency.objects.get(name="鹿城区民政局").address == "洪殿北路128号"  # no 地址 column: kept


def test_agencies_every_problem_listed_and_nothing_written():
    load_regions(REGIONS)
    text = (
        "机关名称,地区代码,层级,是否人民政府,上级机关,地址,邮编,电话,网站,邮箱\n"
        "甲局,999999,县级,是,,,,,,\n"  # 2: unknown region
        "乙局,330302,区级,否,,,,,,\n"  # 3: unknown level
        "甲局,330302,县级,是,,,,,,\n"  # 4: duplicate name
        "丙局,330302,县级,不知道,没有的局,,,,,\n"  # 5: government value, unknown parent
        "丁局,330302,县级,,戊局,,,,,\n"  # 6: cycle
        "戊局,330302,县级,,丁局,,,,,\n"  # 7: cycle
        f"己局,330302,县级,,,,{'1' * 11},,,\n"  # 8: too long
        ",330302,,,,,,,,\n"  # 9: no name
        "庚局,,,,,,,,,\n"  # 10: no region
    )
    problems = problems_of(load_agencies, text)
    assert problems == [
        "第2行：地区代码“999999”不存在，请先用 load_regions 导入地区。",
        "第3行：层级“区级”无法识别（应为省级、市级、县级、乡镇级或留空）。",
        "第4行：机关名称“甲局”重复（第2行已有）。",
        "第5行：是否人民政府“不知道”无法识别（应为是、否或留空）。",
        "第5行：上级机关“没有的局”不存在（文件中和系统中都没有这个机关）。",
        "第6行：机关“丁局”的上级关系形成循环（上级的上级最终又是它自己）。",
        "第7行：机关“戊局”的上级关系形成循环（上级的上级最终又是它自己）。",
        f"第8行：邮编“{'1' * 11}”太长（11字，最多10字）。",
        "第9行：缺少机关名称。",
        "第10行：缺少地区代码。",
    ]
    assert Agency.objects.count() == 0


def test_check_agencies_reports_without_writing():
    load_regions(REGIONS)
    rows, problems = check_agencies(AGENCIES)
    assert (len(rows), problems) == (4, [])
    assert Agency.objects.count() == 0
