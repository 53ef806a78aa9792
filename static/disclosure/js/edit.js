// The clerk's edit page: live totals and checks, per-cell input feedback,
// spreadsheet-like Enter, and a warning before leaving with unsaved changes.
// Every rule comes from the server's export (the format's checks file, named by
// its content's hash in #checks-link and cached by the browser); nothing is
// decided here that the server does not decide again on save. Everything that
// needs no rule (per-cell feedback, keys, saving) works from the start; the live
// checks join once the file has arrived (the server's findings show until then).
import { computeTotals, display, evaluate, parseCell } from "./rules.js";
import { evaluateNarrative } from "./narrative.js"; // what the sections say against the tables
import { initSaving } from "./save.js"; // save in place, merge with others' saves, keep drafts
import { initGridKeys } from "./grid_keys.js"; // paste, ←/→, Ctrl+S, invalid count
import { initPrefill } from "./prefill.js"; // cells that follow their rule until typed

const form = document.getElementById("report-form");
let rules = null; // the checks file's parts, once fetched
let phrases = null;
const previous = JSON.parse(document.getElementById("previous-data").textContent);
const year = Number(form.dataset.year);
const textAreas = [...form.querySelectorAll(".narrative-notes")].map((notes) => ({
  notes,
  area: form.querySelector(`[name="${notes.dataset.section}"]`),
}));
const cells = [...form.querySelectorAll("input.cell")];
const byKey = new Map(cells.map((cell) => [cell.dataset.key, cell]));
const inputs = cells.filter((cell) => !cell.readOnly);
const findingList = document.getElementById("findings");
// the word shown (错误/警告) comes with each finding from the server's declaration
const BADGE_STYLE = { error: "text-bg-danger", warning: "text-bg-warning" };

function columnOf(input) {
  return { kind: input.dataset.kind, unit: input.dataset.unit, decimals: Number(input.dataset.decimals) };
}

// Per-cell feedback, worded like the server's (values.py).
function checkInput(input) {
  const parsed = parseCell(input.value, columnOf(input));
  const message = document.getElementById(`${input.id}-msg`);
  message.textContent = parsed.problem;
  input.classList.toggle("is-invalid", parsed.problem !== "");
  input.classList.toggle("is-blank", parsed.number === null && parsed.problem === "");
  return parsed;
}

function currentValues() {
  const values = {};
  for (const input of inputs) {
    const parsed = checkInput(input);
    // what reads as a number takes part in the checks (a negative count
    // fails its rule); unreadable text counts as blank until fixed
    values[input.dataset.key] = parsed.number === null ? null : display(parsed.number);
  }
  return values;
}

function refresh() {
  const typed = currentValues();
  if (!rules) {
    renderBlanks(inputs.filter((input) => input.classList.contains("is-blank")).length);
    return;
  }
  const values = computeTotals(rules, typed);
  for (const [key] of rules.computed) {
    const cell = byKey.get(key);
    if (cell) cell.value = values[key] ?? "";
  }
  const narrative = evaluateNarrative(phrases, narrativeTexts(), values, previous, year);
  const findings = [...evaluate(rules, values, previous), ...narrative];
  renderNotes(narrative);
  const failing = new Set(findings.flatMap((finding) => finding.cells));
  for (const cell of cells) {
    const bad = failing.has(cell.dataset.key);
    cell.classList.toggle("is-failing", bad);
    if (bad) cell.setAttribute("aria-invalid", "true");
    else cell.removeAttribute("aria-invalid");
  }
  renderFindings(findings);
  renderBlanks(inputs.filter((input) => input.classList.contains("is-blank")).length);
}

function narrativeTexts() {
  return Object.fromEntries(textAreas.map(({ notes, area }) => [notes.dataset.section, area ? area.value : ""]));
}

// Beside each section: the sentences whose numbers the tables contradict, each
// with a button that jumps to the cells it quotes.
function renderNotes(narrative) {
  for (const { notes } of textAreas) {
    const own = narrative.filter((finding) => finding.section === notes.dataset.section);
    notes.replaceChildren(
      ...own.map((finding) => {
        const line = document.createElement("p");
        line.className = "narrative-note mb-1";
        line.dataset.check = finding.check;
        const jump = document.createElement("button");
        jump.type = "button";
        jump.className = "btn btn-link btn-sm p-0 align-baseline";
        jump.textContent = "转到表格";
        jump.addEventListener("click", () => focusCells(finding.cells));
        line.append(`${finding.severity_label}：${finding.message} `, jump);
        return line;
      }),
    );
  }
}

