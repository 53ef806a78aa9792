"""Benchmark of the clerks' pages, for ``python manage.py bench``.

Runs in a throw-away test database (Django's ``create_test_db``: in-memory
for SQLite, ``test_<name>`` for PostgreSQL), never the developer's data:
- ``edit_page_ms``: median server time of the edit page (Django test client);
- ``edit_page_queries``: its query count with 10 and with 1,000 agencies × 3
  years in the database (both are printed; they must be equal);
- ``save_ms``: median time of a full POST of every cell;
- ``rules_eval_ms``: median time of the browser's live check under node: rules.js
  evaluating every check of a full report (totals included) plus narrative.js
  reading a typical report's sections;
- ``narrative_30k_ms``: narrative.js reading one 30,000-character section (the
  live check while a clerk types in a long section);
- ``check_ms``: median time of the whole Python check of a typical report
  (numbers, structure and narrative: ``check_whole``).
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from disclosure.formats import cell_key, format_for_year
from disclosure.formats.checks import compute_totals, rules_json
from disclosure.formats.phrases import phrases_json
from disclosure.formats.structure import Outline
from disclosure.formats.values import display
from disclosure.formats.whole import check_whole

from .models import NARRATIVE_MAX_CHARS, TABLE_MODELS, Agency, AnnualReport, Membership, Region, Role
from .values import load_values

YEARS = (2020, 2021, 2022)
PAGE_RUNS = 30
SAVE_RUNS = 15
NODE_RUNS = 200
RULES_JS = Path(settings.BASE_DIR) / "static" / "disclosure" / "js" / "rules.js"
NARRATIVE_JS = RULES_JS.with_name("narrative.js")
CHECK_RUNS = 200


@contextmanager
def throwaway_database():
    """A fresh test database for the duration (in memory for SQLite, ``test_<name>`` for
    PostgreSQL), with the settings the test client needs; the real data is never touched."""
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        with override_settings(
            ALLOWED_HOSTS=["testserver"],
            WHITENOISE_AUTOREFRESH=True,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ):
            yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def bench_figures(stdout) -> dict:
    with throwaway_database():
        figures = _measure(stdout)
    figures.update(_rules_eval(stdout))
    figures.update(check_figures(stdout))
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
        Agency(name=f"基准测试机关{n:04d}", region=Region.from_names(f"基准省基准市基准{n % 20:02d}区"))
        for n in range(first, last)
    )
    reports = AnnualReport.objects.bulk_create(
        AnnualReport(agency=a, year=y) for a in agencies for y in YEARS
    )
    insert_rows(reports, lambda report: _full_values(format_for_year(report.year), report.agency_id))
    return agencies


def insert_rows(reports, values_of) -> None:
    """Every template row of each report, filled with ``values_of(report)``: one bulk insert
    per table for all the reports (how the benchmarks build thousands of reports)."""
    rows = {code: [] for code in TABLE_MODELS}
    for report in reports:
        fmt, values = format_for_year(report.year), values_of(report)
        for table in fmt.tables:
            model = TABLE_MODELS[table.code]
            for position, (group, row) in enumerate(table.rows()):
                fields = {c.code: values[cell_key(table.code, row.code, c.code)] for c in group.columns}
                rows[table.code].append(model(report=report, row_code=row.code, position=position, **fields))
    for code, instances in rows.items():
        TABLE_MODELS[code].objects.bulk_create(instances, batch_size=2000)


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
const { evaluateNarrative } = await import(process.argv[3]);
const { rules, phrases, values, previous, narratives, long, year } = JSON.parse(readFileSync(process.argv[4], "utf-8"));
const runs = Number(process.argv[5]);
function median(action) {
  const times = [];
  for (let i = 0; i < runs + 20; i++) {
    const start = performance.now();
    action();
    if (i >= 20) times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}
const live = median(() => {
  const totals = computeTotals(rules, values);
  evaluate(rules, totals, previous);
  evaluateNarrative(phrases, narratives, totals, previous, year);
});
const longText = median(() => evaluateNarrative(phrases, { general: long }, values, previous, year));
console.log(JSON.stringify({ median: live, long: longText, checks: rules.checks.length }));
"""
# A typical section 一 quoting the tables (some sentences agree, some are out of scope).
NARRATIVE = (
    "2022年，本机关认真贯彻《中华人民共和国政府信息公开条例》（国务院令第711号）。"
    "全年共收到政府信息公开申请12件，其中上年结转1件；予以公开7件，部分公开1件，"
    "不予公开1件，无法提供2件，结转下年度继续办理2件。"
    "本年度制发行政规范性文件5件，废止2件，现行有效13件。"
    "全年发生政府信息公开行政复议案件3件，其中维持1件、纠正1件、尚未审结1件。"
    "咨询电话0577-88362048，2022年3月5日起通过政府网站（http://www.example.gov.cn）公开。"
)


def _rules_eval(stdout) -> dict:
    node = shutil.which("node")
    if node is None:
        stdout.write("未找到 node，跳过 rules_eval_ms。")
        return {}
    fmt = format_for_year(YEARS[-1])
    values = {key: display(value) for key, value in _full_values(fmt, 3).items()}
    data = {
        "rules": rules_json(fmt),
        "phrases": phrases_json(fmt.code),
        "values": values,
        "previous": values,
        "narratives": {"general": NARRATIVE, "problems": NARRATIVE[:200], "other_matters": "无"},
        "long": long_section(),
        "year": YEARS[-1],
    }
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "bench_rules.mjs"
        script.write_text(NODE_SCRIPT, encoding="utf-8")
        payload = Path(tmp) / "report.json"
        payload.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        result = subprocess.run(
            [node, str(script), RULES_JS.as_uri(), NARRATIVE_JS.as_uri(), str(payload), str(NODE_RUNS)],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
    figures = json.loads(result.stdout)
    stdout.write(
        f"浏览器实时检查：rules.js 全部 {figures['checks']} 项检查与合计 + narrative.js 文字核对"
        f"（node，中位数，{NODE_RUNS} 次）：{figures['median']:.3f} ms（目标 ≤ 2 ms）；"
        f"30,000 字的一部分：{figures['long']:.2f} ms"
    )
    return {"rules_eval_ms": round(figures["median"], 3), "narrative_30k_ms": round(figures["long"], 2)}


def long_section() -> str:
    """A 30,000-character section made of the typical paragraph."""
    return (NARRATIVE * (NARRATIVE_MAX_CHARS // len(NARRATIVE) + 1))[:NARRATIVE_MAX_CHARS]


def check_figures(stdout) -> dict:
    """The whole Python check (numbers, structure, narrative) of a typical report."""
    fmt = format_for_year(YEARS[-1])
    values = compute_totals(fmt, _full_values(fmt, 3))
    outline = Outline(
        title=f"示例区民政局{YEARS[-1]}年政府信息公开工作年度报告",
        year=YEARS[-1],
        narratives={
            "general": NARRATIVE,
            "problems": "上年度问题已全部整改。" + NARRATIVE[:200],
            "other_matters": "无",
        },
    )
    times = []
    for _ in range(CHECK_RUNS):
        start = time.perf_counter()
        check_whole(fmt, values, values, outline)
        times.append((time.perf_counter() - start) * 1000)
    median = statistics.median(times)
    stdout.write(
        f"整份报告检查（数字、结构、文字，Python，中位数，{CHECK_RUNS} 次）：{median:.2f} ms（目标 ≤ 5 ms）"
    )
    return {"check_ms": round(median, 3)}
