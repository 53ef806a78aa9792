"""The rule engine: expands declared rules into checks and evaluates them.

The Python engine is the authority. ``rules_json`` exports the expanded checks
and the computed-cell formulas; ``static/disclosure/js/rules.js`` evaluates
that export in the browser with the same semantics (a shared case file keeps
the two in step).

Semantics, shared with the browser:
- a blank current cell counts as 0 (blank cells are reported separately);
- a check that reads the previous year's report is skipped when there is no
  previous report or it lacks (or left blank) a referenced cell;
- a side with more than ``MAX_TERMS_SHOWN`` terms is shown as its sum.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal

from .spec import Check, Format, Kind, Row, Rule, Severity, Term, cell_key
from .values import display

MAX_TERMS_SHOWN = 6
FAIL_SYMBOL = {"==": "≠", "<=": ">", ">=": "<"}

Values = dict[str, "int | Decimal | None"]


@dataclass(frozen=True)
class Finding:
    rule: str
    check: str
    severity: str
    message: str
    cells: list[str]
    previous_cells: list[str]
    lhs: int | Decimal
    rhs: int | Decimal
    difference: int | Decimal
    wording: str = field(default="", compare=False)

    @property
    def severity_label(self) -> str:
        return Severity(self.severity).label

    def as_json(self) -> dict:
        data = asdict(self)
        for name in ("lhs", "rhs", "difference"):
            data[name] = format_number(data[name])
        data["severity_label"] = self.severity_label
        return data


# ------------------------------------------------------------------ expansion

_EXPANDED: dict[str, tuple[Check, ...]] = {}


def expand(fmt: Format) -> tuple[Check, ...]:
    """Every check of a format, in declaration order (cached per format)."""
    if fmt.code not in _EXPANDED:
        checks: list[Check] = []
        for rule in fmt.rules:
            checks.extend(_EXPANDERS[rule.kind](fmt, rule))
        ids = [c.id for c in checks]
        assert len(ids) == len(set(ids)), "check ids must be unique"
        _EXPANDED[fmt.code] = tuple(checks)
    return _EXPANDED[fmt.code]


def _term(table: str, row: str, column: str, coef: int, ref: str, by: str) -> Term:
    previous = ref.startswith("prev:")
    name = ref.removeprefix("prev:")
    if by == "row":
        return Term(coef, cell_key(table, name, column), previous)
    return Term(coef, cell_key(table, row, name), previous)


def _check(rule: Rule, label: str, lhs, rhs, op: str = "") -> Check:
    message = rule.wording.format(label=label)
    check_id = f"{rule.id}:{lhs[0].key}"
    return Check(rule.id, check_id, rule.severity, message, op or rule.op, tuple(lhs), tuple(rhs))


def _cell_name(row: Row, column) -> str:
    return f"{row.name}·{column.name}" if row.cells else column.name


def _expand_per_column(fmt: Format, rule: Rule):
    table = fmt.table(rule.table)
    group = table.groups[0]
    for code in rule.columns:
        column = group.column(code)
        lhs = [_term(table.code, "", code, c, ref, "row") for c, ref in rule.lhs]
        rhs = [_term(table.code, "", code, c, ref, "row") for c, ref in rule.rhs]
        yield _check(rule, column.name, lhs, rhs)


def _expand_per_row(fmt: Format, rule: Rule):
    table = fmt.table(rule.table)
    for _, row in table.rows():
        if row.code not in rule.rows:
            continue
        lhs = [_term(table.code, row.code, "", c, ref, "column") for c, ref in rule.lhs]
        rhs = [_term(table.code, row.code, "", c, ref, "column") for c, ref in rule.rhs]
        yield _check(rule, row.name, lhs, rhs)


def _expand_sum_columns(fmt: Format, rule: Rule):
    table = fmt.table(rule.table)
    for group, row in table.rows():
        for column in group.columns:
            if not column.computed or (rule.columns and column.code not in rule.columns):
                continue
            lhs = [Term(1, cell_key(table.code, row.code, column.code))]
            rhs = [Term(1, cell_key(table.code, row.code, part)) for part in column.sum_of]
            yield _check(rule, row.name, lhs, rhs)


def _expand_sum_rows(fmt: Format, rule: Rule):
    table = fmt.table(rule.table)
    for group, row in table.rows():
        if not row.computed:
            continue
        for column in group.columns:
            lhs = [Term(1, cell_key(table.code, row.code, column.code))]
            rhs = [Term(1, cell_key(table.code, part, column.code)) for part in row.sum_of]
            yield _check(rule, column.name, lhs, rhs)


def _expand_non_negative(fmt: Format, rule: Rule):
    table = fmt.table(rule.table)
    for _, row, column in table.cells():
        if column.kind == Kind.SIGNED:
            continue
        lhs = [Term(1, cell_key(table.code, row.code, column.code))]
        yield _check(rule, _cell_name(row, column), lhs, [], op=">=")


_EXPANDERS = {
    "per_column": _expand_per_column,
    "per_row": _expand_per_row,
    "sum_columns": _expand_sum_columns,
    "sum_rows": _expand_sum_rows,
    "non_negative": _expand_non_negative,
}


# ------------------------------------------------------------------ computed cells

_COMPUTED: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {}


def computed_cells(fmt: Format) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(cell, parts) for every computed total, in the order to compute them:
    column totals of ordinary rows first, then total rows (all columns)."""
    if fmt.code not in _COMPUTED:
        first, then = [], []
        for table in fmt.tables:
            for group, row in table.rows():
                for column in group.columns:
                    key = cell_key(table.code, row.code, column.code)
                    if row.computed:
                        then.append((key, tuple(cell_key(table.code, p, column.code) for p in row.sum_of)))
                    elif column.computed:
                        first.append((key, tuple(cell_key(table.code, row.code, p) for p in column.sum_of)))
        _COMPUTED[fmt.code] = tuple(first + then)
    return _COMPUTED[fmt.code]


