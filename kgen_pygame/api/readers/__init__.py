"""Readers: turn decoded JSON from the KGeN API into :mod:`kgen_pygame.models`.

Readers are tolerant. They accept every shape the KGeN docs show for a
response (the v1 touchpoints, the v1 OpenAPI file and the current esports and
loyalty docs disagree in places: C7 to C14 of the endpoint catalogue), ignore
fields they do not know, and raise :class:`~kgen_pygame.errors.ProtocolError`
naming the operation and the field for anything that fits none of those shapes,
or that cannot be true (see :mod:`kgen_pygame.api.fields` for the bounds).
Nothing else ever escapes a reader.

Each reader takes the decoded JSON (``Decimal`` for non-integer numbers) and the
operation label used in messages, e.g. ``"GET /fe/wallet/balance"``. One module
per area; this package re-exports them all.
"""

from __future__ import annotations

from kgen_pygame.api.readers.account import read_linked_account, read_store_redirect
from kgen_pygame.api.readers.acks import read_event_ack, read_message
from kgen_pygame.api.readers.errors import ErrorBody, read_error_body
from kgen_pygame.api.readers.loyalty import (
    read_earned_rewards,
    read_loyalty_reward,
    read_rewardable_event,
    read_rewardable_events,
)
from kgen_pygame.api.readers.otp import read_otp_challenge, read_otp_verification
from kgen_pygame.api.readers.rewards import (
    read_claim_result,
    read_historic_stats,
    read_rewards,
)
from kgen_pygame.api.readers.session import read_s2s_session, read_session
from kgen_pygame.api.readers.tournaments import (
    read_joined_tournament_ids,
    read_leaderboard,
    read_tournament,
    read_tournaments,
)
from kgen_pygame.api.readers.wallet import (
    read_transactions,
    read_wallet_balance,
    read_withdraw_result,
)

__all__ = [
    "ErrorBody",
    "read_claim_result",
    "read_earned_rewards",
    "read_error_body",
    "read_event_ack",
    "read_historic_stats",
    "read_joined_tournament_ids",
    "read_leaderboard",
    "read_linked_account",
    "read_loyalty_reward",
    "read_message",
    "read_otp_challenge",
    "read_otp_verification",
    "read_rewardable_event",
    "read_rewardable_events",
    "read_rewards",
    "read_s2s_session",
    "read_session",
    "read_store_redirect",
    "read_tournament",
    "read_tournaments",
    "read_transactions",
    "read_wallet_balance",
    "read_withdraw_result",
]
