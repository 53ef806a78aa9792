"""python manage.py load_regions PATH: create or update regions from a CSV file
(columns 代码, 名称, 上级代码; see ``disclosure.reports.loading``)."""

from disclosure.management.commands.load_agencies import LoadCommand
from disclosure.reports.loading import load_regions


class Command(LoadCommand):
    help = (
        "从CSV文件导入地区（表头：代码,名称,上级代码；UTF-8或GBK编码）。"
        "按代码新建或更新；任何一行有问题则列出全部问题，一行也不导入。"
    )
    load = staticmethod(load_regions)
    noun = "地区"
