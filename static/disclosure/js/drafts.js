// Unsaved input kept in the browser (localStorage), so nothing typed is lost
// when the browser crashes, the tab is closed or the log-in expires.
//
// One entry per report and the version the page started from:
//   key   "disclosure:draft:<report id>:<version>"
//   value {"savedAt": ISO time, "version": n,
//          "values": {field key: text typed}, "base": {field key: base it was typed from}}
// Only changed fields are kept (cells by their key, narrative fields by name),
// each with the base it started from, so restoring on a later version goes
// through the server's cell-level merge like any other save.

const PREFIX = "disclosure:draft:";

function storage() {
  try {
    return window.localStorage;
  } catch {
    return null; // storage disabled: saving still works, recovery does not
  }
}

function keysOf(reportId) {
  const store = storage();
  if (!store) return [];
  const prefix = `${PREFIX}${reportId}:`;
  const keys = [];
  for (let i = 0; i < store.length; i += 1) {
    const key = store.key(i);
    if (key && key.startsWith(prefix)) keys.push(key);
  }
  return keys;
}

export function writeDraft(reportId, version, values, base) {
  const store = storage();
  if (!store) return;
  clearDrafts(reportId);
  if (Object.keys(values).length === 0) return;
  const draft = { savedAt: new Date().toISOString(), version, values, base };
  try {
    store.setItem(`${PREFIX}${reportId}:${version}`, JSON.stringify(draft));
  } catch {
    // quota exceeded: the page still warns before leaving
  }
}

// The newest draft kept for the report (any version), or null.
export function readDraft(reportId) {
  const store = storage();
  let newest = null;
  for (const key of keysOf(reportId)) {
    try {
      const draft = JSON.parse(store.getItem(key));
      if (draft && draft.values && (!newest || draft.savedAt > newest.savedAt)) newest = draft;
    } catch {
      store.removeItem(key);
    }
  }
  return newest;
}

export function clearDrafts(reportId) {
  const store = storage();
  if (!store) return;
  for (const key of keysOf(reportId)) store.removeItem(key);
}
