// The browser's rule engine: evaluates the checks the server exports with
// rules_json() (disclosure/formats/checks.py) with the same semantics:
// - a blank current cell counts as 0;
// - a check reading the previous year's report is skipped when there is no
//   previous report or it left a referenced cell blank;
// - a side with more than maxTermsShown terms is shown as its sum;
// - numbers are exact decimals (BigInt mantissa + scale), printed like
//   display() in disclosure/formats/values.py.
// No rule is written here: every check comes from the exported JSON.
// Works in the browser and under node (tests/js/, manage.py bench).

const FAIL_SYMBOL = { "==": "≠", "<=": ">", ">=": "<" };
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const SPACES = /[\s\u00a0\u3000\u200b\ufeff]+/g;
const MINUS = /[−—–﹣]/g;
// a space (or tab) between two digits or separators of one typed number
const INNER_SPACE = /[0-9.,][\s\u00a0\u3000]+[0-9.,]/;
const INVISIBLE = /[\u200b\ufeff]/g;
export const INNER_SPACE_PROBLEM = "数字中间有空格";
export const MAX_ABS_VALUE = 1000000000n;

// ------------------------------------------------------------ exact decimals

// A decimal is { m: BigInt mantissa, s: scale } meaning m / 10^s.
export function dec(value) {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value === "object" && "m" in value) return value;
  const text = String(value).trim();
  if (!NUMBER.test(text)) throw new Error(`not a number: ${text}`);
  const negative = text.startsWith("-");
  const unsigned = text.replace(/^[+-]/, "");
  const [whole, fraction = ""] = unsigned.split(".");
  const m = BigInt((whole || "0") + fraction);
  return { m: negative ? -m : m, s: fraction.length };
}

function align(a, b) {
  const s = Math.max(a.s, b.s);
  return [a.m * 10n ** BigInt(s - a.s), b.m * 10n ** BigInt(s - b.s), s];
}

export function add(a, b) {
  const [x, y, s] = align(a, b);
  return { m: x + y, s };
}

export function sub(a, b) {
  const [x, y, s] = align(a, b);
  return { m: x - y, s };
}

function scale(a, coef) {
  return { m: a.m * BigInt(coef), s: a.s };
}

