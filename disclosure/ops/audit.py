"""The audit log: one structured record per workflow transition and per refusal.

``audit(event, user=…, report=…, action=…, …)`` writes one JSON line to the logger
``disclosure.audit``: when (``ts``), who (``user_id``), on what (``report_id``,
``agency_id``, ``year``) and what (``event``, ``action``, ``from_status``,
``to_status``, ``reason``…). Only identifiers and codes go in: never narrative
text, comments, names or other personal data. A field that is not a known key is
a programming error (``TypeError``); a string value that is not a short code is
written as ``"[redacted]"``, so a careless caller cannot put prose in the log."""

from __future__ import annotations

import logging
import re
import time

from .logs import timestamp

logger = logging.getLogger("disclosure.audit")

EVENT_TRANSITION = "transition"
EVENT_REFUSED = "refused"

# the keys a record may carry besides ts, event, user_id, report_id, agency_id, year
FIELDS = frozenset(
    {"action", "from_status", "to_status", "reason", "version", "method", "path", "status", "transition_id"}
)
CODE = re.compile(r"[A-Za-z0-9_.:/\-]{0,200}\Z")
REDACTED = "[redacted]"

# set on a request whose refusal was logged, so the middleware does not log it twice
LOGGED_ATTRIBUTE = "_audit_refusal_logged"


def _clean(value):
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, str) and CODE.match(value):
        return value
    return REDACTED


def _user_id(user) -> int | None:
    if user is None or isinstance(user, int):
        return user
    if not getattr(user, "is_authenticated", False):
        return None
    return user.pk


def audit(event: str, *, user=None, report=None, **fields) -> dict:
    """Write one audit record and return it. ``user`` is a user, a user id or None
    (anonymous); ``report`` an ``AnnualReport`` (its id, agency id and year are logged)."""
    unknown = set(fields) - FIELDS
    if unknown:
        raise TypeError(f"audit() does not log {sorted(unknown)}: only identifiers and codes")
    record = {
        "ts": timestamp(time.time()),
        "event": _clean(event),
        "user_id": _user_id(user),
        "report_id": getattr(report, "pk", None),
        "agency_id": getattr(report, "agency_id", None),
        "year": getattr(report, "year", None),
    }
    record.update((key, _clean(value)) for key, value in fields.items())
    logger.info(record["event"], extra={"audit": record})
    return record


def audit_refusal(request, *, reason: str, report=None, **fields) -> dict:
    """Log that ``request`` was refused (by whom, which method and path, why: a code)."""
    setattr(request, LOGGED_ATTRIBUTE, True)
    fields.setdefault("method", request.method)
    fields.setdefault("path", request.path)
    return audit(EVENT_REFUSED, user=getattr(request, "user", None), report=report, reason=reason, **fields)
