// Narrative ↔ table checks in the browser: the twin of
// disclosure/formats/narrative.py. It evaluates the export of
// disclosure/formats/phrases.py (phrases_json) with the same semantics; the
// shared case file tests/cases/narrative_cases.json keeps the two in step.

const CN_DIGITS = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const CN_UNITS = { 十: 10, 百: 100, 千: 1000 };
const ACCEPTS = { count: "count", money: "money", percent: "percent", share: "percent", change: "", claim: "none" };
const PART_NAMES = [["corrected", "结果纠正"], ["other", "其他结果"], ["pending", "尚未审结"]];
const compiledCache = new WeakMap();

export function parseNumber(text) {
  if ("0123456789".includes(text[0])) return Number(text.replaceAll(",", ""));
  let total = 0;
  let section = 0;
  let digit = 0;
  for (const ch of text) {
    if (ch in CN_DIGITS) digit = CN_DIGITS[ch];
    else if (ch in CN_UNITS) {
      section += (digit || 1) * CN_UNITS[ch];
      digit = 0;
    } else {
      total += (section + digit || 1) * 10000;
      section = 0;
      digit = 0;
    }
  }
  return total + section + digit;
}

function compile(spec) {
  let c = compiledCache.get(spec);
  if (c) return c;
  const re = (p) => (p ? new RegExp(p) : null);
  c = {
    token: new RegExp(spec.token, "g"),
    scope: Object.fromEntries(Object.entries(spec.scope).map(([k, v]) => [k, new RegExp(v, "g")])),
    topic: new RegExp(spec.topic, "g"),
    checks: spec.checks.map((check) => ({
      check,
      phrases: check.phrases.map((p) => [re(p.pattern), re(p.exclude), re(p.sentence), re(p.sentence_not)]),
    })),
  };
  compiledCache.set(spec, c);
  return c;
}

function tokens(spec, c, sentence) {
  const found = [];
  c.token.lastIndex = 0;
  let m;
  while ((m = c.token.exec(sentence)) !== null) {
    const start = m.index;
    if (start > 0 && spec.notBefore.includes(sentence[start - 1])) continue;
    const mult = m[4] || "";
    const factor = mult === "万" ? 10000 : mult === "千" ? 1000 : 1;
    found.push({
      start,
      end: start + m[0].length,
      text: m[0],
      approxBefore: m[1] || "",
      value: parseNumber(m[2]) * factor,
      upper: m[3] ? parseNumber(m[3]) * factor : null,
      suffix: m[5] || "",
      unit: m[6],
      approxAfter: m[7] || "",
      decimals: m[2].includes(".") ? m[2].split(".")[1].length : 0,
    });
  }
  return found;
}

function unitKind(spec, unit) {
  if (spec.percentUnits.includes(unit)) return "percent";
  if (spec.moneyUnits.includes(unit)) return "money";
  return spec.countUnits.includes(unit) ? "count" : "";
}

export function holds(spec, token, actual, kind) {
  const n = token.value;
  let tol = kind === "count" && token.decimals === 0 ? 0 : 10 ** -token.decimals;
  if (kind !== "count" && token.decimals === 0) tol = 1;
  const eps = 1e-9;
  const ratio = spec.approxRatio;
  if (token.upper !== null) return n - tol - eps <= actual && actual <= token.upper + tol + eps;
  const before = token.approxBefore;
  const after = token.approxAfter;
  if (["近", "将近", "接近"].includes(before)) return n * (1 - ratio) - tol - eps <= actual && actual <= n + tol + eps;
  if (["约", "大约"].includes(before) || ["左右", "上下"].includes(after)) {
    return Math.abs(actual - n) <= Math.max(n * ratio, 1, tol) + eps;
  }
  if (["超过", "逾", "多于"].includes(before)) return actual > n - eps;
  if (["不足", "不到", "少于"].includes(before)) return actual < n + eps;
  if (token.suffix) {
    let zeros = 0;
    let whole = Math.trunc(n);
    while (whole && whole % 10 === 0) {
      zeros += 1;
      whole = Math.trunc(whole / 10);
    }
    return n - eps < actual && actual < n + 10 ** Math.max(zeros, 1) + eps;
  }
  if (["以上", "之多"].includes(after)) return actual >= n - eps;
  return Math.abs(actual - n) <= tol + eps;
}

function test(re, text) {
  re.lastIndex = 0;
  return re.test(text);
}

function inScope(c, prefix, year) {
  let text = prefix.replace(c.scope.whole_year, "");
  text = text.replace(c.scope.comparison, "");
  if (test(c.scope.sub_unit, text) || test(c.scope.period, text) || test(c.scope.other_year, text)) return false;
  const years = [...text.matchAll(c.scope.year)].map((m) => m[1]);
  return years.length === 0 || year === null || Number(years[years.length - 1]) === year;
}

