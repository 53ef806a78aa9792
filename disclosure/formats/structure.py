"""Checks of a report's structure: its six sections, their headings, the title,
the statistics period and what sections 五 and 六 must say (templates.md R-2, R-3, §7.7).

Pure Python, like the rest of ``formats``: the rules are declared in
``common.STRUCTURE_RULES``; the sections and their order come from
``layout.sections``. A report is described by an ``Outline``: an importer fills
in the headings it saw (``SeenHeading``); a report typed in the app has the
template's headings by construction (``headings=None``), so only its title and
texts are checked. Every finding is a warning with the shape of the numeric
findings (``checks.Finding``, no cells).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .checks import Finding
from .common import STRUCTURE_RULES
from .layout import sections
from .spec import Format, Rule

TEMPLATE_TITLE_END = "政府信息公开工作年度报告"
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_PERIOD = re.compile(
    r"((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日.{0,6}?至\s*((?:19|20)\d{2})\s*年\s*12\s*月\s*31\s*日"
)
# Section 五 (2021+): last year's problems and what was done about them.
_LAST_YEAR = r"(上一?年度?|去年|前一年度?|{previous}\s*年)"
_FIXED = r"(整改|改进|解决|落实)"
_REVIEW_WINDOW = 60  # characters between the two words
# Section 六 (2021+): the 信息处理费 statement, even when none was charged.
_FEES = re.compile(r"信息处理费|处理费|收费|收取.{0,8}费")


@dataclass(frozen=True)
class SeenHeading:
    """A section as an importer found it in the text."""

    number: str  # the section (一 … 六) it opens
    text: str  # the heading as printed; "" when a table had no heading before it
    line: int | None
    numbered: bool = True
    exact: bool = True  # the template's own words
    in_order: bool = True  # False: printed after a later section


@dataclass(frozen=True)
class Outline:
    """What the structure rules read from a report."""

    title: str
    year: int
    narratives: dict[str, str]
    preface: str = ""
    headings: tuple[SeenHeading, ...] | None = None  # None: a typed report (the template's headings)
    title_line: int | None = None


def rule(rule_id: str) -> Rule:
    for declared in STRUCTURE_RULES:
        if declared.id == rule_id:
            return declared
    raise KeyError(rule_id)


def check_structure(fmt: Format, outline: Outline) -> list[Finding]:
    """Every structure finding of a report, in rule order (all warnings)."""
    return (
        _sections(fmt, outline)
        + _title(outline)
        + _period(outline)
        + (_problems_reviewed(fmt, outline) + _fees_stated(fmt, outline) if fmt.first_year >= 2021 else [])
    )


# ------------------------------------------------------------------ findings


def _finding(rule_id: str, check: str, message: str, label: str = "") -> Finding:
    declared = rule(rule_id)
    wording = declared.wording.format(label=label)
    return Finding(
        rule=declared.id,
        check=f"{declared.id}:{check}",
        severity=declared.severity.value,
        message=message or wording,
        cells=[],
        previous_cells=[],
        lhs=None,
        rhs=None,
        difference=None,
        wording=wording,
    )


def _at(line: int | None) -> str:
    return f"第{line}行：" if line else ""


# ------------------------------------------------------------------ S-1, S-2, S-3


def _sections(fmt: Format, outline: Outline) -> list[Finding]:
    findings = []
    parts = sections(fmt)
    if outline.headings is None:  # typed: a narrative left empty is a missing part
        for section in parts:
            if section.narrative and not outline.narratives.get(section.narrative.code, "").strip():
                findings.append(
                    _finding("S-1", section.code, f"缺少“{section.heading}”部分（内容为空）", section.heading)
                )
        return findings
    seen = {h.number for h in outline.headings}
    for section in parts:
        if section.number not in seen:
            findings.append(_finding("S-1", section.code, f"缺少“{section.heading}”部分", section.heading))
    by_number = {s.number: s for s in parts}
    for heading in outline.headings:
        section = by_number[heading.number]
        where = _at(heading.line)
        if not heading.in_order:
            message = f"{where}标题“{heading.text}”出现在后面的部分之后，应按模板顺序排列"
            findings.append(_finding("S-3", f"{section.code}:{heading.line or 0}", message, section.heading))
        elif not heading.text:
            message = f"{where}表格前缺少标题“{section.heading}”"
            findings.append(_finding("S-2", f"{section.code}:missing", message, section.heading))
        elif not heading.numbered:
            message = f"{where}标题“{heading.text}”缺少编号，应为“{section.heading}”"
            findings.append(_finding("S-2", f"{section.code}:number", message, section.heading))
        elif not heading.exact:
            message = f"{where}标题“{heading.text}”与模板“{section.heading}”不一致"
            findings.append(_finding("S-2", f"{section.code}:wording", message, section.heading))
    order = {"S-1": 0, "S-2": 1, "S-3": 2}
    return sorted(findings, key=lambda f: order[f.rule])


# ------------------------------------------------------------------ S-4, S-5


def _normal(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def _title(outline: Outline) -> list[Finding]:
    """S-4: <机关>20XX年政府信息公开工作年度报告 (the year may come first; 年度 is accepted)."""
    title = _normal(outline.title)
    year_found = _YEAR.search(title)
    problems = []
    if not title.endswith(TEMPLATE_TITLE_END):
        problems.append(f"应以“{TEMPLATE_TITLE_END}”结尾")
    if not year_found:
        problems.append("缺少年度")
    agency = _YEAR.sub("", title, count=1).removesuffix(TEMPLATE_TITLE_END).removeprefix("度")
    if title.endswith(TEMPLATE_TITLE_END) and not agency.strip():
        problems.append("缺少机关名称")
    if not problems:
        return []
    message = (
        f"{_at(outline.title_line)}标题“{outline.title}”{'，'.join(problems)}"
        f"（模板：“<机关名称>{outline.year}年{TEMPLATE_TITLE_END}”）"
    )
    return [_finding("S-4", "title", message, str(outline.year))]


def _period(outline: Outline) -> list[Finding]:
    """S-5 (R-2): the title's year and the statistics period agree with the report's year."""
    findings = []
    year_found = _YEAR.search(_normal(outline.title))
    if year_found and int(year_found.group(1)) != outline.year:
        message = (
            f"{_at(outline.title_line)}标题中的年度{year_found.group(1)}年与报告年度{outline.year}年不一致"
        )
        findings.append(_finding("S-5", "title", message, "标题"))
    texts = [outline.preface, *outline.narratives.values()]
    for text in texts:
        found = _PERIOD.search(_normal(text))
        if found:
            start, end = int(found.group(1)), int(found.group(2))
            if start != outline.year or end != outline.year:
                message = (
                    f"统计期限“{found.group(0)}”与报告年度{outline.year}年不一致"
                    f"（应为{outline.year}年1月1日至{outline.year}年12月31日）"
                )
                findings.append(_finding("S-5", "period", message, "统计期限"))
            break
    return findings


# ------------------------------------------------------------------ S-6, S-7 (2021 format)


def _section_text(fmt: Format, number: str, outline: Outline) -> tuple[str, str] | None:
    """(heading, text) of a narrative section, or None when the report has no such part
    (S-1 already says so)."""
    for section in sections(fmt):
        if section.number == number and section.narrative:
            if outline.headings is not None and number not in {h.number for h in outline.headings}:
                return None
            return section.heading, outline.narratives.get(section.narrative.code, "")
    return None


def mentions_last_year_review(text: str, year: int) -> bool:
    """Whether a text speaks of last year's problems being fixed (上年度 … 整改 or similar)."""
    text = _normal(text)
    last_year = _LAST_YEAR.format(previous=year - 1)
    window = _REVIEW_WINDOW
    pattern = re.compile(rf"{last_year}.{{0,{window}}}?{_FIXED}|{_FIXED}.{{0,{window}}}?{last_year}")
    return bool(pattern.search(text))


def _problems_reviewed(fmt: Format, outline: Outline) -> list[Finding]:
    found = _section_text(fmt, "五", outline)
    if found is None or not found[1].strip() or mentions_last_year_review(found[1], outline.year):
        return []
    message = f"“{found[0]}”未说明上年度问题的整改情况（如“上年度问题整改情况”）"
    return [_finding("S-6", "problems", message)]


def _fees_stated(fmt: Format, outline: Outline) -> list[Finding]:
    found = _section_text(fmt, "六", outline)
    if found is None or _FEES.search(_normal(found[1])):
        return []
    written = _normal(found[1])
    shown = f"（原文“{written[:20]}{'…' if len(written) > 20 else ''}”）" if written else "（内容为空）"
    message = f"“{found[0]}”未说明信息处理费的收取情况{shown}，未收取也应写明“未收取信息处理费”"
    return [_finding("S-7", "other_matters", message)]


__all__ = ["Outline", "SeenHeading", "check_structure", "mentions_last_year_review"]
