"""Every refused request leaves an audit record (``ops.audit``).

A view that refuses in its own words (a workflow action that is not allowed) logs
the refusal itself with ``audit_refusal``; any other 403 (``PermissionDenied``
raised anywhere, a CSRF failure) and the log-in throttling's lockout are logged
here, with a reason code: the exception's class (``permission_denied``,
``record_locked``), ``csrf`` for a refusal before the view, ``locked_out``."""

import re

from django.core.exceptions import PermissionDenied

from .audit import LOGGED_ATTRIBUTE, audit_refusal

REFUSED_STATUSES = (403, 429)
_REASON = "_audit_refusal_reason"
_VIEW_REACHED = "_audit_view_reached"


def reason_code(exception: Exception) -> str:
    """``RecordLocked`` → ``record_locked``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(exception).__name__).lower()


class AuditRefusalMiddleware:
    """Place it after the authentication and CSRF middleware (it needs ``request.user``
    and tells a CSRF refusal, which happens before the view, from a view's)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in REFUSED_STATUSES and not getattr(request, LOGGED_ATTRIBUTE, False):
            audit_refusal(request, reason=self._reason(request), status=response.status_code)
        return response

    @staticmethod
    def _reason(request) -> str:
        if getattr(request, "axes_locked_out", False):
            return "locked_out"
        if getattr(request, _REASON, None):
            return getattr(request, _REASON)
        return "refused" if getattr(request, _VIEW_REACHED, False) else "csrf"

    def process_view(self, request, view_func, view_args, view_kwargs):
        setattr(request, _VIEW_REACHED, True)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            setattr(request, _REASON, reason_code(exception))