function findingItem(finding) {
  const item = document.createElement("li");
  item.className = `finding finding-${finding.severity}`;
  item.dataset.check = finding.check;
  item.tabIndex = 0;
  const badge = document.createElement("span");
  badge.className = `badge ${BADGE_STYLE[finding.severity]}`;
  badge.textContent = finding.severity_label;
  const message = document.createElement("span");
  message.className = "finding-message";
  const difference = document.createElement("span");
  difference.className = "finding-diff";
  item.append(badge, " ", message, " ", difference);
  return item;
}

// Updates the live region in place so screen readers hear only what changed.
function renderFindings(findings) {
  const existing = new Map([...findingList.children].map((item) => [item.dataset.check, item]));
  let before = findingList.firstElementChild;
  for (const finding of findings) {
    const item = existing.get(finding.check) || findingItem(finding);
    existing.delete(finding.check);
    item.dataset.cells = finding.cells.join(" ");
    const message = item.querySelector(".finding-message");
    if (message.textContent !== finding.message) message.textContent = finding.message;
    const numeric = finding.difference !== null && finding.difference !== undefined && !finding.section;
    const difference = numeric ? `（差额 ${finding.difference}）` : "";
    const diff = item.querySelector(".finding-diff");
    if (diff.textContent !== difference) diff.textContent = difference;
    if (item !== before) findingList.insertBefore(item, before);
    else before = before.nextElementSibling;
  }
  for (const item of existing.values()) item.remove();
  document.getElementById("findings-summary").textContent = findings.length
    ? `${findings.length} 项检查未通过`
    : "全部检查通过";
}

function renderBlanks(count) {
  const summary = document.getElementById("blank-summary");
  summary.dataset.blanks = String(count);
  summary.textContent = count
    ? `还有 ${count} 个单元格未填写（空白不等于0，提交前须全部填写）。`
    : "所有单元格均已填写。";
}

function focusCells(keys) {
  const first = keys.map((key) => byKey.get(key)).find(Boolean);
  if (!first) return;
  first.focus();
  if (!first.readOnly) first.select();
}

function focusFinding(item) {
  focusCells((item.dataset.cells || "").split(" "));
}

// Enter or ↓ moves down the column (Shift+Enter or ↑ up), like a spreadsheet;
// at the end of a column it moves on to the next cell in reading order.
function moveFrom(input, up) {
  const table = input.closest("table");
  const x = Number(input.dataset.x);
  const y = Number(input.dataset.y);
  const below = inputs
    .filter((other) => other.closest("table") === table && Number(other.dataset.x) === x)
    .filter((other) => (up ? Number(other.dataset.y) < y : Number(other.dataset.y) > y))
    .sort((a, b) => (up ? b.dataset.y - a.dataset.y : a.dataset.y - b.dataset.y));
  const index = inputs.indexOf(input);
  const target = below[0] || inputs[index + (up ? -1 : 1)];
  if (target) {
    target.focus();
    target.select();
  }
}

// unsaved changes (the note, the warning before leaving, the kept draft) are save.js's
let textTimer = null;
form.addEventListener("input", (event) => {
  if (event.target.matches("input.cell")) refresh();
  else if (event.target.matches("textarea")) {
    // a long section is re-read once typing pauses, so typing never lags
    clearTimeout(textTimer);
    textTimer = setTimeout(refresh, 250);
  }
});

form.addEventListener("keydown", (event) => {
  if (!event.target.matches("input.cell")) return;
  if (event.key === "Enter" || event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    moveFrom(event.target, event.key === "ArrowUp" || (event.key === "Enter" && event.shiftKey));
  }
});

form.addEventListener("focusin", (event) => {
  if (event.target.matches("input.cell:not([readonly])")) event.target.select();
});

findingList.addEventListener("click", (event) => {
  const item = event.target.closest("li.finding");
  if (item) focusFinding(item);
});

findingList.addEventListener("keydown", (event) => {
  const item = event.target.closest("li.finding");
  if (item && (event.key === "Enter" || event.key === " ")) {
    event.preventDefault();
    focusFinding(item);
  }
});

// The checks file: the preload (#checks-link) has usually fetched it already,
// or the browser's cache holds it (it never changes under its name).
async function loadChecks() {
  try {
    const response = await fetch(document.getElementById("checks-link").href);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    ({ rules, phrases } = await response.json());
  } catch {
    // e.g. the session ended (the answer is the login page): the page still saves
    document.getElementById("findings-summary").textContent = "检查规则未能加载，请刷新页面后查看实时检查结果。";
    return;
  }
  initPrefill(form, rules, previous);
  refresh();
  form.dataset.checks = "ready";
}

refresh();
initSaving(form, { refresh });
initGridKeys(form);
loadChecks();
