"""Each format's checks as a static file for the edit page's browser engines.

The file (``edit_page.checks_file``: the expanded checks and the narrative
checks, ~100 kB) used to be inlined in every edit page; now the page names it by
the hash of its content and the browser keeps it for a year. A request for an
older hash (a page opened before a deploy) is sent to the current file; an
unknown format is a 404. Login stays required (the project's default): only the
edit page reads it, and the rules, though public template data, need no
anonymous door."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import condition, require_safe

from disclosure.formats import FORMATS

from .edit_page import checks_file

CACHE_FOREVER = "public, max-age=31536000, immutable"


def _format(code):
    fmt = FORMATS.get(code)
    if fmt is None:
        raise Http404("没有这种年度报告格式")
    return fmt


def _etag(request, code, version):
    fmt = FORMATS.get(code)
    return checks_file(fmt).digest if fmt is not None and checks_file(fmt).version == version else None


@require_safe
@condition(etag_func=_etag)
def checks(request, code, version):
    checks = checks_file(_format(code))
    if version != checks.version:
        return redirect("formats:checks", code=code, version=checks.version)
    response = HttpResponse(checks.body, content_type="application/json")
    response["Cache-Control"] = CACHE_FOREVER
    response["X-Content-Type-Options"] = "nosniff"
    return response
