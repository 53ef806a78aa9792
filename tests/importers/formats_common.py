"""Comparing a report read from a container with the text form of the same sample."""

from disclosure.reports.services import check_parsed
from tests.importers.samples import parse_sample


def findings_key(parsed):
    findings, _ = check_parsed(parsed)
    return sorted((f.rule, f.severity, tuple(f.cells)) for f in findings)


def notes_key(parsed):
    return sorted((n.kind, tuple(n.cells)) for n in parsed.notes)


def assert_same_as_text(number: str, parsed):
    want = parse_sample(number)
    assert parsed.values == want.values
    assert (parsed.title, parsed.year, parsed.agency_name) == (want.title, want.year, want.agency_name)
    assert parsed.narratives == want.narratives
    assert notes_key(parsed) == notes_key(want)
    assert findings_key(parsed) == findings_key(want)
