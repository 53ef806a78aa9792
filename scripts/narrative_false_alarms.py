"""False-alarm rate of the narrative checks: every sentence with a number in the
five sample reports (tables taken as printed) and in the silent cases of the
test corpus; a finding on any of them is a false alarm.

Run: .venv/bin/python scripts/narrative_false_alarms.py"""

import glob
import json
import re
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from disclosure.formats.narrative import evaluate_narrative  # noqa: E402
from disclosure.importers.text import parse_report_file  # noqa: E402

NUMBER = re.compile(r"[0-9０-９零〇一二两三四五六七八九十百千]")


def sentences(text):
    return [s for s in re.split(r"[。！？\n]", text or "") if NUMBER.search(s)]


def main():
    total = alarms = 0
    for path in sorted(glob.glob(str(ROOT / "fixtures" / "published" / "*.txt"))):
        report = parse_report_file(path)
        for section, text in report.narratives.items():
            for s in sentences(text):
                total += 1
                alarms += bool(
                    evaluate_narrative(report.format, {section: s}, report.values, year=report.year)
                )
    cases = json.loads((ROOT / "tests" / "cases" / "narrative_cases.json").read_text("utf-8"))["cases"]
    for case in cases:
        if case["expected"]:
            continue
        values = {k: Decimal(v) if isinstance(v, str) else v for k, v in case["values"].items()}
        for section, text in case["narratives"].items():
            for s in sentences(text):
                total += 1
                alarms += bool(evaluate_narrative(case["format"], {section: s}, values, year=case["year"]))
    print(f"sentences with numbers: {total}, false alarms: {alarms}, rate: {alarms / total:.2%}")


if __name__ == "__main__":
    main()