def compute_totals(fmt: Format, values: Values) -> Values:
    """A copy of ``values`` with every computed total recomputed from its parts
    (blank when all parts are blank)."""
    result = dict(values)
    for key, parts in computed_cells(fmt):
        filled = [result.get(p) for p in parts if result.get(p) is not None]
        result[key] = sum(filled) if filled else None
    return result


# ------------------------------------------------------------------ evaluation


def format_number(value) -> str:
    return display(value)


def _side_value(terms, values: Values, previous: Values | None):
    """(sum, shown values) or None when a previous-year term is unavailable."""
    total, shown = 0, []
    for term in terms:
        if term.previous:
            if previous is None or previous.get(term.key) is None:
                return None
            value = previous[term.key]
        else:
            value = values.get(term.key)
            value = 0 if value is None else value
        total += term.coef * value
        shown.append((term.coef, value))
    return total, shown


def _show(shown, total) -> str:
    if not shown:
        return "0"
    if len(shown) > MAX_TERMS_SHOWN:
        return format_number(total)
    parts = []
    for index, (coef, value) in enumerate(shown):
        text = format_number(value)
        if index == 0:
            parts.append(("−" if coef < 0 else "") + text)
        else:
            parts.append(("− " if coef < 0 else "+ ") + text)
    return " ".join(parts)


def _holds(op: str, lhs, rhs) -> bool:
    if op == "==":
        return lhs == rhs
    if op == "<=":
        return lhs <= rhs
    return lhs >= rhs


def evaluate(fmt: Format, values: Values, previous: Values | None = None) -> list[Finding]:
    """Every failing check of ``values`` (a report's cells), in declaration order.

    ``previous`` is the previous year's report of the same agency, if any."""
    findings = []
    for check in expand(fmt):
        left = _side_value(check.lhs, values, previous)
        right = _side_value(check.rhs, values, previous)
        if left is None or right is None or _holds(check.op, left[0], right[0]):
            continue
        detail = f"{_show(left[1], left[0])} {FAIL_SYMBOL[check.op]} {_show(right[1], right[0])}"
        terms = check.lhs + check.rhs
        findings.append(
            Finding(
                rule=check.rule,
                check=check.id,
                severity=check.severity.value,
                message=f"{check.message}：{detail}",
                cells=_unique(t.key for t in terms if not t.previous),
                previous_cells=_unique(t.key for t in terms if t.previous),
                lhs=left[0],
                rhs=right[0],
                difference=left[0] - right[0],
                wording=check.message,
            )
        )
    return findings


def _unique(keys) -> list[str]:
    return list(dict.fromkeys(keys))


def has_errors(findings) -> bool:
    return any(f.severity == Severity.ERROR.value for f in findings)


def rules_json(fmt: Format) -> dict:
    """The expanded checks and computed-cell formulas, for the browser engine."""
    return {
        "format": fmt.code,
        "maxTermsShown": MAX_TERMS_SHOWN,
        "severityLabels": {severity.value: severity.label for severity in Severity},
        "checks": [c.as_json() for c in expand(fmt)],
        "computed": [[key, list(parts)] for key, parts in computed_cells(fmt)],
    }
