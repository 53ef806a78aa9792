"""python manage.py bench: performance figures; the last line is one JSON object.

Each part of the product contributes a ``bench_figures(stdout)`` function in a
module ``disclosure.<app>.bench``; parts that are absent are skipped."""

import importlib
import json

from django.core.management.base import BaseCommand

PARTS = ("disclosure.reports.bench", "disclosure.publish.bench", "disclosure.review.bench")


class Command(BaseCommand):
    help = "运行性能基准，最后一行输出 JSON 格式的各项指标。"

    def handle(self, *args, **options):
        figures = {}
        for name in PARTS:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name != name:
                    raise
                continue
            figures.update(module.bench_figures(self.stdout))
        self.stdout.write(json.dumps(figures, ensure_ascii=False, sort_keys=True))
