"""Narrative ↔ table checks (disclosure/formats/narrative.py, phrases.py)."""

import glob
import json
import time
from pathlib import Path

import pytest

from disclosure.formats.checks import Finding
from disclosure.formats.narrative import NarrativeFinding, evaluate_narrative, infer_year, parse_number
from disclosure.formats.phrases import CHECKS, narrative_checks, phrases_json
from disclosure.importers.text import parse_report_file

SAMPLES = sorted(glob.glob(str(Path(__file__).parent.parent.parent / "fixtures" / "published" / "*.txt")))

VALUES = {
    "applications.new.total": 49,
    "applications.carried_over.total": 3,
    "applications.granted.total": 36,
    "applications.partial.total": 5,
    "applications.results_total.total": 50,
    "applications.carried_forward.total": 2,
    "appeals.cases.review_upheld": 1,
    "appeals.cases.review_corrected": 1,
    "appeals.cases.review_total": 2,
}


@pytest.mark.parametrize("path", SAMPLES, ids=[Path(p).name for p in SAMPLES])
def test_samples_give_no_finding(path):
    report = parse_report_file(path)
    assert evaluate_narrative(report.format, report.narratives, report.values, year=report.year) == []
    assert infer_year(report.narratives) in (None, report.year)


def test_five_samples():
    assert len(SAMPLES) == 5


def test_message_and_fields():
    text = "2021年，全年共收到政府信息公开申请55件。"
    (finding,) = evaluate_narrative("gov2021", {"general": text}, VALUES, year=2021)
    assert isinstance(finding, NarrativeFinding) and isinstance(finding, Finding)
    assert finding.rule == "N-1" and finding.severity == "warning"
    assert (
        finding.message
        == '一、总体情况称"全年共收到政府信息公开申请55件"，表三"本年新收政府信息公开申请数量"为49'
    )
    assert finding.cells == ["applications.new.total"]
    assert (finding.section, finding.stated, finding.lhs, finding.rhs) == ("general", "55件", 55, 49)
    assert text[finding.start : finding.end] == "55件"
    assert finding.check == "N-1:general:55件"  # stable while text elsewhere changes
    json.dumps(finding.as_json(), ensure_ascii=False)


def test_claim_message():
    (finding,) = evaluate_narrative(
        "gov2021", {"general": "本年度行政复议案件全部维持原行政行为。"}, VALUES, year=2021
    )
    assert finding.rule == "N-26"
    assert finding.message.endswith("表四结果纠正、其他结果与尚未审结：结果纠正1件")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("十七", 17),
        ("两百", 200),
        ("一百二十三", 123),
        ("1,234", 1234),
        ("三万五千", 35000),
        ("十", 10),
        ("5949.09", 5949.09),
    ],
)
def test_numerals(text, value):
    assert parse_number(text) == value


REAL_WORLD_SILENT = [
    # phrasing seen in published reports, each consistent with VALUES or out of scope
    "2021年共受理政府信息公开申请52件（含上年结转3件），已全部办结。",
    "全年共收到政府信息公开申请49件，比上年增加9件，其中予以公开36件，部分公开5件。",
    "本机关于2021年1月1日至2021年12月31日共收到政府信息公开申请49件。",
    "自2008年《条例》施行以来，累计受理政府信息公开申请1200余件。",
    "各乡镇共收到政府信息公开申请120件。",
    "其中，通过政府网站在线申请的35件，信函申请14件。",
    "按照《条例》第三十三条规定，在20个工作日内予以答复。",
    "依据国办公开办函〔2021〕30号文件，编制本报告。",
    "我局共有工作人员15名，设立政务公开专栏6个。",
    "全年发布政务信息1,326条，同比增长12.5%。",
    "办理人大代表建议23件、政协提案17件，答复率100%。",
    "2020年制发行政规范性文件58件。",
]


@pytest.mark.parametrize("text", REAL_WORLD_SILENT)
def test_real_world_silent(text):
    assert evaluate_narrative("gov2021", {"general": text}, VALUES, year=2021) == []


REAL_WORLD_FLAGGED = [
    ("全年共收到依申请公开件52件。", None),  # not recognised (no 收到…申请 phrase): silence is fine
    ("全年共收到政府信息公开申请60件，已全部按期答复。", "N-1"),
    ("2021年度，我局共受理政府信息公开申请45件。", "N-1"),
    ("全年政府信息公开申请予以公开30件。", "N-6"),
]


@pytest.mark.parametrize(("text", "rule"), REAL_WORLD_FLAGGED)
def test_real_world_flagged(text, rule):
    rules = [f.rule for f in evaluate_narrative("gov2021", {"general": text}, VALUES, year=2021)]
    assert rules == ([rule] if rule else [])


def test_declarations():
    ids = [c.id for c in CHECKS]
    assert len(ids) == len(set(ids)) and all(i.startswith("N-") for i in ids)
    assert all(c.severity.value == "warning" for c in CHECKS)
    assert "N-17" in {c.id for c in narrative_checks("gov2021")}
    assert "N-17" not in {c.id for c in narrative_checks("gov2019")}
    data = phrases_json("gov2021")
    json.dumps(data, ensure_ascii=False)
    assert data["sections"]["general"] == "一、总体情况"


def test_long_section_is_linear():
    text = ("全年共收到政府信息公开申请49件，其中予以公开36件" + "测" * 200 + "1234567890" * 30 + "。") * 60
    start = time.perf_counter()
    evaluate_narrative("gov2021", {"general": text[:30000]}, VALUES, year=2021)
    assert time.perf_counter() - start < 2.0


def test_check_ids_stay_when_text_before_the_sentence_changes():
    values = {"applications.new.total": 49}
    one = evaluate_narrative("gov2021", {"general": "全年共收到政府信息公开申请55件。"}, values, year=2021)
    two = evaluate_narrative(
        "gov2021", {"general": "本机关高度重视。全年共收到政府信息公开申请55件。"}, values, year=2021
    )
    assert [f.check for f in one] == [f.check for f in two] == ["N-1:general:55件"]
