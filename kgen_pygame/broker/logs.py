"""Structured logs: every record as one JSON line, scrubbed of credentials.

The access log (logger ``kgen_pygame.broker.access``) writes one record per
request whose fields are passed as ``extra={"fields": {...}}``; they become
top-level keys of the JSON line. Only fields the app chose go there: method,
path without query string, status, duration, client address, a hash prefix
of the user id, the error code. Never a token, a device key, a nonce, a
ticket or a secret; :class:`~kgen_pygame.redact.RedactingFilter` on the
handler is the second line of defence.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import IO, Final

from kgen_pygame.redact import RedactingFilter

__all__ = ["ACCESS_LOGGER", "JsonFormatter", "configure_logging"]

ACCESS_LOGGER: Final = "kgen_pygame.broker.access"


class JsonFormatter(logging.Formatter):
    """``{"ts", "level", "logger", "message", ...fields}`` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            line.update(fields)
        if record.exc_text:
            line["exception"] = record.exc_text
        elif record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, separators=(",", ":"), default=str)


def configure_logging(level: str = "INFO", stream: IO[str] | None = None) -> logging.Handler:
    """Send every log record of the process as JSON lines to *stream* (stderr)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level.upper())
    # waitress logs queue depth warnings usefully; its per-request chatter does not exist.
    logging.getLogger("waitress").setLevel(max(logging.INFO, root.level))
    return handler
