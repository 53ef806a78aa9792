"""Lost saves: every clerk's last confirmed saves compared with the database.

``python loadtest/verify.py RESULTS.json`` (run by loadtest/run.py with the load test's
``DATABASE_URL``) reads the ``saves`` the locust process wrote (report id → the cells and
narrative texts its confirmed saves stored, and the values of saves whose answer never
came) and prints one JSON line: ``lost_saves`` (cells or texts whose stored value is
neither the last confirmed one nor one of the unanswered saves' values), ``checked`` and
up to 20 ``examples``.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "disclosure.settings")

# Django after the project's path and settings, the models after django.setup()
import django

django.setup()

from disclosure.formats.values import ValueProblem, parse_cell  # noqa: E402
from disclosure.reports.edit_page import normalize_text  # noqa: E402
from disclosure.reports.models import AnnualReport  # noqa: E402
from disclosure.reports.values import load_values  # noqa: E402

EXAMPLES = 20


def parsed(text, column):
    try:
        return parse_cell(str(text), column)
    except ValueProblem:
        return text


def compare(saves: dict) -> dict:
    lost, checked, examples = 0, 0, []
    reports = AnnualReport.objects.in_bulk([int(pk) for pk in saves])
    for pk, saved in saves.items():
        report = reports[int(pk)]
        fmt, stored = report.format, load_values(report)
        doubt = saved.get("doubt", {})
        for key, text in saved.get("cells", {}).items():
            column = fmt.locate(key)[3]
            accepted = [parsed(t, column) for t in [text, *doubt.get(key, [])]]
            checked += 1
            if stored.get(key) not in accepted:
                lost += 1
                examples.append({"report": pk, "key": key, "saved": text, "stored": str(stored.get(key))})
        for name, text in saved.get("texts", {}).items():
            accepted = [normalize_text(t) for t in [text, *doubt.get(name, [])]]
            checked += 1
            if normalize_text(getattr(report, name)) not in accepted:
                lost += 1
                examples.append({"report": pk, "key": name, "saved": text, "stored": getattr(report, name)})
    return {"lost_saves": lost, "checked": checked, "examples": examples[:EXAMPLES]}


if __name__ == "__main__":
    results = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    print(json.dumps(compare(results.get("saves", {})), ensure_ascii=False))
