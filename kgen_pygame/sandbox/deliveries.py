"""Raw deliveries: every POST of a score, loyalty grant or px-tracker drop the sandbox handled.

Counted apart from the stored rows, repeats and failures included, so a test can see that a
retry happened (``GET /_sandbox/records``, ``GET /_sandbox/deliveries``).

A delivery is known only once its answer is, after the request's transaction. Rather than
open a second transaction for every POST (a quarter of the eventing rate) or add a row to
every request's own (a sixth), deliveries wait in :class:`DeliveryLog` and are written in
batches: by any transaction once enough are waiting, and always before they are read.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .clock import iso
from .context import Ctx
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
BATCH = 256


class DeliveryLog:
    """Deliveries waiting to be written by the next transaction (thread-safe)."""

    def __init__(self) -> None:
        self._pending: list[tuple[Any, ...]] = []
        self._lock = threading.Lock()

    def add(
        self,
        request: Request,
        label: tuple[str, str],
        token: str | None,
        status: int,
        replayed: bool,
        now: float,
    ) -> None:
        """Note one handled request."""
        key = request.header("Idempotency-Key")
        digest = token_digest(token) if token and len(token) <= 512 else None
        row = (
            digest,
            label[0],
            label[1],
            key[:_MAX_KEY_LEN] if key else None,
            1 if replayed else 0,
            status,
            now,
        )
        with self._lock:
            self._pending.append(row)

    def flush(self, conn: sqlite3.Connection, *, force: bool = True) -> list[tuple[Any, ...]]:
        """Write the waiting deliveries inside the caller's transaction (unless fewer than a
        batch wait and not ``force``); returns them, for :meth:`restore` should that
        transaction roll back."""
        with self._lock:
            if not force and len(self._pending) < BATCH:
                return []
            rows, self._pending = self._pending, []
        if rows:
            conn.executemany(
                "INSERT INTO deliveries(gamer_pk, api, operation, idempotency_key, replayed,"
                " status, received_at) VALUES ((SELECT gamer_pk FROM sessions"
                " WHERE token_digest = ?), ?, ?, ?, ?, ?, ?)",
                rows,
            )
        return rows

    def restore(self, rows: list[tuple[Any, ...]]) -> None:
        """Put back deliveries whose transaction rolled back."""
        if rows:
            with self._lock:
                self._pending[:0] = rows


def counted(
    app: SandboxApp,
    label: tuple[str, str],
    token_of: Callable[[Request], str | None],
    route: RouteFunction,
) -> RouteFunction:
    """Wrap ``route`` so every request it handles is logged as a delivery, whatever the answer."""

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
            app.deliveries.add(
                request, label, token_of(request), status, replayed, app.clock.now()
            )

    return counted_route


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
