"""The narrative engine: sentences that quote a number the tables contradict.

Reads the declarations of ``phrases.py`` (the matching rules are described
there); ``static/disclosure/js/narrative.js`` is its browser twin.

Comparison (``stated`` is the number written, ``v`` the table quantity):

- exact: a count must equal; money and percentages are rounded statements, so
  they hold within one unit of the last written digit (83% holds for 82–84,
  5949.09万元 for 5949.08–5949.10);
- 近N: 0.9·N ≤ v ≤ N; 约N / N左右 / N上下: |v − N| ≤ max(10 % of N, 1);
- N余 / N多: N < v < N + 10^k (k the trailing zeros of N, at least 1: 50余 is
  51–59, 两百余 201–299); N以上 / N之多: v ≥ N; 超过/逾/多于N: v > N;
  不足/不到/少于N: v < N; N至M / N-M: N ≤ v ≤ M;
- a table quantity whose cells are all blank is unknown: no finding (the
  tables may not be filled in yet);
- ``also`` sums that the wording may equally mean are accepted silently;
- 同比/较上年 needs the previous year's report (``previous``), else silence.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, replace

from . import FORMATS
from .checks import Finding
from .phrases import (
    APPROX_RATIO,
    CHANGE_UP,
    CLAUSE_END,
    COUNT_UNITS,
    LEAD_CHARS,
    MONEY_UNITS,
    NOT_BEFORE,
    PERCENT_UNITS,
    PREFIX_CHARS,
    SCOPE,
    SENTENCE_END,
    TAIL_CHARS,
    TAIL_END,
    TOKEN,
    TOPIC,
    TOPIC_OF,
    NarrativeCheck,
    narrative_checks,
)
from .spec import Format
from .values import display


@dataclass(frozen=True)
class NarrativeFinding(Finding):
    """A ``Finding`` of a narrative check: ``lhs`` is the stated number, ``rhs``
    the table quantity; plus where the sentence is."""

    section: str = ""  # narrative code: general, problems, other_matters
    text: str = ""  # the clause quoted
    stated: str = ""  # the token as written: 52件, 近50件, 83%
    actual: str = ""  # the table quantity as shown in the message
    start: int = 0  # offsets of the token in the section text
    end: int = 0


_TOKEN = re.compile(TOKEN)
_SCOPE = {name: re.compile(pattern) for name, pattern in SCOPE.items()}
_TOPIC = re.compile(TOPIC)
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_COMPILED: dict[str, tuple] = {}


def _compiled(fmt: str):
    if fmt not in _COMPILED:
        result = []
        for check in narrative_checks(fmt):
            phrases = tuple(
                (
                    re.compile(p.pattern),
                    re.compile(p.exclude) if p.exclude else None,
                    re.compile(p.sentence) if p.sentence else None,
                    re.compile(p.sentence_not) if p.sentence_not else None,
                )
                for p in check.phrases
            )
            result.append((check, phrases))
        _COMPILED[fmt] = tuple(result)
    return _COMPILED[fmt]


# ------------------------------------------------------------------ numbers


def parse_number(text: str) -> float:
    """Arabic (with thousands separators) or Chinese numerals → a number."""
    if text[0] in "0123456789":
        return float(text.replace(",", ""))
    total = section = digit = 0
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            section += (digit or 1) * _CN_UNITS[ch]
            digit = 0
        else:  # 万
            total += (section + digit or 1) * 10000
            section = digit = 0
    return total + section + digit


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


@dataclass
class Token:
    start: int
    end: int
    text: str
    approx_before: str
    value: float
    upper: float | None
    multiplier: str
    approx_suffix: str
    unit: str
    approx_after: str
    decimals: int


def _tokens(sentence: str) -> list[Token]:
    found = []
    for m in _TOKEN.finditer(sentence):
        start = m.start()
        if start > 0 and sentence[start - 1] in NOT_BEFORE:
            continue
        value = parse_number(m.group(2))
        upper = parse_number(m.group(3)) if m.group(3) else None
        mult = m.group(4) or ""
        factor = 10000 if mult == "万" else 1000 if mult == "千" else 1
        found.append(
            Token(
                start,
                m.end(),
                m.group(0),
                m.group(1) or "",
                value * factor,
                None if upper is None else upper * factor,
                mult,
                m.group(5) or "",
                m.group(6),
                m.group(7) or "",
                _decimals(m.group(2)),
            )
        )
    return found


def _unit_kind(unit: str) -> str:
    if unit in PERCENT_UNITS:
        return "percent"
    if unit in MONEY_UNITS:
        return "money"
    return "count" if unit in COUNT_UNITS else ""


_ACCEPTS = {
    "count": "count",
    "money": "money",
    "percent": "percent",
    "share": "percent",
    "change": "",  # both counts and percentages
    "claim": "none",
}


def holds(token: Token, actual: float, kind: str) -> bool:
    """Whether the stated token agrees with the table quantity (see the module doc)."""
    n = token.value
    tol = 0.0 if kind == "count" and token.decimals == 0 else 10.0**-token.decimals
    if kind != "count" and token.decimals == 0:
        tol = 1.0
    eps = 1e-9
    if token.upper is not None:
        return n - tol - eps <= actual <= token.upper + tol + eps
    before, after, suffix = token.approx_before, token.approx_after, token.approx_suffix
    if before in ("近", "将近", "接近"):
        return n * (1 - APPROX_RATIO) - tol - eps <= actual <= n + tol + eps
    if before in ("约", "大约") or after in ("左右", "上下"):
        return abs(actual - n) <= max(n * APPROX_RATIO, 1.0, tol) + eps
    if before in ("超过", "逾", "多于"):
        return actual > n - eps
    if before in ("不足", "不到", "少于"):
        return actual < n + eps
    if suffix:
        zeros = 0
        whole = int(n)
        while whole and whole % 10 == 0:
            zeros += 1
            whole //= 10
        return n - eps < actual < n + 10 ** max(zeros, 1) + eps
    if after in ("以上", "之多"):
        return actual >= n - eps
    return abs(actual - n) <= tol + eps


# ------------------------------------------------------------------ scope


def _in_scope(prefix: str, year: int | None) -> bool:
    text = _SCOPE["whole_year"].sub("", prefix)
    text = _SCOPE["comparison"].sub("", text)
    if _SCOPE["sub_unit"].search(text) or _SCOPE["period"].search(text) or _SCOPE["other_year"].search(text):
        return False
    years = _SCOPE["year"].findall(text)
    return not years or year is None or int(years[-1]) == year


def infer_year(narratives: dict[str, str]) -> int | None:
    """The report year when the caller does not give it: the year most often
    written in the narratives (the later one on a tie)."""
    counts = Counter(int(y) for text in narratives.values() for y in _SCOPE["year"].findall(text or ""))
    if not counts:
        return None
    return max(counts, key=lambda y: (counts[y], y))


# ------------------------------------------------------------------ values


def _sum(cells, values) -> float | None:
    found = [values.get(c) for c in cells if values.get(c) is not None]
    if not cells or not found:
        return None
    return float(sum(found))


def show_number(value: float, kind: str) -> str:
    if kind == "percent":
        rounded = math.floor(value * 100 + 0.5) / 100
        text = f"{rounded:.2f}".rstrip("0").rstrip(".")
        return text + "%"
    if value == int(value):
        return str(int(value))
    return display(value)


def _show_cells(cells, values) -> str:
    total = 0
    exact = [values.get(c) for c in cells if values.get(c) is not None]
    for v in exact:
        total += v
    return display(total)


# ------------------------------------------------------------------ evaluation


def _bounds(sentence: str, token: Token) -> tuple[int, int]:
    start = token.start
    while start > 0 and sentence[start - 1] not in CLAUSE_END:
        start -= 1
    end = token.end
    while end < len(sentence) and sentence[end] not in CLAUSE_END:
        end += 1
    tail = token.end
    while tail < end and sentence[tail] not in TAIL_END:
        tail += 1
    return start, end, tail


def _sentences(text: str):
    start = 0
    for index, ch in enumerate(text):
        if ch in SENTENCE_END:
            if index > start:
                yield start, text[start:index]
            start = index + 1
    if start < len(text):
        yield start, text[start:]


def _topic(prefix: str) -> str:
    last = None
    for m in _TOPIC.finditer(prefix):
        last = m.group(0)
    if last is None:
        return ""
    return TOPIC_OF.get(last, "litigation")


def evaluate_narrative(
    fmt: Format | str,
    narratives: dict[str, str],
    values: dict,
    previous: dict | None = None,
    *,
    year: int | None = None,
) -> list[NarrativeFinding]:
    """Every narrative sentence whose stated quantity the tables contradict.

    ``narratives`` maps a narrative code (``general``…) to its text; ``values``
    are the report's cells (with totals), ``previous`` the previous year's
    report's cells if any; ``year`` the report year (inferred when omitted)."""
    code = fmt if isinstance(fmt, str) else fmt.code
    checks = _compiled(code)
    headings = _headings(code)
    if year is None:
        year = infer_year(narratives)
    findings: list[NarrativeFinding] = []
    for section, raw in narratives.items():
        if not raw:
            continue
        text = raw.translate(_FULLWIDTH)
        heading = headings.get(section, section)
        for offset, sentence in _sentences(text):
            _claims(code, checks, sentence, offset, section, heading, values, year, findings)
            tokens = _tokens(sentence)
            if not tokens:
                continue
            masked = list(sentence)
            for t in tokens:
                masked[t.start : t.end] = "§" * (t.end - t.start)
            masked_text = "".join(masked)
            last = None  # (check, token) of the previous compared count in this sentence
            for token in tokens:
                kind = _unit_kind(token.unit)
                if not kind:
                    continue
                start, end, tail_end = _bounds(sentence, token)
                lead = masked_text[max(start, token.start - LEAD_CHARS) : token.start]
                tail = masked_text[token.end : min(tail_end, token.end + TAIL_CHARS)]
                context = f"{lead}#{tail}"
                prefix = sentence[max(0, token.start - PREFIX_CHARS) : token.start]
                matched = _match(checks, kind, context, sentence)
                if matched is None:
                    continue
                check, match = matched
                if not _in_scope(prefix, year):
                    last = None
                    continue
                clause = sentence[start:end].strip()
                finding = _compare(
                    code,
                    check,
                    match,
                    token,
                    kind,
                    last,
                    values,
                    previous,
                    prefix,
                    clause,
                    section,
                    heading,
                    offset,
                )
                if finding is not None:
                    findings.append(finding)
                if check.kind == "count":
                    last = (check, token, prefix)
    return stable_ids(findings)