export function inferYear(spec, narratives) {
  const c = compile(spec);
  const counts = new Map();
  for (const text of Object.values(narratives)) {
    for (const m of (text || "").matchAll(c.scope.year)) {
      const y = Number(m[1]);
      counts.set(y, (counts.get(y) || 0) + 1);
    }
  }
  let best = null;
  for (const [y, n] of counts) {
    if (best === null || n > counts.get(best) || (n === counts.get(best) && y > best)) best = y;
  }
  return best;
}

function toNumber(v) {
  return v === null || v === undefined || v === "" ? null : Number(v);
}

function sum(cells, values) {
  const found = cells.map((cell) => toNumber(values[cell])).filter((v) => v !== null);
  if (!cells.length || !found.length) return null;
  return found.reduce((a, b) => a + b, 0);
}

export function showNumber(value, kind) {
  if (kind === "percent") {
    const rounded = Math.floor(value * 100 + 0.5) / 100;
    return rounded.toFixed(2).replace(/0+$/, "").replace(/\.$/, "") + "%";
  }
  return String(Number.isInteger(value) ? value : Number(value.toPrecision(15)));
}

function* sentences(spec, text) {
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (spec.sentenceEnd.includes(text[i])) {
      if (i > start) yield [start, text.slice(start, i)];
      start = i + 1;
    }
  }
  if (start < text.length) yield [start, text.slice(start)];
}

function bounds(spec, sentence, token) {
  let start = token.start;
  while (start > 0 && !spec.clauseEnd.includes(sentence[start - 1])) start -= 1;
  let end = token.end;
  while (end < sentence.length && !spec.clauseEnd.includes(sentence[end])) end += 1;
  let tail = token.end;
  while (tail < end && !spec.tailEnd.includes(sentence[tail])) tail += 1;
  return [start, end, tail];
}

function topicOf(spec, c, prefix) {
  let last = null;
  for (const m of prefix.matchAll(c.topic)) last = m[0];
  if (last === null) return "";
  return spec.topicOf[last] || "litigation";
}

function match(c, kind, context, sentence) {
  for (const { check, phrases } of c.checks) {
    const accepts = ACCEPTS[check.kind];
    if (accepts === "none" || (accepts && accepts !== kind) || (!accepts && kind === "money")) continue;
    for (const [pattern, exclude, need, refuse] of phrases) {
      const m = pattern.exec(context);
      if (m === null) continue;
      if (exclude && exclude.test(context)) continue;
      if (need && !need.test(sentence)) continue;
      if (refuse && refuse.test(sentence)) continue;
      return [check, m];
    }
  }
  return null;
}

function cellsFor(spec, c, check, prefix) {
  if (Object.keys(check.topics).length) return check.topics[topicOf(spec, c, prefix)] || [];
  return check.cells;
}

function unique(list) {
  return [...new Set(list)];
}

function finding(spec, check, cells, previousCells, token, actual, shown, label, clause, section, heading, offset) {
  return {
    rule: check.id,
    check: `${check.id}:${section}:${offset + token.start}`,
    severity: check.severity,
    severity_label: spec.severityLabels[check.severity],
    message: `${heading}称"${clause}"，${label}为${shown}`,
    cells: unique(cells),
    previous_cells: unique(previousCells),
    lhs: token.value,
    rhs: actual,
    difference: token.value - actual,
    wording: check.name,
    section,
    text: clause,
    stated: token.text,
    actual: shown,
    start: offset + token.start,
    end: offset + token.end,
  };
}

function compare(spec, c, check, m, token, kind, last, values, previous, prefix, clause, section, heading, offset) {
  let label = check.label;
  if (["count", "money", "percent"].includes(check.kind)) {
    const cells = cellsFor(spec, c, check, prefix);
    let actual = sum(cells, values);
    if (actual === null) return null;
    if (check.kind === "money" && token.unit !== check.cell_unit) {
      actual = check.cell_unit === "万元" ? actual * 10000 : actual / 10000;
    }
    let denominator = null;
    if (check.kind === "percent") {
      denominator = sum(check.denominator, values);
      if (!denominator) return null;
      actual = (100 * actual) / denominator;
    }
    if (holds(spec, token, actual, kind)) return null;
    for (const other of check.also) {
      let alt = sum(other, values);
      if (alt === null) continue;
      if (check.kind === "percent") alt = (100 * alt) / denominator;
      if (holds(spec, token, alt, kind)) return null;
    }
    let shown = showNumber(actual, check.kind === "percent" ? "percent" : "count");
    if (check.kind === "money") shown += token.unit;
    return finding(spec, check, cells, [], token, actual, shown, label, clause, section, heading, offset);
  }
  if (last === null) return null;
  const [base, , basePrefix] = last;
  const baseCells = cellsFor(spec, c, base, basePrefix);
  if (check.kind === "share") {
    const part = sum(baseCells, values);
    const whole = sum(base.share_of, values);
    if (part === null || !whole) return null;
    const actual = (100 * part) / whole;
    if (holds(spec, token, actual, "percent")) return null;
    label = `${base.label}${check.label}`;
    return finding(spec, check, [...baseCells, ...base.share_of], [], token, actual, showNumber(actual, "percent"), label, clause, section, heading, offset);
  }
  if (!previous) return null;
  const now = sum(baseCells, values);
  const before = sum(baseCells, previous);
  if (now === null || before === null || baseCells.some((cell) => toNumber(previous[cell]) === null)) return null;
  const sign = spec.changeUp.includes(m[1]) ? 1 : -1;
  let actual;
  if (kind === "percent") {
    if (!before) return null;
    actual = (sign * 100 * (now - before)) / before;
  } else actual = sign * (now - before);
  if (holds(spec, token, actual, kind)) return null;
  label = `${base.label}${check.label}${m[1]}`;
  return finding(spec, check, baseCells, baseCells, token, actual, showNumber(actual, kind), label, clause, section, heading, offset);
}

