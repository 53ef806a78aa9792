// Cells the format pre-fills from a rule (Format.prefill_from, exported as
// rules.prefill): 2021+ 现行有效件数 = 上年现行有效件数 + 本年制发件数 − 本年废止件数.
// The server fills them when the report is started; here they follow their
// operands as the clerk types, until the clerk types the cell itself: from
// then on the clerk's figure stands (and rule T2-1 warns if it differs).
// A cell counts as the clerk's own when the page opens with a figure other
// than the suggestion, or once an input event comes from the cell (typing,
// pasting). Runs in the capture phase, before edit.js recomputes the checks.
import { display, parseCell, prefillValues } from "./rules.js";

function columnOf(input) {
  return { kind: input.dataset.kind, unit: input.dataset.unit, decimals: Number(input.dataset.decimals) };
}

function numberIn(input) {
  if (!input) return null;
  const parsed = parseCell(input.value, columnOf(input));
  return parsed.number === null ? null : display(parsed.number);
}

// The tooltip of a cell still filled automatically: the rule it follows.
function autoTitle(rules, key, terms) {
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  const check = rules.checks.find((c) => c.lhs.length === 1 && c.lhs[0][1] === key && same(c.rhs, terms));
  const note = "自动填写，直接填写则以所填为准";
  return check ? `${note}（${check.message}）` : note;
}

export function initPrefill(form, rules, previous) {
  if (!rules.prefill || rules.prefill.length === 0) return;
  const cellOf = (key) => form.querySelector(`input.cell[data-key="${CSS.escape(key)}"]`);
  const operands = new Set(rules.prefill.flatMap(([, terms]) => terms.filter((t) => !t[2]).map((t) => t[1])));

  function suggestions() {
    const values = {};
    for (const key of operands) values[key] = numberIn(cellOf(key));
    return prefillValues(rules, values, previous);
  }

  // cells still following their suggestion (blank counts as following)
  const following = new Set();
  const initial = suggestions();
  for (const [key, terms] of rules.prefill) {
    const cell = cellOf(key);
    if (!cell) continue;
    const suggested = key in initial ? display(initial[key]) : null;
    if (cell.value.trim() === "" || numberIn(cell) === suggested) following.add(key);
    cell.dataset.prefill = following.has(key) ? "auto" : "own";
    if (following.has(key)) cell.title = autoTitle(rules, key, terms);
  }

  form.addEventListener(
    "input",
    (event) => {
      const key = event.target.dataset?.key;
      if (!key) return;
      if (following.delete(key)) {
        event.target.dataset.prefill = "own";
        event.target.removeAttribute("title");
      }
      if (!operands.has(key)) return;
      const suggested = suggestions();
      for (const target of following) {
        const cell = cellOf(target);
        if (cell && target in suggested) cell.value = display(suggested[target]);
      }
    },
    true,
  );
}