def stable_ids(findings: list[NarrativeFinding]) -> list[NarrativeFinding]:
    """Check ids that survive edits elsewhere in the text (a clerk's reason for a
    warning is kept by its id): rule, section and the number as written, with
    ``#2``, ``#3`` … for the same number stated again."""
    seen: dict[str, int] = {}
    stable = []
    for finding in findings:
        base = f"{finding.rule}:{finding.section}:{finding.stated}"
        seen[base] = seen.get(base, 0) + 1
        check = base if seen[base] == 1 else f"{base}#{seen[base]}"
        stable.append(replace(finding, check=check))
    return stable


def _headings(code: str) -> dict[str, str]:
    return {n.code: n.heading for n in _format(code).narratives}


def _format(code: str) -> Format:
    return FORMATS[code]


def _match(checks, kind: str, context: str, sentence: str):
    for check, phrases in checks:
        accepts = _ACCEPTS[check.kind]
        if accepts == "none" or (accepts and accepts != kind) or (not accepts and kind == "money"):
            continue
        for pattern, exclude, need, refuse in phrases:
            m = pattern.search(context)
            if m is None:
                continue
            if exclude is not None and exclude.search(context):
                continue
            if need is not None and not need.search(sentence):
                continue
            if refuse is not None and refuse.search(sentence):
                continue
            return check, m
    return None


