"""The edit page's Excel upload: a clerk fills the workbook downloaded at
``publish:xlsx`` in Excel/WPS and uploads it; the next page lists the cells
that would change (old → new, by cell label) and the cells that cannot be
read, and nothing is stored until 应用.

- Refused (nothing read, nothing changes, a Chinese message): a report that is
  not editable (submitted/approved: back to the report page), someone who is
  not a clerk of the agency (403), a file that is not our workbook (not an
  xlsx, over 5 MB, no key sheet, another format, year or report: 400).
- A cell is *changed in the file* when it differs from its value when the file
  was downloaded (recorded in the key sheet), as the edit page merges from the
  text its page was loaded with: a cell the clerk did not touch never undoes
  what someone saved since the download; a cell both changed differently is
  listed as a conflict and not applied. Computed totals are never read.
- The preview keeps the parsed changes in the session, keyed by the report and
  the version they were compared with (no re-upload). 应用 posts that version:
  if the report has been saved since, it is refused (re-upload); otherwise the
  changes go through the edit page's own save (``edit_page.merge_and_save``:
  row lock, merge, totals recomputed, version bump, the user in the history).
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, QueryDict
from django.shortcuts import redirect, render
from openpyxl import load_workbook

from disclosure.formats.spec import Format
from disclosure.formats.values import ValueProblem, display, parse_cell

from . import access
from .edit_page import merge_and_save, scoped_report
from .services import load_values

SESSION_PREFIX = "xlsx_upload:"
TEMPLATE = "reports/xlsx_upload.html"
# The workbook's key sheet, written by ``publish.xlsx.report_xlsx`` (which imports these).
KEY_SHEET = "单元格索引"
KEYS_FIRST_ROW = 7  # the key sheet's first cell row (after the file's identity and a header)
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 60 * 1024 * 1024  # a zip bomb is refused before openpyxl opens it
_COORDINATE = re.compile(r"^[A-Z]{1,3}[1-9][0-9]{0,6}$")


# ------------------------------------------------------------------ reading the workbook


class NotOurWorkbook(ValueError):
    """An upload that is not a workbook downloaded from this report; the text is for the clerk."""


@dataclass
class ReadBack:
    """What an uploaded workbook holds: its identity and each cell's raw content."""

    format_code: str
    year: int
    report_id: int | None
    version: int | None
    cells: dict = field(default_factory=dict)  # key → the cell's value as openpyxl read it
    bases: dict = field(default_factory=dict)  # key → its text when the file was downloaded


def _check_zip(data: bytes) -> None:
    if len(data) > MAX_UPLOAD_BYTES:
        raise NotOurWorkbook("文件超过 5 MB，请上传从本系统下载的 Excel 文件。")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise NotOurWorkbook("文件不是 Excel（.xlsx）文件，请上传从本系统下载的 Excel 文件。") from exc
    if len(entries) > 1000 or sum(e.file_size for e in entries) > MAX_UNPACKED_BYTES:
        raise NotOurWorkbook("文件内容过大，请上传从本系统下载的 Excel 文件。")
    if "[Content_Types].xml" not in {e.filename for e in entries}:
        raise NotOurWorkbook("文件不是 Excel（.xlsx）文件，请上传从本系统下载的 Excel 文件。")


