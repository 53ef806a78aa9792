"""The whole report checked: the numeric rules, the structure rules and the
narrative ↔ table checks, in one call, for a report being typed or a published one.

Every consumer that lists a report's findings (the edit and review pages,
``check_report``, ``import_report``, the workflow's submit) goes through
``check_whole`` so they cannot disagree about what is wrong."""

from __future__ import annotations

from .checks import Finding, evaluate
from .narrative import evaluate_narrative
from .spec import Format
from .structure import Outline, check_structure


def check_whole(
    fmt: Format,
    values: dict,
    previous: dict | None,
    outline: Outline,
    *,
    blanks: str = "zero",
    maker_of_rules: bool | None = None,
) -> list[Finding]:
    """Numeric findings (``blanks``: "zero" while typing, "unknown" for a published
    report), then structure, then narrative findings. ``values`` are the cells as
    stored or published, totals included (the narrative quotes the printed totals)."""
    numeric = evaluate(fmt, values, previous, blanks=blanks, maker_of_rules=maker_of_rules)
    structure = check_structure(fmt, outline)
    narrative = evaluate_narrative(fmt, outline.narratives, values, previous, year=outline.year)
    return numeric + structure + narrative
