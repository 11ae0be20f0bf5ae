"""Wiring one plugin instance together, and its lifecycle: start, fork, close.

:class:`Plugin` builds the pieces from a :class:`~kgen_pygame.config.KGenConfig`
(notifier and state, recorder and outbox, call worker, sender, actions, overlay) and
hands the facade what it delegates to. Nothing here runs per frame except
:meth:`Plugin.frame`.
"""

from __future__ import annotations

import logging
import os
import time
import uuid
import weakref
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol

import pygame

from kgen_pygame.actions import Actions
from kgen_pygame.api.protocol import Capability, capabilities_of
from kgen_pygame.errors import ConfigurationError
from kgen_pygame.runtime.calls import Call
from kgen_pygame.runtime.capture_opener import CaptureOpener
from kgen_pygame.runtime.core import Runtime, check_sandbox_allowed
from kgen_pygame.runtime.notifier import Notifier
from kgen_pygame.runtime.outbox import OUTBOX_FILENAME, CaptureHandle, DeliveryHandle
from kgen_pygame.runtime.overlay_loader import OverlayLoader
from kgen_pygame.runtime.pacing import FramePacer
from kgen_pygame.runtime.recorder import EventRecorder
from kgen_pygame.runtime.scheduler import Scheduler
from kgen_pygame.runtime.sender import EventSender
from kgen_pygame.runtime.startup import Startup, Step
from kgen_pygame.runtime.worker import CallWorker

if TYPE_CHECKING:
    from kgen_pygame.config import KGenConfig
    from kgen_pygame.runtime.core import Endpoint
    from kgen_pygame.runtime.credentials import CredentialStore
    from kgen_pygame.runtime.outbox import OutboxReport
    from kgen_pygame.runtime.state import PlayerState

logger = logging.getLogger(__name__)

#: ``update(dt)`` with more than this is read as milliseconds (``clock.tick()`` gives
#: 4 to 1000 of them); a real frame of over 2 s (a stall) is rarer than that mistake.
MILLISECONDS_ABOVE = 2.0


class Overlay(Protocol):
    """What the plugin needs from the overlay layer (``kgen_pygame.panels``)."""

    @property
    def is_open(self) -> bool: ...

    @property
    def wants_pause(self) -> bool: ...

    def open(self, panel: str | None = None, *, tournament_id: str | None = None) -> None: ...

    def close(self) -> None: ...

    def handle_event(self, event: pygame.event.Event) -> bool: ...

    def update(self, dt: float) -> None: ...

    def draw(self, surface: pygame.Surface) -> Sequence[pygame.Rect] | None: ...


class OverlayHost:
    """What panels may use of the plugin: state, actions, events, configuration."""

    def __init__(self, plugin: Plugin) -> None:
        self.config = plugin.config
        self.state: PlayerState = plugin.notifier.state
        self.actions = plugin.actions
        self._local_gamer_id = plugin.gamer_id
        self._notifier = plugin.notifier

    @property
    def gamer_id(self) -> str:
        """The player's id on the platform (leaderboards name it), once known."""
        session = self.state.session
        if session is not None and session.gamer_id:
            return session.gamer_id
        return self._local_gamer_id

    def on(self, name: str, callback: Any) -> None:
        """Call ``callback(event)`` for a named plugin event (see ``KGen.on``)."""
        self._notifier.on(name, callback)

    def post(self, event_type: int, **attributes: Any) -> None:
        """Post a plugin event (game thread)."""
        self._notifier.post(event_type, **attributes)

    def supports(self, capability: Capability) -> bool:
        """True when the API generation offers ``capability``."""
        return self.actions.supports(capability)


_LIVE: weakref.WeakSet[Plugin] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    for plugin in list(_LIVE):
        plugin.forked = True


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


