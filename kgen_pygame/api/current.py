"""The current KGeN API generation: ``/s2s`` (server to server) and ``/fe`` (the player).

Writers are strict: each request carries exactly the body and headers the current
docs show (``reference/esports-current/``, ``reference/loyalty-current/``; the ids
C1..C30 are those of ``reference/current-generation-endpoints.md``):

- player calls (``/fe/...``) send the session token in the ``user-jwt-token``
  header, never in the URL (C4); server calls (``/s2s/...``) send
  ``x-client-id`` / ``x-client-secret``;
- ``joiningStake`` is an integer (C18); the score names the tournament in the
  path and in ``metadata.tournamentUID`` (C17); withdraw, claim, leave, the
  loyalty grant and the k-store redirect have no body;
- the OTP ``authCode`` arrives as text but every verify example sends a number
  (C15); the verify call sends ``authCode`` and ``otp`` as JSON numbers when they
  are all digits without a leading zero, and as text otherwise (a number would
  lose the zero).

**Our addition, not in the docs:** every delivery from the outbox (score posts,
px-tracker drops and loyalty grants) carries ``Idempotency-Key: <event id>``, the
same on every try. The docs show no idempotency at all (C3, C17, C19): the plugin
delivers at least once, and a server counts a retried event once only where it
honours the key (the sandbox does, except in its documented-only mode).

How outbox events map onto this API (:meth:`CurrentAdapter.deliver`):

- ``score`` with ``metadata.tournamentId`` -> ``POST /fe/esports/tournaments/{uid}/score``.
  A score carries the player's score *now* (the leaderboard keeps the best).
- ``score`` without a tournament -> the same post to **each joined live tournament**
  (``participated`` that are also ``active``), each with the key
  ``<event id>:<tournament uid>`` so that the posts stay distinct (a digest of the uid
  replaces it when the two would not fit 255 characters). A tournament that went away
  meanwhile (404 TOURNAMENT_NOT_FOUND / TOURNAMENT_PARTICIPATION_NOT_FOUND) is skipped.
  When the player has joined no live tournament the score has nowhere to go on this
  API (v1 accepts such a score and feeds nothing, too): the event counts as
  delivered, nothing is sent, and an INFO line says so. The runtime has nothing to do.
- ``achievement``, ``levelup``, ``progress``, ``matchResult``, ``matchJoined``,
  ``lobbyJoined`` -> a px-tracker drop ``POST /fe/analytics/px-tracker/events/{kind}/drop``
  (C23) with flat attributes: see :func:`px_attributes`.
- ``reward`` -> the loyalty grant ``POST /fe/loyalty/event-reward-user-claims/events/{id}``
  with the rewardable event id as the value; returns the granted reward.

There is no GET session on this API (C30): :meth:`CurrentAdapter.get_session` builds
the session from the wallet balance (which also proves the token works: 401
otherwise) and the linked mobile number. There is no refresh endpoint either (C1):
renewal is a new ``/s2s/session``.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Final

from kgen_pygame import event_contract
from kgen_pygame.api import readers, validation
from kgen_pygame.api.paths import segment
from kgen_pygame.api.protocol import GENERATION_CAPABILITIES, Capability, ClientCredentials
from kgen_pygame.api.transport import NO_BODY, Transport
from kgen_pygame.errors import (
    ConfigurationError,
    NotFoundError,
    NotSupportedError,
    ServerError,
)
from kgen_pygame.models import (
    ClaimResult,
    HistoricStat,
    Leaderboard,
    LinkedAccount,
    LoyaltyReward,
    OtpChallenge,
    OtpVerification,
    OutboundEvent,
    RewardableEvent,
    RewardableEventSpec,
    Rewards,
    Session,
    Tournament,
    TransactionHistory,
    WalletBalance,
    WithdrawResult,
)

__all__ = ["CurrentAdapter", "fanout_key", "px_attributes", "rewardable_event_body", "wire_code"]

logger = logging.getLogger(__name__)

_TOURNAMENTS: Final = "/fe/esports/tournaments"
_RESERVED_UIDS: Final = frozenset({"active", "participated"})
#: The codes of a score target that went away between listing and posting.
_GONE_CODES: Final = frozenset({"TOURNAMENT_NOT_FOUND", "TOURNAMENT_PARTICIPATION_NOT_FOUND"})
_REWARDABLE_EVENTS: Final = "/s2s/loyalty/rewardable-events"
_MAX_KEY_LENGTH: Final = 255


def wire_code(code: str) -> int | str:
    """An OTP or ``authCode`` for the verify body: a JSON number when that loses nothing.

    ``"5496"`` -> ``5496`` (as every example sends it, C15); ``"0123"`` stays text,
    because the number 123 would no longer be the code.
    """
    if code.isascii() and code.isdigit() and (code == "0" or not code.startswith("0")):
        return int(code)
    return code


def fanout_key(event_id: str, tournament_uid: str) -> str:
    """The ``Idempotency-Key`` of one post of a score fanned out to several tournaments.

    ``<event id>:<uid>``; when that is not 1 to 255 printable ASCII characters, the
    uid is replaced by the first 16 hex digits of its SHA-256 (and the event id cut
    so the key fits). Stable across tries, distinct per tournament.
    """
    key = f"{event_id}:{tournament_uid}"
    if len(key) <= _MAX_KEY_LENGTH and all(0x21 <= ord(char) <= 0x7E for char in key):
        return key
    digest = hashlib.sha256(tournament_uid.encode("utf-8")).hexdigest()[:16]
    return f"{event_id[: _MAX_KEY_LENGTH - 17]}:{digest}"


def px_attributes(event: OutboundEvent) -> dict[str, str | int]:
    """The flat attributes of a px-tracker drop for an analytics event (our mapping).

    The drop body is "flexible attributes ... of type string, float, or int" (C23):

    - an integer or text value -> ``"value"``;
    - a list value -> ``"item1"`` .. ``"itemN"`` in order (nothing else is a key
      of that form, so the list reads back exactly);
    - every metadata entry (``playerId``, ``gameId``, ``tournamentId``, ``level``...)
      under its own name;
    - the capture time -> ``"timestamp"`` (milliseconds since the epoch).
    """
    attributes: dict[str, str | int] = {}
    if isinstance(event.value, list):
        for index, item in enumerate(event.value, start=1):
            attributes[f"item{index}"] = item
    else:
        attributes["value"] = event.value
    attributes.update(event.metadata)
    attributes["timestamp"] = event.timestamp_ms
    return attributes


class CurrentAdapter:
    """Speaks the current generation (``/s2s`` + ``/fe``) over a transport."""

    generation: str = "current"
    capabilities: frozenset[Capability] = GENERATION_CAPABILITIES["current"]
    profile_fields: frozenset[str] = validation.CURRENT_PROFILE_FIELDS
    #: Where sessions are made (the legacy variant overrides it).
    session_path: str = "/s2s/session"

    def __init__(self, transport: Transport, credentials: ClientCredentials) -> None:
        self._transport = transport
        self._credentials = credentials

    # -- plumbing --------------------------------------------------------------------

    def _client_credentials(self, operation: str) -> tuple[str, str]:
        creds = self._credentials
        if not (creds.client_id and creds.client_secret):
            raise ConfigurationError(
                f"{operation} needs client_id and client_secret (a server-to-server call); "
                "a game that must not ship its secret makes it from its own backend"
            )
        return creds.client_id, creds.client_secret

    def _s2s_headers(self, operation: str) -> dict[str, str]:
        client_id, secret = self._client_credentials(operation)
        return {"x-client-id": client_id, "x-client-secret": secret}

    def _user(
        self,
        method: str,
        template: str,
        token: str,
        *,
        path: str | None = None,
        body: object = NO_BODY,
        headers: Mapping[str, str] | None = None,
    ) -> tuple[object, str]:
        """A player call: the token goes in ``user-jwt-token``, never in the URL."""
        operation = f"{method} {template}"
        all_headers = {"user-jwt-token": token}
        if headers:
            all_headers.update(headers)
        data = self._transport.request(
            method, path or template, operation=operation, headers=all_headers, body=body
        )
        return data, operation

    def _on_tournament(
        self,
        method: str,
        suffix: str,
        token: str,
        uid: str,
        *,
        body: object = NO_BODY,
        headers: Mapping[str, str] | None = None,
    ) -> tuple[object, str]:
        """A player call on one tournament: ``/fe/esports/tournaments/{uid}<suffix>``."""
        _check_uid(uid)
        return self._user(
            method,
            f"{_TOURNAMENTS}/{{tournamentUID}}{suffix}",
            token,
            path=f"{_TOURNAMENTS}/{segment(uid)}{suffix}",
            body=body,
            headers=headers,
        )

    def _s2s(
        self,
        method: str,
        template: str,
        *,
        path: str | None = None,
        query: Mapping[str, str] | None = None,
        body: object = NO_BODY,
    ) -> tuple[object, str]:
        """A server-to-server call with the client credentials."""
        operation = f"{method} {template}"
        data = self._transport.request(
            method,
            path or template,
            operation=operation,
            query=query,
            headers=self._s2s_headers(operation),
            body=body,
        )
        return data, operation

    # -- session ---------------------------------------------------------------------

    def _session_headers(self, operation: str) -> dict[str, str]:
        return self._s2s_headers(operation)

    def create_session(self, user_id: str, profile: Mapping[str, object]) -> Session:
        operation = f"POST {self.session_path}"
        data = self._transport.request(
            "POST",
            self.session_path,
            operation=operation,
            headers=self._session_headers(operation),
            body={"user_id": user_id, **profile},
        )
        return readers.read_s2s_session(data, operation, user_id=user_id)

    def get_session(self, token: str) -> Session:
        balance = self.wallet_balance(token)
        linked = self.linked_account(token)
        return Session(
            token=token,
            session_id="",
            gamer_id=(linked.user_id if linked else None) or "",
            wallet_address=balance.wallet_address,
            started_at=None,
            expires_at=None,
            linked_phone=linked.phone if linked else None,
            kgen_wallet_address=linked.kgen_wallet_address if linked else None,
            kgen_id=linked.kgen_id if linked else None,
        )

    # -- events ----------------------------------------------------------------------

    def deliver(self, token: str, event: OutboundEvent) -> LoyaltyReward | None:
        if event.kind == event_contract.SCORE_KIND:
            self._deliver_score(token, event)
            return None
        if event.kind == event_contract.REWARD_KIND:
            if not isinstance(event.value, str):
                raise ConfigurationError("a reward event's value is the rewardable event id")
            return self._grant_reward(token, event.value, event.event_id)
        if event.kind in event_contract.DELIVERABLE_KINDS["current"]:
            self._drop_px_event(token, event)
            return None
        raise NotSupportedError(f"the {self.generation!r} API has no {event.kind!r} event")

    def _deliver_score(self, token: str, event: OutboundEvent) -> None:
        if isinstance(event.value, bool) or not isinstance(event.value, int):
            raise ConfigurationError("a score must be a whole number on this API (C17)")
        named = event.metadata.get("tournamentId")
        if isinstance(named, str):
            self._post_score(token, named, event.value, event.event_id)
            return
        targets = self.live_joined_tournaments(token)
        if not targets:
            logger.info(
                "score event %s not sent: the player has joined no live tournament",
                event.event_id,
            )
            return
        for uid in targets:
            try:
                self._post_score(token, uid, event.value, fanout_key(event.event_id, uid))
            except NotFoundError as error:
                if error.code not in _GONE_CODES:
                    raise
                logger.info("score event %s: a joined tournament is gone (%s)",
                            event.event_id, error.code)

    def live_joined_tournaments(self, token: str) -> list[str]:
        """Uids of the tournaments the player joined that are live now (joined ∩ active)."""
        live = {tournament.uid for tournament in self.active_tournaments(token)}
        return [uid for uid in dict.fromkeys(self.joined_tournaments(token)) if uid in live]

    def _post_score(self, token: str, uid: str, score: int, key: str) -> None:
        data, operation = self._on_tournament(
            "POST",
            "/score",
            token,
            uid,
            body={"metadata": {"tournamentUID": uid}, "payload": {"score": {"value": score}}},
            headers={"Idempotency-Key": key},
        )
        readers.read_event_ack(data, operation)

    def _drop_px_event(self, token: str, event: OutboundEvent) -> None:
        data, operation = self._user(
            "POST",
            "/fe/analytics/px-tracker/events/{eventID}/drop",
            token,
            path=f"/fe/analytics/px-tracker/events/{segment(event.kind)}/drop",
            body=px_attributes(event),
            headers={"Idempotency-Key": event.event_id},
        )
        readers.read_event_ack(data, operation)

    def _grant_reward(self, token: str, event_id: str, key: str) -> LoyaltyReward | None:
        data, operation = self._user(
            "POST",
            "/fe/loyalty/event-reward-user-claims/events/{eventID}",
            token,
            path=f"/fe/loyalty/event-reward-user-claims/events/{segment(event_id)}",
            headers={"Idempotency-Key": key},
        )
        return readers.read_loyalty_reward(data, operation, event_id=event_id)

    # -- tournaments -----------------------------------------------------------------

    def active_tournaments(self, token: str) -> list[Tournament]:
        data, operation = self._user("GET", f"{_TOURNAMENTS}/active", token)
        return readers.read_tournaments(data, operation)

    def joined_tournaments(self, token: str) -> list[str]:
        data, operation = self._user("GET", f"{_TOURNAMENTS}/participated", token)
        return readers.read_joined_tournament_ids(data, operation)

    def tournament(self, token: str, uid: str) -> Tournament:
        data, operation = self._on_tournament("GET", "", token, uid)
        return readers.read_tournament(data, operation)

    def join_tournament(self, token: str, uid: str, stake: Decimal) -> str:
        if stake != stake.to_integral_value():
            raise ConfigurationError(
                "the stake must be a whole number on this API (joiningStake is an int, C18)"
            )
        data, operation = self._on_tournament(
            "POST", "/join", token, uid, body={"joiningStake": int(stake)}
        )
        return readers.read_message(data, operation)

    def leave_tournament(self, token: str, uid: str) -> str:
        data, operation = self._on_tournament("POST", "/leave", token, uid)
        return readers.read_message(data, operation)

    def leaderboard(self, token: str, uid: str) -> Leaderboard:
        data, operation = self._on_tournament("GET", "/leaderboard", token, uid)
        return readers.read_leaderboard(data, operation)

    # -- wallet ----------------------------------------------------------------------

    def wallet_balance(self, token: str) -> WalletBalance:
        data, operation = self._user("GET", "/fe/wallet/balance", token)
        return readers.read_wallet_balance(data, operation)

    def transactions(self, token: str, wallet_address: str | None) -> TransactionHistory:
        # The current API knows the wallet from the token (no path parameter, C10).
        data, operation = self._user("GET", "/fe/wallet/transactions", token)
        return readers.read_transactions(data, operation)

    def withdraw(self, token: str, amount: Decimal | None) -> WithdrawResult:
        if amount is not None:
            raise NotSupportedError(
                f"the {self.generation!r} API withdraws the whole earned balance; "
                "a partial amount cannot be sent (partial_withdraw)"
            )
        data, operation = self._user("POST", "/fe/wallet/withdraw", token)
        return readers.read_withdraw_result(data, operation)

    # -- OTP and the player's account -----------------------------------------------

    def request_otp(self, token: str, country_code: str, phone: str) -> OtpChallenge:
        return self._otp_challenge("/fe/users/auth/otp/register", token, country_code, phone)

    def resend_otp(self, token: str, country_code: str, phone: str) -> OtpChallenge:
        return self._otp_challenge("/fe/users/auth/otp/resend", token, country_code, phone)

    def _otp_challenge(
        self, path: str, token: str, country_code: str, phone: str
    ) -> OtpChallenge:
        data, operation = self._user(
            "POST", path, token, body={"phone_number": phone, "countryCode": country_code}
        )
        return readers.read_otp_challenge(data, operation)

    def verify_otp(
        self, token: str, country_code: str, phone: str, auth_code: str, otp: str
    ) -> OtpVerification:
        data, operation = self._user(
            "POST",
            "/fe/users/auth/otp/verify",
            token,
            body={
                "phone_number": phone,
                "countryCode": country_code,
                "authCode": wire_code(auth_code),
                "otp": wire_code(otp),
            },
        )
        return readers.read_otp_verification(data, operation)

    def linked_account(self, token: str) -> LinkedAccount | None:
        try:
            data, operation = self._user("GET", "/fe/users/account/linked-mobile-number", token)
        except ServerError as error:
            # The documented answer for a player with no linked phone (C21).
            if error.status == 500 and error.code == "RECORD_NOT_FOUND":
                return None
            raise
        return readers.read_linked_account(data, operation)

    def store_redirect_url(self, token: str) -> str:
        data, operation = self._user("POST", "/fe/users/k-store/generate-redirect-uri", token)
        return readers.read_store_redirect(data, operation)

    # -- esports rewards and statistics ------------------------------------------------

    def rewards(self, token: str) -> Rewards:
        data, operation = self._user("GET", "/fe/esports/rewards/claim", token)
        return readers.read_rewards(data, operation, total_from_items=True)

    def claim_rewards(self, token: str, reward_ids: Sequence[str] | None) -> ClaimResult:
        if reward_ids is not None:
            raise NotSupportedError(
                f"the {self.generation!r} API claims every reward at once; its rewards "
                "have no id to choose by (selective_claim, C16)"
            )
        data, operation = self._user("POST", "/fe/esports/rewards/claim", token)
        return readers.read_claim_result(data, operation)

    def historic_statistics(self, token: str) -> list[HistoricStat]:
        data, operation = self._user("GET", "/fe/esports/statistics/historic", token)
        return readers.read_historic_stats(data, operation)

    # -- loyalty ---------------------------------------------------------------------

    def earned_rewards(self, token: str) -> list[LoyaltyReward]:
        data, operation = self._user("GET", "/fe/loyalty/event-reward-user-claims/user", token)
        return readers.read_earned_rewards(data, operation)

    # -- rewardable events (server to server) ------------------------------------------

    def list_rewardable_events(self, active: bool | None) -> list[RewardableEvent]:
        query = None if active is None else {"isActive": "true" if active else "false"}
        data, operation = self._s2s("GET", _REWARDABLE_EVENTS, query=query)
        return readers.read_rewardable_events(data, operation)

    def get_rewardable_event(self, event_id: str) -> RewardableEvent:
        data, operation = self._s2s(
            "GET", f"{_REWARDABLE_EVENTS}/{{eventID}}",
            path=f"{_REWARDABLE_EVENTS}/{segment(event_id)}",
        )
        return readers.read_rewardable_event(data, operation)

    def put_rewardable_event(self, spec: RewardableEventSpec) -> RewardableEvent:
        data, operation = self._s2s("PUT", _REWARDABLE_EVENTS, body=rewardable_event_body(spec))
        return readers.read_rewardable_event(data, operation)

    def delete_rewardable_event(self, event_id: str) -> None:
        self._s2s(
            "DELETE", f"{_REWARDABLE_EVENTS}/{{eventID}}",
            path=f"{_REWARDABLE_EVENTS}/{segment(event_id)}",
        )


def rewardable_event_body(spec: RewardableEventSpec) -> dict[str, object]:
    """The upsert body, in the docs' field order: create, or update with the two ids."""
    body: dict[str, object] = {}
    if spec.event_id is not None:
        body["eventID"] = spec.event_id
    body.update(
        {
            "eventType": spec.event_type,
            "eventName": spec.name,
            "eventDescription": spec.description,
            "entityType": spec.entity_type,
            "rewardAmount": spec.reward_amount,
            "rewardCategory": spec.reward_category,
        }
    )
    if spec.entity_id is not None:
        body["entityID"] = spec.entity_id
    body.update(
        {
            "isActive": spec.is_active,
            "isActivityTraceEnabled": spec.activity_trace_enabled,
            "activityTraceActivityID": spec.activity_trace_activity_id,
        }
    )
    return body


def _check_uid(uid: str) -> None:
    if uid in _RESERVED_UIDS:
        raise ConfigurationError(
            f"a tournament uid of {uid!r} cannot be addressed on this API "
            f"(GET {_TOURNAMENTS}/{uid} is another call)"
        )
