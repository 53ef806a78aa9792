"""Refuse form posts that are not UTF-8 instead of storing them as mojibake.

Django decodes form data with ``errors="replace"``: a body in GBK (an old
client, a script) would be saved as U+FFFD characters without anyone seeing
it. Such a request gets a 400 page that says why; nothing is saved."""

from urllib.parse import parse_qsl

from django.shortcuts import render

FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
NOT_UTF8 = "提交的内容不是 UTF-8 编码，无法识别其中的中文，本次提交未保存。请使用本系统的页面（或 UTF-8 编码）重新提交。"


def _is_utf8_form(request) -> bool:
    content_type = request.content_type or ""
    if content_type == FORM:
        try:
            parse_qsl(request.body.decode("ascii"), keep_blank_values=True, encoding="utf-8", errors="strict")
        except UnicodeDecodeError:
            return False
    elif content_type == MULTIPART:
        # Django has decoded the fields already, replacing what is not UTF-8
        return not any("\ufffd" in value for values in request.POST.lists() for value in values[1])
    return True


class RefuseNonUtf8Middleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("POST", "PUT", "PATCH") and not _is_utf8_form(request):
            return render(request, "400.html", {"exception": NOT_UTF8}, status=400)
        return self.get_response(request)