class Plugin:
    """One running plugin: every piece, wired, and started."""

    def __init__(self, config: KGenConfig) -> None:
        self.config = config
        check_sandbox_allowed(config)
        data_dir = config.resolved_data_dir()
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
            self.gamer_id = config.gamer_id or _stable_gamer_id(data_dir)
            outbox_path = data_dir / OUTBOX_FILENAME
        except OSError as error:
            detail = error.strerror
            raise ConfigurationError(
                f"the KGeN data_dir {data_dir} is not usable ({detail or error}); "
                "set data_dir= or KGEN_DATA_DIR to a writable folder"
            ) from None
        self.notifier = Notifier()
        self.pacer = FramePacer()
        self.runtime = Runtime(config, self.gamer_id, data_dir, self.notifier, self.pacer)
        power_loss_safe = config.power_loss_safe
        self.opener = CaptureOpener(
            lambda: CaptureHandle(outbox_path, synchronous_full=power_loss_safe)
        )
        self.recorder = EventRecorder(
            self.opener,
            self.notifier,
            generation=config.api,
            player_id=self.gamer_id,
            game_id=config.game_id,
        )
        self.scheduler = Scheduler()
        self.worker = CallWorker(self.runtime, self.scheduler, self._open_store)
        capabilities = capabilities_of(config.api)
        self.actions = Actions(
            self.worker,
            self.notifier,
            supports=capabilities.__contains__,
            read_sandbox_sms=self._read_sandbox_sms if config.sandbox_sms else None,
        )
        self.sender = EventSender(
            self.runtime, outbox_path, self._open_delivery, self.worker.bootstrap
        )
        self.overlays: OverlayLoader[Overlay] | None = None
        self.closed = False
        self.forked = False
        self._owner_pid = os.getpid()
        self._last_frame: float | None = None
        self._warned_dt = False
        self._drawn_from_next_frame = False
        steps: list[Step] = [
            ("worker threads", self.scheduler.start),
            ("session bootstrap", self.worker.start),
            ("outbox", self.opener.open),
            ("sender", self._start_sender),  # after the outbox: it opens the same file
        ]
        if config.overlays:
            self.overlays = OverlayLoader(self._build_overlay)
            steps.append(("overlay import", self.overlays.load))
        self.startup = Startup(steps)
        self.startup.start()
        _LIVE.add(self)

    @property
    def overlay(self) -> Overlay | None:
        """The overlay if it is built (None with ``overlays=False`` or while it loads)."""
        return self.overlays.get() if self.overlays is not None else None

    def wait_overlay(self) -> Overlay | None:
        """The overlay, waiting for its start-up import if needed (None: overlays=False)."""
        return self.overlays.get(wait=True) if self.overlays is not None else None

    @property
    def active(self) -> bool:
        """False once closed, and in a forked child (which only tracks)."""
        return not self.closed and not self.forked

    # -- per frame ------------------------------------------------------------------

    def frame(self, dt: float | None) -> float:
        """Deliver background results and return the frame time in seconds."""
        self.pacer.frame_started()
        now = time.perf_counter()
        seconds = self._seconds(dt, now)
        self._last_frame = now
        self.recorder.store_held()
        overlays = self.overlays
        if overlays is not None and not overlays.settled and overlays.get() is not None:
            self._drawn_from_next_frame = True  # this frame built it and loaded its fonts
        if overlays is None or overlays.settled:
            # Held back until the overlay exists, so its HUD and toasts see every event.
            self.notifier.dispatch()
        return seconds

    def overlay_to_draw(self) -> Overlay | None:
        """The overlay to draw this frame: from the frame after ``update()`` built it, so
        no single frame pays for both the build and the first HUD."""
        if self._drawn_from_next_frame:
            self._drawn_from_next_frame = False
            return None
        return self.overlay

    def track(self, kind: str, value: Any, metadata: dict[str, Any]) -> str:
        event_id = self.recorder.record(kind, value, metadata)
        self.pacer.captured()
        if not self.forked:
            self.sender.wake()
        return event_id

    def report(self, dead_letter_limit: int = 100) -> Call[OutboxReport]:
        """The outbox's report, read on a worker thread."""
        path = self.runtime.data_dir / OUTBOX_FILENAME

        def read(_client: object, _token: str) -> OutboxReport:
            with DeliveryHandle(path) as handle:
                return handle.report(dead_letter_limit)

        return self.worker.run("delivery report", read, needs_session=False)

    def requeue(self, event_ids: list[str] | None) -> Call[int]:
        """Put dead letters back in the queue, on a worker thread."""
        path = self.runtime.data_dir / OUTBOX_FILENAME
        sender = self.sender

        def move(_client: object, _token: str) -> int:
            with DeliveryHandle(path) as handle:
                count = handle.requeue_dead_letters(event_ids)
            sender.wake()
            return count

        return self.worker.run("requeue dead letters", move, needs_session=False)

    # -- shutdown ------------------------------------------------------------------

    def close(self, timeout: float) -> None:
        """Deliver what can be delivered within ``timeout`` seconds, then stop."""
        if self.closed:
            return
        self.closed = True
        deadline = time.monotonic() + max(0.0, timeout)
        if self.forked or os.getpid() != self._owner_pid:
            self.recorder.close()
            return
        self.recorder.store_held(force=True)
        if self.runtime.fatal_error is None and self.recorder.pending_count():
            self.sender.wake()
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self.sender.drained.wait(min(0.05, remaining)):
                    break
        self.sender.stop()
        self.startup.wait(deadline - time.monotonic())  # it starts the threads stopped here
        self.scheduler.stop()
        if self.sender.ident is not None:
            self.sender.join(max(0.0, deadline - time.monotonic()))
        self.scheduler.join(max(0.0, deadline - time.monotonic()))
        self.runtime.close_clients()
        sandbox = self.runtime.sandbox
        if sandbox is not None:
            sandbox.stop(max(0.1, deadline - time.monotonic()))
        self.recorder.close()
        _LIVE.discard(self)

    # -- helpers given to the pieces ------------------------------------------------------

    def _seconds(self, dt: float | None, now: float) -> float:
        if dt is None:
            last = self._last_frame
            return 0.0 if last is None else now - last
        if isinstance(dt, bool) or not isinstance(dt, int | float) or not dt >= 0:
            raise TypeError(f"update(dt) takes seconds as a number >= 0, not {dt!r}")
        if dt > MILLISECONDS_ABOVE:
            if not self._warned_dt:
                self._warned_dt = True
                logger.warning(
                    "KGen.update(dt) takes seconds, got %r: this looks like milliseconds "
                    "from clock.tick(); pass clock.tick() / 1000, or call update() with no "
                    "argument to let the plugin measure the frame", dt,
                )
            return dt / 1000.0
        return float(dt)

    def _start_sender(self) -> None:
        """After the outbox opened (on the start-up thread): the sender opens it too."""
        if not self.closed:
            self.sender.start()

    def _build_overlay(self, panels: ModuleType) -> Overlay:
        overlay = panels.KGenOverlay(OverlayHost(self))
        overlay.ui.style  # noqa: B018 (loads the fonts now, not in the first HUD frame)
        built: Overlay = overlay
        return built

    def _open_store(self, endpoint: Endpoint) -> tuple[CredentialStore, str]:
        from kgen_pygame.runtime.credentials import open_credential_store, store_key

        config = self.config
        store = open_credential_store(
            "kgen-pygame",
            config.resolved_state_dir(),
            allow_plaintext_fallback=config.plaintext_token_fallback,
        )
        # The embedded sandbox gets a new port each launch; key its tokens by what
        # stays the same so they are reused across launches.
        issuer = "embedded-sandbox:" if endpoint.embedded_sandbox else endpoint.base_url
        return store, store_key(issuer, endpoint.client_id, self.gamer_id, config.api)

    def _open_delivery(self, path: Path) -> DeliveryHandle:
        return DeliveryHandle(
            path,
            max_events=self.config.max_pending_events,
            max_age_s=self.config.max_event_age_days * 86_400,
            synchronous_full=self.config.power_loss_safe,
        )

    def _read_sandbox_sms(self, country_code: str, phone: str) -> str | None:
        endpoint = self.runtime.endpoint
        if endpoint is None or not endpoint.embedded_sandbox:
            return None
        from kgen_pygame.runtime.sandbox_tools import read_sandbox_otp

        return read_sandbox_otp(endpoint.base_url, country_code, phone)


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
