"""python manage.py check_report PATH [--json]: check a published report: its arithmetic
(blank cells are not reported: a rule reading one is a warning that it could not be checked),
its structure (sections, headings, title, period, sections 五 and 六), what its sentences
say against its tables (N- checks) and the import notes."""

from django.core.management.base import BaseCommand, CommandError

from disclosure.formats.checks import has_errors
from disclosure.formats.spec import Severity
from disclosure.importers.console import as_json, describe, finding_lines, summary
from disclosure.importers.text import ReportParseError, parse_report_file
from disclosure.reports.services import check_parsed

EXIT_FINDINGS = 1
EXIT_UNREADABLE = 2


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
