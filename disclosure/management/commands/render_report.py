"""python manage.py render_report (REPORT_ID | PATH) --format pdf|html [-o OUT]

Renders a saved report (watermarked unless approved) or a published text file
straight through the importer (already published: no watermark)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from disclosure.importers.text import ReportParseError, parse_report_file
from disclosure.publish.render import download_name, render_html, render_pdf
from disclosure.reports.models import AnnualReport


class Command(BaseCommand):
    help = "把年度报告输出为 PDF 或 HTML：参数为已保存报告的编号，或已发布报告的文本文件路径。"

    def add_arguments(self, parser):
        parser.add_argument("report", help="报告编号，或已发布报告的文本文件路径")
        parser.add_argument("--format", choices=("pdf", "html"), default="pdf", help="输出格式（默认 pdf）")
        parser.add_argument("-o", "--output", help="输出文件（默认按报告标题命名，写入当前目录）")

    def handle(self, *args, report, format, output=None, **options):
        source = self._source(report)
        content = render_pdf(source) if format == "pdf" else render_html(source).encode("utf-8")
        path = Path(output or download_name(source, format))
        try:
            path.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"无法写入 {path}：{exc}") from exc
        self.stdout.write(f"已输出 {path}（{len(content)} 字节）")

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
