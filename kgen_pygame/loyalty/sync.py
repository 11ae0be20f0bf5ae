"""Keeping a game's rewardable events in step with its file: the plan, then the changes.

The file's events are matched to the server's by ``eventType``. :func:`plan_changes`
compares (nothing is sent but the listing); :func:`apply_plan` makes the changes one by
one and stops at the first failure, saying what was done and what was not. Matching by
``eventType`` makes a rerun finish the job: an event created before a failure is found
again and counts as unchanged (or is updated), never created twice.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from kgen_pygame.errors import KGenError
from kgen_pygame.loyalty.eventfile import DeclaredEvent
from kgen_pygame.models import RewardableEvent, RewardableEventSpec

__all__ = ["Action", "ApplyResult", "EventsClient", "PlanItem", "apply_plan", "plan_changes"]

#: The fields compared between the file and the server, as (spec name, event name).
_COMPARED = (
    ("name", "name"),
    ("description", "description"),
    ("reward_amount", "reward_amount"),
    ("is_active", "is_active"),
    ("activity_trace_enabled", "activity_trace_enabled"),
    ("activity_trace_activity_id", "activity_trace_activity_id"),
)


class EventsClient(Protocol):
    """The rewardable-event calls of :class:`~kgen_pygame.api.client.KGenClient`."""

    def list_rewardable_events(self, active: bool | None = None) -> list[RewardableEvent]: ...
    def put_rewardable_event(self, spec: RewardableEventSpec) -> RewardableEvent: ...
    def delete_rewardable_event(self, event_id: str) -> None: ...


class Action(enum.Enum):
    """What applying the file does to one event."""

    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    ONLY_ON_SERVER = "only-on-server"

    @property
    def changes_server(self) -> bool:
        """True for the actions that send a request (only-on-server: with ``--prune``)."""
        return self is not Action.UNCHANGED


@dataclass(frozen=True, slots=True)
class PlanItem:
    """One row of the plan: the event, what happens to it, and which fields differ."""

    event_type: str
    action: Action
    event_id: str | None = None
    name: str = ""
    changed: tuple[str, ...] = ()
    spec: RewardableEventSpec | None = None


@dataclass(slots=True)
class ApplyResult:
    """What :func:`apply_plan` did: ``done`` and ``not_done`` rows, the first ``error``."""

    done: list[PlanItem] = field(default_factory=list)
    not_done: list[PlanItem] = field(default_factory=list)
    error: KGenError | None = None
    failed: PlanItem | None = None
    #: eventType -> eventID of every event of the file known on the server afterwards.
    event_ids: dict[str, str] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        """True when every planned change was made."""
        return self.error is None and not self.not_done


def plan_changes(
    declared: Sequence[DeclaredEvent], server: Sequence[RewardableEvent]
) -> list[PlanItem]:
    """The plan, in file order, then the server's events the file does not have.

    When the server holds several events of one ``eventType``, the oldest is the file's
    and the others are only-on-server (``--prune`` removes them).
    """
    by_type: dict[str, RewardableEvent] = {}
    extra: list[RewardableEvent] = []
    for event in sorted(server, key=_age):
        if event.event_type in by_type:
            extra.append(event)
        else:
            by_type[event.event_type] = event
    items: list[PlanItem] = []
    for wanted in declared:
        current = by_type.pop(wanted.event_type, None)
        if current is None:
            items.append(PlanItem(wanted.event_type, Action.CREATE, None, wanted.spec.name,
                                  spec=wanted.spec))
            continue
        changed = tuple(
            mine for mine, theirs in _COMPARED
            if getattr(wanted.spec, mine) != getattr(current, theirs)
        )
        action = Action.UPDATE if changed else Action.UNCHANGED
        spec = dataclasses.replace(
            wanted.spec, event_id=current.event_id, entity_id=current.entity_id
        )
        items.append(PlanItem(wanted.event_type, action, current.event_id, wanted.spec.name,
                              changed, spec))
    leftovers = sorted([*by_type.values(), *extra], key=_age)
    items.extend(
        PlanItem(event.event_type, Action.ONLY_ON_SERVER, event.event_id, event.name)
        for event in leftovers
    )
    return items


def apply_plan(client: EventsClient, plan: Sequence[PlanItem], *, prune: bool) -> ApplyResult:
    """Make the plan's changes in order (creates and updates, then prunes when asked).

    Stops at the first failure: the rest is ``not_done``. Never raises a KGenError.
    """
    result = ApplyResult()
    result.event_ids = {
        item.event_type: item.event_id for item in plan
        if item.event_id is not None and item.action is not Action.ONLY_ON_SERVER
    }
    todo = [item for item in plan if item.action in (Action.CREATE, Action.UPDATE)]
    if prune:
        todo += [item for item in plan if item.action is Action.ONLY_ON_SERVER]
    for index, item in enumerate(todo):
        try:
            done = _apply_one(client, item)
        except KGenError as error:
            result.error, result.failed = error, item
            result.not_done = list(todo[index:])
            return result
        result.done.append(done)
        if done.action is not Action.ONLY_ON_SERVER and done.event_id is not None:
            result.event_ids[done.event_type] = done.event_id
    return result


def _apply_one(client: EventsClient, item: PlanItem) -> PlanItem:
    if item.action is Action.ONLY_ON_SERVER:
        assert item.event_id is not None
        client.delete_rewardable_event(item.event_id)
        return item
    assert item.spec is not None
    event = client.put_rewardable_event(item.spec)
    return dataclasses.replace(item, event_id=event.event_id)


def _age(event: RewardableEvent) -> tuple[float, str]:
    created = event.created_at.timestamp() if event.created_at is not None else 0.0
    return (created, event.event_id)
