"""Property tests of the readers (issue 11).

1. Whatever JSON arrives, a reader returns a model or raises ProtocolError; nothing
   else ever escapes (no KeyError, TypeError, OverflowError... deep inside a game).
2. Every documented variant of a valid reply reads back exactly: the same amounts
   (Decimal), instants (any of the five timestamp forms of C13), names and lists,
   whatever field-name drift (C7) or number encoding (number or numeric text) it uses.
"""

from __future__ import annotations

import contextlib
import itertools
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kgen_pygame.api import jsoncodec, readers
from kgen_pygame.api.fields import MAX_AMOUNT
from kgen_pygame.errors import ProtocolError

OP = "GET /fe/test"
PROPERTY = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

#: Every reader, called the way its adapter calls it.
READERS: dict[str, Callable[[object], object]] = {
    "session": lambda d: readers.read_session(d, OP),
    "s2s_session": lambda d: readers.read_s2s_session(d, OP, user_id="u"),
    "event_ack": lambda d: readers.read_event_ack(d, OP),
    "message": lambda d: readers.read_message(d, OP),
    "tournament": lambda d: readers.read_tournament(d, OP),
    "tournaments": lambda d: readers.read_tournaments(d, OP),
    "joined": lambda d: readers.read_joined_tournament_ids(d, OP),
    "leaderboard": lambda d: readers.read_leaderboard(d, OP),
    "balance": lambda d: readers.read_wallet_balance(d, OP),
    "transactions": lambda d: readers.read_transactions(d, OP),
    "withdraw": lambda d: readers.read_withdraw_result(d, OP),
    "otp_challenge": lambda d: readers.read_otp_challenge(d, OP),
    "otp_verification": lambda d: readers.read_otp_verification(d, OP),
    "rewards": lambda d: readers.read_rewards(d, OP),
    "rewards_current": lambda d: readers.read_rewards(d, OP, total_from_items=True),
    "claim": lambda d: readers.read_claim_result(d, OP),
    "stats": lambda d: readers.read_historic_stats(d, OP),
    "linked": lambda d: readers.read_linked_account(d, OP),
    "store": lambda d: readers.read_store_redirect(d, OP),
    "loyalty_reward": lambda d: readers.read_loyalty_reward(d, OP, event_id="e"),
    "earned": lambda d: readers.read_earned_rewards(d, OP),
    "rewardable_event": lambda d: readers.read_rewardable_event(d, OP),
    "rewardable_events": lambda d: readers.read_rewardable_events(d, OP),
}

#: Field names the readers look for, so generated objects reach deep paths.
FIELD_NAMES = sorted(
    {
        "token", "access_token", "refresh_token", "session_id", "user_id", "gamer_id",
        "wallet_address", "session_start_time", "expires_at", "linked_phone",
        "indigg_wallet_address", "indigg_id", "is_new_user", "score", "wallet_balance",
        "joined_tournaments", "response", "message", "msg", "success", "status",
        "tournament_uid", "uid", "id", "title", "buy_in_price", "price_pool", "prize_pool",
        "participants_count", "tournament_size", "starts_at_timestamp", "created_at",
        "leaderboard", "winners", "rank", "reward", "earned_balance", "bonus_balance",
        "lazy_balance_delta", "minWalletBalToWithdraw", "is_lazy_balance_updated",
        "fromTransactions", "toTransactions", "transactions", "amount", "description",
        "platformProtocolsTxnType", "type", "sync_status", "authCode", "isNewUser",
        "expires_in", "attempts_left", "claimable_rewards_info", "total_claimable_rewards",
        "claimed", "typeValue", "result", "occurredAtText", "buyInStake", "amountWon",
        "LinkedPhone", "UserID", "KGenID", "IndiggWalletAddress", "url", "rewards",
        "rewardID", "eventID", "rewardAmount", "rewardStatus", "createdAt", "rewardableEvents",
        "eventType", "eventName", "isActive", "isActivityTraceEnabled", "entityID", "offset",
        "error", "code", "statusCode", "retry_after",
    }
)
TRICKY_TEXT = [
    "", " ", "0", "-0", "1e999999999", "-1E+999999", "1e-999999999", "9" * 40, "9" * 5000,
    "NaN", "Infinity", "0x10", "١٢٣", "true", "false", "+05:30", "2024-09-06T05:10:53Z",
    "2024-09-06 05:10:53.871198445 +0000 UTC", "9999-12-31T23:59:59Z", "0000-01-01",
    "2024-13-45T99:99:99", "2024-08-19T21:57:48.694297+05:30", "javascript:alert(1)",
    "https://", "http://[::1]:80/x", "https://[bad", "UN_AUTHORIZED", "\x00", "\ud7ff",
]

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.decimals(allow_nan=False, allow_infinity=False)
    | st.sampled_from(TRICKY_TEXT)
    | st.text(max_size=12)
)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=5)
    | st.dictionaries(st.sampled_from(FIELD_NAMES) | st.text(max_size=6), children, max_size=8),
    max_leaves=40,
)


