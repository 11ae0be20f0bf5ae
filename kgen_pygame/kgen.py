"""The facade a game developer sees: :class:`KGen`.

Three calls a frame (``handle_event``, ``update``, ``draw``), a couple of
tracking hooks, and ``close`` at exit. Everything slow happens on two
daemon threads: the call worker (bootstrap, overlay calls, refreshes) and
the event sender (outbox drain). Results come back inside ``update()``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
import uuid
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pygame

from kgen_pygame import events
from kgen_pygame.actions import Actions
from kgen_pygame.config import KGenConfig
from kgen_pygame.errors import ConfigurationError, KGenError, UsageError
from kgen_pygame.runtime.core import Endpoint, Runtime
from kgen_pygame.runtime.outbox import OutboxError
from kgen_pygame.runtime.payloads import normalize_metadata, normalize_value
from kgen_pygame.runtime.sender import DeliveryStatus, EventSender
from kgen_pygame.runtime.state import PlayerState
from kgen_pygame.runtime.worker import CallWorker, Hooks, Job

if TYPE_CHECKING:
    from kgen_pygame.models import (
        OtpVerification,
        Session,
        Tournament,
        WithdrawResult,
    )
    from kgen_pygame.runtime.credentials import CredentialStore
    from kgen_pygame.runtime.outbox import CaptureHandle, DeliveryHandle
    from kgen_pygame.sandbox import SandboxServer

logger = logging.getLogger(__name__)

EventCallback = Callable[[pygame.event.Event], None]


class Overlay(Protocol):
    """What the facade needs from the overlay layer (``kgen_pygame.panels``)."""

    @property
    def is_open(self) -> bool: ...

    @property
    def wants_pause(self) -> bool: ...

    @property
    def busy(self) -> bool: ...

    def open(self, panel: str | None = None, *, tournament_id: str | None = None) -> None: ...

    def close(self) -> None: ...

    def handle_event(self, event: pygame.event.Event) -> bool: ...

    def update(self, dt: float) -> None: ...

    def draw(self, surface: pygame.Surface) -> None: ...


_LIVE: weakref.WeakSet[KGen] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    for kgen in list(_LIVE):
        kgen._forked = True


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


class KGen:
    """Connects one pygame game to KGeN. Create it after ``pygame.init()``.

    Every option can also come from a ``KGEN_*`` environment variable; see
    ``docs/integration.md`` for the list. With no ``base_url`` the embedded
    sandbox starts on a free loopback port, so a fresh install just works.
    """

    def __init__(self, *, overlays: bool = True, **options: Any) -> None:
        if not pygame.get_init():
            raise UsageError("create KGen after pygame.init()")
        self.config = KGenConfig.resolve(**options)
        data_dir = self.config.resolved_data_dir()
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
            gamer_id = self.config.gamer_id or _stable_gamer_id(data_dir)
        except OSError as error:
            raise ConfigurationError(
                f"the KGeN data_dir {data_dir} is not usable ({error.strerror or error}); "
                "set data_dir= or KGEN_DATA_DIR to a writable folder"
            ) from None
        self._runtime = Runtime(self.config, gamer_id)
        self.state = PlayerState()
        self.actions = Actions(self)
        self._callbacks: dict[int, list[EventCallback]] = {}
        self._closed = False
        self._forked = False
        self._owner_pid = os.getpid()
        self._outbox_path = data_dir / "outbox.sqlite3"
        self._unsaved: list[tuple[str, Any, dict[str, Any], str, int]] = []
        self._next_unsaved_try = 0.0
        self._capture: CaptureHandle = _open_capture(self._outbox_path, self.config)
        hooks = _FacadeHooks(self)
        self._status = DeliveryStatus(self._report_delivery)
        self._worker = CallWorker(self._runtime, hooks, self._open_store)
        self._worker.add_refresher("rewards", lambda c, t: c.rewards(t))
        self._worker.add_refresher("balance", lambda c, t: c.wallet_balance(t))
        self._worker.add_refresher("tournaments", lambda c, t: c.active_tournaments(t))
        self._worker.add_refresher("joined", lambda c, t: c.joined_tournaments(t))
        self._sender = EventSender(
            self._runtime,
            self._outbox_path,
            self._status,
            self._worker.refresh_session,
            _delivery_opener(self.config),
        )
        self._overlay: Overlay | None = None
        if overlays:
            from kgen_pygame.panels import KGenOverlay

            self._overlay = KGenOverlay(self)
        self._worker.start()
        self._sender.start()
        _LIVE.add(self)

    # -- per frame ---------------------------------------------------------

    def handle_event(self, event: pygame.event.Event) -> bool:
        """Offer ``event`` to the plugin; True means an open overlay consumed it.

        ``QUIT`` is never consumed.
        """
        if self._overlay is None or self._closed or self._forked:
            return False
        if event.type == pygame.QUIT:
            return False
        try:
            return self._overlay.handle_event(event)
        except Exception:
            logger.exception("the KGeN overlay failed to handle an event")
            return False

    def update(self, dt: float) -> None:
        """Deliver background results (callbacks, events) and animate overlays."""
        if self._closed or self._forked:
            return
        if self._unsaved and time.monotonic() >= self._next_unsaved_try:
            self._next_unsaved_try = time.monotonic() + 1.0
            self._store_unsaved()
        self._runtime.inbox.drain()
        if self._overlay is not None:
            try:
                self._overlay.update(dt)
            except Exception:
                logger.exception("the KGeN overlay failed to update")

    def draw(self, surface: pygame.Surface) -> None:
        """Draw the HUD badge and any open overlay on top of the game."""
        if self._closed or self._forked:
            return
        self._sender.frame_drawn()
        if self._overlay is None:
            return
        try:
            self._overlay.draw(surface)
        except Exception:
            logger.exception("the KGeN overlay failed to draw")

    # -- tracking ----------------------------------------------------------

    def track_score(self, value: int, tournament_id: str | None = None, **metadata: Any) -> str:
        """Record a score; durable on return. Returns the event id.

        The score goes to ``tournament_id`` when given, else to every active
        tournament the player joined.
        """
        if tournament_id is not None:
            metadata["tournamentId"] = tournament_id
        return self.track("score", value, **metadata)

    def track(self, kind: str, value: Any, **metadata: Any) -> str:
        """Record any event kind of the contract; durable on return.

        Kinds: ``score`` and ``achievement`` (int), ``levelup`` and
        ``progress`` (str), ``matchResult``, ``matchJoined``,
        ``tournamentJoined`` and ``lobbyJoined`` (list of str). Metadata keys:
        ``tournamentId``, ``matchId``, ``lobbyId`` (str), ``level``,
        ``areaCode``, ``difficulty`` (int). Raises ``TypeError`` or
        ``ValueError`` on anything else, before storing it.

        If the outbox file cannot be written (disk full, locked by another
        process), the event waits in memory, is stored from ``update()`` as
        soon as possible, and a ``DELIVERY_PROBLEM`` event says so.
        """
        if self._closed:
            raise UsageError("KGen.track() called after close()")
        wire_value = normalize_value(kind, value)
        wire_metadata = normalize_metadata(metadata)
        wire_metadata["playerId"] = self._runtime.gamer_id
        wire_metadata["gameId"] = self.config.game_id
        if self._unsaved:  # earlier events wait in memory: queue behind them, in order
            event_id = self._hold(kind, wire_value, wire_metadata)
        else:
            try:
                event_id = self._capture.add(kind, wire_value, wire_metadata)
            except OutboxError as error:
                logger.warning("could not store an event yet (%s); keeping it in memory", error)
                event_id = self._hold(kind, wire_value, wire_metadata)
                self._post(
                    events.DELIVERY_PROBLEM,
                    reason="events are waiting in memory: the outbox file is not writable",
                    pending=len(self._unsaved),
                    dead_lettered=self._status.dead_lettered,
                    recovered=False,
                )
        if not self._forked:
            self._sender.wake()
        return event_id

    def _hold(self, kind: str, value: Any, metadata: dict[str, Any]) -> str:
        """Keep an event in memory until the outbox takes it (disk full, file locked)."""
        event_id = uuid.uuid4().hex
        self._unsaved.append((kind, value, metadata, event_id, _now_ms()))
        return event_id

    def _store_unsaved(self) -> None:
        """Move events held in memory into the outbox, oldest first."""
        while self._unsaved:
            kind, value, metadata, event_id, timestamp_ms = self._unsaved[0]
            try:
                self._capture.add(
                    kind, value, metadata, event_id=event_id, timestamp_ms=timestamp_ms
                )
            except OutboxError:
                return
            self._unsaved.pop(0)

    # -- overlays ----------------------------------------------------------

    def open_menu(self, panel: str | None = None, *, tournament_id: str | None = None) -> None:
        """Open the KGeN menu, or one panel of it (``"rewards"``, ``"withdraw"``,
        ``"link"``, ``"tournaments"``, ``"leaderboard"``, ``"history"``, ``"stats"``).

        ``tournament_id`` picks the tournament for ``"leaderboard"`` and
        ``"tournaments"`` (its details).
        """
        if self._overlay is not None:
            self._overlay.open(panel, tournament_id=tournament_id)

    def close_menu(self) -> None:
        """Close any open KGeN overlay."""
        if self._overlay is not None:
            self._overlay.close()

    @property
    def overlay_open(self) -> bool:
        """True while a KGeN overlay covers the game."""
        return self._overlay is not None and self._overlay.is_open

    @property
    def should_pause(self) -> bool:
        """True when the game should pause its simulation (an overlay is open)."""
        return self._overlay is not None and self._overlay.wants_pause

    @property
    def overlay(self) -> Overlay | None:
        """The overlay behind the menu (None with ``overlays=False``), read-only.

        For tests and tools that need to see what is on screen (the demo's
        scripted flow aims its clicks with it); a game never needs it.
        """
        return self._overlay

    # -- state -------------------------------------------------------------

    @property
    def ready(self) -> bool:
        """True once a session exists."""
        return self.state.session is not None

    @property
    def session(self) -> Session | None:
        """The current session (its token is not for display)."""
        return self.state.session

    @property
    def gamer_id(self) -> str:
        """The player's id in this game."""
        return self._runtime.gamer_id

    @property
    def active_tournaments(self) -> list[Tournament]:
        """Active tournaments as last fetched (refreshed in the background)."""
        return list(self.state.tournaments)

    @property
    def joined_tournament_ids(self) -> set[str]:
        """Tournaments the player joined, as last fetched."""
        return set(self.state.joined_ids)

    def join_tournament(
        self, uid: str, on_done: Callable[[Any], None] | None = None
    ) -> Any:
        """Join a tournament; ``on_done`` gets the message or the error."""
        call = self.actions.join_tournament(uid)
        if on_done is not None:
            call.on_done(lambda c: on_done(c.result if c.ok else c.error))
        return call

    @property
    def sandbox(self) -> SandboxServer | None:
        """The embedded sandbox, when running against it (for demos and tests)."""
        return self._runtime.sandbox

    @property
    def endpoint(self) -> Endpoint | None:
        """Where the plugin talks to, once resolved."""
        return self._runtime.endpoint

    @property
    def pending_events(self) -> int:
        """Events captured but not yet acknowledged by the server.

        A COUNT over the outbox: fine for a status screen, not for every frame.
        """
        try:
            stored = self._capture.pending_count()
        except OutboxError:
            stored = 0
        return stored + len(self._unsaved)

    def on(self, name: str, callback: EventCallback) -> None:
        """Call ``callback(event)`` on the game thread for a named plugin event.

        Names: see :data:`kgen_pygame.events.BY_NAME`; the same events are
        also posted to pygame's queue.
        """
        event_type = events.BY_NAME.get(name)
        if event_type is None:
            raise ValueError(f"unknown KGen event {name!r}; one of {', '.join(events.BY_NAME)}")
        self._callbacks.setdefault(event_type, []).append(callback)

    # -- shutdown ----------------------------------------------------------

    def close(self, timeout: float = 2.0) -> None:
        """Try to deliver pending events within ``timeout`` seconds, then stop.

        Never hangs: whatever is left stays in the outbox for the next launch.
        """
        if self._closed:
            return
        self._closed = True
        deadline = time.monotonic() + max(0.0, timeout)
        self._store_unsaved()
        if self._unsaved:
            logger.error("%d events could not be stored and are lost", len(self._unsaved))
        if self._forked or os.getpid() != self._owner_pid:
            self._capture.close()
            return
        if self._capture.pending_count():
            self._sender.wake()
            while not self._runtime.failed.is_set():
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._sender.drained.wait(min(0.05, remaining)):
                    break
        self._sender.stop()
        self._worker.stop()
        for thread in (self._sender, self._worker):
            thread.join(max(0.0, deadline - time.monotonic()))
        sandbox = self._runtime.sandbox
        if sandbox is not None:
            sandbox.stop(max(0.1, deadline - time.monotonic()))
        self._capture.close()
        _LIVE.discard(self)

    def __enter__(self) -> KGen:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- internals used by Actions, hooks and the overlay ---------------------

    def _submit(self, job: Job) -> None:
        if self._closed or self._forked:
            self._runtime.inbox.settle(
                job.call, None, UsageError("KGen is closed (or this is a forked child)")
            )
            if self._forked:
                self._runtime.inbox.drain()
            return
        self._worker.submit(job)

    def _runtime_session(self) -> Session | None:
        session = self._runtime.session
        return session.current() if session is not None else None

    def _refresh(self, *names: str) -> None:
        if not self._closed and not self._forked:
            self._worker.refresh_now(*names)

    def _post(self, event_type: int, **attributes: Any) -> None:
        event = pygame.event.Event(event_type, attributes)
        # pygame.error: the event queue is unavailable (display not initialised).
        with contextlib.suppress(pygame.error):
            pygame.event.post(event)
        for callback in self._callbacks.get(event_type, ()):
            try:
                callback(event)
            except Exception:
                logger.exception("a KGen %s callback raised", events.NAME_OF[event_type])

    def _on_refreshed(self, name: str, value: Any) -> None:
        state = self.state
        if name == "rewards":
            if state.apply_rewards(value):
                self._post(
                    events.REWARDS_CHANGED,
                    count=state.unclaimed_count,
                    total=state.unclaimed_total,
                )
        elif name == "balance":
            if state.apply_balance(value):
                self._post(
                    events.BALANCE_CHANGED, earned=value.earned, total=state.balance_total
                )
        elif name in ("tournaments", "joined"):
            changed = (
                state.apply_tournaments(value)
                if name == "tournaments"
                else state.apply_joined(value)
            )
            if changed:
                self._post(
                    events.TOURNAMENTS_CHANGED,
                    active=len(state.tournaments),
                    joined=len(state.joined_ids),
                )

    def _on_linked(self, result: OtpVerification, country_code: str, phone: str) -> None:
        session = self.state.session
        masked = result.linked_phone or _mask_phone(country_code, phone)
        if session is not None:
            from dataclasses import replace

            self.state.session = replace(
                session, linked_phone=masked, kgen_wallet_address=result.kgen_wallet_address
            )
        manager = self._runtime.session
        if manager is not None:
            manager.update_linked(masked, result.kgen_wallet_address)
        self._post(
            events.WALLET_LINKED, phone=masked, kgen_wallet_address=result.kgen_wallet_address
        )

    def _on_withdrawn(self, result: WithdrawResult) -> None:
        self._post(
            events.WITHDRAW_DONE,
            amount=result.amount,
            destination=result.destination_wallet,
            status=result.status,
        )
        self._refresh("balance")

    def _fetch_sandbox_sms(self, country_code: str, phone: str) -> None:
        """On the worker: read the code the sandbox "sent" and post it as an SMS event."""
        endpoint = self._runtime.endpoint
        if endpoint is None or not endpoint.sandbox or not self.config.sandbox_sms:
            return
        from kgen_pygame.runtime.sandbox_tools import read_sandbox_otp

        code = read_sandbox_otp(endpoint.base_url, country_code, phone)
        if code is not None:
            shown = _mask_phone(country_code, phone)
            self._runtime.inbox.put(lambda: self._post(events.SANDBOX_SMS, phone=shown, code=code))

    def _report_delivery(self, reason: str, pending: int, dead: int, recovered: bool) -> None:
        self._runtime.inbox.put(
            lambda: self._post(
                events.DELIVERY_PROBLEM,
                reason=reason,
                pending=pending,
                dead_lettered=dead,
                recovered=recovered,
            )
        )

    def _open_store(self, endpoint: Endpoint) -> tuple[CredentialStore, str]:
        from kgen_pygame.runtime.credentials import open_credential_store, store_key

        store = open_credential_store(
            "kgen-pygame",
            self.config.resolved_state_dir(),
            allow_plaintext_fallback=self.config.plaintext_token_fallback,
        )
        # The embedded sandbox gets a new port each launch; key its tokens by
        # what stays the same so they are reused across launches.
        issuer = "embedded-sandbox:" if self.config.uses_embedded_sandbox else endpoint.base_url
        return store, store_key(issuer, endpoint.client_id, self._runtime.gamer_id)


