"""The completeness dashboard of the disclosure office: who has reported for a year."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import dashboard as board_data
from . import exports

DENIED = "只有政务公开办和系统管理员可以查看本地区各机关的报送情况。"


@require_GET
def dashboard(request):
    user = request.user
    if not (user.is_superuser or board_data.scope_region(user)):
        raise PermissionDenied(DENIED)
    filters = board_data.parse_filters(user, request.GET)
    board = board_data.build(user, filters)
    kind = request.GET.get("format")
    if kind in ("csv", "xlsx"):
        headings, rows = board_data.export_table(board)
        name = f"{filters.year}年度报告报送情况.{kind}"
        if kind == "csv":
            return exports.csv_response(headings, rows, name)
        return exports.xlsx_response(headings, rows, name, title=f"{filters.year}年度")
    context = {
        "board": board,
        "filters": filters,
        "years": board_data.years(),
        "columns": [_column(filters, key, heading) for key, (heading, _) in board_data.COLUMNS.items()],
        "status_links": [
            (code, label, count, filters.query(status=None if filters.status == code else code))
            for code, label, count in board.status_counts
        ],
        "previous_page": filters.query(page=board.page - 1) if board.page > 1 else None,
        "next_page": filters.query(page=board.page + 1) if board.page < board.pages else None,
        "csv_query": filters.query(format="csv"),
        "xlsx_query": filters.query(format="xlsx"),
        "levels": board_data.LEVEL_CHOICES,
        "statuses": board_data.STATUS_CHOICES,
        "scope": board_data.scope_region(user),
    }
    return render(request, "oversight/dashboard.html", context)


def _column(filters, key: str, heading: str) -> dict:
    """A column heading: its sort link (the current column toggles its direction) and aria-sort."""
    current = filters.sort == key
    descending = not filters.descending if current else False
    return {
        "key": key,
        "heading": heading,
        "query": filters.query(sort=("-" if descending else "") + key),
        "aria_sort": ("descending" if filters.descending else "ascending") if current else None,
    }