def _cells_for(code: str, check: NarrativeCheck, prefix: str) -> tuple[str, ...]:
    if check.topics:
        topic = _topic(prefix)
        return check.topics.get(code, {}).get(topic, ())
    return check.cells.get(code, ())


def _compare(
    code, check, match, token, kind, last, values, previous, prefix, clause, section, heading, offset
):
    label = check.label
    if check.kind in ("count", "money", "percent"):
        cells = _cells_for(code, check, prefix)
        actual = _sum(cells, values)
        if actual is None:
            return None
        if check.kind == "money" and token.unit != check.cell_unit:
            actual = actual * 10000 if check.cell_unit == "万元" else actual / 10000
        if check.kind == "percent":
            denominator = _sum(check.denominator.get(code, ()), values)
            if not denominator:
                return None
            actual = 100 * actual / denominator
        if holds(token, actual, kind):
            return None
        for other in check.also.get(code, ()):
            alt = _sum(other, values)
            if alt is None:
                continue
            if check.kind == "percent":
                denominator = _sum(check.denominator.get(code, ()), values)
                alt = 100 * alt / denominator
            if holds(token, alt, kind):
                return None
        shown = show_number(actual, "percent" if check.kind == "percent" else "count")
        if check.kind == "money":
            shown = show_number(actual, "count") + token.unit
        return _finding(check, cells, (), token, actual, shown, label, clause, section, heading, offset)
    if last is None:
        return None
    base, base_token, base_prefix = last
    base_cells = _cells_for(code, base, base_prefix)
    if check.kind == "share":
        denominator_cells = base.share_of.get(code, ())
        part = _sum(base_cells, values)
        whole = _sum(denominator_cells, values)
        if part is None or not whole:
            return None
        actual = 100 * part / whole
        if holds(token, actual, "percent"):
            return None
        label = f"{base.label}{check.label}"
        return _finding(
            check,
            base_cells + denominator_cells,
            (),
            token,
            actual,
            show_number(actual, "percent"),
            label,
            clause,
            section,
            heading,
            offset,
        )
    # change: 同比 / 较上年
    if previous is None:
        return None
    now = _sum(base_cells, values)
    before = _sum(base_cells, previous)
    if now is None or before is None or any(previous.get(c) is None for c in base_cells):
        return None
    sign = 1 if match.group(1) in CHANGE_UP else -1
    if kind == "percent":
        if not before:
            return None
        actual = sign * 100 * (now - before) / before
    else:
        actual = sign * (now - before)
    if holds(token, actual, kind):
        return None
    label = f"{base.label}{check.label}{match.group(1)}"
    return _finding(
        check,
        base_cells,
        base_cells,
        token,
        actual,
        show_number(actual, kind),
        label,
        clause,
        section,
        heading,
        offset,
    )


