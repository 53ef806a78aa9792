"""Warnings about deviations from the template that the importer tolerated."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ImportNote:
    """A deviation from the template (a warning); ``message`` names the line and cells."""

    message: str
    line: int | None = None
    cells: list[str] = field(default_factory=list)
    # title / year / heading / missing_heading / missing_section / extra_text /
    # header / label / alias / blank / unit / collapsed / annotated / nil
    # (headings, missing sections and the title are structure findings, formats.structure)
    kind: str = ""

    def as_json(self) -> dict:
        """The shape of ``Finding.as_json()``, with rule ``IMPORT``."""
        return {
            "rule": "IMPORT",
            "check": f"IMPORT:{self.kind}:{self.line or 0}",
            "severity": "warning",
            "message": self.message,
            "cells": list(self.cells),
            "previous_cells": [],
            "lhs": None,
            "rhs": None,
            "difference": None,
            "wording": "",
            "line": self.line,
            "kind": self.kind,
        }
