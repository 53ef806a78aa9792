"""python manage.py import_report PATH [--agency NAME] [--year N] [--draft] [--force] [--user NAME]:
save a published report."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from disclosure.formats import FORMATS
from disclosure.importers.console import describe, finding_lines, summary
from disclosure.importers.detect import parse_report_path
from disclosure.importers.text import ReportParseError
from disclosure.reports.models import Agency, AnnualReport
from disclosure.reports.record import ImportRefused, save_import
from disclosure.reports.services import check_parsed

EXIT_UNREADABLE = 2
FIRST_YEAR = min(f.first_year for f in FORMATS.values())


class Command(BaseCommand):
    help = (
        "导入已发布的年度报告（文本格式）；机关和年度默认从标题识别。检查无错误的报告作为已发布报告存档，"
        "有错误的导入为草稿；导入记入审核记录。不会覆盖审核流程中或已通过的报告，覆盖草稿需 --force。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="报告文本文件")
        parser.add_argument("--agency", help="机关名称（默认从标题识别）")
        parser.add_argument("--year", type=int, help="年度（默认从标题识别）")
        parser.add_argument("--draft", action="store_true", help="导入为草稿（默认：无错误时作为已发布报告）")
        parser.add_argument("--force", action="store_true", help="覆盖该机关该年度已有的草稿")
        parser.add_argument("--user", help="记为导入人的用户名（默认记为本命令）")

    def handle(self, *args, path, agency=None, year=None, draft=False, force=False, user=None, **options):
        self._validate(agency, year)
        importer = self._user(user)
        try:
            parsed = parse_report_path(path, year=year)
            existed = AnnualReport.objects.filter(
                agency__name=(agency or parsed.agency_name).strip(), year=year or parsed.year
            ).exists()
            report = save_import(
                parsed, user=importer, agency_name=agency, year=year, draft=draft, force=force
            )
        except (ReportParseError, ImportRefused, OSError) as exc:
            raise CommandError(f"未导入 {path}：{exc}", returncode=EXIT_UNREADABLE) from exc
        self.stdout.write(describe(parsed))
        action = "已覆盖原草稿" if existed else "已新建"
        self.stdout.write(
            f"{action}：{report.agency.name} {report.year}年报告（编号 {report.pk}，版本 {report.version}，"
            f"状态：{report.get_status_display()}）"
        )
        findings, _ = check_parsed(parsed)  # what was published, as check_report prints it
        for line in finding_lines(findings, parsed.notes):
            self.stdout.write(line)
        self.stdout.write(summary(findings, parsed.notes))

    def _validate(self, agency, year) -> None:
        last = timezone.localdate().year
        if year is not None and not FIRST_YEAR <= year <= last:
            raise CommandError(
                f"年度 {year} 超出范围：应在 {FIRST_YEAR} 至 {last} 年之间", returncode=EXIT_UNREADABLE
            )
        limit = Agency._meta.get_field("name").max_length
        if agency is not None and not 0 < len(agency.strip()) <= limit:
            raise CommandError(
                f"机关名称应为1至{limit}个字符（现为{len(agency.strip())}个）", returncode=EXIT_UNREADABLE
            )

    def _user(self, username):
        if username is None:
            return None
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"没有用户“{username}”", returncode=EXIT_UNREADABLE) from None
