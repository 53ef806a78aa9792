"""python manage.py load_agencies PATH: create or update agencies from a CSV file
(columns 机关名称, 地区代码, 层级, 是否人民政府, 上级机关, 地址, 邮编, 电话, 网站, 邮箱;
see ``disclosure.reports.loading``)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from disclosure.reports.loading import LoadRefused, load_agencies


class LoadCommand(BaseCommand):
    """Shared by load_regions and load_agencies: read the file, load it, report.
    Exit code 1 with every problem (and nothing written) when any row is bad."""

    load = None
    noun = ""

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV文件路径")

    def handle(self, *args, path, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"文件不存在：{path}")
        try:
            result = type(self).load(file.read_bytes())
        except LoadRefused as refused:
            lines = "\n".join(refused.problems)
            raise CommandError(
                f"{file.name} 有{len(refused.problems)}个问题，未导入任何{self.noun}：\n{lines}"
            ) from None
        self.stdout.write(f"已导入 {file.name}：{result.summary(self.noun)}")


class Command(LoadCommand):
    help = (
        "从CSV文件导入机关（表头：机关名称,地区代码,层级,是否人民政府,上级机关,地址,邮编,电话,网站,邮箱；"
        "UTF-8或GBK编码）。按名称新建或更新；任何一行有问题则列出全部问题，一行也不导入。"
    )
    load = staticmethod(load_agencies)
    noun = "机关"
