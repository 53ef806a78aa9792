"""Writes tests/cases/rules_cases.json: the JavaScript parity cases.

The file is a snapshot of the Python engine, there for the JavaScript engine
(static/disclosure/js/rules.js) to match; it proves nothing about the Python
engine itself, whose correctness is pinned by the hand-written expectations in
tests/formats/test_rules_by_hand.py.

A case's ``values`` and ``previous`` are ``{"base": name, "set": {cell: value}}``:
the shared report ``bases[name]`` (if any) with ``set`` applied (null = blank);
cells absent are blank. Counts are JSON numbers, decimals strings.

The inputs are built here from the format declarations; the expected findings,
totals and parsed values are whatever the Python engine outputs when the file is
written. node (tests/js/rules.test.mjs) runs rules.js over it and must reproduce
that output exactly; pytest (tests/reports/test_rules_cases.py) re-runs the
Python engine over it, so the file cannot silently fall behind the engine. The
node side reads the checks from rules_gov2019.json / rules_gov2021.json (the
``rules_json`` export, written here too; pytest fails when they fall behind the
declarations).

Run after changing a format or the engine:
    .venv/bin/python tests/cases/make_rules_cases.py
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from disclosure.formats import FORMATS, Kind  # noqa: E402
from disclosure.formats.checks import compute_totals, evaluate, expand, prefill_values, rules_json  # noqa: E402
from disclosure.formats.values import ValueProblem, display, parse_cell  # noqa: E402

OUTPUT = Path(__file__).with_name("rules_cases.json")


def to_json(values):
    """Counts as JSON numbers, money and anything decimal as strings; blank cells left out."""
    if values is None:
        return None
    return {k: (display(v) if isinstance(v, Decimal) else v) for k, v in values.items() if v is not None}


def from_json(values):
    if values is None:
        return None
    return {k: (Decimal(v) if isinstance(v, str) else v) for k, v in values.items()}


def consistent(fmt, seed: int, previous=None):
    """A full report of ``fmt`` on which every rule holds (given ``previous``)."""
    values = {}
    for n, key in enumerate(fmt.input_keys()):
        table, row, column = key.split(".")
        col = fmt.locate(key)[3]
        values[key] = (
            Decimal(f"{(n * 37 + seed) % 900}.{n % 7}5") if col.kind == Kind.MONEY else (n + seed) % 9
        )
    _balance(fmt, values, previous)
    return compute_totals(fmt, values)


def _balance(fmt, values, previous):
    prefix = "applications."
    codes = [c.code for c in fmt.table("applications").groups[0].columns if not c.computed]
    results = fmt.table("applications")
    total_row = next(r for _, r in results.rows() if r.computed)
    for code in codes:
        if previous is not None:
            values[f"{prefix}carried_over.{code}"] = previous[f"{prefix}carried_forward.{code}"]
        done = sum(values[f"{prefix}{part}.{code}"] for part in total_row.sum_of)
        values[f"{prefix}new.{code}"] = done + 3
        values[f"{prefix}carried_forward.{code}"] = values[f"{prefix}carried_over.{code}"] + 3
    rows = [r.code for _, r in fmt.table("active").rows()]
    if fmt.code == "gov2021":
        for row in ("regulations", "normative_documents"):
            base = previous[f"active.{row}.in_force"] if previous else 40
            values[f"active.{row}.repealed"] = min(values[f"active.{row}.repealed"], base)
            values[f"active.{row}.in_force"] = (
                base + values[f"active.{row}.issued"] - values[f"active.{row}.repealed"]
            )
    else:
        for row in ("regulations", "normative_documents"):
            made = values[f"active.{row}.made"]
            values[f"active.{row}.published"] = made
            values[f"active.{row}.total_published"] = made + 10
        for row in rows:
            key = f"active.{row}.prev_items"
            if key in values:
                values[key] = (
                    previous[key] + previous[f"active.{row}.change"] if previous else values[key] + 20
                )
            if f"active.{row}.change" in values:
                values[f"active.{row}.change"] = values[f"active.{row}.change"] - 4


def violate(fmt, values, check):
    """A copy of ``values`` that fails ``check`` (and whatever follows from it)."""
    broken = dict(values)
    current = [t for t in check.lhs if not t.previous]
    key = current[0].key
    if check.op == "==":
        broken[key] = (broken.get(key) or 0) + 1
    elif check.op == "<=":
        broken[key] = (broken.get(key) or 0) + 1000
    elif not check.rhs:
        broken[key] = -1 if fmt.locate(key)[3].kind != Kind.MONEY else Decimal("-0.5")
    else:
        broken[key] = 0
        for term in check.rhs:
            if not term.previous:
                broken[term.key] = (broken.get(term.key) or 0) + 5
    return broken


def finding_json(finding):
    data = finding.as_json()
    return {
        k: data[k]
        for k in (
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
    }


BASES: dict[str, dict] = {}  # name -> report values (JSON), shared by many cases


def base(name, values):
    BASES[name] = to_json(values)
    return values


def compact(values):
    """{"base": name, "set": changes} against the closest shared report, or {"set": values}."""
    if values is None:
        return None
    data = to_json(values)
    best = {"set": data}
    for name, known in BASES.items():
        changes = {k: v for k, v in data.items() if known.get(k) != v}
        changes.update({k: None for k in known if k not in data})
        if len(changes) < len(best["set"]):
            best = {"base": name, "set": changes}
    return best


def case(name, fmt, values, previous=None):
    findings = evaluate(fmt, values, previous)
    return {
        "name": name,
        "format": fmt.code,
        "values": compact(values),
        "previous": compact(previous),
        "expected": [finding_json(f) for f in findings],
    }


def first_check_of_each_rule(fmt):
    seen = {}
    for check in expand(fmt):
        seen.setdefault(check.id.split(":")[0], check)
    return seen


def rule_cases(fmt):
    previous = base(f"{fmt.code}-previous", consistent(fmt, 3))
    good = base(f"{fmt.code}-good", consistent(fmt, 5, previous))
    cases = [
        case(f"{fmt.code}: all blank, no previous report", fmt, dict.fromkeys(fmt.cell_keys())),
        case(f"{fmt.code}: every rule holds", fmt, good, previous),
        case(f"{fmt.code}: every rule holds, no previous report", fmt, good),
    ]
    for name, check in first_check_of_each_rule(fmt).items():
        broken = violate(fmt, good, check)
        cases.append(case(f"{fmt.code}: {name} fails", fmt, broken, previous))
        if check.cross_year:
            cases.append(case(f"{fmt.code}: {name} skipped without previous report", fmt, broken))
            gap = dict(previous)
            for term in check.lhs + check.rhs:
                if term.previous:
                    gap[term.key] = None
            cases.append(case(f"{fmt.code}: {name} skipped when previous cell blank", fmt, broken, gap))
    blanks = dict(good)
    for key in list(blanks)[::3]:
        blanks[key] = None
    cases.append(case(f"{fmt.code}: blank cells count as 0", fmt, blanks, previous))
    scrambled = {key: (value * 3 if isinstance(value, int) else value) for key, value in good.items()}
    cases.append(case(f"{fmt.code}: totals typed by hand disagree", fmt, scrambled, previous))
    return cases


def special_cases():
    fmt19, fmt21 = FORMATS["gov2019"], FORMATS["gov2021"]
    blank19 = dict.fromkeys(fmt19.cell_keys())
    balance = dict(blank19)
    balance.update(
        {
            "applications.new.natural_person": 2,
            "applications.results_total.natural_person": 1,
            "applications.granted.natural_person": 1,
        }
    )
    change = dict(blank19)
    change.update(
        {"active.licensing.prev_items": 100, "active.procurement.purchase_amount": Decimal("166781.96")}
    )
    prev_change = dict(blank19)
    prev_change.update({"active.licensing.prev_items": 130, "active.licensing.change": -30})
    blank21 = dict.fromkeys(fmt21.cell_keys())
    money = dict(blank21)
    money.update(
        {"active.fees.fee_amount": Decimal("-5949.088667"), "active.normative_documents.repealed": 9}
    )
    prev_money = dict(blank21)
    prev_money.update({"active.normative_documents.in_force": Decimal("3.5")})
    return [
        case("gov2019: the issue's example 2 + 0 ≠ 1 + 0", fmt19, balance),
        case("gov2019: negative change and money in 元", fmt19, change, prev_change),
        case("gov2021: decimals and a negative coefficient", fmt21, money, prev_money),
    ]


def totals_cases():
    cases = []
    for fmt in FORMATS.values():
        values = dict.fromkeys(fmt.cell_keys())
        for n, key in enumerate(fmt.input_keys()[::2]):
            values[key] = n % 5
        values[fmt.input_keys()[1]] = 7
        for key in [k for k in fmt.cell_keys() if fmt.is_computed(k)]:
            values[key] = 999  # typed totals are overwritten
        cases.append(
            {
                "name": f"{fmt.code}: totals from half-filled parts",
                "format": fmt.code,
                "values": to_json(values),
                "expected": to_json(compute_totals(fmt, values)),
            }
        )
    return cases


PARSE_TEXTS = (
    "１２",
    "12",
    " 1 2 ",
    "1\t2",
    "1 234",
    "1,234 ",
    " 12 万元",
    "1\u00a02",
    "3\u30004",
    "1\u200b2",
    "1,234",
    "+199",
    "-30",
    "−18",
    "1.0",
    "1.5",
    "abc",
    "",
    "　",
    "1000000000",
    "1000000001",
    "-1000000001",
    "166781.96元",
    "166781.965",
    "12293400元",
    "5949.088667",
    "1.2万元",
    "18651.06万元",
    "30000元",
    "元",
    ".5",
    "5.",
    "1e5",
    "０.５",
)


def parse_cases():
    columns = {}
    for fmt in FORMATS.values():
        for _, _, _, column in (fmt.locate(k) for k in fmt.cell_keys()):
            spec = {"kind": column.kind.value, "unit": column.unit, "decimals": column.decimals}
            columns[json.dumps(spec, sort_keys=True)] = (spec, column)
    cases = []
    for spec, column in columns.values():
        for text in PARSE_TEXTS:
            try:
                value, problem = display(parse_cell(text, column)), ""
            except ValueProblem as exc:
                value, problem = "", str(exc)
            cases.append({"column": spec, "text": text, "value": value, "problem": problem})
    return cases


def prefill_cases():
    """The cells pre-filled from a rule (Format.prefill_from), as typed so far."""
    issued, repealed, in_force = (
        f"active.normative_documents.{c}" for c in ("issued", "repealed", "in_force")
    )
    last = "active.regulations.in_force"
    inputs = [
        ("nothing typed yet", {}, {in_force: 40, last: 7}),
        ("issued and repealed typed", {issued: 5, repealed: 2}, {in_force: 40, last: 7}),
        ("own figure typed (not an operand)", {issued: 5, in_force: 99}, {in_force: 40, last: 7}),
        ("last year's figure blank", {issued: 5}, {last: 7}),
        ("no report last year", {issued: 5}, None),
    ]
    cases = []
    for fmt in FORMATS.values():
        for name, values, previous in inputs:
            cases.append(
                {
                    "name": f"{fmt.code}: {name}",
                    "format": fmt.code,
                    "values": values,
                    "previous": previous,
                    "expected": to_json(prefill_values(fmt, values, previous)),
                }
            )
    return cases


def build():
    cases = [c for fmt in FORMATS.values() for c in rule_cases(fmt)] + special_cases()
    return {
        "bases": BASES,
        "rules": cases,
        "totals": totals_cases(),
        "parse": parse_cases(),
        "prefill": prefill_cases(),
    }


if __name__ == "__main__":
    data = build()
    parts = []
    for name, items in data.items():
        if isinstance(items, dict):
            items = [{key: value} for key, value in items.items()]
            lines = ",\n".join(json.dumps(item, ensure_ascii=False, sort_keys=True)[1:-1] for item in items)
            parts.append(f'"{name}": {{\n{lines}\n}}')
            continue
        lines = ",\n".join(json.dumps(item, ensure_ascii=False, sort_keys=True) for item in items)
        parts.append(f'"{name}": [\n{lines}\n]')
    OUTPUT.write_text("{\n" + ",\n".join(parts) + "\n}\n", encoding="utf-8")
    for fmt in FORMATS.values():
        exported = json.dumps(rules_json(fmt), ensure_ascii=False, indent=0)
        OUTPUT.with_name(f"rules_{fmt.code}.json").write_text(exported + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT} and the exported rules next to it")
