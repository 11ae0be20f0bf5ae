"""Validation of what a game tracks, at capture time on the game thread.

The rules are :mod:`kgen_pygame.event_contract`'s; a refused event raises
:class:`~kgen_pygame.errors.InvalidEventError` at once, so it never reaches the
outbox and never becomes a dead letter.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kgen_pygame import event_contract


def normalize_value(
    kind: str, value: Any, generation: event_contract.Generation | None = None
) -> event_contract.EventValue:
    """Check ``value`` against ``kind`` (deliverable on ``generation``); return it in wire form."""
    return event_contract.check_value(event_contract.check_kind(kind, generation), value)


def normalize_metadata(metadata: Mapping[str, Any]) -> dict[str, str | int]:
    """Keep the contract's metadata keys, type-checked; reject anything else."""
    return event_contract.check_metadata(metadata)
