"""The numeric grids, rendered in Python: about two hundred cells a page are
too slow through the template language (the edit page must stay ≤ 50 ms).
Every interpolated value is escaped (``html.escape``, quotes included)."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


def _spans(cell) -> str:
    out = ""
    if cell["colspan"] > 1:
        out += f' colspan="{cell["colspan"]}"'
    if cell.get("rowspan", 1) > 1:
        out += f' rowspan="{cell["rowspan"]}"'
    return out


def _header(cell) -> str:
    return f'<th scope="{cell["scope"]}"{_spans(cell)} class="grid-header">{escape(cell["text"])}</th>'


def _label(cell) -> str:
    scope = "rowgroup" if cell["rowspan"] > 1 else "row"
    return f'<th scope="{scope}"{_spans(cell)} class="grid-label">{escape(cell["text"])}</th>'


def _value(cell) -> str:
    classes = (
        "grid-value" + (" is-failing" if cell["invalid"] else "") + (" is-blank" if cell["blank"] else "")
    )
    text = escape(cell["text"]) + (f" {escape(cell['suffix'])}" if cell["text"] and cell["suffix"] else "")
    return f'<td{_spans(cell)} class="{classes}" data-key="{escape(cell["key"])}">{text}</td>'


def _input(cell) -> str:
    computed = cell["type"] == "computed"
    classes = "form-control form-control-sm cell"
    for flag, name in (
        (computed, "computed"),
        (cell["invalid"], "is-failing"),
        (cell["error"], "is-invalid"),
    ):
        if flag:
            classes += f" {name}"
    if cell["blank"]:
        classes += " is-blank"
    if cell.get("note"):
        classes += " has-review-note"  # the reviewer's return comment is about this cell
    cell_id = escape(cell["id"])
    naming = 'readonly tabindex="-1"' if computed else f'name="{escape(cell["key"])}"'
    label = escape(cell["label"]) + ("（自动计算）" if computed else "")
    inputmode = "numeric" if cell["kind"] == "count" else "decimal"
    box = "cell-box input-group input-group-sm" if cell["suffix"] else "cell-box"
    suffix = f'<span class="input-group-text">{escape(cell["suffix"])}</span>' if cell["suffix"] else ""
    invalid = ' aria-invalid="true"' if cell["invalid"] else ""
    return (
        f'<td{_spans(cell)} class="grid-cell"><div class="{box}">'
        f'<input type="text" class="{classes}" id="{cell_id}" {naming} value="{escape(cell["text"])}" '
        f'aria-label="{label}" aria-describedby="{cell_id}-msg" data-key="{escape(cell["key"])}" '
        f'data-kind="{cell["kind"]}" data-unit="{escape(cell["unit"])}" data-decimals="{cell["decimals"]}" '
        f'data-x="{cell["x"]}" data-y="{cell["y"]}" inputmode="{inputmode}" autocomplete="off"{invalid}>'
        f'{suffix}</div><div class="cell-msg" id="{cell_id}-msg">{escape(cell["error"])}</div></td>'
    )


RENDER = {"header": _header, "label": _label, "value": _value, "input": _input, "computed": _input}


@register.simple_tag
def report_grid(section):
    """A table laid out by ``ReportGrid.layout``: headers, row labels, cells."""
    table = section["table"]
    lines = [
        '<div class="table-responsive">',
        f'<table class="table table-bordered table-sm report-grid grid-{table.code}" id="table-{table.code}" '
        f'aria-labelledby="heading-{section["code"]}"><tbody>',
    ]
    for row in section["rows"]:
        lines.append("<tr>" + "".join(RENDER[cell["type"]](cell) for cell in row) + "</tr>")
    lines.append("</tbody></table></div>")
    return mark_safe("\n".join(lines))
