// The review panel while an approval's files are made in the background:
// asks the PDF download (HEAD) every few seconds; it answers 202 until the
// worker has stored the files, then 200, and the page reloads to show their
// SHA-256 (unless a comment is being typed in the panel: then it says so).
// Stops after a while, or when the job has failed for good.

(function () {
  const box = document.getElementById("approval-files");
  if (!box || !box.dataset.pollUrl) return;
  const url = box.dataset.pollUrl;
  const every = Math.max(1, Number(box.dataset.pollSeconds) || 3) * 1000;
  const deadline = Date.now() + 10 * 60 * 1000;

  function typing() {
    return Array.from(document.querySelectorAll("#review-panel textarea")).some((t) => t.value.trim());
  }

  function done() {
    if (typing()) {
      const note = document.createElement("p");
      note.className = "text-success mb-1";
      note.setAttribute("role", "status");
      note.textContent = "存档文件已生成，刷新页面即可查看其 SHA-256。";
      box.replaceChildren(note);
    } else {
      window.location.reload();
    }
  }

  async function poll() {
    if (box.dataset.state === "failed" || Date.now() > deadline) return;
    try {
      const response = await fetch(url, { method: "HEAD", credentials: "same-origin", cache: "no-store" });
      if (response.status === 200) {
        done();
        return;
      }
    } catch {
      // offline for a moment: ask again later
    }
    window.setTimeout(poll, every);
  }

  window.setTimeout(poll, every);
})();
