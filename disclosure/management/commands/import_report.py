"""python manage.py import_report PATH [--agency NAME] [--year N]: save a published report."""

from django.core.management.base import BaseCommand, CommandError

from disclosure.importers.console import describe, finding_lines, summary
from disclosure.importers.text import ReportParseError, parse_report_file, save_parsed_report
from disclosure.reports.models import AnnualReport, Status
from disclosure.reports.services import check_report

EXIT_UNREADABLE = 2


class Command(BaseCommand):
    help = (
        "导入已发布的年度报告（文本格式）；机关和年度默认从标题识别，同一机关同一年度再次导入会覆盖原报告。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="报告文本文件")
        parser.add_argument("--agency", help="机关名称（默认从标题识别）")
        parser.add_argument("--year", type=int, help="年度（默认从标题识别）")
        parser.add_argument(
            "--status",
            default=Status.APPROVED,
            choices=Status.values,
            help="导入后的状态（默认 approved：已发布）",
        )

    def handle(self, *args, path, agency=None, year=None, status=Status.APPROVED, **options):
        try:
            parsed = parse_report_file(path, year=year)
            name = agency or parsed.agency_name
            existed = AnnualReport.objects.filter(agency__name=name, year=year or parsed.year).exists()
            report = save_parsed_report(parsed, agency_name=agency, year=year, status=status)
        except (ReportParseError, OSError) as exc:
            raise CommandError(f"未导入 {path}：{exc}", returncode=EXIT_UNREADABLE) from exc
        self.stdout.write(describe(parsed))
        action = "已更新（该机关该年度的报告已存在，内容已被覆盖）" if existed else "已新建"
        self.stdout.write(
            f"{action}：{report.agency.name} {report.year}年报告（编号 {report.pk}，版本 {report.version}，"
            f"状态：{report.get_status_display()}）"
        )
        findings = check_report(report)
        for line in finding_lines(findings, parsed.notes):
            self.stdout.write(line)
        self.stdout.write(summary(findings, parsed.notes))
