"""Readers: turn decoded JSON from the esports API into :mod:`kgen_pygame.models`.

Readers are tolerant. They accept every shape the KGeN docs show for a
response (the v1 touchpoints, the v1 OpenAPI file and the current esports
docs disagree in places), ignore fields they do not know, and raise
:class:`~kgen_pygame.errors.ProtocolError` naming the operation and the field
for anything that fits none of those shapes. Field aliases from the later
``/fe`` generation are accepted too, so its adapter can reuse these readers.

Each reader takes the decoded JSON (``Decimal`` for non-integer numbers) and the
operation label used in messages, e.g. ``"GET /api/v1/rewards"``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from kgen_pygame.api.fields import (
    FieldValueError,
    WireObject,
    describe_value,
    parse_decimal,
    parse_timestamp,
    unexpected,
)
from kgen_pygame.errors import ErrorDetail
from kgen_pygame.models import (
    ClaimResult,
    HistoricStat,
    Leaderboard,
    LeaderboardEntry,
    OtpChallenge,
    OtpVerification,
    Reward,
    Rewards,
    Session,
    Tournament,
    Transaction,
    TransactionHistory,
    WalletBalance,
    Winner,
    WithdrawResult,
)
from kgen_pygame.redact import is_sensitive_name, redact_text

__all__ = [
    "ErrorBody",
    "read_claim_result",
    "read_error_body",
    "read_event_ack",
    "read_historic_stats",
    "read_joined_tournament_ids",
    "read_leaderboard",
    "read_message",
    "read_otp_challenge",
    "read_otp_verification",
    "read_rewards",
    "read_session",
    "read_tournament",
    "read_tournaments",
    "read_transactions",
    "read_wallet_balance",
    "read_withdraw_result",
]


def _list(data: object, operation: str, what: str) -> list[object]:
    if not isinstance(data, list):
        unexpected(operation, f"the response must be a list of {what}, got {describe_value(data)}")
    return data


def _blank_to_none(value: str | None) -> str | None:
    return value if value else None


# -- session -----------------------------------------------------------------


def read_session(data: object, operation: str, *, gamer_id: str | None = None) -> Session:
    """Read ``POST /session`` or ``GET /session`` (or the ``/s2s/session`` reply).

    ``gamer_id`` fills the field when the reply does not echo it.
    """
    obj = WireObject.of(data, operation)
    return Session(
        token=obj.required_text("token", "access_token"),
        session_id=obj.text("session_id") or "",
        gamer_id=obj.text("gamer_id", "user_id") or gamer_id or "",
        wallet_address=obj.text("wallet_address") or "",
        started_at=obj.timestamp("session_start_time"),
        expires_at=obj.timestamp("token_expires_at", "expires_at"),
        linked_phone=_blank_to_none(obj.text("linked_phone")),
        kgen_wallet_address=_blank_to_none(
            obj.text("indigg_wallet_address", "kgen_wallet_address")
        ),
        app_id=_blank_to_none(obj.text("appId", "app_id")),
        account_id=_blank_to_none(obj.text("accountId", "account_id")),
        joined_tournaments=tuple(obj.strings("joined_tournaments") or ()),
        score=obj.score("score"),
        wallet_balance=obj.money("wallet_balance"),
    )


# -- eventing ----------------------------------------------------------------


def read_event_ack(data: object, operation: str) -> None:
    """Accept ``true``, ``{"response": true}``, ``{"message": ...}`` or an empty body."""
    if data is None or data is True:
        return
    if data is False:
        unexpected(operation, "the server answered false (event not accepted)")
    obj = WireObject.of(data, operation)
    if obj.has("response"):
        if obj.flag("response") is False:
            unexpected(operation, "the server answered response=false (event not accepted)")
        return
    if obj.has("message", "msg", "success", "status"):
        if obj.flag("success") is False:
            unexpected(operation, "the server answered success=false (event not accepted)")
        return
    obj.fail('expected true, {"response": true} or a message')


def read_message(data: object, operation: str) -> str:
    """Read ``{"message": "..."}`` (or ``{"msg": ...}`` or a bare string)."""
    if isinstance(data, str):
        return data
    obj = WireObject.of(data, operation)
    return obj.required_text("message", "msg")


# -- tournaments -------------------------------------------------------------


def read_tournament(data: object, operation: str, where: str = "the response") -> Tournament:
    """Read one tournament in any documented shape."""
    obj = WireObject.of(data, operation, where)
    return Tournament(
        uid=obj.required_text("tournament_uid", "uid", "id"),
        title=obj.text("title", "name", "theme") or "",
        description=obj.text("description") or "",
        status=_blank_to_none(obj.text("tournament_status", "status")),
        buy_in=obj.required_money("buy_in_price", "buy_in"),
        prize_pool=obj.money("prize_pool", "price_pool"),
        participants_count=obj.integer("participants_count"),
        max_players=obj.integer("max_allowed_players", "tournament_size", "max_players"),
        starts_at=obj.timestamp("starts_at_timestamp", "starts_at"),
        ends_at=obj.timestamp("ends_at_timestamp", "ends_at_date", "ends_at"),
        game_uid=_blank_to_none(obj.text("game_uid")),
        schedules_at=obj.timestamp("schedules_at_timestamp", "schedules_at_date"),
        moves_to_lobby_at=obj.timestamp("moves_to_lobby_at_timestamp", "moves_to_lobby_at_date"),
        locks_at=obj.timestamp("locks_at_timestamp", "locks_at_date"),
        created_at=obj.timestamp("created_at"),
        updated_at=obj.timestamp("updated_at"),
        entry_type=_blank_to_none(obj.text("entry_type", "booking_type")),
        total_players_rewarded=obj.integer("total_players_rewarded"),
    )


def read_tournaments(data: object, operation: str) -> list[Tournament]:
    """Read a list of tournaments (``GET /tournaments/_active``)."""
    items = _list(data, operation, "tournaments")
    return [
        read_tournament(item, operation, f"item {i} of the list") for i, item in enumerate(items)
    ]


def read_joined_tournament_ids(data: object, operation: str) -> list[str]:
    """Read the list of tournament uids the gamer joined."""
    items = _list(data, operation, "tournament ids")
    ids: list[str] = []
    for index, item in enumerate(items):
        if isinstance(item, str) and item:
            ids.append(item)
        elif isinstance(item, Mapping):
            ids.append(
                WireObject.of(item, operation, f"item {index}").required_text(
                    "tournament_uid", "uid", "id"
                )
            )
        else:
            unexpected(
                operation, f"item {index} must be a tournament id, got {describe_value(item)}"
            )
    return ids


def read_leaderboard(data: object, operation: str) -> Leaderboard:
    """Read a leaderboard: the bare array form or ``{leaderboard, price_pool, winners}``."""
    if isinstance(data, list):
        rows: list[WireObject] = [
            WireObject.of(item, operation, f"item {i} of the list") for i, item in enumerate(data)
        ]
        return Leaderboard(entries=_entries(rows), prize_pool=None, winners=())
    obj = WireObject.of(data, operation)
    rows_or_none = obj.objects("leaderboard", "entries")
    if rows_or_none is None and not obj.has("leaderboard", "entries"):
        obj.fail("field 'leaderboard' is missing")
    winners = tuple(
        Winner(
            user_id=w.required_text("user_id", "userId", "gamer_id"),
            reward=w.money("reward", "amount", "amountWon"),
            rank=w.integer("rank"),
            score=w.score("score"),
        )
        for w in obj.objects("winners") or ()
    )
    return Leaderboard(
        entries=_entries(rows_or_none or []),
        prize_pool=obj.money("price_pool", "prize_pool"),
        winners=winners,
    )


def _entries(rows: list[WireObject]) -> tuple[LeaderboardEntry, ...]:
    return tuple(
        LeaderboardEntry(
            rank=row.integer("rank") or position,
            user_id=row.required_text("user_id", "userId", "gamer_id"),
            score=row.required_score("score"),
        )
        for position, row in enumerate(rows, start=1)
    )


# -- wallet ------------------------------------------------------------------


def read_wallet_balance(data: object, operation: str) -> WalletBalance:
    """Read the lazy-chain wallet balance; absent balances count as 0."""
    obj = WireObject.of(data, operation)
    zero = Decimal(0)
    return WalletBalance(
        wallet_address=obj.required_text("wallet_address"),
        earned=obj.required_money("earned_balance"),
        bought=obj.money("bought_balance") or zero,
        bonus=obj.money("bonus_balance") or zero,
        lazy=obj.money("lazy_balance") or zero,
        on_chain=obj.money("on_chain_balance") or zero,
        min_to_withdraw=obj.money("minWalletBalToWithdraw", "min_wallet_bal_to_withdraw") or zero,
        lazy_delta=obj.money("lazy_balance_delta") or zero,
        is_lazy_balance_updated=obj.flag("is_lazy_balance_updated"),
        transaction_error=obj.flag("wallet_transaction_error"),
        created_at=obj.timestamp("created_at"),
        modified_at=obj.timestamp("modified_at"),
    )


def read_transactions(data: object, operation: str) -> TransactionHistory:
    """Read ``{fromTransactions, toTransactions}`` and/or the combined ``transactions``."""
    obj = WireObject.of(data, operation)
    if not obj.has("fromTransactions", "toTransactions", "transactions"):
        obj.fail("expected 'fromTransactions', 'toTransactions' or 'transactions'")
    outgoing = [_transaction(t, "out") for t in obj.objects("fromTransactions") or ()]
    incoming = [_transaction(t, "in") for t in obj.objects("toTransactions") or ()]
    for item in obj.objects("transactions") or ():
        tx = _transaction(item, None)
        (outgoing if tx.direction == "out" else incoming).append(tx)
    return TransactionHistory(incoming=tuple(incoming), outgoing=tuple(outgoing))


def _transaction(obj: WireObject, direction: Literal["in", "out"] | None) -> Transaction:
    description: str | None = None
    name = kind = entry_type = None
    if isinstance(obj.data.get("description"), Mapping):
        detail = obj.child("description")
        assert detail is not None
        description = detail.text("platformProtocolsTxnDescription", "description")
        name = detail.text("platformProtocolsTxnName", "name")
        kind = detail.text("type")
        entry_type = detail.text("platformProtocolsTxnType")
    else:
        description = obj.text("description")
    kind = kind or obj.text("type", "kind")
    entry_type = entry_type or obj.text("txn_type", "platformProtocolsTxnType")
    if direction is None:
        # The combined list says which way money went only through the type.
        direction = "out" if (entry_type or "").upper() == "DEBIT" else "in"
    return Transaction(
        uid=obj.required_text("uid", "id", "transaction_id"),
        direction=direction,
        from_wallet=_blank_to_none(obj.text("from_wallet")),
        to_wallet=_blank_to_none(obj.text("to_wallet")),
        amount=obj.required_money("amount"),
        status=obj.text("sync_status", "status") or "UNKNOWN",
        error=_blank_to_none(obj.text("sync_error", "error")),
        created_at=obj.timestamp("created_at", "createdAt"),
        description=_blank_to_none(description),
        kind=_blank_to_none(kind),
        name=_blank_to_none(name),
        entry_type=_blank_to_none(entry_type),
    )


def read_withdraw_result(data: object, operation: str) -> WithdrawResult:
    """Read a withdrawal: the v1 object or the later ``{"msg": ...}`` form."""
    obj = WireObject.of(data, operation)
    if not obj.has("userKGeNWalletAddr", "earnedBalance", "status", "message", "msg"):
        obj.fail("expected 'status' and 'message' (or 'msg')")
    return WithdrawResult(
        destination_wallet=_blank_to_none(
            obj.text("userKGeNWalletAddr", "destination_wallet", "kgen_wallet_address")
        ),
        amount=obj.money("earnedBalance", "amount"),
        status=obj.text("status") or "SUCCESS",
        message=obj.text("message", "msg") or "",
    )


# -- OTP ---------------------------------------------------------------------


def read_otp_challenge(data: object, operation: str) -> OtpChallenge:
    """Read the OTP request reply; ``authCode`` may be text or a number."""
    obj = WireObject.of(data, operation)
    return OtpChallenge(
        auth_code=obj.required_text("authCode", "auth_code"),
        is_new_user=bool(obj.flag("isNewUser", "is_new_user")),
        expires_in=obj.seconds("expires_in"),
        resend_after=obj.seconds("resend_after"),
        attempts_left=obj.integer("attempts_left"),
    )


def read_otp_verification(data: object, operation: str) -> OtpVerification:
    """Read the OTP verify reply."""
    obj = WireObject.of(data, operation)
    return OtpVerification(
        message=obj.text("message", "msg") or "",
        linked_phone=_blank_to_none(obj.text("linked_phone")),
        kgen_wallet_address=_blank_to_none(
            obj.text("indigg_wallet_address", "kgen_wallet_address")
        ),
    )


# -- rewards -----------------------------------------------------------------


def read_rewards(data: object, operation: str) -> Rewards:
    """Read claimable rewards; the total is summed when the server leaves it out."""
    obj = WireObject.of(data, operation)
    if not obj.has("claimable_rewards_info", "total_claimable_rewards", "rewards"):
        obj.fail("expected 'total_claimable_rewards' and 'claimable_rewards_info'")
    rewards = tuple(
        _reward(item) for item in obj.objects("claimable_rewards_info", "rewards") or ()
    )
    total = obj.money("total_claimable_rewards")
    if total is None:
        total = sum((r.amount for r in rewards), Decimal(0))
    return Rewards(total_claimable=total, rewards=rewards)


def _reward(obj: WireObject) -> Reward:
    return Reward(
        uid=_blank_to_none(obj.text("uid", "rewardID", "reward_id", "id")),
        tournament_id=_blank_to_none(obj.text("tournament_id", "tournamentId")),
        title=_blank_to_none(obj.text("title", "name")),
        amount=obj.required_money("reward", "rewardAmount", "amount"),
        status=obj.text("claim_status", "rewardStatus", "status") or "UNCLAIMED",
        created_at=obj.timestamp("created_at", "createdAt"),
        source=_blank_to_none(obj.text("source")),
        user_id=_blank_to_none(obj.text("user_id", "userID")),
        wallet_address=_blank_to_none(obj.text("wallet_address")),
        updated_at=obj.timestamp("updated_at", "updatedAt"),
    )


def read_claim_result(data: object, operation: str) -> ClaimResult:
    """Read the claim reply: a message, plus count and amount when sent."""
    if isinstance(data, str):
        return ClaimResult(message=data, claimed_count=None, amount=None)
    obj = WireObject.of(data, operation)
    if not obj.has("message", "msg", "claimed", "amount"):
        obj.fail("field 'message' is missing")
    return ClaimResult(
        message=obj.text("message", "msg") or "",
        claimed_count=obj.integer("claimed", "claimed_count"),
        amount=obj.money("amount", "claimed_amount"),
    )


# -- statistics --------------------------------------------------------------


def read_historic_stats(data: object, operation: str) -> list[HistoricStat]:
    """Read the historic participation list."""
    items = _list(data, operation, "statistics")
    return [
        _historic_stat(WireObject.of(item, operation, f"item {i} of the list"))
        for i, item in enumerate(items)
    ]


def _historic_stat(obj: WireObject) -> HistoricStat:
    occurred_text = obj.text("occurredAtText") or ""
    try:
        occurred_at = parse_timestamp(occurred_text)
    except FieldValueError:
        occurred_at = None  # free text such as "2 days ago" is fine here
    return HistoricStat(
        type=obj.text("type") or "",
        type_value=_type_value(obj),
        result=obj.required_text("result"),
        occurred_at_text=occurred_text,
        mode=obj.text("mode") or "",
        buy_in_stake=obj.required_money("buyInStake"),
        amount_won=obj.required_money("amountWon"),
        occurred_at=occurred_at,
        title=obj.text("title"),  # a sandbox extension; absent from the platform docs
    )


def _type_value(obj: WireObject) -> int | Decimal | str | None:
    found = obj.raw("typeValue")
    if found is None:
        return None
    value = found[1]
    if isinstance(value, str):
        return value
    try:
        number = parse_decimal(value)
    except FieldValueError:
        obj.fail(f"field 'typeValue' must be a number or text, got {describe_value(value)}")
    whole = number == number.to_integral_value() and number.adjusted() < 30
    return int(number) if whole else number


# -- errors ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ErrorBody:
    """What an error response said, whatever its shape."""

    code: str | None
    message: str | None
    retry_after: float | None
    details: Mapping[str, ErrorDetail]


_ERROR_KNOWN = frozenset({"statusCode", "status", "error", "code", "message", "msg", "retry_after"})


def read_error_body(data: object) -> ErrorBody:
    """Read an error body in any of the shapes servers use; never raises.

    Shapes: ``{"statusCode", "error": CODE, "message"}`` (ours),
    NestJS ``{"statusCode", "message": str | [str], "error": "Bad Request"}``
    (the reason phrase is not a code) and ``{"msg": ...}``.
    """
    if not isinstance(data, Mapping):
        return ErrorBody(None, data if isinstance(data, str) and data else None, None, {})
    code = _machine_code(data.get("code")) or _machine_code(data.get("error"))
    message = _error_message(data.get("message")) or _error_message(data.get("msg"))
    if message is None and code is None:
        message = _error_message(data.get("error"))
    retry_after: float | None = None
    try:
        raw_retry = data.get("retry_after")
        if raw_retry is not None:
            retry_after = float(parse_decimal(raw_retry))
    except FieldValueError:
        retry_after = None
    details: dict[str, ErrorDetail] = {}
    for key, value in data.items():
        if key in _ERROR_KNOWN or not isinstance(key, str) or is_sensitive_name(key):
            continue
        if isinstance(value, str):
            details[key] = redact_text(value)
        elif value is None or isinstance(value, int | bool | Decimal):
            details[key] = value
    return ErrorBody(code, message, retry_after, details)


def _machine_code(value: object) -> str | None:
    """An UPPER_SNAKE machine code, or None for prose like "Bad Request"."""
    if (
        isinstance(value, str)
        and value.replace("_", "").isalnum()
        and value.upper() == value
        and any(char.isalpha() for char in value)
    ):
        return value
    return None


def _error_message(value: object) -> str | None:
    if isinstance(value, str):
        return value or None
    if isinstance(value, list):
        parts = [str(item) for item in value if isinstance(item, str | int | Decimal) and str(item)]
        return "; ".join(parts) or None
    return None
