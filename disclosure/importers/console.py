"""How the import and check commands print findings and import notes."""

from __future__ import annotations

import json

from disclosure.formats.checks import Finding
from disclosure.formats.spec import Severity

from .text import ImportNote, ParsedReport


def finding_lines(findings: list[Finding], notes: list[ImportNote]) -> list[str]:
    """Errors first, then the checker's warnings, then the importer's notes."""
    ordered = sorted(findings, key=lambda f: f.severity != Severity.ERROR.value)
    lines = [f"[{f.severity_label}] {f.rule} {f.message}" for f in ordered]
    lines += [f"[{Severity.WARNING.label}] 导入 {n.message}" for n in notes]
    return lines


def summary(findings: list[Finding], notes: list[ImportNote]) -> str:
    errors = sum(1 for f in findings if f.severity == Severity.ERROR.value)
    warnings = len(findings) - errors + len(notes)
    error, warning = Severity.ERROR.label, Severity.WARNING.label
    return f"共 {errors} 个{error}、{warnings} 个{warning}（其中导入提示 {len(notes)} 条）"


def describe(parsed: ParsedReport) -> str:
    agency = parsed.agency_name or "（未识别机关）"
    return f"{parsed.title}（{agency}，{parsed.year}年，{parsed.format.name}）"


def as_json(findings: list[Finding], notes: list[ImportNote]) -> str:
    data = [f.as_json() for f in findings] + [n.as_json() for n in notes]
    return json.dumps(data, ensure_ascii=False, indent=2)
