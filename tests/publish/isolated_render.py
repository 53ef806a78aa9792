"""Run as a script by the tests, in a process whose fontconfig sees no system
font (FONTCONFIG_FILE points at an empty configuration): renders each job to
OUTDIR/<name>.pdf and writes OUTDIR/warnings.json with WeasyPrint's warnings
per job. A job is ``name=PATH`` (a published text file, through the importer),
``name=:typical`` (the benchmark's report, as a draft) or ``name=:text:TEXT``
(that report with TEXT as its section 一)."""

import json
import logging
import os
import sys
from dataclasses import replace
from pathlib import Path

import django


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def render(source: str) -> bytes:
    # After django.setup() in main(): these modules read the settings.
    from disclosure.importers.text import parse_report_file  # noqa: PLC0415
    from disclosure.publish.bench import typical_document  # noqa: PLC0415
    from disclosure.publish.render import render_pdf  # noqa: PLC0415

    document = replace(typical_document(), draft=True)
    if source == ":typical":
        return render_pdf(document)
    if source.startswith(":text:"):
        narratives = {**document.narratives, "general": source.removeprefix(":text:")}
        return render_pdf(replace(document, narratives=narratives))
    return render_pdf(parse_report_file(source))


def main(outdir: str, jobs: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "disclosure.settings")
    django.setup()
    handler = Collect()
    logging.getLogger("weasyprint").addHandler(handler)
    warnings = {}
    for job in jobs:
        name, source = job.split("=", 1)
        handler.messages = []
        Path(outdir, f"{name}.pdf").write_bytes(render(source))
        warnings[name] = handler.messages
    Path(outdir, "warnings.json").write_text(json.dumps(warnings, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
