"""The edit page's form handling, shared by the edit view (保存草稿, 空白填0)
and the review app's submit view (提交审核 saves the form first): binding
the posted grid and narrative form, merging it cell by cell with what others
saved meanwhile, refusing what cannot be stored with everything typed kept on
the page, saving, and rendering the page (HTML) or answering the page's
script (JSON).

The save protocol (two clerks may edit one report at once; nobody's input is
overwritten or dropped without them seeing it):

- The page holds, in the hidden field ``base``, a JSON object: for every input
  cell the text it was loaded with (``display`` of the stored value), and for
  every narrative field (``title``, ``preface``, ``general``, ``problems``,
  ``other_matters``) a token of the text it was loaded with (``text_token``:
  a digest of the text with line ends normalised; the text itself would double
  the page's weight). The hidden field ``version`` is the version the page was
  loaded at (shown on the page and used by the browser to key unsaved input
  in localStorage; the merge does not depend on it when ``base`` is posted).
- On save, a posted cell or field is *changed by this person* when it differs
  from its base; everything else posted is ignored, and a cell or field that is
  not posted is not touched (a post without the narrative fields keeps them).
- Under the report's row lock each change is compared with what is stored now:
  stored == base (nobody else changed it) or stored == the posted value → it
  is applied; otherwise both changed it differently → a *conflict*: nothing is
  written for it, and the page shows the other person's value (with who and
  when, from the row's or the report's history) beside the person's own, and
  the person keeps theirs or takes the other's. The page's base for that cell
  becomes the stored value, so saving again keeps theirs deliberately.
- A post without ``base`` (old pages, scripts, tests) is taken as "every posted
  cell and field was typed from the stored state of ``version``": applied when
  ``version`` is current; when it is stale every posted value that differs from
  what is stored is a conflict (nothing of the other person's is overwritten).
- The page's script saves with ``fetch`` (header ``Accept: application/json``)
  and gets JSON (``save_json``): the new version and time, the stored texts of
  every cell, the changed narrative texts, the new base, the applied keys, the
  refused cells with their messages and the conflicts. An ordinary form post
  (no script, 提交审核) gets the redirect or the re-shown page as before.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from disclosure.formats.checks import compute_totals, expand, has_errors, rules_json
from disclosure.formats.phrases import phrases_json
from disclosure.formats.values import ValueProblem, display, parse_cell

from . import access
from .forms import NarrativeForm, ReportGrid, dom_id, sections
from .models import TABLE_MODELS, AnnualReport, display_name
from .record import current_return
from .services import (
    blank_cells,
    check_report,
    explanations,
    load_values,
    previous_values,
    save_values,
    warning_rows,
)

NARRATIVE_FIELDS = tuple(NarrativeForm.Meta.fields)
HISTORY_WALK = 50  # history records read back to find who made a conflicting change


def scoped_report(request, pk, *, for_update=False) -> AnnualReport:
    """The report if the user may see it (404 otherwise), with who saved it last."""
    report = access.get_report_for_user(request.user, pk, for_update=for_update)
    if report.updated_by_id:
        # one extra query instead of a join, so select_for_update stays on the report row
        report.updated_by  # noqa: B018
    return report


def laid_out(items, grid, invalid, editable, note=None):
    """The sections as the report and edit templates walk them; ``note`` (a
    return's ``Transition``) is shown beside the section or cell it targets."""
    sections = [
        {"kind": kind, "heading": heading, "field": obj, "code": obj.name}
        if kind == "text"
        else {
            "kind": kind,
            "heading": heading,
            "table": obj,
            "rows": grid.layout(obj, invalid, editable),
            "code": obj.code,
        }
        for kind, heading, obj in items
    ]
    if note is not None and note.target:
        _attach(sections, note)
    return sections


def _anchor(target: str) -> str:
    """The element a comment's target is shown in: a cell's input or a section."""
    return dom_id(target) if "." in target else f"section-{target}"


def _attach(sections, note) -> None:
    for section in sections:
        if section["code"] == note.target:
            section["note"] = note
        for row in section.get("rows", ()):
            for cell in row:
                if cell.get("key") == note.target:
                    cell["note"] = True
                    section["note"], section["note_cell"] = note, cell["id"]


# ------------------------------------------------------------------ the base the page starts from


def normalize_text(text) -> str:
    """A narrative text as compared and stored: line ends as ``\\n``, no outer white space
    (browsers post a text area's line ends as ``\\r\\n``; the form field strips)."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def text_token(text) -> str:
    """The base of a narrative field: its normalised text's length and 53-bit hash
    (cyrb53 over UTF-16 code units, as ``textToken`` in static/disclosure/js/save.js
    computes it: the page's script tells changed fields apart without a digest API)."""
    norm = normalize_text(text)
    return f"t:{len(norm)}:{_cyrb53(norm)}"


_M32 = 0xFFFFFFFF


def _cyrb53(text: str) -> int:
    h1, h2 = 0xDEADBEEF, 0x41C6CE57
    data = text.encode("utf-16-le")
    for i in range(0, len(data), 2):
        ch = data[i] | data[i + 1] << 8
        h1 = ((h1 ^ ch) * 2654435761) & _M32
        h2 = ((h2 ^ ch) * 1597334677) & _M32
    h1 = ((h1 ^ (h1 >> 16)) * 2246822507) & _M32
    h1 ^= ((h2 ^ (h2 >> 13)) * 3266489909) & _M32
    h2 = ((h2 ^ (h2 >> 16)) * 2246822507) & _M32
    h2 ^= ((h1 ^ (h1 >> 13)) * 3266489909) & _M32
    return 4294967296 * (2097151 & h2) + h1


def page_base(report, values) -> dict:
    """What the page starts from: every input cell's text and every narrative field's token."""
    base = {key: display(values.get(key)) for key in report.format.input_keys()}
    base.update({name: text_token(getattr(report, name)) for name in NARRATIVE_FIELDS})
    return base


def _posted_base(post) -> dict | None:
    raw = post.get("base")
    if raw is None:
        return None
    try:
        base = json.loads(raw)
    except ValueError:
        return {}
    return base if isinstance(base, dict) else {}


def _start_value(text, column):
    """The value a cell started from (its base text parsed; the text itself if unreadable)."""
    try:
        return parse_cell(str(text), column)
    except ValueProblem:
        return str(text)


# ------------------------------------------------------------------ render


def render_edit(
    request, report, grid, form, values, status=200, version=None, base=None, conflicts=()
) -> HttpResponse:
    fmt = report.format
    previous = previous_values(report)
    findings = check_report(report, values)
    invalid = {key for f in findings for key in f.cells}
    note = current_return(report)
    live = _live_rules(fmt)
    context = {
        "report": report,
        "fmt": fmt,
        "form": form,
        "version": report.version if version is None else version,
        "base_json": json.dumps(base if base is not None else page_base(report, values), ensure_ascii=False),
        "conflicts": [c.as_json() for c in conflicts],
        "review_note": note,
        "note_anchor": _anchor(note.target) if note and note.target else "",
        "sections": laid_out(sections(fmt, form), grid, invalid, editable=True, note=note),
        # the panel holds what the browser re-evaluates as the clerk types (numbers and
        # sentences); the other findings (structure, the agency's level) are listed with
        # the warnings' reasons, as of the last save
        "findings": [f.as_json() for f in findings if f.rule in live or f.rule.startswith("N-")],
        "warnings": warning_rows(findings, explanations(report)),
        "has_errors": has_errors(findings),
        "blank_count": len(blank_cells(fmt, values)),
        "cell_errors": grid.error_labels(),
        # the format's checks are a cached file of their own (``checks_file``), not inlined
        "checks_url": checks_url(fmt),
        # the page shows input the server did not (fully) store: leaving must ask
        "unsaved": status != 200,
        "previous": {k: display(previous.get(k)) for k in _previous_keys(fmt)} if previous else None,
    }
    return render(request, "reports/edit.html", context, status=status)


_PREVIOUS_KEYS: dict[str, list[str]] = {}


def _live_rules(fmt) -> frozenset[str]:
    """The rule ids the browser engine evaluates (those of the exported checks)."""
    return frozenset(r.id for r in fmt.rules)


@dataclass(frozen=True)
class ChecksFile:
    """What the browser engines read for one format: the checks (``rules_json``) and
    the narrative checks (``phrases_json``) as one JSON file. It changes only with
    the code, so it is served at a URL naming its content's hash, cached for good."""

    code: str
    body: bytes
    digest: str  # SHA-256 of body, hex

    @property
    def version(self) -> str:
        return self.digest[:12]


_CHECKS_FILES: dict[str, ChecksFile] = {}


def checks_file(fmt) -> ChecksFile:
    """The format's checks file (built once per process and format: ~100 kB)."""
    if fmt.code not in _CHECKS_FILES:
        payload = {"rules": rules_json(fmt), "phrases": phrases_json(fmt.code)}
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        _CHECKS_FILES[fmt.code] = ChecksFile(fmt.code, body, hashlib.sha256(body).hexdigest())
    return _CHECKS_FILES[fmt.code]


def checks_url(fmt) -> str:
    return reverse("formats:checks", kwargs={"code": fmt.code, "version": checks_file(fmt).version})


def _previous_keys(fmt) -> list[str]:
    """The previous year's cells the checks read (only these are sent to the browser)."""
    if fmt.code not in _PREVIOUS_KEYS:
        checks = expand(fmt)
        _PREVIOUS_KEYS[fmt.code] = sorted({t.key for c in checks for t in c.lhs + c.rhs if t.previous})
    return _PREVIOUS_KEYS[fmt.code]


# ------------------------------------------------------------------ merge


@dataclass
class Conflict:
    """A cell or narrative field both people changed, differently."""

    key: str  # a cell key or a narrative field's name
    kind: str  # "cell" or "text"
    label: str
    mine: str
    theirs: str
    who: str
    when: object  # datetime

    def as_json(self) -> dict:
        return {
            "key": self.key,
            "kind": self.kind,
            "id": dom_id(self.key) if self.kind == "cell" else f"id_{self.key}",
            "label": self.label,
            "mine": self.mine,
            "theirs": self.theirs,
            "who": self.who,
            "when": timezone.localtime(self.when).strftime("%Y-%m-%d %H:%M"),
            "base": self.theirs if self.kind == "cell" else text_token(self.theirs),
        }


@dataclass
class Outcome:
    """What a posted save did. ``refusal``: nothing saved (not editable);
    ``form`` invalid: nothing saved; else ``applied`` was written and
    ``conflicts`` and ``grid.errors`` were not."""

    report: AnnualReport
    grid: ReportGrid
    form: NarrativeForm
    values: dict  # the stored cells after the save
    posted_texts: dict  # narrative field → normalised text as posted
    refusal: str = ""
    applied: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)
    held: set = field(default_factory=set)  # cells whose typed text stays on the page, unsaved
    written: bool = False  # anything stored (the version moved on)

    @property
    def saved(self) -> bool:
        return self.written

    def shown_values(self) -> dict:
        """The stored cells with the person's text where it was refused or conflicts."""
        shown = dict(self.values)
        for key in self.held:
            if key in self.grid.values:
                shown[key] = self.grid.values[key]
        return compute_totals(self.report.format, shown)


def _narrative_label(name) -> str:
    return str(AnnualReport._meta.get_field(name).verbose_name)


def _last_change(report, key):
    """Who changed the cell or field to its stored value, and when (its history)."""
    if "." in key:
        table, _, row, column = report.format.locate(key)
        records = TABLE_MODELS[table.code].history.filter(report_id=report.pk, row_code=row.code)
        attr = column.code
    else:
        records = AnnualReport.history.filter(id=report.pk)
        attr = key
    records = records.select_related("history_user").order_by("-history_date", "-history_id")
    found, current = None, None
    for index, record in enumerate(records[:HISTORY_WALK]):
        value = getattr(record, attr)
        if index == 0:
            current = value
        elif value != current:
            break
        found = record
    if found is None:
        return display_name(report.updated_by, "其他人"), report.updated_at
    return display_name(found.history_user or report.updated_by, "其他人"), found.history_date


def _merge_cells(report, grid, stored, base):
    """The cells to write and the conflicts; drops what this person did not change."""
    fmt = report.format
    apply, conflicts = {}, []
    posted = [key for key in fmt.input_keys() if key in grid.values or key in grid.errors]
    for key in posted:
        if base is not None and key not in base:
            grid.values.pop(key, None)
            grid.errors.pop(key, None)
            continue
        if key in grid.errors:
            continue  # changed to something unreadable: refused on its cell, kept on the page
        mine = grid.values[key]
        if base is None:  # a stale post without base: every difference must be looked at
            theirs_changed, changed = True, mine != stored[key]
        else:
            start = _start_value(base[key], fmt.locate(key)[3])
            changed, theirs_changed = mine != start, stored[key] != start
        if not changed:
            del grid.values[key]
        elif not theirs_changed or stored[key] == mine:
            apply[key] = mine
        else:
            who, when = _last_change(report, key)
            label = fmt.cell_label(key)
            conflicts.append(Conflict(key, "cell", label, grid.texts[key], display(stored[key]), who, when))
    return apply, conflicts


def _merge_texts(report, post, base):
    """The narrative fields to write, what this person changed, and the conflicts.
    A field that is not posted is not touched."""
    apply, mine_texts, conflicts = {}, {}, []
    for name in NARRATIVE_FIELDS:
        if name not in post:
            continue
        mine, stored = normalize_text(post[name]), getattr(report, name)
        if base is None:
            changed, theirs_changed = mine != normalize_text(stored), True
        elif name not in base:
            continue
        else:
            changed = text_token(mine) != base[name]
            theirs_changed = text_token(stored) != base[name]
        if not changed:
            continue
        mine_texts[name] = mine
        if not theirs_changed or normalize_text(stored) == mine:
            apply[name] = mine
        else:
            who, when = _last_change(report, name)
            conflicts.append(Conflict(name, "text", _narrative_label(name), mine, stored, who, when))
    return apply, mine_texts, conflicts


def merge_and_save(request, pk) -> Outcome:
    """Merge the posted edit form into the stored report (see the module's
    docstring) and save what can be saved.

    Side effects: locks the report row; stores the applied cells (computed
    totals recomputed) and narrative fields; when anything was written bumps
    the version and records the user."""
    post = request.POST
    fill_blanks = post.get("action") == "fill_blanks"
    with transaction.atomic():
        report = scoped_report(request, pk, for_update=True)
        if not access.is_clerk_of(request.user, report):
            raise PermissionDenied("只有本机关的填报人可以填写报告。")
        fmt = report.format
        stored = load_values(report)
        grid = ReportGrid(fmt, stored, post)
        posted_texts = {n: normalize_text(post[n]) for n in NARRATIVE_FIELDS if n in post}
        if not report.editable:
            refusal = f"报告已处于“{report.get_status_display()}”状态，不能再修改，您的修改未保存。"
            form = NarrativeForm({**_texts_of(report), **posted_texts}, instance=report)
            held = set(grid.values) | set(grid.errors)
            return Outcome(report, grid, form, stored, posted_texts, refusal=refusal, held=held)
        base = _posted_base(post)
        if base is None and str(report.version) == (post.get("version") or "").strip():
            base = page_base(report, stored)  # typed from what is stored now
        cells, conflicts = _merge_cells(report, grid, stored, base)
        texts, mine_texts, text_conflicts = _merge_texts(report, post, base)
        conflicts += text_conflicts
        before = _texts_of(report)
        form = NarrativeForm({**before, **mine_texts}, instance=report)
        valid = form.is_valid()
        for name, text in before.items():  # validation writes the instance: only applied fields change
            setattr(report, name, text)
        if not valid:
            held = set(cells) | set(grid.errors) | {c.key for c in conflicts}
            return Outcome(report, grid, form, stored, posted_texts, conflicts=conflicts, held=held)
        values = {**stored, **cells}
        if fill_blanks:
            held = set(grid.errors) | {c.key for c in conflicts}
            for key in fmt.input_keys():
                if values.get(key) is None and key not in held:
                    cells[key] = values[key] = 0
        values = compute_totals(fmt, values)
        written = save_values(report, {k: v for k, v in values.items() if k in cells or fmt.is_computed(k)})
        for name in texts:
            if getattr(report, name) != form.cleaned_data[name]:
                setattr(report, name, form.cleaned_data[name])
                written.append(name)
        applied = [*cells, *texts]
        if written:
            report.version += 1
            report.updated_by = request.user
            report.save()
    held = set(grid.errors) | {c.key for c in conflicts}
    return Outcome(
        report,
        grid,
        form,
        values,
        posted_texts,
        applied=applied,
        conflicts=conflicts,
        held=held,
        written=bool(written),
    )


def _texts_of(report) -> dict:
    return {name: getattr(report, name) for name in NARRATIVE_FIELDS}


# ------------------------------------------------------------------ answers


def _conflict_message(outcome) -> str:
    report, count = outcome.report, len(outcome.conflicts)
    who = display_name(report.updated_by, "其他人")
    when = timezone.localtime(report.updated_at).strftime("%Y-%m-%d %H:%M")
    ask = "请在标出的位置逐项选择“保留我的”或“采用对方的”，再保存。"
    if outcome.saved:
        return f"您的其他修改已保存（第{report.version}版）。有 {count} 处您和他人都改了且不同，这几处尚未保存：{ask}"
    return (
        f"{who}已于{when}保存了这份报告（第{report.version}版），有 {count} 处与您的修改不同，"
        f"这几处您的修改未保存，对方的内容也未被覆盖：{ask}"
    )


def _page_after(request, outcome, status) -> HttpResponse:
    """Re-show the page: the stored state, the person's text where refused or in conflict."""
    grid, report = outcome.grid, outcome.report
    for key, value in outcome.values.items():
        if key not in outcome.held:
            grid.texts[key] = display(value)
    shown = outcome.shown_values()
    for key in report.format.cell_keys():
        if report.format.is_computed(key):
            grid.texts[key] = display(shown[key])
    base = page_base(report, outcome.values)
    return render_edit(
        request, report, grid, outcome.form, shown, status=status, base=base, conflicts=outcome.conflicts
    )


def save_posted_draft(request, pk, *, submitting=False) -> tuple[AnnualReport, HttpResponse | None]:
    """Save the posted edit form as a draft (merged, see the module's docstring):
    (the report, None) when every change was saved, or (the report, the edit
    page re-shown with what was typed) when the save was refused (409: not
    editable; 422: invalid narrative) or part of it was not saved (409: conflicts
    with another person's save; 422: refused cells; the rest is saved)."""
    outcome = merge_and_save(request, pk)
    report, grid = outcome.report, outcome.grid
    not_submitted = "，未提交审核" if submitting else ""
    if outcome.refusal:
        messages.error(request, outcome.refusal)
        return report, _page_after(request, outcome, 409)
    if outcome.form.errors:
        messages.error(request, "请修改标出的错误后再保存，本次未保存。")
        return report, _page_after(request, outcome, 422)
    if outcome.conflicts:
        messages.warning(request, _conflict_message(outcome))
        return report, _page_after(request, outcome, 409)
    if grid.errors:
        messages.warning(
            request, f"草稿已保存（第{report.version}版）{not_submitted}，但以下单元格填写有误，未保存："
        )
        return report, _page_after(request, outcome, 422)
    return report, None


def save_json(request, pk) -> JsonResponse:
    """The page script's save (fetch): the outcome as JSON, nothing in the session's messages."""
    outcome = merge_and_save(request, pk)
    report, grid = outcome.report, outcome.grid
    saved_at = timezone.localtime(report.updated_at)
    blanks = len(blank_cells(report.format, outcome.values))
    if outcome.refusal:
        state, status, message = "refused", 409, outcome.refusal
    elif outcome.form.errors:
        state, status, message = "invalid", 422, "请修改标出的错误后再保存，本次未保存。"
    elif outcome.conflicts:
        state, status, message = "conflict", 409, _conflict_message(outcome)
    elif grid.errors:
        state, status = "errors", 422
        message = f"草稿已保存（第{report.version}版），但以下单元格填写有误，未保存。"
    else:
        state, status = "saved", 200
        message = f"草稿已保存（第{report.version}版）。" if outcome.saved else "没有需要保存的修改。"
        if blanks:
            message += f"还有 {blanks} 个单元格未填写，提交前须全部填写（可用“空白填0”）。"
    texts = {
        name: getattr(report, name)
        for name in NARRATIVE_FIELDS
        if normalize_text(getattr(report, name)) != outcome.posted_texts.get(name)
    }
    data = {
        "state": state,
        "message": message,
        "version": report.version,
        "saved": outcome.saved,
        "saved_at": saved_at.strftime("%H:%M"),
        "saved_date": saved_at.strftime("%Y-%m-%d"),
        "values": {key: display(value) for key, value in outcome.values.items()},
        "texts": texts,
        "base": page_base(report, outcome.values),
        "applied": outcome.applied,
        "errors": {key: message for key, message in grid.errors.items()},
        "error_labels": grid.error_labels(),
        "form_errors": {name: [str(e) for e in errors] for name, errors in outcome.form.errors.items()},
        "conflicts": [c.as_json() for c in outcome.conflicts],
        "blank_count": blanks,
    }
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
