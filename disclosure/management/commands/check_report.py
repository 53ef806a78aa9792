"""python manage.py check_report PATH [--json]: check a published report's arithmetic."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from disclosure.formats.checks import evaluate, has_errors
from disclosure.formats.spec import Severity
from disclosure.importers.console import as_json, describe, finding_lines, summary
from disclosure.importers.text import ReportParseError, parse_report_file
from disclosure.reports.models import AnnualReport
from disclosure.reports.services import load_values

EXIT_FINDINGS = 1
EXIT_UNREADABLE = 2


def saved_previous_values(parsed):
    """The same agency's saved report of the year before, if the database has one."""
    try:
        previous = AnnualReport.objects.filter(agency__name=parsed.agency_name, year=parsed.year - 1).first()
        return (previous, load_values(previous)) if previous else (None, None)
    except DatabaseError:  # no database yet: check the file on its own
        return None, None


class Command(BaseCommand):
    help = "检查已发布的年度报告（文本格式）：列出全部勾稽关系问题和导入提示；有错误时退出码为1。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="报告文本文件")
        parser.add_argument("--json", action="store_true", help="以 JSON 列表输出")

    def handle(self, *args, path, json=False, **options):
        try:
            parsed = parse_report_file(path)
        except (ReportParseError, OSError) as exc:
            raise CommandError(f"无法读取 {path}：{exc}", returncode=EXIT_UNREADABLE) from exc
        previous, previous_values = saved_previous_values(parsed)
        findings = evaluate(parsed.format, parsed.values, previous_values)
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
