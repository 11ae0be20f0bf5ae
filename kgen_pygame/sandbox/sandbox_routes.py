"""``/_sandbox`` routes for tests and demos: health, the OTP "SMS", records, deliveries, time,
faults, and the K-Store page the current generation's redirect URI points at."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from . import deliveries, extensions, kstore, otp, records, results, seed, tournaments
from .clock import iso
from .errors import ApiError, validation_error
from .routing import Request, Response, json_response
from .tournaments import TournamentSpec
from .validation import as_money, is_number, optional_str, require_object, required_str

if TYPE_CHECKING:
    from .app import SandboxApp

_MAX_EVENTS = 10_000


def _int_param(value: Any, name: str, low: int, high: int, default: int) -> int:
    if value is None:
        return default
    if isinstance(value, str):
        try:
            value = int(value)
        except ValueError:
            raise validation_error(f"{name} must be an integer") from None
    if isinstance(value, bool) or not isinstance(value, int):
        raise validation_error(f"{name} must be an integer")
    if not low <= value <= high:
        raise validation_error(f"{name} must be between {low} and {high}")
    return value


def _seconds(value: Any, name: str, low: float, high: float, default: float) -> float:
    if value is None:
        return default
    if not is_number(value):
        raise validation_error(f"{name} must be a number of seconds")
    seconds = float(value)
    if not low <= seconds <= high:
        raise validation_error(f"{name} must be between {low:g} and {high:g}")
    return seconds


class SandboxRoutes:
    """Route functions of the sandbox-only API (no authentication; loopback use)."""

    def __init__(self, app: SandboxApp) -> None:
        self.app = app

    def health(self, request: Request) -> Response:
        """GET /_sandbox/health."""
        return json_response(
            200,
            {
                "status": "ok",
                "time": iso(self.app.clock.now()),
                "clock_offset_s": self.app.clock.offset_s,
                "documented_only": self.app.config.documented_only,
                "extensions": [ext.name for ext in extensions.active(self.app.config)],
            },
        )

    def otp_message(self, request: Request) -> Response:
        """GET /_sandbox/otp?phone_number=&countryCode=: the latest OTP "SMS" for a phone."""
        phone = otp.parse_phone(dict(request.query))
        with self.app.context() as ctx:
            message = otp.latest_for_sandbox(ctx, phone)
        if message is None:
            raise ApiError(404, "OTP_NOT_FOUND", "No OTP was sent to this phone number")
        return json_response(200, message)

    def events(self, request: Request) -> Response:
        """GET /_sandbox/events[?gamer_id=&limit=]."""
        limit = _int_param(request.query.get("limit"), "limit", 1, _MAX_EVENTS, 1000)
        with self.app.context() as ctx:
            body = records.events_json(ctx, request.query.get("gamer_id"), limit)
        return json_response(200, body)

    def records(self, request: Request) -> Response:
        """GET /_sandbox/records?gamer_id=."""
        gamer_id = request.query.get("gamer_id")
        if not gamer_id:
            raise validation_error("gamer_id query parameter is required")
        self.app.maintain()
        with self.app.context(with_deliveries=True) as ctx:
            return json_response(200, records.records_json(ctx, gamer_id))

    def deliveries(self, request: Request) -> Response:
        """GET /_sandbox/deliveries?gamer_id=[&limit=]: raw deliveries, repeats included."""
        gamer_id = request.query.get("gamer_id")
        if not gamer_id:
            raise validation_error("gamer_id query parameter is required")
        limit = _int_param(request.query.get("limit"), "limit", 1, _MAX_EVENTS, 1000)
        with self.app.context(with_deliveries=True) as ctx:
            gamer_pk = records.gamer_pk_of(ctx, gamer_id)
            body = [] if gamer_pk is None else deliveries.listing(ctx, gamer_pk, limit)
        return json_response(200, body)

    def kstore_page(self, request: Request) -> Response:
        """GET /_sandbox/k-store?ticket=: the page a K-Store redirect URI opens (HTML)."""
        with self.app.context() as ctx:
            page = kstore.page(ctx, request.query.get("ticket"))
        return Response(200, page.encode("utf-8"), "text/html; charset=utf-8")

    def list_tournaments(self, request: Request) -> Response:
        """GET /_sandbox/tournaments: every tournament, scheduled, live and ended."""
        self.app.maintain()
        with self.app.context() as ctx:
            rows = ctx.conn.execute("SELECT * FROM tournaments ORDER BY ends_at DESC").fetchall()
            body = [{**tournaments.to_json(ctx, row), "series": row["series"]} for row in rows]
        return json_response(200, body)

    def create_tournament(self, request: Request) -> Response:
        """POST /_sandbox/tournaments: create one (for tests and demos)."""
        body = require_object(request.json())
        title = required_str(body, "title", max_len=120)
        buy_in = as_money(body.get("buy_in", 0), "buy_in")
        prize = as_money(body.get("guaranteed_prize", 0), "guaranteed_prize")
        if buy_in < 0 or prize < 0:
            raise validation_error("buy_in and guaranteed_prize must not be negative")
        starts_in = _seconds(body.get("starts_in_s"), "starts_in_s", -30 * 86400, 30 * 86400, 0)
        duration = _seconds(body.get("duration_s"), "duration_s", 1, 90 * 86400, 900)
        max_players = _int_param(body.get("max_players"), "max_players", 1, 1_000_000, 100)
        rewarded = _int_param(
            body.get("total_players_rewarded"), "total_players_rewarded", 1, 10_000, 3
        )
        bots = _int_param(body.get("bots"), "bots", 0, seed.BOT_POOL_SIZE, 0)
        description = optional_str(body, "description", max_len=500) or f"{title} (sandbox)"
        with self.app.context() as ctx:
            if bots:
                seed.ensure_bot_pool(ctx)
            spec = TournamentSpec(
                title=title,
                description=description,
                buy_in=buy_in,
                guaranteed_prize=prize,
                starts_at=ctx.now + starts_in,
                ends_at=ctx.now + starts_in + duration,
                max_players=max_players,
                total_players_rewarded=rewarded,
                bot_count=bots,
            )
            uid = tournaments.create(ctx, spec)
            created = tournaments.to_json(ctx, tournaments.require(ctx, uid))
        self.app.schedule_changed()
        return json_response(201, created)

    def end_tournament(self, request: Request) -> Response:
        """POST /_sandbox/tournaments/{tournamentId}/_end: end now, rank, grant rewards."""
        self.app.maintain()
        with self.app.context() as ctx:
            body = results.end_now(ctx, request.params["tournamentId"])
        self.app.schedule_changed()
        return json_response(200, body)

    def get_faults(self, request: Request) -> Response:
        """GET /_sandbox/faults."""
        return json_response(200, self.app.faults.faults.as_dict())

    def set_faults(self, request: Request) -> Response:
        """POST /_sandbox/faults: merge the given settings (``{"reset": true}`` clears all)."""
        body = dict(require_object(request.json()))
        current = self.app.faults.faults
        if body.pop("reset", False) is True:
            current = type(current)()
        changes: dict[str, Any] = {
            key: float(value) if isinstance(value, Decimal) else value
            for key, value in body.items()
        }
        try:
            updated = current.replace(**changes)
        except (TypeError, ValueError) as exc:
            raise validation_error(str(exc)) from None
        return json_response(200, self.app.faults.set(updated).as_dict())

    def get_clock(self, request: Request) -> Response:
        """GET /_sandbox/clock."""
        clock = self.app.clock
        return json_response(200, {"now": iso(clock.now()), "offset_s": clock.offset_s})

    def advance_clock(self, request: Request) -> Response:
        """POST /_sandbox/clock ``{"advance_s": n}``: jump the sandbox clock forward."""
        body = require_object(request.json())
        seconds = _seconds(body.get("advance_s"), "advance_s", 0, 365 * 86400, 0)
        self.app.clock.advance(seconds)
        return self.get_clock(request)


def register(app: SandboxApp) -> None:
    """Add the sandbox routes to the app's router."""
    routes = SandboxRoutes(app)
    add = app.router.add
    add("GET", "/_sandbox/health", routes.health)
    add("GET", "/_sandbox/otp", routes.otp_message)
    add("GET", "/_sandbox/events", routes.events)
    add("GET", "/_sandbox/records", routes.records)
    add("GET", "/_sandbox/deliveries", routes.deliveries)
    add("GET", "/_sandbox/k-store", routes.kstore_page)
    add("GET", "/_sandbox/tournaments", routes.list_tournaments)
    add("POST", "/_sandbox/tournaments", routes.create_tournament)
    add("POST", "/_sandbox/tournaments/{tournamentId}/_end", routes.end_tournament)
    add("GET", "/_sandbox/faults", routes.get_faults)
    add("POST", "/_sandbox/faults", routes.set_faults)
    add("GET", "/_sandbox/clock", routes.get_clock)
    add("POST", "/_sandbox/clock", routes.advance_clock)
