"""Raw deliveries: every POST of a score, loyalty grant or px-tracker drop the sandbox handled.

Counted apart from the stored rows, repeats and failures included, so a test can see that a
retry happened (``GET /_sandbox/records``, ``GET /_sandbox/deliveries``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .clock import iso
from .context import Ctx
from .db import DatabaseClosedError
from .errors import ApiError
from .identity import token_digest
from .routing import Request, Response, RouteFunction

if TYPE_CHECKING:
    from .app import SandboxApp

# Operations counted, as (api, operation) labels.
EVENTING = ("v1", "eventing")
SCORE = ("current", "score")
LOYALTY_GRANT = ("current", "loyalty_grant")
LEGACY_LOYALTY_GRANT = ("legacy", "loyalty_grant")
PX_DROP = ("current", "px_drop")

_MAX_KEY_LEN = 200


def counted(
    app: SandboxApp,
    label: tuple[str, str],
    token_of: Callable[[Request], str | None],
    route: RouteFunction,
) -> RouteFunction:
    """Wrap ``route`` so every request it handles is logged as a delivery, whatever the answer."""
    api, operation = label

    def counted_route(request: Request) -> Response:
        status, replayed = 500, False
        try:
            response = route(request)
            status, replayed = response.status, response.replayed
            return response
        except ApiError as error:
            status = error.status
            raise
        finally:
            _log(app, request, api, operation, token_of(request), status, replayed)

    return counted_route


def _log(
    app: SandboxApp,
    request: Request,
    api: str,
    operation: str,
    token: str | None,
    status: int,
    replayed: bool,
) -> None:
    key = request.header("Idempotency-Key")
    digest = token_digest(token) if token and len(token) <= 512 else None
    try:
        with app.context() as ctx:
            ctx.conn.execute(
                "INSERT INTO deliveries(gamer_pk, api, operation, idempotency_key, replayed,"
                " status, received_at) VALUES ((SELECT gamer_pk FROM sessions"
                " WHERE token_digest = ?), ?, ?, ?, ?, ?, ?)",
                (
                    digest,
                    api,
                    operation,
                    key[:_MAX_KEY_LEN] if key else None,
                    1 if replayed else 0,
                    status,
                    ctx.now,
                ),
            )
    except DatabaseClosedError:
        pass  # the sandbox is stopping; the answer says so already


def counts(ctx: Ctx, gamer_pk: int) -> dict[str, Any]:
    """Deliveries of one gamer: total, replayed (repeated keys), and per operation."""
    rows = ctx.conn.execute(
        "SELECT operation, COUNT(*), SUM(replayed) FROM deliveries WHERE gamer_pk = ?"
        " GROUP BY operation",
        (gamer_pk,),
    ).fetchall()
    return {
        "raw_deliveries": sum(int(row[1]) for row in rows),
        "repeated_deliveries": sum(int(row[2] or 0) for row in rows),
        "deliveries": {str(row[0]): int(row[1]) for row in rows},
    }


def listing(ctx: Ctx, gamer_pk: int, limit: int) -> list[dict[str, Any]]:
    """The gamer's newest ``limit`` deliveries, oldest first."""
    rows = ctx.conn.execute(
        "SELECT id, api, operation, idempotency_key, replayed, status, received_at"
        " FROM deliveries WHERE gamer_pk = ? ORDER BY id DESC LIMIT ?",
        (gamer_pk, limit),
    ).fetchall()
    return [
        {
            "id": row["id"],
            "api": row["api"],
            "operation": row["operation"],
            "idempotency_key": row["idempotency_key"],
            "replayed": bool(row["replayed"]),
            "status": row["status"],
            "received_at": iso(row["received_at"]),
        }
        for row in reversed(rows)
    ]