class _FacadeHooks(Hooks):
    def __init__(self, kgen: KGen) -> None:
        self._kgen = kgen

    def session_ready(self, session: Session, sandbox: bool) -> None:
        kgen = self._kgen
        kgen.state.session = session
        kgen.state.sandbox = sandbox
        kgen.state.session_error = None
        kgen._post(
            events.SESSION_READY,
            gamer_id=kgen.gamer_id,
            session_id=session.session_id,
            wallet_address=session.wallet_address,
            sandbox=sandbox,
        )

    def session_failed(self, error: KGenError, retrying: bool) -> None:
        kgen = self._kgen
        kgen.state.session_error = str(error)
        kgen._post(events.SESSION_FAILED, message=str(error), retrying=retrying)

    def refreshed(self, name: str, value: Any) -> None:
        self._kgen._on_refreshed(name, value)


def _open_capture(path: Path, config: KGenConfig) -> CaptureHandle:
    from kgen_pygame.runtime.outbox import CaptureHandle

    return CaptureHandle(path, synchronous_full=config.power_loss_safe)


def _delivery_opener(config: KGenConfig) -> Callable[[Path], DeliveryHandle]:
    def open_delivery(path: Path) -> DeliveryHandle:
        from kgen_pygame.runtime.outbox import DeliveryHandle

        return DeliveryHandle(
            path,
            max_events=config.max_pending_events,
            max_age_s=config.max_event_age_days * 86400,
            # Rows a crashed process had claimed come due again this soon; a
            # repeat is harmless because every try carries the same
            # Idempotency-Key.
            lease_ms=20_000,
            synchronous_full=config.power_loss_safe,
        )

    return open_delivery


def _now_ms() -> int:
    return int(time.time() * 1000)


def _stable_gamer_id(data_dir: Path) -> str:
    """A per-install player id, made once and kept in the data dir."""
    path = data_dir / "gamer-id"
    try:
        existing = path.read_text(encoding="utf-8").strip()
        if existing:
            return existing
    except FileNotFoundError:
        pass
    except OSError as error:
        logger.warning("could not read %s (%s); making a new player id", path.name, error)
    gamer_id = f"player-{uuid.uuid4().hex[:12]}"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(gamer_id, encoding="utf-8")
    os.replace(tmp, path)
    return gamer_id


def _mask_phone(country_code: str, phone: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit())
    code = country_code if country_code.startswith("+") else f"+{country_code}"
    return f"{code} {'*' * max(0, len(digits) - 4)}{digits[-4:]}"


__all__ = ["KGen"]
