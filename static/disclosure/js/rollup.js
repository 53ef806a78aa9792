// The roll-up page: clicking a summed cell shows which agencies contribute how much
// (GET /oversight/<year>/rollup/cell/<key>/, JSON; the server scopes it to the region).

const drill = document.getElementById("drill");

function show(data) {
  document.getElementById("drill-hint").hidden = true;
  document.getElementById("drill-label").textContent = data.label;
  const rows = document.getElementById("drill-rows");
  rows.replaceChildren();
  const reported = data.parts.filter((p) => p.value !== null);
  for (const part of data.parts) {
    const tr = document.createElement("tr");
    tr.className = "drill-part";
    for (const [text, cls] of [
      [part.agency, ""],
      [part.status_label, ""],
      [part.value === null ? "空" : String(part.value), "text-end"],
    ]) {
      const td = document.createElement("td");
      td.textContent = text;
      if (cls) td.className = cls;
      tr.append(td);
    }
    rows.append(tr);
  }
  if (!data.parts.length) {
    const tr = document.createElement("tr");
    const td = document.createElement("td");
    td.colSpan = 3;
    td.textContent = "没有计入汇总的报告。";
    tr.append(td);
    rows.append(tr);
  }
  document.getElementById("drill-body").hidden = false;
  drill.dataset.key = data.key;
  drill.dataset.count = String(reported.length);
}

async function open(key) {
  const url = drill.dataset.url.replace("/KEY/", `/${encodeURIComponent(key)}/`);
  const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
  if (!response.ok) {
    document.getElementById("drill-label").textContent = "无法读取该单元格的明细。";
    document.getElementById("drill-body").hidden = false;
    return;
  }
  show(await response.json());
}

if (drill) {
  document.addEventListener("click", (event) => {
    const button = event.target.closest("button.rollup-cell");
    if (!button) return;
    for (const b of document.querySelectorAll("button.rollup-cell[aria-pressed]")) b.removeAttribute("aria-pressed");
    button.setAttribute("aria-pressed", "true");
    open(button.dataset.key);
  });
}
