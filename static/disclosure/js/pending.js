// The page of a download that a background worker is still making (HTTP 202):
// asks the same address again (HEAD) every few seconds; when it answers 200 the
// file is there and the download starts. Stops after ten minutes or when the
// job has failed for good (the page then says whom to ask).

(function () {
  const box = document.getElementById("files-pending");
  if (!box || !box.dataset.pollUrl) return;
  const url = box.dataset.pollUrl;
  const deadline = Date.now() + 10 * 60 * 1000;

  async function poll() {
    if (box.dataset.state === "failed" || Date.now() > deadline) return;
    try {
      const response = await fetch(url, { method: "HEAD", credentials: "same-origin", cache: "no-store" });
      if (response.status === 200) {
        document.getElementById("files-pending-ready").hidden = false;
        window.location.assign(url);
        return;
      }
    } catch {
      // offline for a moment: ask again later
    }
    window.setTimeout(poll, 2000);
  }

  window.setTimeout(poll, 1000);
})();
