"""The event sender: drains the durable outbox to the eventing endpoint.

Events leave the outbox only after a 2xx. Network errors, 408, 429 and 5xx
are retried with exponential backoff and full jitter (``Retry-After``
honoured, capped), always with the event's own ``Idempotency-Key``. Other
4xx go to the dead-letter table with the reason. A 401 hands the session
back to the call worker for a new bootstrap and the batch waits for it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from kgen_pygame.errors import APIError, AuthenticationError, KGenError
from kgen_pygame.runtime.backoff import Backoff
from kgen_pygame.runtime.core import Runtime
from kgen_pygame.runtime.outbox import OutboxError
from kgen_pygame.runtime.worker import error_retry_after

if TYPE_CHECKING:
    from pathlib import Path

    from kgen_pygame.api import KGenClient
    from kgen_pygame.runtime.outbox import DeliveryHandle, PendingEvent

logger = logging.getLogger(__name__)

BATCH_SIZE = 64
IDLE_WAIT_S = 5.0
HOUSEKEEPING_EVERY_S = 30.0
OUTBOX_RETRY_S = 2.0
#: A capture this recent means the game thread is mid-burst (see wake()).
CAPTURE_QUIET_S = 0.002
#: Requests start within this long after draw(): the game's idle part of a frame.
FRAME_IDLE_WINDOW_S = 0.006
#: No draw() for this long means no frame loop is running: send freely.
FRAME_LOOP_ACTIVE_S = 0.100
FRAME_POLL_S = 0.001
#: The longest a request is held back.
MAX_YIELD_S = 0.050


class DeliveryStatus:
    """What the sender reports to the game thread (through the inbox)."""

    def __init__(self, report: Callable[[str, int, int, bool], None]) -> None:
        self._report = report
        self.failing = False
        self.dead_lettered = 0

    def problem(self, reason: str, pending: int) -> None:
        if not self.failing:
            self.failing = True
            self._report(reason, pending, self.dead_lettered, False)

    def recovered(self, pending: int) -> None:
        if self.failing:
            self.failing = False
            self._report("delivery works again", pending, self.dead_lettered, True)

    def dead_letter(self, reason: str, pending: int) -> None:
        self.dead_lettered += 1
        self._report(reason, pending, self.dead_lettered, False)


class EventSender(threading.Thread):
    """Worker thread that owns the outbox's delivery side."""

    def __init__(
        self,
        runtime: Runtime,
        outbox_path: Path,
        status: DeliveryStatus,
        request_bootstrap: Callable[[], None],
        open_delivery: Callable[[Path], DeliveryHandle],
    ) -> None:
        super().__init__(name="kgen-event-sender", daemon=True)
        self._runtime = runtime
        self._outbox_path = outbox_path
        self._status = status
        self._request_bootstrap = request_bootstrap
        self._open_delivery = open_delivery
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._backoff = Backoff(base_s=0.5, factor=2.0, max_s=60.0)
        #: Set while the outbox holds nothing due or pending (for close()).
        self.drained = threading.Event()
        self.delivered_total = 0
        self._last_capture = 0.0
        self._last_draw = 0.0

    def wake(self) -> None:
        """Tell the sender new events are waiting (cheap, never blocks on I/O)."""
        self._last_capture = time.perf_counter()
        self.drained.clear()
        self._wake.set()

    def frame_drawn(self) -> None:
        """Note that the game just finished drawing a frame (called from ``draw()``)."""
        self._last_draw = time.perf_counter()

    def _wait_for_an_idle_moment(self) -> None:
        """Start a request when the game thread is least likely to need the GIL.

        Both threads share the GIL, so a request's Python work (building it,
        parsing the reply) can hold the game thread up for a millisecond or
        more. Two signals say when the game is busy: a burst of captures
        (``wake()`` stamps each), and a running frame loop (``draw()`` stamps
        each frame; right after it the game flips and sleeps in its clock).
        The wait is bounded, so delivery always makes progress.
        """
        waited = 0.0
        while waited < MAX_YIELD_S:
            now = time.perf_counter()
            since_capture = now - self._last_capture
            since_draw = now - self._last_draw
            if since_capture < CAPTURE_QUIET_S:
                pause = CAPTURE_QUIET_S - since_capture
            elif FRAME_IDLE_WINDOW_S <= since_draw < FRAME_LOOP_ACTIVE_S:
                pause = FRAME_POLL_S  # mid-frame: wait for the next draw()
            else:
                return
            time.sleep(pause)
            waited += pause

    def stop(self) -> None:
        """Ask the thread to end after the request in flight."""
        self._stopping.set()
        self._wake.set()

    def run(self) -> None:
        delivery: DeliveryHandle | None = None
        client: KGenClient | None = None
        try:
            delivery = self._open_delivery(self._outbox_path)
            while not self._stopping.is_set() and not self._runtime.endpoint_ready.wait(0.2):
                pass
            if self._stopping.is_set():
                return
            client = self._runtime.new_client()
            self._loop(delivery, client)
        except Exception:
            logger.exception("the KGeN event sender stopped unexpectedly")
        finally:
            if client is not None:
                client.close()
            if delivery is not None:
                delivery.close()

    def _loop(self, delivery: DeliveryHandle, client: KGenClient) -> None:
        next_housekeeping = 0.0
        session = self._runtime.session
        assert session is not None
        while not self._stopping.is_set():
            now_mono = time.monotonic()
            if now_mono >= next_housekeeping:
                self._housekeeping(delivery)
                next_housekeeping = now_mono + HOUSEKEEPING_EVERY_S
            token = session.current_token()
            if token is None:
                session.changed.wait(0.5)
                continue
            try:
                now_ms = _now_ms()
                batch = delivery.due(now_ms, BATCH_SIZE)
                if not batch:
                    self._idle(delivery, now_ms)
                    continue
                self._send_batch(delivery, client, token, batch)
            except OutboxError as error:
                # Locked by another process or the disk is full: nothing is
                # lost (rows stay in the file); try again in a moment.
                logger.warning("the outbox is not usable right now (%s)", error)
                self._status.problem(str(error), 0)
                self._wake.wait(OUTBOX_RETRY_S)
                self._wake.clear()

    def _idle(self, delivery: DeliveryHandle, now_ms: int) -> None:
        next_due = delivery.next_due_ms()
        if next_due is None:
            self.drained.set()
            wait_s = IDLE_WAIT_S
        else:
            wait_s = min(max((next_due - now_ms) / 1000.0, 0.001), IDLE_WAIT_S)
        self._wake.wait(wait_s)
        self._wake.clear()

    def _send_batch(
        self,
        delivery: DeliveryHandle,
        client: KGenClient,
        token: str,
        batch: list[PendingEvent],
    ) -> None:
        delivered: list[str] = []
        try:
            for index, event in enumerate(batch):
                if self._stopping.is_set():
                    self._defer(delivery, batch[index:], _now_ms())
                    return
                self._wait_for_an_idle_moment()
                try:
                    client.send_event(
                        token,
                        event.kind,
                        event.value,
                        metadata=event.metadata,
                        idempotency_key=event.event_id,
                        timestamp_ms=event.created_ms,
                    )
                except AuthenticationError:
                    assert self._runtime.session is not None
                    self._runtime.session.invalidate(token)
                    self._request_bootstrap()
                    self._defer(delivery, batch[index:], _now_ms())
                    return
                except KGenError as error:
                    self._handle_failure(delivery, error, event, batch[index + 1 :])
                    return
                delivered.append(event.event_id)
        finally:
            if delivered:
                # Bookkeeping is Python and SQLite work too: keep it out of a frame.
                self._wait_for_an_idle_moment()
                delivery.mark_delivered(delivered)
                self.delivered_total += len(delivered)
                if self._status.failing:
                    self._status.recovered(delivery.pending_count())

    def _handle_failure(
        self,
        delivery: DeliveryHandle,
        error: KGenError,
        event: PendingEvent,
        rest: list[PendingEvent],
    ) -> None:
        now_ms = _now_ms()
        if error.retryable:
            attempts = event.attempts + 1
            delay_s = self._backoff.delay(attempts, error_retry_after(error))
            next_ms = now_ms + int(delay_s * 1000)
            delivery.schedule_retry(event.event_id, attempts, next_ms, str(error))
            # The server is unreachable or overloaded: hold the rest of the batch
            # back until the same moment instead of hammering it.
            self._defer(delivery, rest, next_ms)
            self._status.problem(str(error), delivery.pending_count())
            logger.info("event delivery failed, retrying in %.1fs: %s", delay_s, error)
            return
        status = error.status if isinstance(error, APIError) else 0
        delivery.dead_letter(event.event_id, status, str(error))
        logger.warning("the server refused an event for good: %s", error)
        self._status.dead_letter(str(error), delivery.pending_count())
        self._defer(delivery, rest, now_ms)

    @staticmethod
    def _defer(delivery: DeliveryHandle, events: list[PendingEvent], at_ms: int) -> None:
        for event in events:
            delivery.schedule_retry(event.event_id, event.attempts, at_ms, event.last_error)

    def _housekeeping(self, delivery: DeliveryHandle) -> None:
        try:
            delivery.enforce_bounds(_now_ms())
            delivery.checkpoint()
        except Exception as error:
            logger.warning("outbox housekeeping failed (%s)", type(error).__name__)


def _now_ms() -> int:
    return int(time.time() * 1000)
