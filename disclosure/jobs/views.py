"""A job's page (progress, result, failure), its status as JSON (polled by
``static/disclosure/js/job.js``) and its result file. Only the job's owner sees
it: for anybody else it does not exist (404)."""

from urllib.parse import quote

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from . import api
from .models import Job

NOT_FOUND = "没有找到该任务。"


def _job(request, job_id):
    job = api.for_owner(request.user, job_id)
    if job is None:
        raise Http404(NOT_FOUND)
    return job


def _urls(job) -> dict:
    return {
        "status": reverse("jobs:status", args=[job.pk]),
        "download": reverse("jobs:download", args=[job.pk]),
    }


@require_GET
def detail(request, job_id):
    job = _job(request, job_id)
    result = job.result if isinstance(job.result, dict) else {}
    context = {
        "job": job,
        "urls": _urls(job),
        "headings": result.get("headings") or [],
        "rows": result.get("rows") or [],
        "back_url": result.get("back_url") or "",
        "back_label": result.get("back_label") or "",
    }
    response = render(request, "jobs/detail.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def status(request, job_id):
    job = _job(request, job_id)
    response = JsonResponse(api.status_json(job, _urls(job)), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def download(request, job_id):
    job = _job(request, job_id)
    if not job.has_file:
        raise Http404("该任务没有可下载的文件。")
    content = Job.objects.filter(pk=job.pk).values_list("result_file", flat=True).get()
    if content is None:
        raise Http404("该任务没有可下载的文件。")
    response = HttpResponse(bytes(content), content_type=job.result_type or "application/octet-stream")
    fallback = job.result_name.encode("ascii", "ignore").decode().replace('"', "_").strip() or "download"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(job.result_name)}"
    )
    response["Cache-Control"] = "private, no-store"
    return response
