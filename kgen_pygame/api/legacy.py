"""The legacy IndiGG paths (seed 000): the current API with two calls elsewhere.

- L1, the session: ``POST /api/proxy/auth/user/session`` with ``clientID`` /
  ``clientSecret`` headers and the body ``{"user_id"}`` alone (no profile fields
  are documented for it). Its answer is reduced: no ``session_id``,
  ``session_start_time``, ``linked_phone`` or ``indigg_*``, which stay empty.
- L2, the loyalty grant: ``POST /api/event-reward-user-claims/events/{eventID}``
  with the client headers **and** ``user-jwt-token`` (plus our ``Idempotency-Key``).
  Seed 000 stops after its headers (C28): its body, answer and statuses are not
  documented. No body is sent; a reward object in the answer is read, and an
  empty answer returns None.

Every other call is exactly as in :mod:`kgen_pygame.api.current` (C28: nothing
documents a legacy path for anything else, nor whether the legacy paths live on
the same host; this variant assumes the same base URL, as "a path variant of the
same protocol").
"""

from __future__ import annotations

from typing import Final

from kgen_pygame.api import readers
from kgen_pygame.api.current import CurrentAdapter
from kgen_pygame.api.paths import segment
from kgen_pygame.api.protocol import GENERATION_CAPABILITIES, Capability
from kgen_pygame.models import LoyaltyReward

__all__ = ["LegacyAdapter"]

_GRANT: Final = "/api/event-reward-user-claims/events/{eventID}"


class LegacyAdapter(CurrentAdapter):
    """The current adapter with the seed-000 session and loyalty-grant paths."""

    generation = "legacy"
    capabilities: frozenset[Capability] = GENERATION_CAPABILITIES["legacy"]
    profile_fields: frozenset[str] = frozenset()
    session_path = "/api/proxy/auth/user/session"

    def _session_headers(self, operation: str) -> dict[str, str]:
        client_id, secret = self._client_credentials(operation)
        return {"clientID": client_id, "clientSecret": secret}

    def _grant_reward(self, token: str, event_id: str, key: str) -> LoyaltyReward | None:
        operation = f"POST {_GRANT}"
        headers = self._session_headers(operation)
        headers.update({"user-jwt-token": token, "Idempotency-Key": key})
        data = self._transport.request(
            "POST",
            _GRANT.replace("{eventID}", segment(event_id)),
            operation=operation,
            headers=headers,
        )
        if data is None:
            return None
        return readers.read_loyalty_reward(data, operation, event_id=event_id)
