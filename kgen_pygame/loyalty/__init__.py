"""Rewardable events for game developers: the ``kgen-events`` tool and its library.

:func:`apply_event_file` is what ``kgen-events apply FILE`` does, for a program (the
demo's local sandbox applies its achievements with it)::

    from kgen_pygame.api.client import KGenClient
    from kgen_pygame.loyalty import apply_event_file

    with KGenClient(url, client_id, client_secret) as client:
        result = apply_event_file(client, "achievements.toml")
    result.event_ids  # eventType -> the eventID the game passes to kgen.reward_event()
"""

from __future__ import annotations

from pathlib import Path

from kgen_pygame.loyalty.eventfile import (
    DeclaredEvent,
    EventFileError,
    FileProblem,
    load_event_file,
    parse_events,
)
from kgen_pygame.loyalty.sync import (
    Action,
    ApplyResult,
    EventsClient,
    PlanItem,
    apply_plan,
    plan_changes,
)

__all__ = [
    "Action",
    "ApplyResult",
    "DeclaredEvent",
    "EventFileError",
    "EventsClient",
    "FileProblem",
    "PlanItem",
    "apply_event_file",
    "apply_plan",
    "load_event_file",
    "parse_events",
    "plan_changes",
]


def apply_event_file(
    client: EventsClient, path: str | Path, *, prune: bool = False
) -> ApplyResult:
    """Check ``path``, then create and update its events (and delete the others with
    ``prune``). EventFileError for a bad file (nothing sent); the result says the rest."""
    declared = load_event_file(path)
    return apply_plan(client, plan_changes(declared, client.list_rewardable_events(None)),
                      prune=prune)
