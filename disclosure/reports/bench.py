"""Benchmark of the clerks' pages, for ``python manage.py bench``.

Runs in a throw-away test database (Django's ``create_test_db``: in-memory
for SQLite, ``test_<name>`` for PostgreSQL), never the developer's data:
- ``edit_page_ms``: median server time of the edit page (Django test client);
- ``edit_page_queries``: its query count with 10 and with 1,000 agencies × 3
  years in the database (both are printed; they must be equal);
- ``save_ms``: median time of a full POST of every cell;
- ``rules_eval_ms``: median time of rules.js evaluating every check of a
  full report under node (totals included).
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from disclosure.formats import cell_key, format_for_year
from disclosure.formats.checks import compute_totals, rules_json
from disclosure.formats.values import display

from .models import TABLE_MODELS, Agency, AnnualReport, Membership, Role
from .values import load_values

YEARS = (2020, 2021, 2022)
PAGE_RUNS = 30
SAVE_RUNS = 15
NODE_RUNS = 200
RULES_JS = Path(settings.BASE_DIR) / "static" / "disclosure" / "js" / "rules.js"


def bench_figures(stdout) -> dict:
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        with override_settings(
            ALLOWED_HOSTS=["testserver"],
            WHITENOISE_AUTOREFRESH=True,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ):
            figures = _measure(stdout)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    figures.update(_rules_eval(stdout))
    return figures


def _measure(stdout) -> dict:
    agencies = _populate(0, 10)
    clerk = get_user_model().objects.create_user("bench_clerk")
    Membership.objects.create(user=clerk, role=Role.CLERK, agency=agencies[0])
    report = agencies[0].reports.get(year=YEARS[-1])
    client = Client()
    client.force_login(clerk)
    url = f"/reports/{report.pk}/edit/"

    small = _queries(client, url)
    _populate(10, 1000)
    large = _queries(client, url)
    page_ms, page_cpu = _median_ms(lambda: client.get(url), PAGE_RUNS)
    stdout.write(f"编辑页查询次数：10 个机关 × 3 年时 {small} 次，1000 个机关 × 3 年时 {large} 次")
    stdout.write(
        f"编辑页服务器耗时（中位数，{PAGE_RUNS} 次）：{page_ms:.1f} ms，其中 CPU {page_cpu:.1f} ms（目标 ≤ 50 ms）"
    )
    save_ms, save_cpu = _save_ms(client, url, report)
    stdout.write(
        f"保存（提交全部单元格且每格都有改动，中位数，{SAVE_RUNS} 次）：{save_ms:.1f} ms，"
        f"其中 CPU {save_cpu:.1f} ms（目标 ≤ 100 ms）"
    )
    return {
        "edit_page_ms": round(page_ms, 2),
        "edit_page_cpu_ms": round(page_cpu, 2),
        "save_cpu_ms": round(save_cpu, 2),
        "edit_page_queries": large,
        "edit_page_queries_10_agencies": small,
        "edit_page_queries_1000_agencies": large,
        "save_ms": round(save_ms, 2),
    }


def _populate(first: int, last: int):
    """Agencies ``first``…``last - 1`` with a full report for each of YEARS (bulk inserts)."""
    agencies = Agency.objects.bulk_create(
        Agency(name=f"基准测试机关{n:04d}", region=f"基准省基准市{n % 20:02d}区") for n in range(first, last)
    )
    reports = AnnualReport.objects.bulk_create(
        AnnualReport(agency=a, year=y) for a in agencies for y in YEARS
    )
    rows = {code: [] for code in TABLE_MODELS}
    for report in reports:
        fmt = format_for_year(report.year)
        values = _full_values(fmt, report.agency_id)
        for table in fmt.tables:
            model = TABLE_MODELS[table.code]
            for position, (group, row) in enumerate(table.rows()):
                fields = {c.code: values[cell_key(table.code, row.code, c.code)] for c in group.columns}
                rows[table.code].append(model(report=report, row_code=row.code, position=position, **fields))
    for code, instances in rows.items():
        TABLE_MODELS[code].objects.bulk_create(instances, batch_size=2000)
    return agencies


def _full_values(fmt, seed: int) -> dict:
    values = {key: (seed + n) % 7 for n, key in enumerate(fmt.input_keys())}
    return compute_totals(fmt, values)


def _queries(client, url) -> int:
    client.get(url)  # warm caches (expanded checks, templates)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(queries)


def _median_ms(action, runs: int) -> tuple[float, float]:
    """Median wall-clock and CPU milliseconds (CPU time is what a busy machine
    does not inflate; SQLite runs in-process, so it includes the database)."""
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def _save_ms(client, url, report) -> tuple[float, float]:
    """A full POST of every cell, each cell changed (every row is written)."""
    fmt = report.format
    base = {key: display(value) for key, value in load_values(report).items() if not fmt.is_computed(key)}
    wall, cpu = [], []
    for run in range(1, SAVE_RUNS + 1):
        report.refresh_from_db(fields=["version"])
        data = {key: str((int(text or 0) + run) % 9) for key, text in base.items()}
        data.update(version=str(report.version), action="save", general="基准测试", title="", preface="")
        data.update(problems="", other_matters="")
        start, start_cpu = time.perf_counter(), time.process_time()
        # urlencoded, as the browser posts the edit form (the test client's default is multipart)
        response = client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 302, response.status_code
    return statistics.median(wall), statistics.median(cpu)


NODE_SCRIPT = """
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
const { computeTotals, evaluate } = await import(process.argv[2]);
const { rules, values, previous } = JSON.parse(readFileSync(process.argv[3], "utf-8"));
const runs = Number(process.argv[4]);
const times = [];
let findings = 0;
for (let i = 0; i < runs + 20; i++) {
  const start = performance.now();
  findings = evaluate(rules, computeTotals(rules, values), previous).length;
  if (i >= 20) times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
console.log(JSON.stringify({ median: times[Math.floor(times.length / 2)], checks: rules.checks.length, findings }));
"""


def _rules_eval(stdout) -> dict:
    node = shutil.which("node")
    if node is None:
        stdout.write("未找到 node，跳过 rules_eval_ms。")
        return {}
    fmt = format_for_year(YEARS[-1])
    values = {key: display(value) for key, value in _full_values(fmt, 3).items()}
    data = {"rules": rules_json(fmt), "values": values, "previous": values}
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "bench_rules.mjs"
        script.write_text(NODE_SCRIPT, encoding="utf-8")
        payload = Path(tmp) / "report.json"
        payload.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        result = subprocess.run(
            [node, str(script), RULES_JS.as_uri(), str(payload), str(NODE_RUNS)],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
    figures = json.loads(result.stdout)
    stdout.write(
        f"rules.js 计算全部 {figures['checks']} 项检查与合计（node，中位数，{NODE_RUNS} 次）："
        f"{figures['median']:.3f} ms（目标 ≤ 2 ms）"
    )
    return {"rules_eval_ms": round(figures["median"], 3)}
