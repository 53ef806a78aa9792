"""Log records as JSON lines (one object a line, on stderr): what journald, a log
shipper or ``jq`` reads without parsing prose.

An audit record (``ops.audit``) is written as its own fields; any other record as
its message, with the traceback when there is one."""

import json
import logging
from datetime import UTC, datetime


def timestamp(created: float) -> str:
    """ISO 8601 in UTC with milliseconds, e.g. ``2026-01-31T08:00:00.123+00:00``."""
    return datetime.fromtimestamp(created, tz=UTC).isoformat(timespec="milliseconds")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {"ts": timestamp(record.created), "level": record.levelname, "logger": record.name}
        audit = getattr(record, "audit", None)
        if isinstance(audit, dict):
            entry.update(audit)
        else:
            entry["message"] = record.getMessage()
            status = getattr(record, "status_code", None)
            if status is not None:
                entry["status"] = status
            if record.exc_info:
                entry["exc"] = self.formatException(record.exc_info)
            if record.stack_info:
                entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