@PROPERTY
@given(name=st.sampled_from(sorted(READERS)), data=json_values)
def test_readers_raise_nothing_but_protocol_error(name: str, data: object) -> None:
    try:
        READERS[name](data)
    except ProtocolError as error:
        assert error.message.startswith(f"{OP} returned an unexpected response: ")


@PROPERTY
@given(data=json_values)
def test_error_bodies_never_raise(data: object) -> None:
    body = readers.read_error_body(data)
    assert body.code is None or body.code.replace("_", "").isalnum()


@PROPERTY
@given(text=st.text(max_size=40))
def test_decoded_text_never_breaks_a_reader(text: str) -> None:
    # Bytes as a hostile server could send them, through the real decoder.
    try:
        data = jsoncodec.loads(text)
    except jsoncodec.InvalidJSONError:
        return
    for read in READERS.values():
        with contextlib.suppress(ProtocolError):
            read(data)


# -- valid variants read back exactly -------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=MAX_AMOUNT, places=6, allow_nan=False,
                      allow_infinity=False)
instants = st.datetimes(
    min_value=datetime(1971, 1, 1), max_value=datetime(9998, 12, 31), timezones=st.just(UTC)
)
IST = timezone(timedelta(hours=5, minutes=30))


def render_amount(value: Decimal, as_text: bool) -> object:
    """A JSON number (exact digits) or numeric text: both are documented for money."""
    return str(value) if as_text else value


def render_instant(instant: datetime, form: int, nanos: int) -> str:
    """One of the five timestamp forms of C13 (the empty form is tested apart)."""
    micro = f"{instant.microsecond:06d}{nanos:03d}"
    if form == 0:  # RFC 3339 Z with nanoseconds (tournaments, loyalty)
        return f"{instant:%Y-%m-%dT%H:%M:%S}.{micro}Z"
    if form == 1:  # +05:30 with microseconds (esports rewards)
        return instant.astimezone(IST).isoformat(timespec="microseconds")
    if form == 2:  # naive microseconds, meaning UTC (wallet)
        return instant.replace(tzinfo=None).isoformat(timespec="microseconds")
    return f"{instant:%Y-%m-%d %H:%M:%S}.{micro} +0000 UTC"  # Go time.Time.String()


@PROPERTY
@given(
    values=st.lists(amounts, min_size=6, max_size=6),
    delta=st.decimals(min_value=-MAX_AMOUNT, max_value=MAX_AMOUNT, places=2, allow_nan=False,
                      allow_infinity=False),
    as_text=st.lists(st.booleans(), min_size=7, max_size=7),
    min_key=st.sampled_from(["minWalletBalToWithdraw", "min_wallet_bal_to_withdraw"]),
    created=instants,
    form=st.integers(0, 3),
    nanos=st.integers(0, 999),
)
def test_wallet_balance_reads_back_exactly(
    values: list[Decimal],
    delta: Decimal,
    as_text: list[bool],
    min_key: str,
    created: datetime,
    form: int,
    nanos: int,
) -> None:
    earned, bought, bonus, lazy, on_chain, minimum = values
    reply = {
        "wallet_address": "0x84b6",
        "earned_balance": render_amount(earned, as_text[0]),
        "bought_balance": render_amount(bought, as_text[1]),
        "bonus_balance": render_amount(bonus, as_text[2]),
        "lazy_balance": render_amount(lazy, as_text[3]),
        "on_chain_balance": render_amount(on_chain, as_text[4]),
        min_key: render_amount(minimum, as_text[5]),
        "lazy_balance_delta": render_amount(delta, as_text[6]),
        "created_at": render_instant(created, form, nanos),
        "modified_at": "",
    }
    balance = readers.read_wallet_balance(jsoncodec.loads(jsoncodec.dumps(reply).decode()), OP)
    assert (balance.earned, balance.bought, balance.bonus) == (earned, bought, bonus)
    assert (balance.lazy, balance.on_chain, balance.min_to_withdraw) == (lazy, on_chain, minimum)
    assert balance.lazy_delta == delta
    assert balance.created_at == created and balance.modified_at is None


