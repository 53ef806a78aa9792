"""The shared narrative case file, run against the Python engine.

tests/js/narrative.test.mjs runs the same file against static/disclosure/js/narrative.js;
the expected findings in tests/cases/narrative_cases.json are written by hand."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from disclosure.formats.narrative import evaluate_narrative

CASES = json.loads((Path(__file__).parent.parent / "cases" / "narrative_cases.json").read_text("utf-8"))[
    "cases"
]


def _values(spec):
    if spec is None:
        return None
    return {k: Decimal(v) if isinstance(v, str) else v for k, v in spec.items()}


def test_enough_cases():
    assert len(CASES) >= 40
    assert sum(1 for c in CASES if c["expected"]) >= 20
    assert sum(1 for c in CASES if not c["expected"]) >= 20


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case):
    findings = evaluate_narrative(
        case["format"],
        case["narratives"],
        _values(case["values"]),
        _values(case["previous"]),
        year=case["year"],
    )
    got = [{"rule": f.rule, "text": f.text, "stated": f.stated, "actual": f.actual} for f in findings]
    assert got == case["expected"]