function claims(spec, c, sentence, offset, section, heading, values, year, findings) {
  for (const { check, phrases } of c.checks) {
    if (check.kind !== "claim") continue;
    for (const [pattern, exclude, need, refuse] of phrases) {
      const m = pattern.exec(sentence);
      if (m === null || (need && !need.test(sentence))) continue;
      if (refuse && refuse.test(sentence)) continue;
      if (exclude && exclude.test(sentence)) continue;
      const prefix = sentence.slice(Math.max(0, m.index - spec.prefixChars), m.index);
      if (!inScope(c, prefix, year)) break;
      const groups = [];
      if (sentence.replaceAll("复议后起诉", "").includes("复议")) groups.push("review");
      if (/诉讼|起诉/.test(sentence)) groups.push("litigation");
      const cells = groups.flatMap((g) => check.topics[g] || []);
      const actual = sum(cells, values);
      if (actual === null || actual === 0) break;
      const parts = PART_NAMES.map(([suffix, name]) => [
        name,
        cells.filter((cell) => cell.endsWith(suffix)).reduce((a, cell) => a + (toNumber(values[cell]) || 0), 0),
      ])
        .filter(([, v]) => v)
        .map(([name, v]) => `${name}${showNumber(v, "count")}件`)
        .join("、");
      const text = sentence.trim();
      findings.push({
        rule: check.id,
        check: `${check.id}:${section}:${offset + m.index}`,
        severity: check.severity,
        severity_label: spec.severityLabels[check.severity],
        message: `${heading}称"${text}"，${check.label}：${parts}`,
        cells,
        previous_cells: [],
        lhs: 0,
        rhs: actual,
        difference: -actual,
        wording: check.name,
        section,
        text,
        stated: m[0],
        actual: showNumber(actual, "count"),
        start: offset + m.index,
        end: offset + m.index + m[0].length,
      });
      break;
    }
  }
}

const FULLWIDTH = /[０-９]/g;

/** Every narrative sentence whose stated quantity the tables contradict. */
export function evaluateNarrative(spec, narratives, values, previous = null, year = null) {
  const c = compile(spec);
  if (year === null) year = inferYear(spec, narratives);
  const findings = [];
  for (const [section, raw] of Object.entries(narratives)) {
    if (!raw) continue;
    const text = raw.replace(FULLWIDTH, (d) => String.fromCharCode(d.charCodeAt(0) - 0xff10 + 48));
    const heading = spec.sections[section] || section;
    for (const [offset, sentence] of sentences(spec, text)) {
      claims(spec, c, sentence, offset, section, heading, values, year, findings);
      const toks = tokens(spec, c, sentence);
      if (!toks.length) continue;
      const units = sentence.split("");
      for (const t of toks) units.fill("§", t.start, t.end);
      const masked = units.join("");
      let last = null;
      for (const token of toks) {
        const kind = unitKind(spec, token.unit);
        if (!kind) continue;
        const [start, end, tailEnd] = bounds(spec, sentence, token);
        const lead = masked.slice(Math.max(start, token.start - spec.leadChars), token.start);
        const tail = masked.slice(token.end, Math.min(tailEnd, token.end + spec.tailChars));
        const context = `${lead}#${tail}`;
        const prefix = sentence.slice(Math.max(0, token.start - spec.prefixChars), token.start);
        const matched = match(c, kind, context, sentence);
        if (matched === null) continue;
        const [check, m] = matched;
        if (!inScope(c, prefix, year)) {
          last = null;
          continue;
        }
        const clause = sentence.slice(start, end).trim();
        const f = compare(spec, c, check, m, token, kind, last, values, previous, prefix, clause, section, heading, offset);
        if (f !== null) findings.push(f);
        if (check.kind === "count") last = [check, token, prefix];
      }
    }
  }
  return stableIds(findings);
}

// Check ids that survive edits elsewhere in the text (as stable_ids in narrative.py):
// rule, section and the number as written, with #2, #3 … for the same number again.
export function stableIds(findings) {
  const seen = new Map();
  return findings.map((finding) => {
    const base = `${finding.rule}:${finding.section}:${finding.stated}`;
    const count = (seen.get(base) || 0) + 1;
    seen.set(base, count);
    return { ...finding, check: count === 1 ? base : `${base}#${count}` };
  });
}