export function compare(a, b) {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

const ZERO = { m: 0n, s: 0 };

// Blank for null, decimals without trailing zeros, "0" never "-0".
export function display(value) {
  const d = dec(value);
  if (d === null) return "";
  let { m, s } = d;
  while (s > 0 && m % 10n === 0n) {
    m /= 10n;
    s -= 1;
  }
  const negative = m < 0n;
  let digits = (negative ? -m : m).toString();
  if (s > 0) {
    digits = digits.padStart(s + 1, "0");
    digits = `${digits.slice(0, -s)}.${digits.slice(-s)}`;
  }
  return negative && m !== 0n ? `-${digits}` : digits;
}

// ------------------------------------------------------------ typed input

export function normalizeText(text) {
  return (text || "").normalize("NFKC").replace(MINUS, "-").replace(SPACES, "");
}

// Mirrors parse_cell() in values.py for live feedback on one cell; the server
// decides. column: { kind: count|signed|money, unit, decimals }.
// Returns { value: decimal|null, number: decimal|null, problem: string }:
// ``number`` is what was typed if it reads as a number at all (the rules use
// it), ``value`` is set only when the cell may hold it.
// A space between two digits ("1 2", e.g. a pasted row) is refused, never
// read as 12 (the importer of published text, parse_number, is more lenient).
export function parseCell(text, column) {
  if (INNER_SPACE.test((text || "").normalize("NFKC").replace(INVISIBLE, ""))) {
    return { value: null, number: null, problem: INNER_SPACE_PROBLEM };
  }
  let t = normalizeText(text).replace(/,/g, "");
  let unit = "";
  if (column.kind === "money") {
    for (const suffix of ["万元", "元"]) {
      if (t.endsWith(suffix)) {
        t = t.slice(0, -suffix.length);
        unit = suffix;
        break;
      }
    }
  }
  const fail = (problem, number = null) => ({ value: null, number, problem });
  if (t === "") return unit ? fail("只有单位没有数字") : { value: null, number: null, problem: "" };
  if (!NUMBER.test(t)) return fail(`“${t}”不是数字`);
  let number = dec(t);
  if (unit && column.unit && unit !== column.unit) number = convert(number, unit, column.unit);
  if (column.kind !== "money" && number.m % 10n ** BigInt(number.s) !== 0n) {
    return fail("应为整数，不能有小数");
  }
  if (column.kind !== "money") number = { m: number.m / 10n ** BigInt(number.s), s: 0 };
  if (column.kind !== "signed" && number.m < 0n) return fail("不能为负数", number);
  const magnitude = number.m < 0n ? -number.m : number.m;
  if (magnitude > MAX_ABS_VALUE * 10n ** BigInt(number.s)) {
    return fail("数值过大（绝对值不能超过1,000,000,000）", number);
  }
  if (column.kind === "money" && dec(display(number)).s > (column.decimals || 0)) {
    return fail(`最多保留${column.decimals || 0}位小数`, number);
  }
  return { value: number, number, problem: "" };
}

function convert(number, unit, target) {
  if (unit === "元" && target === "万元") return { m: number.m, s: number.s + 4 };
  if (unit === "万元" && target === "元") return scale(number, 10000);
  return number;
}

// ------------------------------------------------------------ totals and checks

function current(values, key) {
  const v = values[key];
  return v === null || v === undefined || v === "" ? null : dec(v);
}

// A copy of values with every computed total recomputed from its parts
// (blank when all parts are blank), in the exported order.
export function computeTotals(rules, values) {
  const result = { ...values };
  for (const [key, parts] of rules.computed) {
    let total = null;
    for (const part of parts) {
      const v = current(result, part);
      if (v !== null) total = total === null ? v : add(total, v);
    }
    result[key] = total === null ? null : display(total);
  }
  return result;
}

function sideValue(terms, values, previous) {
  let total = ZERO;
  const shown = [];
  for (const [coef, key, fromPrevious] of terms) {
    let value;
    if (fromPrevious) {
      if (!previous) return null;
      value = current(previous, key);
      if (value === null) return null;
    } else {
      value = current(values, key) ?? ZERO;
    }
    total = add(total, scale(value, coef));
    shown.push([coef, value]);
  }
  return { total, shown };
}

function show(side, maxTerms) {
  if (side.shown.length === 0) return "0";
  if (side.shown.length > maxTerms) return display(side.total);
  return side.shown
    .map(([coef, value], index) => {
      const text = display(value);
      if (index === 0) return (coef < 0 ? "−" : "") + text;
      return (coef < 0 ? "− " : "+ ") + text;
    })
    .join(" ");
}

function holds(op, lhs, rhs) {
  const c = compare(lhs, rhs);
  if (op === "==") return c === 0;
  if (op === "<=") return c <= 0;
  return c >= 0;
}

function unique(keys) {
  return [...new Set(keys)];
}

// Every failing check, in declaration order, shaped like Finding.as_json().
export function evaluate(rules, values, previous = null) {
  const findings = [];
  for (const check of rules.checks) {
    const left = sideValue(check.lhs, values, previous);
    const right = sideValue(check.rhs, values, previous);
    if (left === null || right === null || holds(check.op, left.total, right.total)) continue;
    const detail = `${show(left, rules.maxTermsShown)} ${FAIL_SYMBOL[check.op]} ${show(right, rules.maxTermsShown)}`;
    const terms = check.lhs.concat(check.rhs);
    findings.push({
      rule: check.rule,
      check: check.id,
      severity: check.severity,
      severity_label: rules.severityLabels[check.severity],
      message: `${check.message}：${detail}`,
      cells: unique(terms.filter((t) => !t[2]).map((t) => t[1])),
      previous_cells: unique(terms.filter((t) => t[2]).map((t) => t[1])),
      lhs: display(left.total),
      rhs: display(right.total),
      difference: display(sub(left.total, right.total)),
      wording: check.message,
    });
  }
  return findings;
}

// The keys of the previous year's report that the checks read.
export function previousKeys(rules) {
  const keys = [];
  for (const check of rules.checks) {
    for (const [, key, fromPrevious] of check.lhs.concat(check.rhs)) {
      if (fromPrevious) keys.push(key);
    }
  }
  return unique(keys);
}

// Cell → suggested value (decimal) of every cell the format pre-fills from a
// rule's right-hand side (rules.prefill, from Format.prefill_from): blank
// current cells count as 0; no suggestion when a previous-year operand is
// unavailable. Mirrors prefill_values() in checks.py.
export function prefillValues(rules, values, previous = null) {
  const suggested = {};
  for (const [key, terms] of rules.prefill || []) {
    const side = sideValue(terms, values, previous);
    if (side !== null) suggested[key] = side.total;
  }
  return suggested;
}
