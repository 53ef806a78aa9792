// The JavaScript side of the narrative parity test: narrative.js must reproduce
// every hand-written expected finding of tests/cases/narrative_cases.json, which
// the Python engine reproduces in tests/formats/test_narrative_parity.py. The
// declarations come from disclosure/formats/phrases.py (phrases_json), exported
// by the project's Python.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

import { evaluateNarrative, parseNumber } from "../../static/disclosure/js/narrative.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const CASES = JSON.parse(readFileSync(new URL("../cases/narrative_cases.json", import.meta.url), "utf-8")).cases;
const venv = `${root}.venv/bin/python`;
const python = process.env.PYTHON || (existsSync(venv) ? venv : "python3");
const SPECS = JSON.parse(
  execFileSync(
    python,
    ["-c", "import json; from disclosure.formats.phrases import phrases_json; print(json.dumps({c: phrases_json(c) for c in ('gov2019', 'gov2021')}))"],
    { cwd: root, encoding: "utf-8" },
  ),
);

test("at least 40 cases", () => {
  assert.ok(CASES.length >= 40);
});

test("numerals", () => {
  assert.equal(parseNumber("十七"), 17);
  assert.equal(parseNumber("两百"), 200);
  assert.equal(parseNumber("一百二十三"), 123);
  assert.equal(parseNumber("1,234"), 1234);
  assert.equal(parseNumber("三万五千"), 35000);
});

for (const c of CASES) {
  test(`narrative: ${c.name}`, () => {
    const findings = evaluateNarrative(SPECS[c.format], c.narratives, c.values, c.previous, c.year);
    assert.deepEqual(
      findings.map((f) => ({ rule: f.rule, text: f.text, stated: f.stated, actual: f.actual })),
      c.expected,
    );
  });
}
