// Saving the edit page without leaving it, merging with what others saved
// meanwhile, and keeping unsaved input in the browser (drafts.js).
//
// The protocol (the server's side is in disclosure/reports/edit_page.py):
// the hidden field "base" holds what each field started from (a cell's text;
// a narrative field's textToken). A field is changed when it differs from its
// base; the server writes only changed fields, and where someone else changed
// the same field differently it answers with a conflict: both values are shown
// on that cell or text, and the clerk keeps theirs or takes the other's.
// 保存草稿 and 空白填0 post with fetch (Accept: application/json) and the page
// stays where it is; 提交审核 remains an ordinary form post.
import { clearDrafts, readDraft, writeDraft } from "./drafts.js";

export function normalizeText(text) {
  return (text || "").replace(/\r\n?/g, "\n").trim();
}

// cyrb53 over UTF-16 code units, as text_token in reports/edit_page.py
function cyrb53(text) {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

export function textToken(text) {
  const norm = normalizeText(text);
  return `t:${norm.length}:${cyrb53(norm)}`;
}

function formatTime(iso) {
  const date = new Date(iso);
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function initSaving(form, { refresh }) {
  const reportId = form.dataset.report;
  const baseField = document.getElementById("base-field");
  const versionField = document.getElementById("version-field");
  const base = JSON.parse(baseField.value || "{}");
  const fields = new Map();
  for (const cell of form.querySelectorAll("input.cell:not([readonly])")) fields.set(cell.dataset.key, cell);
  // the narrative fields are the base's keys that are not cell keys (table.row.column)
  const narrative = Object.keys(base).filter((key) => !key.includes("."));
  for (const name of narrative) {
    const element = form.elements.namedItem(name);
    if (element) fields.set(name, element);
  }
  const isText = (key) => !key.includes(".");
  const pending = new Map(); // key → conflict still to be decided
  let leaving = false;
  let saving = false;

  const changed = (key) => {
    const element = fields.get(key);
    if (isText(key)) return textToken(element.value) !== base[key];
    return element.value.trim() !== (base[key] ?? "").trim();
  };
  const changedKeys = () => [...fields.keys()].filter(changed);
  const isDirty = () => pending.size > 0 || changedKeys().length > 0;

  function writeBase() {
    baseField.value = JSON.stringify(base);
  }

  let offered = false; // a kept draft is on offer: it stays in storage until restored or discarded

  function keepDraft() {
    if (offered) return;
    const values = {};
    const from = {};
    for (const key of new Set([...changedKeys(), ...pending.keys()])) {
      values[key] = fields.get(key).value;
      from[key] = base[key];
    }
    writeDraft(reportId, versionField.value, values, from);
  }

  function update() {
    document.getElementById("dirty-note").hidden = !isDirty();
    keepDraft();
  }

  // ------------------------------------------------------------ messages

  function say(text, level = "info") {
    const message = document.getElementById("save-message");
    message.textContent = text;
    message.className = `mb-1 save-message is-${level}`;
    message.hidden = !text;
  }

  function saidSaved(answer) {
    document.getElementById("save-status").textContent = `已于 ${answer.saved_at} 保存（第${answer.version}版）`;
  }

  // ------------------------------------------------------------ conflicts

  function conflictBox(conflict) {
    const box = document.createElement("div");
    box.className = `merge-box merge-${conflict.kind}`;
    box.dataset.conflict = conflict.key;
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", `与他人的修改冲突：${conflict.label}`);
    const theirs = document.createElement("div");
    theirs.className = "merge-theirs";
    const who = document.createElement("span");
    who.className = "merge-who";
    who.textContent = `${conflict.who}（${conflict.when}）保存的：`;
    theirs.append(who);
    if (conflict.kind === "text") {
      const text = document.createElement("textarea");
      text.className = "form-control form-control-sm merge-theirs-text";
      text.readOnly = true;
      text.rows = 5;
      text.value = conflict.theirs;
      text.setAttribute("aria-label", `${conflict.who}保存的${conflict.label}`);
      theirs.append(text);
    } else {
      const value = document.createElement("strong");
      value.className = "merge-theirs-value";
      value.textContent = conflict.theirs === "" ? "（空白）" : conflict.theirs;
      theirs.append(value);
    }
    const mine = document.createElement("div");
    mine.className = "merge-mine";
    if (conflict.kind === "text") {
      mine.textContent = "您的版本在下面的文本框中（尚未保存）。";
    } else {
      const value = document.createElement("strong");
      value.className = "merge-mine-value";
      value.textContent = conflict.mine === "" ? "（空白）" : conflict.mine;
      mine.append("您填写的：", value);
    }
    const actions = document.createElement("div");
    actions.className = "merge-actions";
    for (const [choice, label, style] of [
      ["keep", "保留我的", "btn-primary"],
      ["take", "采用对方的", "btn-outline-secondary"],
    ]) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = `btn btn-sm ${style}`;
      button.dataset.merge = choice;
      button.textContent = label;
      actions.append(button);
    }
    box.append(theirs, mine, actions);
    return box;
  }

  function showConflicts() {
    for (const box of document.querySelectorAll(".merge-box")) {
      if (!pending.has(box.dataset.conflict)) box.remove();
    }
    for (const [key, conflict] of pending) {
      const element = fields.get(key);
      element.classList.add("has-conflict");
      if (document.querySelector(`.merge-box[data-conflict="${CSS.escape(key)}"]`)) continue;
      const box = conflictBox(conflict);
      if (conflict.kind === "text") {
        const wrapper = element.closest(".mb-3") || element;
        wrapper.before(box);
      } else {
        const td = element.closest("td");
        // the callout opens towards the table's middle
        const table = td.closest("table").getBoundingClientRect();
        const place = td.getBoundingClientRect();
        box.classList.toggle("merge-end", place.left - table.left > table.width / 2);
        element.closest(".cell-box").after(box);
        td.classList.add("has-merge");
      }
    }
    const panel = document.getElementById("conflicts");
    const list = document.getElementById("conflicts-list");
    list.replaceChildren(
      ...[...pending.values()].map((conflict) => {
        const item = document.createElement("li");
        item.dataset.conflict = conflict.key;
        const link = document.createElement("a");
        link.href = `#${conflict.id}`;
        link.textContent = conflict.label;
        item.append(link, `：${conflict.who}于${conflict.when}保存了不同的内容`);
        return item;
      }),
    );
    document.getElementById("conflicts-heading").textContent =
      `有 ${pending.size} 处您和他人都修改了且不同，您在这几处的修改尚未保存：`;
    panel.hidden = pending.size === 0;
  }

  function decide(key, choice) {
    const conflict = pending.get(key);
    if (!conflict) return;
    const element = fields.get(key);
    pending.delete(key);
    element.classList.remove("has-conflict");
    element.closest("td")?.classList.remove("has-merge");
    if (choice === "take") element.value = conflict.theirs;
    showConflicts();
    refresh();
    update();
    element.focus();
    if (pending.size === 0) say(isDirty() ? "已全部选择，请点击“保存草稿”保存。" : "已全部选择。", "info");
  }

  form.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-merge]");
    if (button) decide(button.closest(".merge-box").dataset.conflict, button.dataset.merge);
  });

  // ------------------------------------------------------------ saving

  function expired() {
    keepDraft();
    leaving = true;
    say("登录已过期，您填写的内容已保存在本机浏览器中；请重新登录，登录后可恢复并保存。", "danger");
    const next = encodeURIComponent(window.location.pathname);
    window.location.assign(`${form.dataset.loginUrl}?next=${next}`);
  }

  function applyAnswer(answer, sent, sentChanged) {
    const applied = new Set(answer.applied);
    const conflicts = new Map(answer.conflicts.map((conflict) => [conflict.key, conflict]));
    for (const [key, element] of fields) {
      const conflict = conflicts.get(key);
      const stillAsSent = element.value === sent.get(key);
      if (conflict) {
        base[key] = conflict.base;
        pending.set(key, conflict);
      } else if (sentChanged.has(key) && !applied.has(key)) {
        // refused (bad cell, invalid text, not editable): kept on the page, unsaved
      } else if (stillAsSent) {
        // only a value that differs is set: the caret and the view stay where they are
        const now = isText(key) ? answer.texts[key] : answer.values[key];
        if (now !== undefined && element.value !== now) element.value = now;
        base[key] = answer.base[key];
      } else if (applied.has(key)) {
        base[key] = answer.base[key]; // typed on while saving: the new text stays a change
      }
    }
    versionField.value = String(answer.version);
    document.getElementById("version-label").textContent = String(answer.version);
    writeBase();
    for (const [name, errors] of Object.entries(answer.form_errors)) {
      const element = fields.get(name);
      if (!element) continue;
      element.classList.add("is-invalid");
      let feedback = document.getElementById(`${element.id}-save-error`);
      if (!feedback) {
        feedback = document.createElement("div");
        feedback.className = "invalid-feedback d-block";
        feedback.id = `${element.id}-save-error`;
        element.after(feedback);
      }
      feedback.textContent = errors.join(" ");
    }
    showConflicts();
    refresh();
  }

  async function save(action) {
    if (saving) return;
    if (pending.size) {
      say(`请先对标出的 ${pending.size} 处冲突选择“保留我的”或“采用对方的”。`, "warning");
      const first = fields.get(pending.keys().next().value);
      first.scrollIntoView({ block: "center" });
      first.focus();
      return;
    }
    saving = true;
    writeBase();
    const sent = new Map([...fields].map(([key, element]) => [key, element.value]));
    const sentChanged = new Set(changedKeys());
    const body = new FormData(form);
    body.set("action", action);
    for (const element of form.querySelectorAll(".invalid-feedback[id$='-save-error']")) element.remove();
    say("正在保存……", "info");
    let response;
    try {
      response = await fetch(window.location.pathname, {
        method: "POST",
        body,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        redirect: "manual",
      });
    } catch {
      saving = false;
      say("网络连接失败，本次未保存；您填写的内容已保存在本机浏览器中，请稍后再点击“保存草稿”。", "danger");
      return;
    }
    saving = false;
    const json = (response.headers.get("Content-Type") || "").includes("application/json");
    if (response.type === "opaqueredirect" || response.status === 403 || (response.redirected && !json)) {
      expired();
      return;
    }
    if (!json) {
      say(`保存失败（服务器返回 ${response.status}），您填写的内容仍在本页，请稍后再试。`, "danger");
      return;
    }
    const answer = await response.json();
    for (const name of narrative) fields.get(name)?.classList.remove("is-invalid");
    applyAnswer(answer, sent, sentChanged);
    if (answer.saved || answer.state === "saved") saidSaved(answer);
    const detail = answer.state === "errors" ? ` ${answer.error_labels.join("；")}` : "";
    const level = { saved: "success", errors: "warning", conflict: "warning" }[answer.state] || "danger";
    say(answer.message + detail, level);
    update();
    if (pending.size) {
      const first = fields.get(pending.keys().next().value);
      first.scrollIntoView({ block: "center" });
    }
  }

  form.addEventListener("submit", (event) => {
    writeBase();
    const action = event.submitter ? event.submitter.value : "save";
    if (pending.size && action === "submit") {
      event.preventDefault();
      say(`请先对标出的 ${pending.size} 处冲突选择“保留我的”或“采用对方的”。`, "warning");
      return;
    }
    if (action === "submit" || !window.fetch) {
      keepDraft();
      leaving = true; // an ordinary post: the page it answers shows what was not saved
      return;
    }
    event.preventDefault();
    save(action);
  });

  form.addEventListener("input", () => update());

  window.addEventListener("beforeunload", (event) => {
    if (leaving || !isDirty()) return;
    event.preventDefault();
    event.returnValue = "";
  });
  window.addEventListener("pagehide", () => keepDraft());

  // ------------------------------------------------------------ recovery

  function offerDraft() {
    const draft = readDraft(reportId);
    if (!draft) return;
    const differs = ([key, text]) => {
      const shown = fields.get(key).value;
      return isText(key) ? normalizeText(text) !== normalizeText(shown) : text.trim() !== shown.trim();
    };
    const entries = Object.entries(draft.values).filter((entry) => fields.has(entry[0]) && differs(entry));
    if (entries.length === 0) {
      clearDrafts(reportId);
      return;
    }
    offered = true;
    const banner = document.getElementById("draft-banner");
    document.getElementById("draft-text").textContent =
      `发现上次未保存的内容（${formatTime(draft.savedAt)}，第${draft.version}版起，共 ${entries.length} 处）：`;
    banner.hidden = false;
    document.getElementById("draft-restore").addEventListener("click", () => {
      for (const [key, text] of entries) {
        fields.get(key).value = text;
        if (key in draft.base) base[key] = draft.base[key];
      }
      writeBase();
      offered = false;
      banner.hidden = true;
      refresh();
      update();
      say(`已恢复 ${entries.length} 处未保存的内容，请核对后点击“保存草稿”。`, "info");
    });
    document.getElementById("draft-discard").addEventListener("click", () => {
      clearDrafts(reportId);
      offered = false;
      banner.hidden = true;
      update();
    });
  }

  // a page re-shown after an ordinary post carries its conflicts
  for (const conflict of JSON.parse(document.getElementById("conflicts-data").textContent)) {
    pending.set(conflict.key, conflict);
  }
  showConflicts();
  offerDraft();
  document.getElementById("dirty-note").hidden = !isDirty();
  return { isDirty };
}