def _finding(check, cells, previous_cells, token, actual, shown, label, clause, section, heading, offset):
    message = f'{heading}称"{clause}"，{label}为{shown}'
    return NarrativeFinding(
        rule=check.id,
        check=f"{check.id}:{section}:{offset + token.start}",
        severity=check.severity.value,
        message=message,
        cells=list(dict.fromkeys(cells)),
        previous_cells=list(dict.fromkeys(previous_cells)),
        lhs=token.value,
        rhs=actual,
        difference=token.value - actual,
        wording=check.name,
        section=section,
        text=clause,
        stated=token.text,
        actual=shown,
        start=offset + token.start,
        end=offset + token.end,
    )


def _claims(code, checks, sentence, offset, section, heading, values, year, findings) -> None:
    for check, phrases in checks:
        if check.kind != "claim":
            continue
        for pattern, exclude, need, refuse in phrases:
            m = pattern.search(sentence)
            if m is None or (need is not None and not need.search(sentence)):
                continue
            if refuse is not None and refuse.search(sentence):
                continue
            if exclude is not None and exclude.search(sentence):
                continue
            prefix = sentence[max(0, m.start() - PREFIX_CHARS) : m.start()]
            if not _in_scope(prefix, year):
                break
            topics = check.topics.get(code, {})
            groups = []
            if re.search("复议", sentence.replace("复议后起诉", "")):
                groups.append("review")
            if re.search("诉讼|起诉", sentence):
                groups.append("litigation")
            cells = tuple(c for g in groups for c in topics.get(g, ()))
            actual = _sum(cells, values)
            if actual is None or actual == 0:
                break
            parts = "、".join(f"{name}{display(v)}件" for name, v in _claim_parts(cells, values) if v)
            message = f'{heading}称"{sentence.strip()}"，{check.label}：{parts}'
            findings.append(
                NarrativeFinding(
                    rule=check.id,
                    check=f"{check.id}:{section}:{offset + m.start()}",
                    severity=check.severity.value,
                    message=message,
                    cells=list(cells),
                    previous_cells=[],
                    lhs=0,
                    rhs=actual,
                    difference=-actual,
                    wording=check.name,
                    section=section,
                    text=sentence.strip(),
                    stated=m.group(0),
                    actual=show_number(actual, "count"),
                    start=offset + m.start(),
                    end=offset + m.end(),
                )
            )
            break


_PART_NAMES = (("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结"))


def _claim_parts(cells, values):
    for suffix, name in _PART_NAMES:
        total = sum(values.get(c) or 0 for c in cells if c.endswith(suffix))
        yield name, total


__all__ = ["NarrativeFinding", "evaluate_narrative", "holds", "infer_year", "parse_number"]
