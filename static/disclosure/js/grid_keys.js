// The edit grid as a spreadsheet: pasting a block copied from Excel or WPS,
// ←/→ between cells, Ctrl+S / ⌘S to save, and the count of cells whose input
// cannot be stored. Started once by edit.js (initGridKeys); it changes cells
// only through their value plus an "input" event, so edit.js recomputes the
// totals and checks and marks the page unsaved exactly as for typing.
//
// Pasting a block (tab-separated columns, one line per row; a trailing line
// break and \r\n are accepted) into a cell fills the rectangle to its right
// and below, by the cells' printed grid positions (data-x, data-y) within the
// same table. Every value keeps its position, as in a spreadsheet: a value
// whose position is a computed total (自动计算) or has no input cell (beyond
// the table's edge, or inside a cell spanning several grid columns) is
// dropped, never shifted to the next cell. Blank values clear their cell.
// The page says how many cells were filled and how many values were dropped.

const SAVE_BUTTON = "#save-button";

function isCell(element) {
  return element instanceof HTMLInputElement && element.matches("input.cell");
}

function editable(element) {
  return isCell(element) && !element.readOnly;
}

// ------------------------------------------------------------ pasting a block

// Rows of values from the clipboard's text: one trailing line break dropped.
export function parseBlock(text) {
  const body = text.replace(/(\r\n|\n|\r)$/, "");
  return body.split(/\r\n|\n|\r/).map((line) => line.split("\t"));
}

function cellsByPosition(table) {
  const map = new Map();
  for (const cell of table.querySelectorAll("input.cell")) {
    map.set(`${cell.dataset.x},${cell.dataset.y}`, cell);
  }
  return map;
}

function statusFor(table) {
  const wrapper = table.closest(".table-responsive") || table;
  let status = wrapper.nextElementSibling;
  if (!status || !status.classList.contains("paste-status")) {
    status = document.createElement("p");
    status.className = "paste-status small";
    status.setAttribute("role", "status");
    wrapper.after(status);
  }
  return status;
}

function announce(table, filled, dropped) {
  const status = statusFor(table);
  let text = `已粘贴 ${filled} 个单元格`;
  if (dropped) text += `；${dropped} 个数值落在自动计算的单元格或表格以外，未粘贴`;
  status.textContent = `${text}。`;
  status.classList.toggle("has-dropped", dropped > 0);
}

function setValue(cell, value) {
  if (cell.value === value) return false;
  cell.value = value;
  cell.dispatchEvent(new Event("input", { bubbles: true }));
  return true;
}

function onPaste(event) {
  const start = event.target;
  if (!editable(start) || !event.clipboardData) return;
  const text = event.clipboardData.getData("text/plain");
  if (!/[\t\r\n]/.test(text)) return; // one value: the browser inserts it at the caret
  event.preventDefault();
  const table = start.closest("table");
  const positions = cellsByPosition(table);
  const x0 = Number(start.dataset.x);
  const y0 = Number(start.dataset.y);
  let filled = 0;
  let dropped = 0;
  parseBlock(text).forEach((row, dy) => {
    row.forEach((raw, dx) => {
      const value = raw.trim();
      const cell = positions.get(`${x0 + dx},${y0 + dy}`);
      if (!cell || cell.readOnly) {
        if (value !== "") dropped += 1;
        return;
      }
      setValue(cell, value);
      filled += 1;
    });
  });
  announce(table, filled, dropped);
  start.select();
}

// ------------------------------------------------------------ ←/→ between cells

function atEdge(input, forward) {
  const { selectionStart: from, selectionEnd: to, value } = input;
  if (from === null) return true;
  if (from === 0 && to === value.length) return true; // all selected (or empty)
  return from === to && from === (forward ? value.length : 0);
}

// The nearest input cell left or right in the same table row; past the row's
// end, the next (previous) input cell in reading order, as Enter does.
function neighbour(input, forward, inputs) {
  const table = input.closest("table");
  const x = Number(input.dataset.x);
  const y = Number(input.dataset.y);
  const row = inputs
    .filter((other) => other.closest("table") === table && Number(other.dataset.y) === y)
    .filter((other) => (forward ? Number(other.dataset.x) > x : Number(other.dataset.x) < x))
    .sort((a, b) => (forward ? a.dataset.x - b.dataset.x : b.dataset.x - a.dataset.x));
  return row[0] || inputs[inputs.indexOf(input) + (forward ? 1 : -1)];
}

