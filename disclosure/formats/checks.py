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

Python only (not in the browser): the ``"unknown"`` blank policy for published
reports, and T2-3, which needs the agency's level (see ``evaluate``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal

from .common import AGENCY_RULES
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
    lhs: int | Decimal | None  # None: not a numeric finding (a blank operand, a structure rule)
    rhs: int | Decimal | None
    difference: int | Decimal | None
    wording: str = field(default="", compare=False)

    @property
    def severity_label(self) -> str:
        return Severity(self.severity).label

    def as_json(self) -> dict:
        data = asdict(self)
        for name in ("lhs", "rhs", "difference"):
            data[name] = None if data[name] is None else format_number(data[name])
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


def _message(rule: Rule, label: str) -> str:
    """The rule's wording for one row or column; a label with brackets of its own
    (（一）予以公开, 本年收费金额（单位：万元）) is quoted 「…」 instead of being
    bracketed again, so no message prints “（（” or “））”."""
    if "（{label}）" in rule.wording and "（" in label:
        return rule.wording.replace("（{label}）", "「{label}」").format(label=label)
    return rule.wording.format(label=label)


def _check(rule: Rule, label: str, lhs, rhs, op: str = "") -> Check:
    message = _message(rule, label)
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


BLANK_POLICIES = ("zero", "unknown")
UNCHECKED_CELLS_SHOWN = 3  # a long list would bury the message
UNCHECKED_SUFFIX = ":blank"


def evaluate(
    fmt: Format,
    values: Values,
    previous: Values | None = None,
    blanks: str = "zero",
    maker_of_rules: bool | None = None,
) -> list[Finding]:
    """Every failing check of ``values`` (a report's cells), in declaration order.

    ``previous`` is the previous year's report of the same agency, if any.

    ``blanks`` is the blank policy. ``"zero"`` (the edit page and the browser
    engine): a blank cell counts as 0. ``"unknown"`` (published reports): a blank
    cell was not reported, so a check that reads one cannot be checked; it
    becomes a warning "无法检查：…" naming the blank cells (check id with
    ``UNCHECKED_SUFFIX``), never an error. A non-negativity check of a blank cell
    is passed over (a blank is not negative; the importer reports the blank).

    ``maker_of_rules``: whether the agency may make 规章 (None: not known). When
    False, every non-zero 规章 figure is a warning (T2-3, ``common.AGENCY_RULES``)."""
    if blanks not in BLANK_POLICIES:
        raise ValueError(f"blank policy must be one of {BLANK_POLICIES}, not {blanks!r}")
    findings = []
    for check in expand(fmt):
        if blanks == "unknown":
            missing = _blank_operands(check, values)
            if missing:
                finding = _unchecked(fmt, check, missing, values, previous)
                if finding is not None:
                    findings.append(finding)
                continue
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
    if maker_of_rules is False:
        findings.extend(_rule_maker_findings(fmt, values))
    return findings


def _blank_operands(check: Check, values: Values) -> list[str]:
    """The current-year cells of ``check`` that are blank."""
    return _unique(t.key for t in check.lhs + check.rhs if not t.previous and values.get(t.key) is None)


def _unchecked(fmt: Format, check: Check, missing: list[str], values: Values, previous: Values | None):
    """The warning for a check that reads a blank cell (None when there is nothing to check)."""
    if not check.rhs and len(check.lhs) == 1:
        return None  # non-negativity of a blank cell
    if any(t.previous for t in check.lhs + check.rhs) and (
        previous is None or any(previous.get(t.key) is None for t in check.lhs + check.rhs if t.previous)
    ):
        return None  # a cross-year check without last year's figures is skipped, as always
    terms = check.lhs + check.rhs
    names = "、".join(fmt.cell_label(key) for key in missing[:UNCHECKED_CELLS_SHOWN])
    if len(missing) > UNCHECKED_CELLS_SHOWN:
        names += f"等{len(missing)}个单元格"
    return Finding(
        rule=check.rule,
        check=check.id + UNCHECKED_SUFFIX,
        severity=Severity.WARNING.value,
        message=f"无法检查：{check.message}（以下单元格未填写：{names}）",
        cells=missing,
        previous_cells=_unique(t.key for t in terms if t.previous),
        lhs=None,
        rhs=None,
        difference=None,
        wording=check.message,
    )


def _rule_maker_findings(fmt: Format, values: Values) -> list[Finding]:
    """T2-3: an agency that may not make 规章 reports 规章 figures."""
    findings = []
    for rule in AGENCY_RULES:
        table = fmt.table(rule.table)
        for group, row in table.rows():
            if row.code not in rule.rows:
                continue
            keys = [cell_key(table.code, row.code, c.code) for c in group.columns]
            reported = [k for k in keys if values.get(k)]
            if not reported:
                continue
            total = sum(values[k] for k in reported)
            shown = "、".join(f"{fmt.locate(k)[3].name} {format_number(values[k])}" for k in reported)
            message = rule.wording.format(label=row.name)
            findings.append(
                Finding(
                    rule=rule.id,
                    check=f"{rule.id}:{table.code}.{row.code}",
                    severity=rule.severity.value,
                    message=f"{message}：{shown}",
                    cells=reported,
                    previous_cells=[],
                    lhs=total,
                    rhs=0,
                    difference=total,
                    wording=message,
                )
            )
    return findings


def _unique(keys) -> list[str]:
    return list(dict.fromkeys(keys))


def has_errors(findings) -> bool:
    return any(f.severity == Severity.ERROR.value for f in findings)


def prefill_checks(fmt: Format) -> tuple[Check, ...]:
    """The expanded checks of the rules named by ``fmt.prefill_from``: each
    pre-fills its one left-hand cell with its right-hand side."""
    checks = tuple(c for c in expand(fmt) if c.rule in fmt.prefill_from)
    for check in checks:
        assert check.op == "==" and len(check.lhs) == 1 and not check.lhs[0].previous, check.id
    return checks


def prefill_values(fmt: Format, values: Values, previous: Values | None) -> Values:
    """Cell → suggested value of every pre-filled cell (blank current cells
    count as 0; no suggestion when a previous-year operand is unavailable).
    Mirrored by ``prefillValues`` in rules.js."""
    suggested = {}
    for check in prefill_checks(fmt):
        side = _side_value(check.rhs, values, previous)
        if side is not None:
            suggested[check.lhs[0].key] = side[0]
    return suggested


def rules_json(fmt: Format) -> dict:
    """The expanded checks and computed-cell formulas, for the browser engine;
    ``prefill``: [cell, right-hand terms] of each pre-filled cell."""
    return {
        "format": fmt.code,
        "maxTermsShown": MAX_TERMS_SHOWN,
        "severityLabels": {severity.value: severity.label for severity in Severity},
        "checks": [c.as_json() for c in expand(fmt)],
        "computed": [[key, list(parts)] for key, parts in computed_cells(fmt)],
        "prefill": [[c.lhs[0].key, c.as_json()["rhs"]] for c in prefill_checks(fmt)],
    }
