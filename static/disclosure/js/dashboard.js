// The disclosure office's dashboard: a changed filter applies at once (the form still
// works without script, through its 筛选 button). Sorting and paging are plain links.
const form = document.getElementById("dashboard-filters");
if (form) {
  for (const control of form.querySelectorAll("select, input[type=checkbox]")) {
    control.addEventListener("change", () => form.requestSubmit());
  }
}
