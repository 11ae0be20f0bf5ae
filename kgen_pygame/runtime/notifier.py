"""The one path from the plugin's threads to the game: messages in, state and events out.

Worker threads only ever :meth:`Notifier.send` a message (an atomic ``deque.append``:
they never wait on the game, and the game never waits on them). Inside
``KGen.update()`` the game thread calls :meth:`Notifier.dispatch`, which applies each
message to the :class:`~kgen_pygame.runtime.state.PlayerState`, settles
:class:`~kgen_pygame.runtime.calls.Call` handles (their callbacks run there), and posts
the matching pygame event (:mod:`kgen_pygame.events`) and named callbacks. Calls that
outlive their deadline are settled with a timeout here too, so a player always hears
back, whatever a worker is stuck on.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pygame

from kgen_pygame import events
from kgen_pygame.errors import KGenError, RequestTimeout
from kgen_pygame.models import (
    LinkedAccount,
    LoyaltyReward,
    OtpVerification,
    Session,
    WithdrawResult,
)
from kgen_pygame.release import GradualRelease
from kgen_pygame.runtime.calls import Call
from kgen_pygame.runtime.state import PlayerState

logger = logging.getLogger(__name__)

EventCallback = Callable[[pygame.event.Event], None]

#: Messages applied per ``update()``; the rest wait for the next frame.
DISPATCH_LIMIT = 256


@dataclass(frozen=True, slots=True)
class CallSettled:
    """A background call finished."""

    call: Call[Any]
    result: Any
    error: KGenError | None


@dataclass(frozen=True, slots=True)
class SessionReady:
    session: Session
    sandbox: bool


@dataclass(frozen=True, slots=True)
class SessionFailed:
    error: KGenError
    retrying: bool


@dataclass(frozen=True, slots=True)
class Refreshed:
    """A background refresh produced ``value`` for ``name`` (see :data:`REFRESHES`)."""

    name: str
    value: Any


@dataclass(frozen=True, slots=True)
class Linked:
    verification: OtpVerification
    country_code: str
    phone: str


@dataclass(frozen=True, slots=True)
class Withdrawn:
    result: WithdrawResult


@dataclass(frozen=True, slots=True)
class DeliveryChanged:
    reason: str
    pending: int
    dead_lettered: int
    recovered: bool


@dataclass(frozen=True, slots=True)
class EventRefused:
    """The server refused a tracked event for good (it is in the dead-letter table)."""

    event_id: str
    kind: str
    reason: str
    status: int | None


@dataclass(frozen=True, slots=True)
class LoyaltyRewarded:
    """A ``reward_event()`` reached the platform and paid out."""

    event_id: str
    reward: LoyaltyReward | None


@dataclass(frozen=True, slots=True)
class SandboxSms:
    phone: str
    code: str


Message = (
    CallSettled
    | SessionReady
    | SessionFailed
    | Refreshed
    | Linked
    | Withdrawn
    | DeliveryChanged
    | EventRefused
    | LoyaltyRewarded
    | SandboxSms
)


class Notifier:
    """Owns the player's state and everything the game hears about."""

    def __init__(self, state: PlayerState | None = None) -> None:
        self.state = state if state is not None else PlayerState()
        self._inbox: deque[Message] = deque()
        self._callbacks: dict[int, list[EventCallback]] = {}
        self._waiting: deque[Call[Any]] = deque()
        #: What refreshes replaced, freed a few hundred objects a dispatch.
        self.released = GradualRelease()

    # -- any thread ---------------------------------------------------------------

    def send(self, message: Message) -> None:
        """Queue ``message`` for the game thread (never blocks)."""
        self._inbox.append(message)

    def settle(self, call: Call[Any], result: Any, error: KGenError | None) -> None:
        """Queue the outcome of ``call`` (never blocks)."""
        self._inbox.append(CallSettled(call, result, error))

    # -- game thread -------------------------------------------------------------

    def watch(self, call: Call[Any]) -> None:
        """Settle ``call`` with a timeout if nothing arrives before its deadline."""
        if call.deadline is not None:
            self._waiting.append(call)

    def on(self, name: str, callback: EventCallback) -> None:
        """Call ``callback(event)`` whenever the plugin posts the event named ``name``."""
        event_type = events.BY_NAME.get(name)
        if event_type is None:
            raise ValueError(
                f"unknown KGen event {name!r}; one of {', '.join(events.BY_NAME)}"
            )
        if not callable(callback):
            raise TypeError("the callback must be callable: callback(event)")
        self._callbacks.setdefault(event_type, []).append(callback)

    def post(self, event_type: int, **attributes: Any) -> None:
        """Post a plugin event to pygame's queue and to the named callbacks."""
        event = pygame.event.Event(event_type, attributes)
        # pygame.error: the event queue is unavailable (display not initialised).
        with contextlib.suppress(pygame.error):
            pygame.event.post(event)
        for callback in self._callbacks.get(event_type, ()):
            try:
                callback(event)
            except Exception:
                logger.exception("a KGen %s callback raised", events.NAME_OF[event_type])

    def dispatch(self, limit: int = DISPATCH_LIMIT) -> int:
        """Apply queued messages (at most ``limit``) and expire overdue calls."""
        applied = 0
        inbox = self._inbox
        self.released.step()
        while inbox and applied < limit:
            message = inbox.popleft()
            try:
                self._apply(message)
            except Exception:
                logger.exception("applying a KGeN result failed")
            applied += 1
        if self._waiting:
            self._expire_overdue(time.monotonic())
        return applied

    def __len__(self) -> int:
        return len(self._inbox)

    # -- applying messages -----------------------------------------------------------

    def _apply(self, message: Message) -> None:
        state = self.state
        if isinstance(message, CallSettled):
            message.call.settle(message.result, message.error)
        elif isinstance(message, SessionReady):
            state.apply_session(message.session, message.sandbox)
            self.post(
                events.SESSION_READY,
                gamer_id=message.session.gamer_id,
                session_id=message.session.session_id,
                wallet_address=message.session.wallet_address,
                sandbox=message.sandbox,
            )
        elif isinstance(message, SessionFailed):
            state.apply_session_failure(message.error, message.retrying)
            self.post(
                events.SESSION_FAILED, message=str(message.error), retrying=message.retrying
            )
        elif isinstance(message, Refreshed):
            self._apply_refresh(message.name, message.value)
        elif isinstance(message, Linked):
            account = state.apply_linked(
                message.verification, message.country_code, message.phone
            )
            self.post(
                events.WALLET_LINKED,
                phone=account.phone,
                kgen_wallet_address=account.kgen_wallet_address,
            )
        elif isinstance(message, Withdrawn):
            result = message.result
            self.post(
                events.WITHDRAW_DONE,
                amount=result.amount,
                destination=result.destination_wallet,
                status=result.status,
            )
        elif isinstance(message, DeliveryChanged):
            state.delivery_failing = not message.recovered and message.pending > 0
            self.post(
                events.DELIVERY_PROBLEM,
                reason=message.reason,
                pending=message.pending,
                dead_lettered=message.dead_lettered,
                recovered=message.recovered,
            )
        elif isinstance(message, EventRefused):
            self.post(
                events.EVENT_REFUSED,
                event_id=message.event_id,
                kind=message.kind,
                reason=message.reason,
                status=message.status,
            )
        elif isinstance(message, LoyaltyRewarded):
            reward = message.reward
            amount = reward.amount if reward is not None else None
            if reward is not None:
                state.apply_loyalty_reward(reward)
            self.post(
                events.LOYALTY_REWARDED,
                event_id=message.event_id,
                reward_id=reward.reward_id if reward is not None else None,
                amount=amount,
            )
        elif isinstance(message, SandboxSms):
            state.sandbox_sms = (message.phone, message.code)
            self.post(events.SANDBOX_SMS, phone=message.phone, code=message.code)

    def _apply_refresh(self, name: str, value: Any) -> None:
        state = self.state
        # What the refresh replaces is freed over the next frames (kgen_pygame/release.py).
        if name == "rewards" and state.rewards is not None:
            self.released.hold(state.rewards.rewards)
        elif name == "tournaments":
            self.released.hold(state.tournaments)
        elif name == "earned":
            self.released.hold(state.earned)
        if name == "rewards":
            if state.apply_rewards(value):
                self.post(
                    events.REWARDS_CHANGED,
                    count=state.unclaimed_count,
                    total=state.unclaimed_total,
                )
        elif name == "balance":
            if state.apply_balance(value):
                self.post(
                    events.BALANCE_CHANGED, earned=value.earned, total=state.balance_total
                )
        elif name in ("tournaments", "joined"):
            changed = (
                state.apply_tournaments(value)
                if name == "tournaments"
                else state.apply_joined(value)
            )
            if changed:
                self.post(
                    events.TOURNAMENTS_CHANGED,
                    active=len(state.tournaments),
                    joined=state.joined_live_count,
                )
        elif name == "linked":
            state.apply_linked_account(value if isinstance(value, LinkedAccount) else None)
        elif name == "earned":
            state.apply_earned(value)
        else:
            logger.debug("no state for refresh %r", name)

    def _expire_overdue(self, now: float) -> None:
        waiting = self._waiting
        while waiting:
            call = waiting[0]
            if call.done:
                waiting.popleft()
                continue
            deadline = call.deadline
            if deadline is None or deadline > now:
                # Deadlines grow with submission order, but a call with a longer
                # deadline may sit in front; look at it again next frame.
                return
            waiting.popleft()
            call.settle(None, RequestTimeout(
                f"{call.label} got no answer within {call.timeout_s:g} s"
            ))

