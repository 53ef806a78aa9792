// The JavaScript side of the parity test: rules.js must reproduce every
// expected output of tests/cases/rules_cases.json, which the Python engine
// reproduces in tests/reports/test_rules_cases.py. The checks come from
// tests/cases/rules_gov*.json, exported from the Python declarations.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { computeTotals, display, evaluate, parseCell, prefillValues } from "../../static/disclosure/js/rules.js";

const here = new URL("../cases/", import.meta.url);
const CASES = JSON.parse(readFileSync(new URL("rules_cases.json", here), "utf-8"));
const RULES = Object.fromEntries(
  ["gov2019", "gov2021"].map((code) => [code, JSON.parse(readFileSync(new URL(`rules_${code}.json`, here), "utf-8"))]),
);
const FIELDS = ["rule", "check", "severity", "severity_label", "message", "cells", "previous_cells", "lhs", "rhs", "difference"];

function resolve(spec) {
  if (spec === null) return null;
  return { ...(CASES.bases[spec.base] || {}), ...spec.set };
}

function pick(finding) {
  return Object.fromEntries(FIELDS.map((field) => [field, finding[field]]));
}

for (const c of CASES.rules) {
  test(`findings: ${c.name}`, () => {
    const findings = evaluate(RULES[c.format], resolve(c.values), resolve(c.previous));
    assert.deepEqual(findings.map(pick), c.expected);
  });
}

for (const c of CASES.totals) {
  test(`totals: ${c.name}`, () => {
    const totals = computeTotals(RULES[c.format], c.values);
    const filled = Object.fromEntries(Object.entries(totals).filter(([, v]) => v !== null && v !== undefined));
    const expected = Object.fromEntries(Object.entries(c.expected).map(([k, v]) => [k, display(v)]));
    assert.deepEqual(Object.fromEntries(Object.entries(filled).map(([k, v]) => [k, display(v)])), expected);
  });
}

test("parse: every typed text reads as in values.py", () => {
  for (const c of CASES.parse) {
    const parsed = parseCell(c.text, c.column);
    assert.deepEqual([display(parsed.value), parsed.problem], [c.value, c.problem], `${c.column.kind} ${c.text}`);
  }
});

for (const c of CASES.prefill) {
  test(`prefill: ${c.name}`, () => {
    const suggested = prefillValues(RULES[c.format], c.values, c.previous);
    const shown = Object.fromEntries(Object.entries(suggested).map(([k, v]) => [k, display(v)]));
    const expected = Object.fromEntries(Object.entries(c.expected).map(([k, v]) => [k, display(v)]));
    assert.deepEqual(shown, expected);
  });
}
