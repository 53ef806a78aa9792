"""Batch-check figures for ``python manage.py bench``: 200 published reports (the
five samples of ``fixtures/published``, copied with their agency renamed) checked
by one call of ``importers.batch.check_batch``, as ``check_report FOLDER`` does;
the time per file at 50 and at 200 files shows it does not grow with the batch."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from django.conf import settings

from disclosure.importers.batch import check_batch
from disclosure.reports.services import check_parsed

BATCH_FILES = 200
SMALL_BATCH = 50


def samples() -> list[str]:
    folder = Path(settings.BASE_DIR) / "fixtures" / "published"
    return [path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.txt"))]


def variant(text: str, number: int) -> str:
    """A sample with its agency renamed (first "局" of the title), a different report each time."""
    title, _, rest = text.partition("\n")
    return title.replace("局", f"局{number}", 1) + "\n" + rest


def write_batch(folder: Path, count: int) -> list[Path]:
    texts = samples()
    paths = []
    for number in range(count):
        path = folder / f"{number // 50:02d}" / f"report-{number:03d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(variant(texts[number % len(texts)], number), encoding="utf-8")
        paths.append(path)
    return paths


def _check(parsed):
    return check_parsed(parsed)[0]


def timed_batch(paths) -> tuple[float, list]:
    start = time.perf_counter()
    rows = check_batch(paths, _check)
    return time.perf_counter() - start, rows


def bench_figures(stdout, count: int = BATCH_FILES, small: int = SMALL_BATCH) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        paths = write_batch(Path(tmp), count)
        timed_batch(paths[:5])  # warm-up: the format declarations and rule expansions
        small_s, _ = timed_batch(paths[:small])
        batch_s, rows = timed_batch([tmp])  # the folder, walked as the command does
    unreadable = sum(1 for row in rows if row.unreadable)
    per_small, per_all = small_s / small * 1000, batch_s / count * 1000
    stdout.write(
        f"批量检查：{count} 个报告 {batch_s:.2f} 秒（每个 {per_all:.1f} 毫秒；"
        f"{small} 个时每个 {per_small:.1f} 毫秒），无法读取 {unreadable} 个"
    )
    return {
        "batch_check_s": round(batch_s, 3),
        "batch_check_per_file_ms_50": round(per_small, 2),
        "batch_check_per_file_ms_200": round(per_all, 2),
    }
