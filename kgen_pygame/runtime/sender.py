"""The event sender: drains the durable outbox through the configured API generation.

Events leave the outbox only after the server accepted them. Each failure goes through
:mod:`kgen_pygame.runtime.delivery_policy`: transient answers are retried with backoff
and full jitter (``Retry-After`` honoured, capped), answers that should not happen are
retried more slowly, a 401 hands the session back for a new bootstrap while the batch
waits, and only a definite refusal of the event itself dead-letters it (kept with the
reason; the game hears it as ``EVENT_REFUSED``). Every try carries the event's own
``Idempotency-Key``.

Only the process holding the outbox's
:class:`~kgen_pygame.runtime.outbox.DelivererLock` sends; another instance of the game
captures into the same file and takes over when the first one exits.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kgen_pygame.errors import APIError, KGenError, OutboxError
from kgen_pygame.models import OutboundEvent
from kgen_pygame.runtime import delivery_policy
from kgen_pygame.runtime.delivery_policy import Decision
from kgen_pygame.runtime.notifier import DeliveryChanged, EventRefused, LoyaltyRewarded
from kgen_pygame.runtime.outbox import DelivererLock, DeliveryHandle, PendingEvent
from kgen_pygame.runtime.pacing import CostEstimate

if TYPE_CHECKING:
    from kgen_pygame.api import KGenClient
    from kgen_pygame.runtime.core import Runtime

logger = logging.getLogger(__name__)

BATCH_SIZE = 64
IDLE_WAIT_S = 5.0
HOUSEKEEPING_EVERY_S = 30.0
CHECKPOINT_EVERY_S = 5.0
OUTBOX_RETRY_S = 2.0
#: How often a process that is not the deliverer asks again.
DELIVERER_RETRY_S = 5.0

DeliveryOpener = Callable[[Path], DeliveryHandle]


class EventSender(threading.Thread):
    """Worker thread that owns the outbox's delivery side."""

    def __init__(
        self,
        runtime: Runtime,
        outbox_path: Path,
        open_delivery: DeliveryOpener,
        request_bootstrap: Callable[[], None],
    ) -> None:
        super().__init__(name="kgen-event-sender", daemon=True)
        self._runtime = runtime
        self._outbox_path = outbox_path
        self._open_delivery = open_delivery
        self._request_bootstrap = request_bootstrap
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._deliverer = DelivererLock(outbox_path)
        self._failing = False
        self._dead_lettered = 0
        #: Set while the outbox holds nothing due (for ``close()``).
        self.drained = threading.Event()
        self.delivered_total = 0
        self._request_cost = CostEstimate()
        self._settle_cost = CostEstimate()

    def wake(self) -> None:
        """New events are waiting (cheap, never blocks)."""
        self.drained.clear()
        self._wake.set()

    def stop(self) -> None:
        """End after the request in flight."""
        self._stopping.set()
        self._wake.set()

    def run(self) -> None:
        delivery: DeliveryHandle | None = None
        try:
            while not self._stopping.is_set() and not self._runtime.endpoint_ready.wait(0.2):
                pass
            if self._stopping.is_set() or self._runtime.session is None:
                return
            while not self._deliverer.try_acquire():
                logger.info("another process of this game delivers its events; waiting")
                if self._stopping.wait(DELIVERER_RETRY_S):
                    return
            delivery = self._open_delivery(self._outbox_path)
            self._loop(delivery, self._runtime.client())
        except Exception:
            logger.exception("the KGeN event sender stopped unexpectedly")
        finally:
            if delivery is not None:
                delivery.close()
            self._deliverer.release()

    # -- the loop -------------------------------------------------------------------

    def _loop(self, delivery: DeliveryHandle, client: KGenClient) -> None:
        session = self._runtime.session
        assert session is not None
        next_housekeeping = 0.0
        next_checkpoint = time.monotonic() + CHECKPOINT_EVERY_S
        while not self._stopping.is_set():
            now = time.monotonic()
            try:
                if now >= next_housekeeping:
                    self._housekeeping(delivery)
                    next_housekeeping = now + HOUSEKEEPING_EVERY_S
                if now >= next_checkpoint:
                    delivery.checkpoint()
                    next_checkpoint = now + CHECKPOINT_EVERY_S
                token = session.current_token()
                if token is None:
                    session.changed.wait(0.5)
                    continue
                batch = delivery.due(_now_ms(), BATCH_SIZE)
                if not batch:
                    self._idle(delivery)
                    continue
                self._send_batch(delivery, client, token, batch)
            except OutboxError as error:
                # Locked by another process or the disk is full: nothing is lost
                # (rows stay in the file); try again in a moment.
                logger.warning("the outbox is not usable right now (%s)", error)
                self._problem(str(error), 0)
                self._wake.wait(OUTBOX_RETRY_S)
                self._wake.clear()

    def _idle(self, delivery: DeliveryHandle) -> None:
        next_due = delivery.next_due_ms()
        if next_due is None:
            self.drained.set()
            wait_s = IDLE_WAIT_S
        else:
            wait_s = min(max((next_due - _now_ms()) / 1000.0, 0.001), IDLE_WAIT_S)
        self._wake.wait(wait_s)
        self._wake.clear()

    def _send_batch(
        self,
        delivery: DeliveryHandle,
        client: KGenClient,
        token: str,
        batch: list[PendingEvent],
    ) -> None:
        pacer = self._runtime.pacer
        notifier = self._runtime.notifier
        delivered: list[str] = []
        clock = time.perf_counter
        try:
            for index, pending in enumerate(batch):
                if self._stopping.is_set():
                    return
                # Start a request only where it ends before the game's next frame.
                pacer.wait_for_idle(cost_s=self._request_cost.estimate)
                started = clock()
                try:
                    reward = client.deliver(token, _outbound(pending))
                except KGenError as error:
                    self._handle_failure(delivery, error, pending, batch[index + 1 :], token)
                    return
                finally:
                    self._request_cost.add(clock() - started)
                delivered.append(pending.event_id)
                if pending.kind == "reward":
                    notifier.send(LoyaltyRewarded(str(pending.value), reward))
        finally:
            if delivered:
                # Bookkeeping is Python and SQLite work too: keep it out of a frame.
                pacer.wait_for_idle(cost_s=self._settle_cost.estimate)
                started = clock()
                delivery.mark_delivered(delivered)
                self._settle_cost.add(clock() - started)
                self.delivered_total += len(delivered)
                if self._failing:
                    self._recovered(delivery.pending_count())

    def _handle_failure(
        self,
        delivery: DeliveryHandle,
        error: KGenError,
        pending: PendingEvent,
        rest: list[PendingEvent],
        token: str,
    ) -> None:
        decision = delivery_policy.decide(error)
        now_ms = _now_ms()
        if decision is Decision.REAUTH:
            session = self._runtime.session
            if session is not None:
                session.invalidate(token)
            self._request_bootstrap()
            return  # the batch stays due; it goes out with the new token
        if decision is Decision.DEAD_LETTER:
            status = error.status if isinstance(error, APIError) else None
            kind = delivery.dead_letter(pending.event_id, status, str(error))
            self._dead_lettered += 1
            logger.warning("the server refused an event for good: %s", error)
            self._runtime.notifier.send(
                EventRefused(pending.event_id, kind or pending.kind, str(error), status)
            )
            return  # the rest of the batch is still due: the next pass sends it
        attempts = pending.attempts + 1
        retry_after = getattr(error, "retry_after", None)
        delay_s = delivery_policy.retry_delay(decision, attempts, retry_after)
        next_ms = now_ms + int(delay_s * 1000)
        delivery.schedule_retry(pending.event_id, attempts, next_ms, str(error))
        # The server is unreachable or confused: hold the rest of the batch back
        # until the same moment instead of hammering it.
        delivery.defer([event.event_id for event in rest], next_ms)
        self._problem(str(error), delivery.pending_count())
        logger.info("event delivery failed (%s), retrying in %.1fs: %s",
                    decision.value, delay_s, error)

    def _problem(self, reason: str, pending: int) -> None:
        if not self._failing:
            self._failing = True
            self._runtime.notifier.send(
                DeliveryChanged(reason, pending, self._dead_lettered, recovered=False)
            )

    def _recovered(self, pending: int) -> None:
        self._failing = False
        self._runtime.notifier.send(
            DeliveryChanged("delivery works again", pending, self._dead_lettered, recovered=True)
        )

    def _housekeeping(self, delivery: DeliveryHandle) -> None:
        try:
            delivery.enforce_bounds(_now_ms())
        except OutboxError as error:
            logger.warning("outbox housekeeping failed (%s)", error)


def _outbound(pending: PendingEvent) -> OutboundEvent:
    return OutboundEvent(
        kind=pending.kind,
        value=pending.value,
        metadata=pending.metadata,
        event_id=pending.event_id,
        timestamp_ms=pending.created_ms,
    )


def _now_ms() -> int:
    return int(time.time() * 1000)
