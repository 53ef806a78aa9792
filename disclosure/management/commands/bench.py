"""python manage.py bench: performance figures; the last line is one JSON object.

Each part of the product that has figures contributes a ``bench_figures(stdout)``
function in its ``bench`` module."""

import json

from django.core.management.base import BaseCommand

from disclosure.oversight import bench as oversight_bench
from disclosure.publish import bench as publish_bench
from disclosure.publish import bench_batch, bench_import
from disclosure.reports import bench as reports_bench

PARTS = (reports_bench, publish_bench, bench_batch, bench_import, oversight_bench)


class Command(BaseCommand):
    help = "运行性能基准，最后一行输出 JSON 格式的各项指标。"

    def handle(self, *args, **options):
        figures = {}
        for part in PARTS:
            figures.update(part.bench_figures(self.stdout))
        self.stdout.write(json.dumps(figures, ensure_ascii=False, sort_keys=True))
