"""The px-tracker drop: one analytics event with flat string or number attributes (C23).

Reading of the docs: it records ("drops") an event named by the path into KGeN's
player-experience tracker; it deletes nothing and pays nothing.
"""

from __future__ import annotations

from typing import Any

from . import jsonutil
from .accounts import Principal
from .context import Ctx
from .errors import validation_error
from .validation import is_number, require_object

MAX_ATTRIBUTES = 100
MAX_NAME_LEN = 128
MAX_TEXT_LEN = 1024


def parse_attributes(body: Any) -> dict[str, Any]:
    """A flat JSON object whose values are strings or numbers (400 BAD_REQUEST otherwise)."""
    if body is None:
        return {}
    attributes = require_object(body)
    if len(attributes) > MAX_ATTRIBUTES:
        raise validation_error(f"at most {MAX_ATTRIBUTES} attributes are allowed")
    for name, value in attributes.items():
        if not name or len(name) > MAX_NAME_LEN:
            raise validation_error(f"attribute names must be 1 to {MAX_NAME_LEN} characters")
        if isinstance(value, str):
            if len(value) > MAX_TEXT_LEN:
                raise validation_error(f"{name} must be at most {MAX_TEXT_LEN} characters")
        elif not is_number(value):
            raise validation_error(f"{name} must be a string or a number (string, float or int)")
    return attributes


def check_event_name(name: str) -> str:
    """The ``{eventID}`` of the path: a free name of at most 128 characters."""
    if len(name) > MAX_NAME_LEN:
        raise validation_error(f"eventID must be at most {MAX_NAME_LEN} characters")
    return name


def record(
    ctx: Ctx, principal: Principal, name: str, attributes: dict[str, Any], key: str | None
) -> None:
    """Store one dropped event."""
    text = jsonutil.dumps(attributes).decode("ascii")
    ctx.conn.execute(
        "INSERT INTO px_events(gamer_pk, event_name, attributes, idempotency_key, received_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (principal.gamer_pk, name, text, key, ctx.now),
    )