def _integer(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def read_report_xlsx(data: bytes, fmt: Format, year: int) -> ReadBack:
    """The cells of a workbook written by ``report_xlsx`` for a report of ``fmt``
    and ``year``. Raises NotOurWorkbook (a Chinese message) for anything else:
    not an xlsx, too big, no key sheet, another format or year."""
    _check_zip(data)
    try:
        book = load_workbook(io.BytesIO(data), data_only=True)  # a formula typed in Excel: its result
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise NotOurWorkbook("文件无法读取，请上传从本系统下载的 Excel 文件。") from exc
    if KEY_SHEET not in book.sheetnames:
        raise NotOurWorkbook(
            f"文件中没有“{KEY_SHEET}”工作表，不是从本系统下载的报告表格，请先下载 Excel 再填写上传。"
        )
    keys = book[KEY_SHEET]
    identity = {keys.cell(r, 1).value: keys.cell(r, 2).value for r in range(1, 5)}
    found = ReadBack(
        str(identity.get("格式") or ""),
        _integer(identity.get("年度")) or 0,
        _integer(identity.get("报告编号")),
        _integer(identity.get("版本")),
    )
    if found.format_code != fmt.code:
        raise NotOurWorkbook(
            f"文件是“{found.format_code or '未知'}”格式的表格，本报告是{fmt.name}，不能导入。"
        )
    if found.year != year:
        raise NotOurWorkbook(f"文件是{found.year or '未知'}年度的表格，本报告是{year}年度，不能导入。")
    known = set(fmt.cell_keys())
    for row in keys.iter_rows(min_row=KEYS_FIRST_ROW, max_col=6, values_only=True):
        key, title, coordinate, _, _, base = row
        if key not in known or title not in book.sheetnames or title == KEY_SHEET:
            continue
        if not isinstance(coordinate, str) or not _COORDINATE.match(coordinate):
            continue
        found.cells[key] = book[title][coordinate].value
        if isinstance(base, str | None):
            found.bases[key] = base or ""
    missing = [k for k in fmt.input_keys() if k not in found.cells]
    if missing:
        raise NotOurWorkbook(
            f"“{KEY_SHEET}”工作表不完整（缺少{len(missing)}个单元格），请重新下载 Excel 再填写。"
        )
    return found


def cell_text(value) -> str:
    """A cell's content as the text ``parse_cell`` reads (what a clerk would have typed)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)  # refused by parse_cell: not a number
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        try:
            number = Decimal(repr(value))  # the shortest text that reads back as this double
        except InvalidOperation:
            return repr(value)
        text = format(number, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


# ------------------------------------------------------------------ the page


def _session_key(report) -> str:
    return f"{SESSION_PREFIX}{report.pk}"


def _base_value(text, column, stored):
    try:
        return parse_cell(text, column)
    except ValueProblem:
        return stored


def compare(report, read_back, stored: dict) -> tuple[list[dict], list[dict]]:
    """(changes, problems) of an uploaded workbook against the stored cells."""
    fmt = report.format
    changes, problems = [], []
    for key in fmt.input_keys():
        column = fmt.locate(key)[3]
        label = fmt.cell_label(key)
        text = cell_text(read_back.cells.get(key)).strip()
        try:
            new = parse_cell(text, column)
        except ValueProblem as exc:
            problems.append({"key": key, "label": label, "text": text, "message": str(exc)})
            continue
        base_text = read_back.bases.get(key)
        base = stored[key] if base_text is None else _base_value(base_text, column, stored[key])
        if new == base or new == stored[key]:
            continue  # not changed in the file, or already stored
        if stored[key] != base:
            message = f"下载后已被他人改为“{display(stored[key]) or '空白'}”，文件中为“{text}”，未导入，请在填写页面核对"
            problems.append({"key": key, "label": label, "text": text, "message": message})
            continue
        changes.append({"key": key, "label": label, "old": display(stored[key]), "new": display(new)})
    return changes, problems


def _page(request, report, status=200, **context):
    return render(
        request,
        TEMPLATE,
        {"report": report, "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024), **context},
        status=status,
    )


def xlsx_upload(request, pk):
    report = scoped_report(request, pk)  # scope before method: outsiders get 404
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    if not access.is_clerk_of(request.user, report):
        raise PermissionDenied("只有本机关的填报人可以上传表格。")
    if not report.editable:
        messages.error(
            request, f"报告当前状态为“{report.get_status_display()}”，不能导入表格，未作任何修改。"
        )
        return redirect(report)
    if request.method != "POST":
        return _page(request, report)
    if request.POST.get("action") == "apply":
        return _apply(request, report)
    return _preview(request, report)


def _preview(request, report):
    upload = request.FILES.get("file")
    request.session.pop(_session_key(report), None)
    if upload is None:
        return _page(request, report, 400, error="请选择要上传的 Excel 文件（.xlsx）。")
    if upload.size > MAX_UPLOAD_BYTES:
        return _page(request, report, 400, error="文件超过 5 MB，请上传从本系统下载的 Excel 文件。")
    try:
        read_back = read_report_xlsx(upload.read(MAX_UPLOAD_BYTES + 1), report.format, report.year)
    except NotOurWorkbook as exc:
        return _page(request, report, 400, error=str(exc))
    if read_back.report_id is not None and read_back.report_id != report.pk:
        return _page(
            request,
            report,
            400,
            error="文件是从另一份报告下载的，不能导入本报告。请下载本报告的 Excel 再填写。",
        )
    changes, problems = compare(report, read_back, load_values(report))
    if changes:
        request.session[_session_key(report)] = {
            "version": report.version,
            "changes": {c["key"]: c["new"] for c in changes},
        }
    return _page(
        request,
        report,
        changes=changes,
        problems=problems,
        previewed=True,
        version=report.version,
        file_version=read_back.version,
        file_name=upload.name,
    )


def _apply(request, report):
    pending = request.session.get(_session_key(report))
    posted = (request.POST.get("version") or "").strip()
    if not pending or str(pending.get("version")) != posted:
        return _page(request, report, 409, error="没有待应用的导入内容，或已过期，请重新上传文件。")
    if pending["version"] != report.version:
        request.session.pop(_session_key(report), None)
        error = f"预览后报告已被保存（现为第{report.version}版），本次导入未应用，请重新上传文件并核对。"
        return _page(request, report, 409, error=error)
    data = QueryDict(mutable=True)
    data.update(pending["changes"])
    data["version"] = posted  # no base: typed from the stored state of this version, as the edit page
    save_request = copy.copy(request)
    save_request.POST = data
    outcome = merge_and_save(save_request, report.pk)
    request.session.pop(_session_key(report), None)
    if outcome.refusal:
        return _page(request, outcome.report, 409, error=outcome.refusal)
    if outcome.conflicts or outcome.grid.errors:
        error = "保存时报告已被他人修改，部分单元格未导入，请重新上传文件并核对。"
        if outcome.saved:
            error = f"已导入其余单元格（第{outcome.report.version}版）。{error}"
        return _page(request, outcome.report, 409, error=error)
    count = len([k for k in outcome.applied if "." in k])
    messages.success(request, f"已从 Excel 导入{count}个单元格，草稿已保存（第{outcome.report.version}版）。")
    return redirect("reports:edit", pk=report.pk)
