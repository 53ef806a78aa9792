"""The five published sample reports (fixtures/published) and text surgery for tests."""

import re
from pathlib import Path

from disclosure.importers.text import parse_report_text

PUBLISHED = Path(__file__).resolve().parents[2] / "fixtures" / "published"
SAMPLES = {path.name[:3]: path for path in sorted(PUBLISHED.glob("*.txt"))}


def sample_text(number: str) -> str:
    return SAMPLES[number].read_text(encoding="utf-8")


def parse_sample(number: str):
    return parse_report_text(sample_text(number), source=SAMPLES[number].name)


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def set_row(text: str, label: str, cells: list[str]) -> str:
    """Replace the data cells that follow the (unique) label cell ``\\t<label>``."""
    pattern = re.compile(rf"(\t{re.escape(label)}\n)((?:\t[^\n]*\n){{{len(cells)}}})")
    assert len(pattern.findall(text)) == 1, label
    return pattern.sub(lambda m: m.group(1) + "".join(f"\t{c}\n" for c in cells), text)


def line_of(text: str, fragment: str) -> int:
    """1-based number of the (unique) line containing ``fragment``."""
    numbers = [n for n, line in enumerate(text.splitlines(), 1) if fragment in line]
    assert len(numbers) == 1, (fragment, numbers)
    return numbers[0]
