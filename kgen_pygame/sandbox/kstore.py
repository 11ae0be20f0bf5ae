"""K-Store hand-off links: a short-lived ticket for one player, opened in their browser (C22).

The sandbox's "store" is a small page under ``/_sandbox/k-store``; the link carries a random
ticket (never the player's token), valid for ``TICKET_TTL_S`` and reusable until then.
"""

from __future__ import annotations

import html
import re

from .accounts import gamer_by_pk
from .context import Ctx
from .errors import ApiError
from .identity import new_token, token_digest

TICKET_TTL_S = 600.0
_HOST_RE = re.compile(r"[A-Za-z0-9.\-]+(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?")


def redirect_uri(ctx: Ctx, gamer_pk: int, host: str | None) -> str:
    """Mint a ticket and the URL of the sandbox store page for it."""
    ticket = new_token()
    ctx.conn.execute(
        "INSERT INTO kstore_tickets(ticket_digest, gamer_pk, created_at, expires_at)"
        " VALUES (?, ?, ?, ?)",
        (token_digest(ticket), gamer_pk, ctx.now, ctx.now + TICKET_TTL_S),
    )
    authority = host if host and _HOST_RE.fullmatch(host) else "127.0.0.1"
    return f"http://{authority}/_sandbox/k-store?ticket={ticket}"


def page(ctx: Ctx, ticket: str | None) -> str:
    """The store page for a valid ticket; 404 for an unknown one, 410 once it has expired."""
    row = None
    if ticket and len(ticket) <= 128:
        row = ctx.conn.execute(
            "SELECT gamer_pk, expires_at FROM kstore_tickets WHERE ticket_digest = ?",
            (token_digest(ticket),),
        ).fetchone()
    if row is None:
        raise ApiError(404, "TICKET_NOT_FOUND", "Unknown K-Store ticket")
    if ctx.now >= row["expires_at"]:
        raise ApiError(410, "TICKET_EXPIRED", "This K-Store link has expired; ask for a new one")
    gamer = gamer_by_pk(ctx, int(row["gamer_pk"]))
    player = html.escape(str(gamer["gamer_id"]))
    wallet = html.escape(str(gamer["kgen_wallet_address"] or "not linked yet"))
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>K-Store (sandbox)</title>"
        "</head><body><h1>K-Store (sandbox)</h1>"
        f"<p>Signed in as <b>{player}</b>. KGeN wallet: <code>{wallet}</code>.</p>"
        "<p>This page stands in for KGeN's store; nothing can be bought here.</p>"
        "</body></html>"
    )
