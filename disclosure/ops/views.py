from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .health import run_checks


@login_not_required
@never_cache
@require_safe
def healthz(request):
    """``{"database": "ok", "cache": "ok", "queue": "ok"|"in-process"}``: 200 when every
    service answers, 503 otherwise. Open without log-in (for the proxy and monitoring);
    it tells nothing but these states."""
    states, healthy = run_checks()
    response = JsonResponse(states, status=200 if healthy else 503)
    if request.method == "HEAD":  # the status is the answer; a HEAD response has no body
        response.content = b""
    return response
