"""Gamers, their custodial wallets and sessions; client and token authentication."""

from __future__ import annotations

import hmac
import json
import sqlite3
import uuid
from dataclasses import dataclass
from typing import Any

from . import ledger
from .clock import epoch_ms, iso
from .config import SandboxConfig
from .context import Ctx
from .errors import invalid_client, missing_or_bad_token, token_expired
from .identity import mask_phone, new_token, new_uid, new_wallet_address, token_digest
from .money import from_cents
from .validation import is_number, player_id, present_fields, require_object, short_text

BOT_CLIENT_ID = "kgen-sandbox-bots"

_PROFILE_STRINGS = (
    "device_id",
    "email",
    "username",
    "phonenumber",
    "name",
    "playertag",
    "location_name",
)
_PROFILE_NUMBERS = ("level", "rank")


@dataclass(frozen=True, slots=True)
class OpenedSession:
    """A new session of a (possibly new) gamer: what every session answer is made of."""

    gamer: sqlite3.Row
    token: str
    # The current generation's refresh_token: no documented endpoint accepts it (C1), and
    # neither does the sandbox, so it is not stored.
    refresh_token: str
    session_id: str
    started_at: float
    expires_at: float
    created: bool


@dataclass(frozen=True, slots=True)
class Principal:
    """The gamer behind a valid session token."""

    gamer: sqlite3.Row
    session_id: str
    started_at: float
    expires_at: float

    @property
    def gamer_pk(self) -> int:
        """Database id of the gamer."""
        return int(self.gamer["id"])

    @property
    def gamer_id(self) -> str:
        """The game's own id for the gamer."""
        return str(self.gamer["gamer_id"])