@PROPERTY
@given(
    amount=amounts,
    camel=st.booleans(),
    as_text=st.booleans(),
    created=instants,
    form=st.integers(0, 3),
    ids=st.tuples(st.uuids(), st.uuids(), st.text(min_size=1, max_size=20)),
)
def test_loyalty_reward_reads_back_in_either_naming(
    amount: Decimal,
    camel: bool,
    as_text: bool,
    created: datetime,
    form: int,
    ids: tuple[object, object, str],
) -> None:
    reward_id, event_id, user_id = str(ids[0]), str(ids[1]), ids[2]
    names = (
        ("userID", "rewardID", "eventID", "rewardAmount", "createdAt")
        if camel
        else ("user_id", "reward_id", "event_id", "reward_amount", "created_at")
    )
    reply = dict(
        zip(
            names,
            (user_id, reward_id, event_id, render_amount(amount, as_text),
             render_instant(created, form, 0)),
            strict=True,
        )
    )
    reward = readers.read_loyalty_reward(jsoncodec.loads(json.dumps(reply, default=str)), OP)
    assert (reward.user_id, reward.reward_id, reward.event_id) == (user_id, reward_id, event_id)
    assert reward.amount == amount and reward.created_at == created


@PROPERTY
@given(
    uids=st.lists(st.uuids().map(str), min_size=1, max_size=30, unique=True),
    cuts=st.lists(st.integers(0, 30), max_size=3),
)
def test_repeated_to_transactions_read_back_as_their_union(
    uids: list[str], cuts: list[int]
) -> None:
    # Split the incoming transactions over several copies of "toTransactions" (C10).
    bounds = sorted({0, len(uids), *(min(cut, len(uids)) for cut in cuts)})
    copies = [uids[start:end] for start, end in itertools.pairwise(bounds)]
    parts = [
        '"toTransactions": ' + json.dumps([{"uid": uid, "amount": 1} for uid in copy])
        for copy in copies
    ]
    history = readers.read_transactions(jsoncodec.loads("{" + ", ".join(parts) + "}"), OP)
    assert [tx.uid for tx in history.incoming] == uids and history.outgoing == ()


def prize(score: int) -> int:
    """A winner's reward or score derived from a row: within both bounds."""
    return min(abs(score), 10**12)


@PROPERTY
@given(
    rows=st.lists(
        st.tuples(st.text(min_size=1, max_size=10), st.integers(-(10**15), 10**15)), max_size=20
    ),
    winner_form=st.sampled_from(["reward", "score"]),
    pool=amounts,
)
def test_leaderboards_read_back(
    rows: list[tuple[str, int]], winner_form: str, pool: Decimal
) -> None:
    reply = {
        "leaderboard": [{"user_id": user, "score": score} for user, score in rows],
        "price_pool": pool,
        "winners": [{"user_id": user, winner_form: prize(score)} for user, score in rows[:3]],
    }
    board = readers.read_leaderboard(jsoncodec.loads(jsoncodec.dumps(reply).decode()), OP)
    assert [(e.user_id, e.score, e.rank) for e in board.entries] == [
        (user, score, rank) for rank, (user, score) in enumerate(rows, start=1)
    ]
    assert board.prize_pool == pool
    for winner, (user, score) in zip(board.winners, rows[:3], strict=True):
        assert winner.user_id == user
        assert getattr(winner, winner_form) == prize(score)


@PROPERTY
@given(digits=st.text(alphabet="0123456789", min_size=5, max_size=15), plus=st.booleans())
def test_linked_phone_is_masked_to_its_last_four_digits(digits: str, plus: bool) -> None:
    phone = ("+" if plus else "") + digits
    account = readers.read_linked_account({"LinkedPhone": phone, "UserID": "1"}, OP)
    assert account is not None
    assert len(account.phone) == len(phone) and account.phone.endswith(digits[-4:])
    assert account.phone.count("*") == len(digits) - 4


@PROPERTY
@given(code=st.from_regex(r"[A-Z][A-Z0-9_]{0,40}", fullmatch=True))
def test_bare_string_error_codes_read_back(code: str) -> None:
    assert readers.read_error_body(code).code == code
