"""The regional office uploads its agencies' published reports (one .zip or
several files) and gets the batch check's summary, as a page and as .xlsx, from
a background job. Office users (their region) and superusers only; 403 for
everybody else, before the upload is looked at."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from disclosure.jobs.api import start
from disclosure.jobs.models import Job
from disclosure.reports.access import office_region

from . import upload
from .tasks import CHECK_UPLOAD, check_upload_task

DENIED = "只有政务公开办和系统管理员可以上传报告进行批量检查。"
FIELD = "files"


def _scope(user):
    """The office's region, or None for a superuser (every region); 403 for anybody else."""
    if getattr(user, "is_superuser", False):
        return None
    region = office_region(user)
    if region is None:
        raise PermissionDenied(DENIED)
    return region


@csrf_exempt  # the CSRF check runs in _upload, after the size limit is in place
def upload_reports(request):
    region = _scope(request.user)
    if request.method not in ("GET", "HEAD", "POST"):
        return _form(request, status=405)
    if request.method == "POST":
        if upload.request_too_big(request):
            return _form(request, upload.TOO_BIG, status=413)
        if not hasattr(request, "_files"):  # not parsed yet: stop an upload beyond the limit as it arrives
            request.upload_handlers.insert(0, upload.SizeLimitHandler(request))
    return _upload(request, region)


@csrf_protect
def _upload(request, region):
    if request.method != "POST":
        return _form(request)
    files = request.FILES.getlist(FIELD)
    if any(getattr(handler, "exceeded", False) for handler in request.upload_handlers):
        return _form(request, upload.TOO_BIG, status=413)
    try:
        data, name = upload.prepare(files)
    except upload.UploadRefused as exc:
        return _form(request, str(exc), status=exc.status)
    job = start(
        CHECK_UPLOAD,
        request.user,
        check_upload_task,
        title=f"报告批量检查：{name}",
        region_id=region.pk if region else None,
        input_file=data,
        input_name=name,
    )
    return redirect("jobs:detail", job.pk)


def _form(request, error: str = "", status: int = 200):
    recent = (
        Job.objects.filter(owner=request.user, kind=CHECK_UPLOAD)
        .defer("input_file", "result_file")
        .order_by("-created_at")[:10]
    )
    context = {
        "error": error,
        "field": FIELD,
        "max_mb": upload.MAX_UPLOAD_BYTES // (1024 * 1024),
        "accept": ",".join([".zip", *sorted(upload.batch.REPORT_SUFFIXES)]),
        "recent": recent,
        "dashboard_url": reverse("oversight:dashboard"),
    }
    response = render(request, "oversight/upload.html", context, status=status)
    if status == 405:
        response["Allow"] = "GET, HEAD, POST"
    return response