def app_id_for(client_id: str) -> str:
    """The stable application id the sandbox shows for a client (also the tournaments' game_uid)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"kgen-sandbox:{client_id}"))


def check_client(
    config: SandboxConfig, client_id: str | None, client_secret: str | None, *, required: bool
) -> None:
    """Validate client credentials; raise 401 UNAUTHORIZED when wrong (or missing if required)."""
    if client_id is None and client_secret is None:
        if required:
            raise invalid_client()
        return
    id_ok = client_id is None or hmac.compare_digest(client_id.encode(), config.client_id.encode())
    secret_ok = client_secret is None or hmac.compare_digest(
        client_secret.encode(), config.client_secret.encode()
    )
    if required and client_secret is None:
        secret_ok = False
    if not (id_ok and secret_ok):
        raise invalid_client()


def parse_session_request(body: Any) -> tuple[str, dict[str, Any]]:
    """Validate a ``POST /api/v1/session`` body; returns ``(gamer_id, profile)``."""
    obj = require_object(body)
    gamer_id = player_id(obj, "gamer_id")
    profile = {
        **present_fields(obj, _PROFILE_STRINGS, short_text, "a string of at most 256 characters"),
        **present_fields(obj, _PROFILE_NUMBERS, is_number, "a number"),
        **present_fields(
            obj,
            ("date_joined",),
            lambda value: is_number(value) or isinstance(value, str),
            "a string or a number",
        ),
        **present_fields(
            obj, ("location",), lambda value: isinstance(value, dict | str), "an object or a string"
        ),
    }
    return gamer_id, profile


def _profile_text(profile: dict[str, Any]) -> str:
    return json.dumps(profile, default=str, sort_keys=True)


def _display_name(gamer_id: str, profile: dict[str, Any]) -> str:
    for key in ("playertag", "username", "name"):
        value = profile.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()[:64]
    return gamer_id[:64]


def create_gamer(
    ctx: Ctx, client_id: str, gamer_id: str, profile: dict[str, Any], *, is_bot: bool = False
) -> int:
    """Insert a gamer with a fresh custodial wallet (and its welcome bonus unless a bot)."""
    wallet = new_wallet_address()
    cursor = ctx.conn.execute(
        "INSERT INTO gamers(client_id, gamer_id, account_id, wallet_address, display_name,"
        " profile, is_bot, created_at, modified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            client_id,
            gamer_id,
            new_uid(),
            wallet,
            _display_name(gamer_id, profile),
            _profile_text(profile),
            1 if is_bot else 0,
            ctx.now,
            ctx.now,
        ),
    )
    gamer_pk = int(cursor.lastrowid or 0)
    if not is_bot:
        ledger.grant_welcome_bonus(ctx, gamer_pk, wallet)
    return gamer_pk


def gamer_by_pk(ctx: Ctx, gamer_pk: int) -> sqlite3.Row:
    """Load one gamer row."""
    row: sqlite3.Row = ctx.conn.execute("SELECT * FROM gamers WHERE id = ?", (gamer_pk,)).fetchone()
    return row


def find_gamer(ctx: Ctx, client_id: str, gamer_id: str) -> sqlite3.Row | None:
    """The gamer with this game id, if the client has one."""
    row: sqlite3.Row | None = ctx.conn.execute(
        "SELECT * FROM gamers WHERE client_id = ? AND gamer_id = ?", (client_id, gamer_id)
    ).fetchone()
    return row


def open_session(
    ctx: Ctx, client_id: str, gamer_id: str, profile: dict[str, Any]
) -> OpenedSession:
    """Create or retrieve the gamer (merging ``profile`` into theirs), then open a new session."""
    gamer = find_gamer(ctx, client_id, gamer_id)
    created = gamer is None
    if gamer is None:
        gamer = gamer_by_pk(ctx, create_gamer(ctx, client_id, gamer_id, profile))
    elif profile:
        merged = {**json.loads(gamer["profile"] or "{}"), **profile}
        ctx.conn.execute(
            "UPDATE gamers SET profile = ?, display_name = ?, modified_at = ? WHERE id = ?",
            (_profile_text(merged), _display_name(gamer_id, merged), ctx.now, gamer["id"]),
        )
        gamer = gamer_by_pk(ctx, int(gamer["id"]))
    token = new_token()
    session_id = new_uid()
    expires_at = ctx.now + ctx.config.token_ttl_s
    ctx.conn.execute(
        "INSERT INTO sessions(token_digest, session_id, gamer_pk, started_at, expires_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (token_digest(token), session_id, gamer["id"], ctx.now, expires_at),
    )
    return OpenedSession(gamer, token, new_token(), session_id, ctx.now, expires_at, created)


def profile_of(gamer: sqlite3.Row) -> dict[str, Any]:
    """The profile fields the game sent in its session calls (merged over time)."""
    profile: dict[str, Any] = json.loads(gamer["profile"] or "{}")
    return profile


def start_session(
    ctx: Ctx, client_id: str, gamer_id: str, profile: dict[str, Any]
) -> tuple[dict[str, Any], bool]:
    """``POST /api/v1/session``: create or retrieve, new token; returns ``(body, created)``."""
    opened = open_session(ctx, client_id, gamer_id, profile)
    gamer = opened.gamer
    body = {
        "gamer_id": gamer_id,
        "appId": app_id_for(client_id),
        "accountId": gamer["account_id"],
        "session_id": opened.session_id,
        "wallet_address": gamer["wallet_address"],
        "session_start_time": iso(opened.started_at),
        "token": opened.token,
        "token_expires_at": iso(opened.expires_at),
        "linked_phone": mask_phone(gamer["linked_phone"], gamer["linked_phone_cc"]),
        "indigg_wallet_address": gamer["kgen_wallet_address"],
        "is_new_user": opened.created,
    }
    return body, opened.created


def authenticate(ctx: Ctx, token: str | None) -> Principal:
    """Resolve a session token to its gamer, or raise 401 UN_AUTHORIZED / TOKEN_EXPIRED."""
    if not token or len(token) > 512:
        raise missing_or_bad_token()
    row = ctx.conn.execute(
        "SELECT session_id, started_at, expires_at, gamer_pk FROM sessions WHERE token_digest = ?",
        (token_digest(token),),
    ).fetchone()
    if row is None:
        raise missing_or_bad_token()
    if row["expires_at"] <= ctx.now:
        raise token_expired()
    return Principal(
        gamer=gamer_by_pk(ctx, row["gamer_pk"]),
        session_id=row["session_id"],
        started_at=row["started_at"],
        expires_at=row["expires_at"],
    )


def session_json(ctx: Ctx, principal: Principal, token: str, joined: list[str]) -> dict[str, Any]:
    """The body of ``GET /api/v1/session``."""
    gamer = principal.gamer
    best = gamer["best_score"]
    return {
        "session_id": principal.session_id,
        "session_start_time": epoch_ms(principal.started_at),
        "token": token,
        "user_id": gamer["gamer_id"],
        "score": 0 if best is None else best,
        "wallet_balance": from_cents(ledger.total_cents(gamer)),
        "wallet_address": gamer["wallet_address"],
        "joined_tournaments": joined,
        "linked_phone": mask_phone(gamer["linked_phone"], gamer["linked_phone_cc"]),
        "indigg_wallet_address": gamer["kgen_wallet_address"],
        "token_expires_at": iso(principal.expires_at),
    }
