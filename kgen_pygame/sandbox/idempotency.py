"""``Idempotency-Key``: a repeated key replays the first answer instead of doing the work again.

A key belongs to one player and one operation path (``POST /fe/esports/tournaments/<uid>/score``),
so one event fanned out to several tournaments may carry the same key on each. Only successful
answers are remembered: a failed attempt left nothing behind and may be tried again. Reusing a
key with a different body is refused (409 IDEMPOTENCY_KEY_REUSED) rather than answered with an
unrelated earlier result. This is the ``idempotency-key`` sandbox extension: no source documents
it, and documented-only mode ignores the header.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .context import Ctx
from .errors import ApiError, validation_error
from .routing import Request, Response

HEADER = "Idempotency-Key"
MAX_KEY_LEN = 200


def header_key(request: Request) -> str | None:
    """The request's key, if sent: 1 to 200 printable characters (400 otherwise)."""
    key = request.header(HEADER)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > MAX_KEY_LEN or not key.isprintable():
        raise validation_error(f"{HEADER} must be 1 to {MAX_KEY_LEN} printable characters")
    return key


def fingerprint(body: Any) -> str:
    """A digest of a parsed JSON body that ignores key order and whitespace."""

    def exact(value: Any) -> Any:
        if isinstance(value, Decimal):
            return {"$decimal": str(value)}
        raise TypeError(f"cannot fingerprint {type(value).__name__}")

    text = json.dumps(body, sort_keys=True, separators=(",", ":"), default=exact)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def once(
    ctx: Ctx,
    gamer_pk: int,
    scope: str,
    key: str | None,
    body: Any,
    work: Callable[[], Response],
) -> Response:
    """Run ``work`` unless ``key`` already has a remembered answer; remember a 2xx answer.

    ``key`` None (no header, or the extension is off) always runs ``work``.
    """
    if key is None:
        return work()
    digest = fingerprint(body)
    row = ctx.conn.execute(
        "SELECT fingerprint, status, body FROM idempotency_keys"
        " WHERE gamer_pk = ? AND scope = ? AND key = ?",
        (gamer_pk, scope, key),
    ).fetchone()
    if row is not None:
        if row["fingerprint"] is not None and row["fingerprint"] != digest:
            raise ApiError(
                409,
                "IDEMPOTENCY_KEY_REUSED",
                f"This {HEADER} was already used for a different request",
            )
        return Response(int(row["status"]), bytes(row["body"]), replayed=True)
    response = work()
    if 200 <= response.status < 300:
        ctx.conn.execute(
            "INSERT INTO idempotency_keys(gamer_pk, scope, key, fingerprint, status, body,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (gamer_pk, scope, key, digest, response.status, response.body, ctx.now),
        )
    return response
