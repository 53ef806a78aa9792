"""python manage.py check_report PATH… [--json | --csv]: check a published report: its arithmetic
(blank cells are not reported: a rule reading one is a warning that it could not be checked),
its structure (sections, headings, title, period, sections 五 and 六), what its sentences
say against its tables (N- checks) and the import notes.

One file prints every finding. Several paths, a folder (walked recursively) or a ``.zip``
make a batch (``importers.batch``): a progress bar on a terminal, then one summary row per
file (as a table, or ``--json``/``--csv``)."""

import json as jsonlib
import unicodedata

from django.core.management.base import BaseCommand, CommandError

from disclosure.formats.checks import has_errors
from disclosure.formats.spec import Severity
from disclosure.importers.batch import (
    HEADINGS,
    HEADINGS_ZH,
    batch_exit_code,
    check_batch,
    is_batch,
    row_values,
)
from disclosure.importers.console import as_json, describe, finding_lines, summary
from disclosure.importers.detect import parse_report_path
from disclosure.importers.text import ReportParseError
from disclosure.oversight.exports import csv_bytes
from disclosure.reports.services import check_parsed

EXIT_FINDINGS = 1
EXIT_UNREADABLE = 2


class Command(BaseCommand):
    help = (
        "检查已发布的年度报告（文本格式）：列出全部勾稽关系问题和导入提示；有错误时退出码为1，无法读取时为2。"
        "给出多个路径、文件夹（含子文件夹）或 .zip 压缩包时批量检查，输出每个文件一行的汇总表"
        "（--json/--csv 输出同一汇总）；一个文件无法读取不影响其他文件。"
        "批量检查的退出码：任一文件有错误为1；没有错误但有文件无法读取为2；否则为0。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", metavar="path", help="报告文件、文件夹或 .zip 压缩包（可多个）"
        )
        parser.add_argument(
            "--json", action="store_true", help="以 JSON 输出（单个文件：问题列表；批量：汇总）"
        )
        parser.add_argument("--csv", action="store_true", help="以 CSV 输出汇总（批量）")

    def handle(self, *args, paths, json=False, csv=False, **options):
        if csv or is_batch(paths):
            return self.handle_batch(paths, as_csv=csv, as_json=json)
        path = paths[0]
        try:
            parsed = parse_report_path(path)
        except (ReportParseError, OSError) as exc:
            raise CommandError(f"无法读取 {path}：{exc}", returncode=EXIT_UNREADABLE) from exc
        findings, previous = check_parsed(parsed)
        if json:
            self.stdout.write(as_json(findings, parsed.notes))
        else:
            self.stdout.write(describe(parsed))
            if previous is not None:
                self.stdout.write(f"跨年度核对使用数据库中的上年报告：{previous.display_title}")
            else:
                self.stdout.write("没有上年报告，跨年度规则未检查。")
            for line in finding_lines(findings, parsed.notes):
                self.stdout.write(line)
            self.stdout.write(summary(findings, parsed.notes))
        if has_errors(findings):
            errors = sum(1 for f in findings if f.severity == Severity.ERROR.value)
            raise CommandError(f"发现 {errors} 个{Severity.ERROR.label}", returncode=EXIT_FINDINGS)

    def handle_batch(self, paths, *, as_csv: bool, as_json: bool):
        progress = ProgressBar(self.stdout) if self.stdout.isatty() and not (as_csv or as_json) else None
        rows = check_batch(paths, lambda parsed: check_parsed(parsed)[0], progress=progress)
        if as_json:
            self.stdout.write(jsonlib.dumps([row.as_json() for row in rows], ensure_ascii=False, indent=2))
        elif as_csv:
            text = csv_bytes(list(HEADINGS), [row_values(row) for row in rows]).decode("utf-8")
            self.stdout.write(text.removeprefix("\ufeff"), ending="")
        else:
            for line in summary_table(rows):
                self.stdout.write(line)
        code = batch_exit_code(rows)
        if code:
            errors = sum(1 for row in rows if row.errors)
            unreadable = sum(1 for row in rows if row.unreadable)
            raise CommandError(
                f"{len(rows)} 个文件中 {errors} 个有{Severity.ERROR.label}，{unreadable} 个无法读取",
                returncode=code,
            )


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def summary_table(rows) -> list[str]:
    """The batch summary as aligned columns (CJK characters count double), then the totals."""
    cells = [list(HEADINGS_ZH)] + [["" if v is None else str(v) for v in row_values(row)] for row in rows]
    widths = [max(width(line[i]) for line in cells) for i in range(len(HEADINGS_ZH) - 1)]
    lines = [
        "  ".join(cell + " " * (widths[i] - width(cell)) for i, cell in enumerate(line[:-1]))
        + "  "
        + line[-1]
        for line in cells
    ]
    errors = sum(1 for row in rows if row.errors)
    unreadable = sum(1 for row in rows if row.unreadable)
    lines.append(f"共 {len(rows)} 个文件：{errors} 个有{Severity.ERROR.label}，{unreadable} 个无法读取")
    return [line.rstrip() for line in lines]


class ProgressBar:
    """``[#####.....] 12/200 name`` redrawn in place on a terminal, cleared at the end."""

    WIDTH = 30

    def __init__(self, out):
        self.out = out

    def __call__(self, done: int, total: int, name: str):
        if done >= total:
            self.out.write("\r\x1b[2K", ending="")
            self.out.flush()
            return
        filled = self.WIDTH * done // max(total, 1)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self.out.write(f"\r\x1b[2K[{bar}] {done}/{total} {name[-60:]}", ending="")
        self.out.flush()
