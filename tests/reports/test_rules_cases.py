"""The Python side of the JavaScript parity test.

tests/cases/rules_cases.json is generated from the Python engine
(tests/cases/make_rules_cases.py) for tests/js/rules.test.mjs to run through
static/disclosure/js/rules.js; re-running the Python engine here only shows the
file is up to date with it. The Python engine's correctness is pinned by the
hand-written expectations in tests/formats/test_rules_by_hand.py."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from disclosure.formats import FORMATS
from disclosure.formats.checks import compute_totals, evaluate, expand, rules_json
from disclosure.formats.spec import Column, Kind
from disclosure.formats.values import ValueProblem, display, parse_cell

CASES = json.loads((Path(__file__).parents[1] / "cases" / "rules_cases.json").read_text(encoding="utf-8"))
FIELDS = (
    "rule",
    "check",
    "severity",
    "severity_label",
    "message",
    "cells",
    "previous_cells",
    "lhs",
    "rhs",
    "difference",
)


def resolve(spec):
    if spec is None:
        return None
    values = dict(CASES["bases"].get(spec.get("base"), {}))
    values.update(spec["set"])
    return {k: (Decimal(v) if isinstance(v, str) else v) for k, v in values.items() if v is not None}


def findings_json(findings):
    return [{k: f.as_json()[k] for k in FIELDS} for f in findings]


@pytest.mark.parametrize("case", CASES["rules"], ids=lambda c: c["name"])
def test_python_engine_matches_case_file(case):
    fmt = FORMATS[case["format"]]
    findings = evaluate(fmt, resolve(case["values"]), resolve(case["previous"]))
    assert findings_json(findings) == case["expected"]


@pytest.mark.parametrize("case", CASES["totals"], ids=lambda c: c["name"])
def test_python_totals_match_case_file(case):
    fmt = FORMATS[case["format"]]
    totals = compute_totals(fmt, {k: case["values"].get(k) for k in fmt.cell_keys()})
    expected = {k: (int(v) if isinstance(v, int) else Decimal(v)) for k, v in case["expected"].items()}
    assert {k: v for k, v in totals.items() if v is not None} == expected


@pytest.mark.parametrize(
    "case", CASES["parse"], ids=lambda c: f"{c['column']['kind']}{c['column']['unit']}:{c['text']}"
)
def test_python_parse_matches_case_file(case):
    spec = case["column"]
    column = Column("x", "x", kind=Kind(spec["kind"]), unit=spec["unit"], decimals=spec["decimals"])
    try:
        outcome = (display(parse_cell(case["text"], column)), "")
    except ValueProblem as exc:
        outcome = ("", str(exc))
    assert outcome == (case["value"], case["problem"])


def test_case_file_covers_every_rule_failing_and_holding():
    for fmt in FORMATS.values():
        rules = {c.id.split(":")[0] for c in expand(fmt)}
        cases = [c for c in CASES["rules"] if c["format"] == fmt.code]
        failing = {f["check"].split(":")[0] for c in cases for f in c["expected"]}
        holding = [c for c in cases if c["expected"] == [] and c["previous"] is not None]
        assert failing == rules
        assert holding != []


def test_case_file_covers_cross_year_absent_and_decimals():
    names = [c["name"] for c in CASES["rules"]]
    for name in ("gov2019: T3-5", "gov2021: T3-5", "gov2019: T2-6", "gov2021: T2-1", "gov2021: T2-2"):
        assert sum(n.startswith(name + " skipped") for n in names) == 2
    messages = [f["message"] for c in CASES["rules"] for f in c["expected"]]
    assert "第一项加第二项之和应等于第三项加第四项之和（自然人）：2 + 0 ≠ 1 + 0" in messages
    assert any("3.5 + 0 − 9" in m for m in messages)


@pytest.mark.parametrize("code", sorted(FORMATS))
def test_exported_rules_for_node_match_declarations(code):
    exported = json.loads(
        (Path(__file__).parents[1] / "cases" / f"rules_{code}.json").read_text(encoding="utf-8")
    )
    assert exported == json.loads(json.dumps(rules_json(FORMATS[code])))
