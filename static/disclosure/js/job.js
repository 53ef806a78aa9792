// A background job's page: polls the job's status (JSON) and moves the progress bar;
// when the job ends the page reloads once, so the server shows the result (or the failure).
const box = document.getElementById("job");
const FINISHED = new Set(["done", "failed"]);

function show(state) {
  const status = document.getElementById("job-status");
  status.textContent = state.status_label;
  status.dataset.status = state.status;
  const bar = document.getElementById("job-progress");
  bar.value = state.percent;
  bar.textContent = `${state.percent}%`;
  const count = document.getElementById("job-count");
  count.hidden = !state.total;
  count.textContent = `${state.done}/${state.total}`;
  document.getElementById("job-message").textContent = state.message;
}

async function poll(delay) {
  let state = null;
  try {
    const response = await fetch(box.dataset.statusUrl, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      cache: "no-store",
    });
    if (response.ok) state = await response.json();
  } catch {
    state = null; // the network failed: try again later
  }
  if (state) {
    show(state);
    if (FINISHED.has(state.status)) {
      window.location.reload();
      return;
    }
  }
  window.setTimeout(() => poll(Math.min(delay * 1.5, 5000)), delay);
}

if (box && !FINISHED.has(box.dataset.status)) {
  window.setTimeout(() => poll(700), 300);
}
