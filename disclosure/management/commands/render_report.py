"""python manage.py render_report (REPORT_ID | PATH) --format pdf|html [-o OUT]
python manage.py render_report REPORT_ID --archive

Renders a saved report (watermarked unless approved) or a published text file
straight through the importer (already published: no watermark).

``--archive`` makes the archived files of an approved report's current approval
in this process (the background task's work, for when it failed or its message
was lost): the files still missing are rendered and stored, stored ones stay."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from disclosure.importers.text import ReportParseError, parse_report_file
from disclosure.publish.archive import current_renditions, open_files_job
from disclosure.publish.render import download_name, render_html, render_pdf
from disclosure.publish.tasks import render_approval_files
from disclosure.reports.models import AnnualReport


class Command(BaseCommand):
    help = "把年度报告输出为 PDF 或 HTML：参数为已保存报告的编号，或已发布报告的文本文件路径。"

    def add_arguments(self, parser):
        parser.add_argument("report", help="报告编号，或已发布报告的文本文件路径")
        parser.add_argument("--format", choices=("pdf", "html"), default="pdf", help="输出格式（默认 pdf）")
        parser.add_argument("-o", "--output", help="输出文件（默认按报告标题命名，写入当前目录）")
        parser.add_argument(
            "--archive",
            action="store_true",
            help="为已审核通过的报告在本进程生成并存档发布文件（后台任务失败或丢失时补做；已存的文件不变）",
        )

    def handle(self, *args, report, format, output=None, archive=False, **options):
        source = self._source(report)
        if archive:
            self._archive(source)
            return
        content = render_pdf(source) if format == "pdf" else render_html(source).encode("utf-8")
        path = Path(output or download_name(source, format))
        try:
            path.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"无法写入 {path}：{exc}") from exc
        self.stdout.write(f"已输出 {path}（{len(content)} 字节）")

    def _archive(self, report):
        if not isinstance(report, AnnualReport) or not report.is_record:
            raise CommandError("--archive 只适用于已审核通过的报告编号")
        open_files_job(report)
        outcome = render_approval_files.apply(args=(report.pk, report.version)).get()
        if outcome != "done":
            raise CommandError(f"生成存档文件失败（{outcome}），详见日志或管理后台“存档文件生成任务”")
        for rendition in current_renditions(report):
            self.stdout.write(
                f"{rendition.get_kind_display()} SHA-256：{rendition.sha256}（{rendition.size} 字节）"
            )

    def _source(self, ref: str):
        if ref.isdigit() and not Path(ref).exists():
            try:
                return AnnualReport.objects.select_related("agency").get(pk=int(ref))
            except AnnualReport.DoesNotExist:
                raise CommandError(f"没有编号为 {ref} 的报告") from None
        try:
            return parse_report_file(ref)
        except FileNotFoundError:
            raise CommandError(f"找不到文件 {ref}") from None
        except (ReportParseError, OSError) as exc:
            raise CommandError(f"无法读取 {ref}：{exc}") from exc
