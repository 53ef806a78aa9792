"""The regional office's background jobs: checking an uploaded batch of
published reports, and producing the region's roll-up files."""

from __future__ import annotations

from functools import partial
from urllib.parse import urlencode

from celery import shared_task
from django.urls import reverse

from disclosure.importers import batch
from disclosure.jobs.api import JobFailed, Outcome, run
from disclosure.publish.render import render_html, render_pdf
from disclosure.reports.models import Agency, Region
from disclosure.reports.services import check_parsed

from . import exports, upload
from .rollup import Rollup, rollup_xlsx

CHECK_UPLOAD = "oversight.check_upload"
ROLLUP_FILE = "oversight.rollup_file"
IN_REGION, OUT_OF_REGION, UNKNOWN_AGENCY = "是", "否", "否（系统中没有该机关）"
ROLLUP_KINDS = {
    "xlsx": ("Excel", exports.XLSX_TYPE),
    "pdf": ("PDF", "application/pdf"),
    "html": ("HTML", "text/html; charset=utf-8"),
}


@shared_task(name=CHECK_UPLOAD)
def check_upload_task(job_id: str) -> None:
    run(job_id, _check_upload)


def _check_upload(job, progress) -> Outcome:
    data = bytes(job.input_file or b"")
    if not data:
        raise JobFailed("上传的文件已不存在，请重新上传。")

    def step(done, total, name):
        progress(done, total, f"正在检查第 {done + 1}/{total} 个文件：{name}" if name else "检查完成。")

    rows = upload.check_upload(data, job.input_name, lambda parsed: check_parsed(parsed)[0], progress=step)
    scope = _scope_column(job.region_id, {row.agency for row in rows if row.agency})
    table = [[*batch.row_values(row), scope.get(row.agency, "—")] for row in rows]
    with_errors = sum(1 for row in rows if row.errors)
    unreadable = sum(1 for row in rows if row.unreadable)
    message = f"共检查 {len(rows)} 个文件：{with_errors} 个有错误，{unreadable} 个无法读取。"
    return Outcome(
        message=message,
        result={
            "headings": list(upload.HEADINGS),
            "rows": table,
            "counts": {"files": len(rows), "with_errors": with_errors, "unreadable": unreadable},
            "back_url": reverse("oversight:upload"),
            "back_label": "再上传一批报告",
        },
        file=exports.xlsx_bytes(list(upload.HEADINGS), table, title="检查结果"),
        filename=f"报告检查结果-{job.input_name.rsplit('.', 1)[0] or '上传'}.xlsx",
        content_type=exports.XLSX_TYPE,
    )


def _scope_column(region_id, names: set[str]) -> dict[str, str]:
    """For each agency name of the batch: is it an agency of the office's region
    (and the regions below it)? A superuser's upload (no region) covers all."""
    known = set(Agency.objects.filter(name__in=names).values_list("name", flat=True))
    region = Region.objects.filter(pk=region_id).first() if region_id else None
    if region is None:
        inside = known
    else:
        inside = set(
            Agency.objects.filter(name__in=names, region__path__startswith=region.path).values_list(
                "name", flat=True
            )
        )
    return {
        name: IN_REGION if name in inside else (OUT_OF_REGION if name in known else UNKNOWN_AGENCY)
        for name in names
    }


@shared_task(name=ROLLUP_FILE)
def rollup_file_task(job_id: str, year: int, include_submitted: bool, kind: str) -> None:
    run(job_id, partial(_rollup_file, year=year, include_submitted=include_submitted, kind=kind))


def _rollup_file(job, progress, *, year: int, include_submitted: bool, kind: str) -> Outcome:
    if kind not in ROLLUP_KINDS:
        raise JobFailed("不支持的文件格式。")
    region = Region.objects.filter(pk=job.region_id).first()
    if region is None:
        raise JobFailed("该地区已不存在。")
    progress(0, 2, "正在汇总各机关的报告……")
    total = Rollup(region, year, include_submitted=include_submitted)
    progress(1, 2, f"正在生成 {ROLLUP_KINDS[kind][0]} 文件……")
    if kind == "xlsx":
        content = rollup_xlsx(total)
    elif kind == "pdf":
        content = render_pdf(total.document())
    else:
        content = render_html(total.document()).encode("utf-8")
    progress(2, 2, "")
    return Outcome(
        message=f"{total.title}：已生成 {ROLLUP_KINDS[kind][0]} 文件（包含 {len(total.included)} 份报告）。",
        result={"back_url": _rollup_url(job.region_id, year, include_submitted), "back_label": "返回汇总"},
        file=content,
        filename=f"{total.title}.{kind}",
        content_type=ROLLUP_KINDS[kind][1],
    )


def _rollup_url(region_id: int, year: int, include_submitted: bool) -> str:
    """The roll-up page the file was made from (an office user's region comes from the
    membership, the ``region`` parameter only matters to a superuser)."""
    params = {"region": region_id, **({"submitted": "1"} if include_submitted else {})}
    return reverse("oversight:rollup", args=[year]) + "?" + urlencode(params)
