"""python manage.py cells_doc [--check]: write docs/cells.md, or fail when it is stale."""

from django.core.management.base import BaseCommand, CommandError

from disclosure.reports import cells_doc

EXIT_STALE = 1


class Command(BaseCommand):
    help = "生成 docs/cells.md：两种格式的每个单元格在表上的行和列、单元格代码、存储字段和相关规则。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="只检查 docs/cells.md 是否与格式声明一致；过期时退出码为1"
        )

    def handle(self, *args, check=False, **options):
        path = cells_doc.DOC_PATH
        if check:
            if not cells_doc.is_current(path):
                raise CommandError(
                    f"{path} 已过期或不存在：请运行 python manage.py cells_doc", returncode=EXIT_STALE
                )
            self.stdout.write(f"{path} 是最新的。")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(cells_doc.render(), encoding="utf-8")
        self.stdout.write(f"已写入 {path}")
