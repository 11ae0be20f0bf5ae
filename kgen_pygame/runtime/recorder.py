"""Capturing tracked events on the game thread: checked, stored durably, or held and said so.

:meth:`EventRecorder.record` checks the event against
:mod:`kgen_pygame.event_contract` for the configured API generation, then commits it to
the outbox before returning its :class:`EventId` (right after start-up it first waits,
bounded, for the outbox to open: :mod:`kgen_pygame.runtime.capture_opener`). If the
outbox cannot be written (disk full, file-size limit, locked by another process, or
not open), the event waits in a bounded list
in memory, the returned id says ``durable=False``, the game hears it through a
``DELIVERY_PROBLEM`` event, and ``update()`` stores it as soon as the file takes
writes again. When even that list is full, the event is not kept (``kept=False``) and
the game hears that too: nothing is dropped silently.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kgen_pygame import event_contract
from kgen_pygame.errors import OutboxError
from kgen_pygame.runtime.capture_opener import OPEN_WAIT_S
from kgen_pygame.runtime.notifier import DeliveryChanged

if TYPE_CHECKING:
    from kgen_pygame.runtime.capture_opener import CaptureOpener
    from kgen_pygame.runtime.notifier import Notifier

logger = logging.getLogger(__name__)

#: Events held in memory at most while the outbox file cannot be written.
DEFAULT_MAX_UNSAVED = 10_000
#: How often ``update()`` tries to store held events.
STORE_RETRY_S = 1.0


class EventId(str):
    """The id of a tracked event (its ``Idempotency-Key``), and whether it is safe.

    ``durable`` is True when the event is committed to the outbox file (it survives a
    crash); False while it waits in memory because the file cannot be written.
    ``kept`` is False when it could not be kept at all (memory full too).
    """

    __slots__ = ("durable", "kept")
    durable: bool
    kept: bool

    def __new__(cls, value: str, *, durable: bool = True, kept: bool = True) -> EventId:
        self = super().__new__(cls, value)
        self.durable = durable
        self.kept = kept
        return self


@dataclass(frozen=True, slots=True)
class _Held:
    kind: str
    value: Any
    metadata: dict[str, Any]
    event_id: str
    timestamp_ms: int


class EventRecorder:
    """The game thread's way into the outbox."""

    def __init__(
        self,
        capture: CaptureOpener,
        notifier: Notifier,
        *,
        generation: event_contract.Generation,
        player_id: str,
        game_id: str,
        max_unsaved: int = DEFAULT_MAX_UNSAVED,
    ) -> None:
        self._opener = capture
        self._notifier = notifier
        self._generation = generation
        self._plugin_metadata = {"playerId": player_id, "gameId": game_id}
        self._held: deque[_Held] = deque()
        self._max_unsaved = max_unsaved
        self._next_store_try = 0.0
        self.lost = 0

    @property
    def durability(self) -> str:
        """``"power-loss-safe"`` when every commit is fsynced, else ``"crash-safe"``."""
        capture = self._opener.get(OPEN_WAIT_S)
        if capture is None:
            return "not stored: the outbox file is not open"
        return "power-loss-safe" if capture.synchronous == "FULL" else "crash-safe"

    @property
    def unsaved(self) -> int:
        """Events waiting in memory for the outbox file (0 in normal operation)."""
        return len(self._held)

    def record(self, kind: str, value: Any, metadata: Mapping[str, Any]) -> EventId:
        """Check and store one event; raises InvalidEventError before storing a bad one."""
        event_contract.check_kind(kind, self._generation)
        wire_value = event_contract.check_value(kind, value)
        wire_metadata: dict[str, Any] = event_contract.check_metadata(metadata)
        wire_metadata.update(self._plugin_metadata)
        if self._held:  # earlier events wait in memory: queue behind them, in order
            return self._hold(kind, wire_value, wire_metadata)
        try:
            capture = self._opener.get(OPEN_WAIT_S)  # waits only in the first moments
            if capture is None:
                raise self._opener.error or OutboxError("the event outbox is not open yet")
            return EventId(capture.add(kind, wire_value, wire_metadata))
        except OutboxError as error:
            logger.warning("could not store an event yet (%s); keeping it in memory", error)
            held = self._hold(kind, wire_value, wire_metadata)
            self._notifier.send(DeliveryChanged(
                reason=f"events wait in memory: {error}",
                pending=len(self._held),
                dead_lettered=0,
                recovered=False,
            ))
            return held

    def store_held(self, *, now: float | None = None, force: bool = False) -> None:
        """Move held events into the outbox, oldest first (from ``update()``, at most 1/s)."""
        if not self._held:
            return
        moment = time.monotonic() if now is None else now
        if not force and moment < self._next_store_try:
            return
        self._next_store_try = moment + STORE_RETRY_S
        capture = self._opener.get(OPEN_WAIT_S if force else 0.0)
        if capture is None:
            return
        stored = 0
        while self._held:
            item = self._held[0]
            try:
                capture.add(
                    item.kind,
                    item.value,
                    item.metadata,
                    event_id=item.event_id,
                    timestamp_ms=item.timestamp_ms,
                )
            except OutboxError:
                return
            self._held.popleft()
            stored += 1
        if stored:
            self._notifier.send(DeliveryChanged(
                reason="events held in memory are stored again",
                pending=0,
                dead_lettered=0,
                recovered=True,
            ))

    def pending_count(self) -> int:
        """Events not yet acknowledged: in the file (a COUNT) plus held in memory."""
        capture = self._opener.get(OPEN_WAIT_S)  # never "0 pending" before the file is read
        try:
            stored = capture.pending_count() if capture is not None else 0
        except OutboxError:
            stored = 0
        return stored + len(self._held)

    def close(self) -> None:
        """Store what is held if the file allows; say how many are lost otherwise."""
        self.store_held(force=True)
        if self._held:
            logger.error("%d event(s) could not be stored and are lost", len(self._held))
        capture = self._opener.get(OPEN_WAIT_S)
        if capture is not None:
            capture.close()

    def _hold(self, kind: str, value: Any, metadata: dict[str, Any]) -> EventId:
        event_id = uuid.uuid4().hex
        if len(self._held) >= self._max_unsaved:
            self.lost += 1
            logger.error("an event was lost: the outbox file and the memory buffer are full")
            self._notifier.send(DeliveryChanged(
                reason=f"{self.lost} event(s) lost: the outbox file cannot be written and "
                f"{self._max_unsaved} already wait in memory",
                pending=len(self._held),
                dead_lettered=0,
                recovered=False,
            ))
            return EventId(event_id, durable=False, kept=False)
        self._held.append(_Held(kind, value, metadata, event_id, time.time_ns() // 1_000_000))
        return EventId(event_id, durable=False)