function onKeydown(event, inputs) {
  if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
  if (event.shiftKey || event.altKey || event.ctrlKey || event.metaKey || event.isComposing) return;
  const input = event.target;
  if (!isCell(input)) return;
  const forward = event.key === "ArrowRight";
  if (!input.readOnly && !atEdge(input, forward)) return; // the caret moves within the text
  const target = neighbour(input, forward, inputs);
  if (!target) return;
  event.preventDefault();
  target.focus();
  target.select();
}

// ------------------------------------------------------------ Ctrl+S / ⌘S

function onSaveShortcut(event) {
  if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
  if (event.key.toLowerCase() !== "s" && event.code !== "KeyS") return;
  event.preventDefault(); // never the browser's "save page" dialog
  const button = document.querySelector(SAVE_BUTTON);
  if (button && !button.disabled) button.click(); // whatever saving the page does
}

// ------------------------------------------------------------ cells that cannot be stored

function initInvalidCount(form) {
  const part = document.getElementById("invalid-part");
  const button = document.getElementById("invalid-summary");
  if (!part || !button) return;
  let scheduled = false;
  const update = () => {
    scheduled = false;
    const count = form.querySelectorAll("input.cell.is-invalid").length;
    part.hidden = count === 0;
    const text = `${count} 个单元格填写有误`;
    if (button.textContent !== text) button.textContent = text;
    part.dataset.count = String(count);
  };
  // is-invalid is set by edit.js's per-cell feedback, whenever it runs
  new MutationObserver(() => {
    if (!scheduled) {
      scheduled = true;
      queueMicrotask(update);
    }
  }).observe(form, { subtree: true, attributes: true, attributeFilter: ["class"] });
  button.addEventListener("click", () => {
    const first = form.querySelector("input.cell.is-invalid");
    if (!first) return;
    first.scrollIntoView({ block: "center" });
    first.focus();
    first.select();
  });
  update();
}

// ------------------------------------------------------------ warnings apart from errors in the grid

// A cell that only warning findings name (e.g. T2-1) is marked amber, not
// red; the findings list is the one source (edit.js keeps it current).
function initWarningCells(form) {
  const list = document.getElementById("findings");
  if (!list) return;
  const update = () => {
    const named = (selector) =>
      new Set([...list.querySelectorAll(selector)].flatMap((item) => (item.dataset.cells || "").split(" ")));
    const errors = named("li.finding-error");
    const warnings = named("li.finding-warning");
    for (const cell of form.querySelectorAll("input.cell")) {
      const key = cell.dataset.key;
      cell.classList.toggle("is-warning-only", warnings.has(key) && !errors.has(key));
    }
  };
  new MutationObserver(update).observe(list, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ["data-cells"],
  });
  update();
}

// ------------------------------------------------------------ the docked side panel (< 1200 px)

// The docked bar must not hide the cell being typed in: a focused field
// that falls under it is scrolled up above it.
function keepFocusAboveBar(form, side) {
  form.addEventListener("focusin", (event) => {
    if (getComputedStyle(side).position !== "sticky" || window.innerWidth >= 1200) return;
    const bar = side.getBoundingClientRect();
    const field = event.target.getBoundingClientRect();
    if (bar.top < window.innerHeight && field.bottom > bar.top) {
      // at once, not smoothly (Bootstrap's scroll-behavior): the field is where it lands
      window.scrollBy({ top: field.bottom - bar.top + 8, behavior: "instant" });
    }
  });
}

function initSideToggle(form) {
  const side = document.getElementById("edit-side");
  const toggle = document.getElementById("side-toggle");
  if (!side || !toggle) return;
  keepFocusAboveBar(form, side);
  toggle.addEventListener("click", () => {
    const collapsed = side.classList.toggle("is-collapsed");
    toggle.setAttribute("aria-expanded", String(!collapsed));
    toggle.textContent = collapsed ? "展开检查结果" : "收起检查结果";
  });
}

export function initGridKeys(form) {
  const inputs = [...form.querySelectorAll("input.cell")].filter((cell) => !cell.readOnly);
  form.addEventListener("paste", onPaste);
  form.addEventListener("keydown", (event) => onKeydown(event, inputs));
  document.addEventListener("keydown", onSaveShortcut);
  initInvalidCount(form);
  initWarningCells(form);
  initSideToggle(form);
}
