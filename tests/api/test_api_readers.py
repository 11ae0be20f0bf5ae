"""Readers over every documented response shape, using the docs' literal examples.

Each example is the JSON text printed in the KGeN docs (quoted file in the
comment). Where the docs print something that is not JSON at all (comments,
"...", missing commas) the smallest repair is made and said so; such text can
never arrive from a real server.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from kgen_pygame.api import jsoncodec, readers
from kgen_pygame.errors import ProtocolError
from kgen_pygame.models import Session

OP = "GET /api/v1/test"


def wire(text: str) -> object:
    """Decode like the transport does (floats become Decimal)."""
    return jsoncodec.loads(text)


# -- session -------------------------------------------------------------------

# Brief (contract) for POST /api/v1/session.
SESSION_CREATE = """
{"gamer_id": "g-1", "appId": "app", "accountId": "acc", "session_id": "s-1",
 "wallet_address": "0xabc", "session_start_time": "2024-09-06T05:10:53.871Z",
 "token": "t-1", "token_expires_at": "2024-09-07T05:10:53Z",
 "linked_phone": null, "indigg_wallet_address": null}
"""

# reference/esports-current/user-session.md (the /s2s/session reply), abridged tokens.
SESSION_S2S = """
{
    "session_id": "4c6ffb9b-090f-4e09-bd3d-c8dab48c6581",
    "user_id": "38331972",
    "name": "",
    "level": 0,
    "indigg_id": "6002f920-ba07-43c9-be71-22fdae35375b",
    "indigg_wallet_address": "0x99da56df5982ae9155cb9a914cfe3839e41351",
    "wallet_address": "0x84b6f41fb37d0f7293c6cf405fb4b8c7a2c5b9",
    "is_new_user": false,
    "access_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.sig",
    "refresh_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.sig2",
    "linked_phone": "+918000000001",
    "session_start_time": "2024-09-06 05:10:53.871198445 +0000 UTC"
}
"""


def test_session_create_reply() -> None:
    session = readers.read_session(wire(SESSION_CREATE), OP)
    assert session.token == "t-1"
    assert session.session_id == "s-1"
    assert session.gamer_id == "g-1"
    assert session.wallet_address == "0xabc"
    assert session.app_id == "app" and session.account_id == "acc"
    assert session.started_at == datetime(2024, 9, 6, 5, 10, 53, 871000, tzinfo=UTC)
    assert session.expires_at == datetime(2024, 9, 7, 5, 10, 53, tzinfo=UTC)
    assert session.linked_phone is None and session.kgen_wallet_address is None
    assert not session.linked


def test_session_s2s_variant_with_go_timestamp_and_access_token() -> None:
    session = readers.read_session(wire(SESSION_S2S), OP)
    assert session.token.startswith("eyJ")
    assert session.gamer_id == "38331972"
    assert session.started_at == datetime(2024, 9, 6, 5, 10, 53, 871198, tzinfo=UTC)
    assert session.linked_phone == "+918000000001"
    assert session.kgen_wallet_address == "0x99da56df5982ae9155cb9a914cfe3839e41351"
    assert session.linked


def test_loyalty_go_timestamp() -> None:
    # reference/loyalty-current/user-session.md
    session = readers.read_session(
        wire(
            '{"access_token": "exampleToken1", "linked_phone": "", '
            '"session_start_time": "2024-08-20 08:32:13.025599965 +0000 UTC"}'
        ),
        OP,
        gamer_id="FTC_User1",
    )
    assert session.started_at == datetime(2024, 8, 20, 8, 32, 13, 25599, tzinfo=UTC)
    assert session.gamer_id == "FTC_User1"
    assert session.linked_phone is None  # "" means not linked


def test_get_session_reply_with_epoch_ms() -> None:
    # OpenAPI SessionDTO: session_start_time is a number (epoch ms).
    data = wire(
        '{"session_id": "s", "session_start_time": 1725599453871, "token": "t", '
        '"user_id": "g", "score": 1200, "wallet_balance": 50.5, "wallet_address": "0x1", '
        '"joined_tournaments": ["a", "b"], "linked_phone": "+91*****0001", '
        '"indigg_wallet_address": "0xk"}'
    )
    session = readers.read_session(data, OP)
    assert session.started_at == datetime(2024, 9, 6, 5, 10, 53, 871000, tzinfo=UTC)
    assert session.joined_tournaments == ("a", "b")
    assert session.score == 1200
    assert session.wallet_balance == Decimal("50.5")
    assert session.gamer_id == "g"


def test_session_token_never_in_repr() -> None:
    session = readers.read_session(wire('{"token": "tok_SECRET_abc123"}'), OP)
    assert "tok_SECRET_abc123" not in repr(session)
    assert isinstance(session, Session)


def test_session_without_token_is_protocol_error() -> None:
    with pytest.raises(ProtocolError) as caught:
        readers.read_session(wire('{"session_id": "s"}'), "POST /api/v1/session")
    assert "POST /api/v1/session" in str(caught.value)
    assert "'token' or 'access_token' is missing" in str(caught.value)


# -- eventing ------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    ["true", '{"response": true}', '{"message": "leaderboard score update successful"}', "null"],
)
def test_event_ack_variants(body: str) -> None:
    readers.read_event_ack(wire(body), "POST /api/v1/eventing")


@pytest.mark.parametrize("body", ["false", '{"response": false}', '{"other": 1}', "[]", "3"])
def test_event_ack_refusals(body: str) -> None:
    with pytest.raises(ProtocolError, match=r"^POST /api/v1/eventing returned an unexpected"):
        readers.read_event_ack(wire(body), "POST /api/v1/eventing")


# -- tournaments ---------------------------------------------------------------

# reference/esports-current/tournaments.md, "Tournament Details API".
TOURNAMENT_CURRENT = """
{
    "tournament_uid": "14198021-47da-464c-9d9d-cab6e5e32f4a",
    "game_uid": "2079857813",
    "tournament_status": "COMPLETED",
    "title": "Callbreak_Tournament",
    "description": "A thrilling tournament to determine the champion TTT",
    "buy_in_price": 50,
    "tournament_size": 40000,
    "participants_count": 14,
    "schedules_at_timestamp": "2024-08-30T06:42:00Z",
    "starts_at_timestamp": "2024-08-30T06:45:00Z",
    "moves_to_lobby_at_timestamp": "2024-08-30T06:44:00Z",
    "locks_at_timestamp": "2024-08-31T06:38:00Z",
    "ends_at_timestamp": "2024-08-31T06:40:00Z",
    "created_at": "2024-08-30T06:41:49.445310147Z",
    "updated_at": "2024-08-30T06:41:49.445310147Z"
}
"""


def test_tournament_current_docs_example() -> None:
    t = readers.read_tournament(wire(TOURNAMENT_CURRENT), OP)
    assert t.uid == "14198021-47da-464c-9d9d-cab6e5e32f4a"
    assert t.title == "Callbreak_Tournament"
    assert t.status == "COMPLETED"
    assert t.buy_in == Decimal(50)
    assert t.max_players == 40000 and t.participants_count == 14
    assert t.starts_at == datetime(2024, 8, 30, 6, 45, tzinfo=UTC)
    assert t.ends_at == datetime(2024, 8, 31, 6, 40, tzinfo=UTC)
    assert t.created_at == datetime(2024, 8, 30, 6, 41, 49, 445310, tzinfo=UTC)
    assert t.game_uid == "2079857813"
    assert t.prize_pool is None
    assert not t.is_full


def test_tournament_v1_touchpoint_fields_and_epoch_timestamps() -> None:
    # api-v1-touchpoints.md lists these names (no example); timestamps as epoch numbers.
    data = wire(
        '{"ends_at_date": "2024-09-06", "min_registration_start_limit": 2, '
        '"participants_count": "3", "game_uid": 77, "tournament_uid": "t1", '
        '"starts_at_timestamp": 1725523500, "theme": "Space", "created_at": 1725523263731, '
        '"buy_in_price": "12.50", "ends_at_timestamp": "1725609900000", '
        '"entry_type": "TeamBased", "total_players_rewarded": 3, "lock_type": "Duration"}'
    )
    t = readers.read_tournament(data, OP)
    assert t.title == "Space"  # the v1 list has a theme, no title
    assert t.buy_in == Decimal("12.50")
    assert t.participants_count == 3
    assert t.game_uid == "77"
    assert t.starts_at == datetime(2024, 9, 5, 8, 5, tzinfo=UTC)
    assert t.ends_at == datetime(2024, 9, 6, 8, 5, tzinfo=UTC)
    assert t.created_at == datetime(2024, 9, 5, 8, 1, 3, 731000, tzinfo=UTC)
    assert t.entry_type == "TeamBased" and t.total_players_rewarded == 3


def test_tournament_openapi_variant() -> None:
    # OpenAPI TournamentBaseDto: title, booking_type, max_allowed_players.
    data = wire(
        '{"tournament_uid": "u", "title": "T", "booking_type": "FREE", '
        '"max_allowed_players": 2, "participants_count": 2, "buy_in_price": 0, '
        '"schedules_at_timestamp": "", "starts_at_timestamp": "2024-01-01T00:00:00+05:30", '
        '"ends_at_timestamp": null, "created_at": "", "updated_at": "", "prize_pool": 40.25}'
    )
    t = readers.read_tournament(data, OP)
    assert t.entry_type == "FREE"
    assert t.is_full
    assert t.starts_at == datetime(2024, 1, 1, tzinfo=timezone(timedelta(hours=5, minutes=30)))
    assert t.ends_at is None and t.schedules_at is None
    assert t.prize_pool == Decimal("40.25")


def test_active_tournaments_list_current_docs() -> None:
    # reference/esports-current/tournaments.md "Active Tournaments API". The docs wrap
    # the array in "{ ... }", which is not JSON; the array inside is used.
    text = """
[
  {
    "tournament_uid": "0ce87683-541e-4f5c-9599-89337d3907ed",
    "game_uid": "2079857813",
    "tournament_status": "STARTED",
    "title": "Callbreak_Tournament",
    "description": "A thrilling tournament to determine the champion TTT",
    "buy_in_price": 50,
    "tournament_size": 40000,
    "participants_count": 0,
    "schedules_at_timestamp": "2024-09-05T08:02:00Z",
    "starts_at_timestamp": "2024-09-05T08:05:00Z",
    "moves_to_lobby_at_timestamp": "2024-09-05T08:04:00Z",
    "locks_at_timestamp": "2024-09-06T08:03:00Z",
    "ends_at_timestamp": "2024-09-06T08:05:00Z",
    "created_at": "2024-09-05T08:01:03.731196991Z",
    "updated_at": "2024-09-05T08:01:03.731196991Z"
  }
]
"""
    (t,) = readers.read_tournaments(wire(text), OP)
    assert t.status == "STARTED"
    assert t.moves_to_lobby_at == datetime(2024, 9, 5, 8, 4, tzinfo=UTC)


def test_tournament_shape_errors_name_field_and_item() -> None:
    with pytest.raises(ProtocolError) as caught:
        readers.read_tournaments(wire('[{"tournament_uid": "a", "buy_in_price": 1}, {}]'), OP)
    message = str(caught.value)
    assert message.startswith(OP)
    assert "field 'tournament_uid' or 'uid' or 'id' is missing in item 1 of the list" in message
    with pytest.raises(ProtocolError, match="must be a list of tournaments, got an object"):
        readers.read_tournaments(wire('{"tournaments": [], "next": []}'), OP)
    with pytest.raises(ProtocolError, match="'starts_at_timestamp' must be an ISO-8601"):
        readers.read_tournament(
            wire('{"tournament_uid": "a", "buy_in_price": 1, "starts_at_timestamp": "soon"}'), OP
        )
    with pytest.raises(ProtocolError, match="'participants_count' is too large"):
        readers.read_tournament(
            wire('{"tournament_uid": "a", "buy_in_price": 1, "participants_count": 1e999999}'), OP
        )
    with pytest.raises(ProtocolError, match="'buy_in_price' must be a number, got true"):
        readers.read_tournament(wire('{"tournament_uid": "a", "buy_in_price": true}'), OP)


def test_joined_tournament_ids() -> None:
    # api-v1-touchpoints.md and esports-current/tournaments.md examples.
    assert readers.read_joined_tournament_ids(
        wire('[\n    "818796d3-7c33-44dd-a130-d2593a2eca53"\n]'), OP
    ) == ["818796d3-7c33-44dd-a130-d2593a2eca53"]
    ids = readers.read_joined_tournament_ids(
        wire(
            '["818796d3-7c33-44dd-a130-d2593a2eca53", "882c473e-481a-4c68-bad3-936cac966a6b",'
            ' "f1c28ca8-b409-4bd4-a7aa-4dac22589deb"]'
        ),
        OP,
    )
    assert len(ids) == 3
    with pytest.raises(ProtocolError, match="item 0 must be a tournament id, got a number"):
        readers.read_joined_tournament_ids(wire("[1.5]"), OP)


def test_join_message() -> None:
    # esports-current/tournaments.md "Join Tournament API".
    text = '{\n  "message": "user successfully joined the tournament"\n}'
    assert readers.read_message(wire(text), OP) == "user successfully joined the tournament"
    with pytest.raises(ProtocolError):
        readers.read_message(wire("{}"), OP)


# -- leaderboards ----------------------------------------------------------------


def test_leaderboard_v1_object_example() -> None:
    # api-v1-touchpoints.md
    text = """
{
  "leaderboard": [
    {
      "user_id": "user",
      "score": 30
    }
  ],
  "price_pool": 40,
  "winners": []
}
"""
    board = readers.read_leaderboard(wire(text), OP)
    assert [(e.rank, e.user_id, e.score) for e in board.entries] == [(1, "user", 30)]
    assert board.prize_pool == Decimal(40)
    assert board.winners == ()


def test_leaderboard_winners_with_score_current_docs() -> None:
    # esports-current/tournaments.md: winners carry "score" instead of "reward".
    text = """
{
  "leaderboard": [
    {
      "user_id": "user",
      "score": 30
    }
  ],
  "price_pool": 40,
  "winners": [
    {
      "user_id": "user",
      "score": 1
    }
  ]
}
"""
    board = readers.read_leaderboard(wire(text), OP)
    (winner,) = board.winners
    assert winner.user_id == "user" and winner.score == 1 and winner.reward is None


def test_leaderboard_contract_form_with_ranks_and_rewards() -> None:
    text = (
        '{"leaderboard": [{"user_id": "a", "score": 5000, "rank": 1}, '
        '{"user_id": "b", "score": "99.5", "rank": 2}], "price_pool": "100.10", '
        '"winners": [{"user_id": "a", "score": 5000, "reward": 70.07, "rank": 1}]}'
    )
    board = readers.read_leaderboard(wire(text), OP)
    assert board.entries[1].score == Decimal("99.5")
    assert board.winners[0].reward == Decimal("70.07")
    assert board.winners[0].rank == 1
    assert board.prize_pool == Decimal("100.10")
    assert board.entry_for("b") is board.entries[1]
    assert board.entry_for("zzz") is None


def test_leaderboard_bare_array_openapi_form() -> None:
    board = readers.read_leaderboard(
        wire('[{"user_id": "x", "score": 3}, {"user_id": "y", "score": 2}]'), OP
    )
    assert [(e.rank, e.user_id) for e in board.entries] == [(1, "x"), (2, "y")]
    assert board.prize_pool is None and board.winners == ()


def test_leaderboard_bad_shapes() -> None:
    with pytest.raises(ProtocolError, match="'leaderboard' is missing"):
        readers.read_leaderboard(wire('{"price_pool": 1}'), OP)
    with pytest.raises(ProtocolError, match="'score' is missing in item 0"):
        readers.read_leaderboard(wire('[{"user_id": "x"}]'), OP)
    with pytest.raises(ProtocolError, match="must be an object, got text"):
        readers.read_leaderboard(wire('["x"]'), OP)


# -- wallet ------------------------------------------------------------------------


def test_wallet_balance_v1_example() -> None:
    # api-v1-touchpoints.md (no minWalletBalToWithdraw: it reads as 0).
    text = """
{
    "wallet_address": "[WALLET_ADDRESS]",
    "earned_balance": 0,
    "bought_balance": 0,
    "bonus_balance": 0,
    "wallet_transaction_error": false,
    "created_at": "2024-01-29T17:53:26.934052",
    "modified_at": "2024-01-29T17:53:26.934052",
    "lazy_balance_delta": 0,
    "is_lazy_balance_updated": true,
    "lazy_balance": 0,
    "on_chain_balance": 0
}
"""
    balance = readers.read_wallet_balance(wire(text), OP)
    assert balance.wallet_address == "[WALLET_ADDRESS]"
    assert balance.min_to_withdraw == Decimal(0)
    assert balance.created_at == datetime(2024, 1, 29, 17, 53, 26, 934052, tzinfo=UTC)
    assert balance.is_lazy_balance_updated is True and balance.transaction_error is False
    assert not balance.can_withdraw


def test_wallet_balance_current_examples() -> None:
    # esports-current/wallet.md: empty timestamps, bonus 50.
    current = """
{
    "wallet_address": "0x84b6f41fb37d0f7293c6cf405fcfb4b8c7a2c5b9",
    "earned_balance": 0,
    "bought_balance": 0,
    "bonus_balance": 50,
    "lazy_balance": 50,
    "on_chain_balance": 0,
    "wallet_transaction_error": false,
    "lazy_balance_delta": 50,
    "is_lazy_balance_updated": false,
    "created_at": "",
    "modified_at": "",
    "minWalletBalToWithdraw": 0
}
"""
    balance = readers.read_wallet_balance(wire(current), OP)
    assert balance.bonus == Decimal(50) and balance.lazy_delta == Decimal(50)
    assert balance.created_at is None
    # loyalty-current/wallet.md
    loyalty = """
  {
    "wallet_address": "0x4ecc13efc2de662961355266463c611612f4be07",
    "earned_balance": 40,
    "bought_balance": 0,
    "bonus_balance": 0,
    "lazy_balance": 40,
    "on_chain_balance": 40,
    "wallet_transaction_error": false,
    "lazy_balance_delta": 0,
    "is_lazy_balance_updated": true,
    "created_at": "2024-02-08T12:30:56.599657",
    "modified_at": "2024-02-08T17:58:43.732507",
    "minWalletBalToWithdraw": 300
  }
"""
    balance = readers.read_wallet_balance(wire(loyalty), OP)
    assert balance.earned == Decimal(40) and balance.min_to_withdraw == Decimal(300)
    assert not balance.can_withdraw


def test_wallet_balance_money_as_strings_and_decimals_stays_exact() -> None:
    balance = readers.read_wallet_balance(
        wire(
            '{"wallet_address": "w", "earned_balance": "20.10", "bonus_balance": 0.1, '
            '"minWalletBalToWithdraw": "20"}'
        ),
        OP,
    )
    assert balance.earned == Decimal("20.10") and str(balance.earned) == "20.10"
    assert balance.bonus == Decimal("0.1")
    assert balance.can_withdraw


def test_wallet_balance_bad_money() -> None:
    with pytest.raises(ProtocolError, match="'earned_balance' must be a number, got text"):
        readers.read_wallet_balance(wire('{"wallet_address": "w", "earned_balance": "lots"}'), OP)
    with pytest.raises(ProtocolError, match="'earned_balance' is missing"):
        readers.read_wallet_balance(wire('{"wallet_address": "w"}'), OP)


# api-v1-touchpoints.md; the docs' "..." lines are removed (they are not JSON).
TRANSACTIONS_V1 = """
{
  "fromTransactions": [
    {
      "uid": "b6c88b12-373e-4cc7-8fd4-2e083273e35e",
      "from_wallet": "0x7d*****f0a2",
      "to_wallet": "0x3c*****f040",
      "amount": 50,
      "sync_status": "COMPLETED",
      "sync_error": null,
      "created_at": "2024-01-20T08:06:36.568965"
    }
  ],
  "toTransactions": [
    {
      "uid": "d7f88b13-374e-4cc7-8fd4-2e083273e36f",
      "from_wallet": "0x4d*****f1a3",
      "to_wallet": "0x3c*****f040",
      "amount": 75,
      "sync_status": "PENDING",
      "sync_error": "Network Delay",
      "created_at": "2024-01-22T09:15:20.568965"
    }
  ]
}
"""


def test_transactions_v1_example() -> None:
    history = readers.read_transactions(wire(TRANSACTIONS_V1), OP)
    (out,) = history.outgoing
    (inc,) = history.incoming
    assert out.direction == "out" and out.amount == Decimal(50) and out.status == "COMPLETED"
    assert out.error is None and out.from_wallet == "0x7d*****f0a2"
    assert inc.direction == "in" and inc.error == "Network Delay" and inc.status == "PENDING"
    assert [t.uid for t in history.all] == [inc.uid, out.uid]  # newest first


def test_transactions_current_example_with_description_objects() -> None:
    # esports-current/wallet.md, with its missing commas after "type": "JOIN" added and
    # "..." removed. It repeats "toTransactions" (C10): both copies are read (the union).
    text = """
{
  "fromTransactions": [
    {
      "uid": "b6c88b12-373e-4cc7-8fd4-2e083273e35e",
      "from_wallet": "0x7d*****f0a2",
      "to_wallet": "0x3c*****f040",
      "amount": 50,
      "sync_status": "COMPLETED",
      "description": {
        "platformProtocolsTxnAmount": 50,
        "platformProtocolsTxnDescription": "Tournament fee deduct",
        "platformProtocolsTxnName": "Tournament fee deduct",
        "type": "JOIN",
        "platformProtocolsTxnType": "DEBIT"
      },
      "created_at": "2024-01-20T08:06:36.568965"
    }
  ],
  "toTransactions": [
    {
      "uid": "d7f88b13-374e-4cc7-8fd4-2e083273e36f",
      "from_wallet": "0x4d*****f1a3",
      "to_wallet": "0x3c*****f040",
      "amount": 75,
      "sync_status": "PENDING",
      "description": {
        "platformProtocolsTxnAmount": 75,
        "platformProtocolsTxnDescription": "Tournament fee deduct",
        "platformProtocolsTxnName": "Tournament fee deduct",
        "type": "JOIN",
        "platformProtocolsTxnType": "DEBIT"
      },
      "created_at": "2024-01-22T09:15:20.568965"
    }
  ],
  "toTransactions": [
    {
      "uid": "5abeabc6-f6bb-448d-bd40-89c11d8dc2e0",
      "from_wallet": "0xb6*****75d6",
      "to_wallet": "0xce*****55ff",
      "amount": 50,
      "sync_status": "PENDING",
      "description": {
        "platformProtocolsTxnAmount": 50,
        "platformProtocolsTxnDescription": "Tournament fee deduct",
        "platformProtocolsTxnName": "Tournament fee deduct",
        "type": "JOIN",
        "platformProtocolsTxnType": "DEBIT"
      },
      "created_at": "2024-08-19T21:57:48.694297+05:30"
    }
  ],
  "last_evaluated_key": ""
}
"""
    history = readers.read_transactions(wire(text), OP)
    (out,) = history.outgoing
    assert out.kind == "JOIN" and out.entry_type == "DEBIT"
    assert out.description == "Tournament fee deduct" and out.name == "Tournament fee deduct"
    first, second = history.incoming
    assert first.uid == "d7f88b13-374e-4cc7-8fd4-2e083273e36f" and first.amount == 75
    assert second.uid == "5abeabc6-f6bb-448d-bd40-89c11d8dc2e0"
    assert second.created_at == datetime(2024, 8, 19, 16, 27, 48, 694297, tzinfo=UTC)


def test_transactions_combined_list_is_split_by_credit_and_debit() -> None:
    # loyalty-current/wallet.md describes a third array, "transactions".
    text = (
        '{"transactions": ['
        '{"uid": "a", "amount": "5", "description": {"platformProtocolsTxnType": "DEBIT",'
        ' "type": "WITHDRAW"}, "created_at": 1700000000},'
        '{"uid": "b", "amount": 7, "description": {"platformProtocolsTxnType": "CREDIT",'
        ' "type": "REWARD"}, "created_at": null, "some_future_field": [1, 2]}'
        '], "last_evaluated_key": ""}'
    )
    history = readers.read_transactions(wire(text), OP)
    assert [t.uid for t in history.outgoing] == ["a"]
    assert [t.uid for t in history.incoming] == ["b"]
    assert [t.uid for t in history.all] == ["a", "b"]  # undated last
    assert history.incoming[0].status == "UNKNOWN"


def test_transactions_bad_shapes() -> None:
    with pytest.raises(ProtocolError, match="expected 'fromTransactions'"):
        readers.read_transactions(wire('{"items": []}'), OP)
    with pytest.raises(ProtocolError, match="'fromTransactions' must be a list, got an object"):
        readers.read_transactions(wire('{"fromTransactions": {}}'), OP)
    with pytest.raises(ProtocolError, match="'amount' is missing in item 0 of 'toTransactions'"):
        readers.read_transactions(wire('{"toTransactions": [{"uid": "x"}]}'), OP)


def test_withdraw_v1_example_and_later_msg_form() -> None:
    # api-v1-touchpoints.md
    text = """
{
  "userKGeNWalletAddr": "user_KGeN_wallet_address",
  "earnedBalance": 100,
  "status": "SUCCESS",
  "message": "Withdrawn Successfully"
}
"""
    result = readers.read_withdraw_result(wire(text), OP)
    assert result.destination_wallet == "user_KGeN_wallet_address"
    assert result.amount == Decimal(100)
    assert result.status == "SUCCESS" and result.message == "Withdrawn Successfully"
    # esports-current/wallet.md
    later = readers.read_withdraw_result(wire('{\n  "msg": "wallet withdrawl successful"\n}'), OP)
    assert later.message == "wallet withdrawl successful"
    assert later.amount is None and later.destination_wallet is None
    assert later.status == "SUCCESS"
    with pytest.raises(ProtocolError):
        readers.read_withdraw_result(wire("{}"), OP)


# -- OTP -----------------------------------------------------------------------------


def test_otp_request_examples_string_and_number_auth_code() -> None:
    # api-v1-touchpoints.md: authCode as a string.
    challenge = readers.read_otp_challenge(
        wire('{\n  "authCode": "5255",\n  "isNewUser": false\n}'), OP
    )
    assert challenge.auth_code == "5255" and challenge.is_new_user is False
    assert challenge.expires_in is None and challenge.resend_after is None
    # loyalty-current/otp.md shows a number elsewhere; readers turn it into text.
    challenge = readers.read_otp_challenge(wire('{"authCode": 2735, "isNewUser": true}'), OP)
    assert challenge.auth_code == "2735" and challenge.is_new_user is True
    # contract extensions
    challenge = readers.read_otp_challenge(
        wire(
            '{"authCode": "1", "isNewUser": true, "expires_in": 300, "resend_after": 30,'
            ' "attempts_left": 3}'
        ),
        OP,
    )
    assert (challenge.expires_in, challenge.resend_after, challenge.attempts_left) == (300, 30, 3)
    assert "auth_code" not in repr(challenge)


def test_otp_request_missing_auth_code() -> None:
    with pytest.raises(ProtocolError, match="'authCode' or 'auth_code' is missing"):
        readers.read_otp_challenge(wire('{"isNewUser": false}'), OP)
    with pytest.raises(ProtocolError, match="'authCode' must be text, got an object"):
        readers.read_otp_challenge(wire('{"authCode": {}}'), OP)


def test_otp_verify_examples() -> None:
    text = '{\n  "message": "Phone number verified successfully"\n}'
    result = readers.read_otp_verification(wire(text), OP)
    assert result.message == "Phone number verified successfully"
    result = readers.read_otp_verification(
        wire('{"message": "ok", "linked_phone": "+91******3219", "indigg_wallet_address": "0xk"}'),
        OP,
    )
    assert result.linked_phone == "+91******3219" and result.kgen_wallet_address == "0xk"


# -- rewards ---------------------------------------------------------------------------


def test_rewards_current_example() -> None:
    # esports-current/rewards.md, with its trailing comma after "updated_at" removed.
    text = """
{
  "total_claimable_rewards": 1,
  "claimable_rewards_info": [
    {

      "user_id":"test1",
      "tournament_id":"testTournament5",
      "claim_status":"UNCLAIMED",
      "reward":50,
      "wallet_address":"0x84b6f41fb37d0f7293c6cf405fcfb4b8c7a2c5b9",
      "created_at":"2024-08-19T21:57:48.694297+05:30",
      "updated_at":"2024-08-19T21:57:48.694297+05:30"
    }
  ]
}
"""
    rewards = readers.read_rewards(wire(text), OP)
    assert rewards.total_claimable == Decimal(1)
    (reward,) = rewards.rewards
    assert reward.uid is None  # this example has no uid
    assert reward.amount == Decimal(50) and reward.status == "UNCLAIMED"
    assert reward.tournament_id == "testTournament5" and reward.user_id == "test1"
    assert reward.created_at is not None and reward.created_at.utcoffset() == timedelta(
        hours=5, minutes=30
    )


def test_rewards_v1_example_and_contract_form() -> None:
    # api-v1-touchpoints.md: "claimable_rewards_info": [ { // ... }, // ... ] is not JSON;
    # with the comments gone the list is empty.
    rewards = readers.read_rewards(
        wire('{\n  "total_claimable_rewards": 100,\n  "claimable_rewards_info": []\n}'), OP
    )
    assert rewards.total_claimable == Decimal(100) and rewards.rewards == ()
    contract = (
        '{"total_claimable_rewards": "30.5", "claimable_rewards_info": ['
        '{"uid": "r1", "user_id": "g", "tournament_id": "t", "title": "1st place",'
        ' "claim_status": "UNCLAIMED", "reward": "20.5", "wallet_address": "0x1",'
        ' "source": "TOURNAMENT", "created_at": "2024-01-01T00:00:00Z", "updated_at": null},'
        '{"uid": "r2", "reward": 10, "source": "MILESTONE", "mystery": {"nested": true}}]}'
    )
    rewards = readers.read_rewards(wire(contract), OP)
    assert [r.uid for r in rewards.rewards] == ["r1", "r2"]
    assert rewards.rewards[0].title == "1st place" and rewards.rewards[0].source == "TOURNAMENT"
    assert rewards.total_claimable == Decimal("30.5")


def test_rewards_total_is_summed_when_missing_and_loyalty_form() -> None:
    # loyalty-current/rewards-earned.md lists "rewards" with rewardID / rewardAmount.
    text = """
{
  "rewards": [
    {
      "userID": "FTC_User1",
      "rewardID": "e4e6aa47-9cbc-5b69-4881d54767aa",
      "eventID": "580b7055-a77a-4e65-631833698934",
      "rewardStatus": "REWARDED",
      "createdAt": "2024-08-20T08:49:34.353794371Z",
      "updatedAt": "2024-08-20T08:49:34.353794371Z",
      "rewardAmount": 100
    }
  ],
  "offset": ""
}
"""
    rewards = readers.read_rewards(wire(text), OP)
    assert rewards.total_claimable == Decimal(100)
    (reward,) = rewards.rewards
    assert reward.uid == "e4e6aa47-9cbc-5b69-4881d54767aa" and reward.status == "REWARDED"
    assert reward.created_at == datetime(2024, 8, 20, 8, 49, 34, 353794, tzinfo=UTC)


def test_rewards_bad_shapes() -> None:
    with pytest.raises(ProtocolError, match="expected 'total_claimable_rewards'"):
        readers.read_rewards(wire("{}"), OP)
    with pytest.raises(ProtocolError, match="'reward' or 'rewardAmount' or 'amount' is missing"):
        readers.read_rewards(wire('{"claimable_rewards_info": [{"uid": "x"}]}'), OP)


def test_claim_result_examples() -> None:
    text = '{\n  "message": "Rewards claimed successfully"\n}'
    result = readers.read_claim_result(wire(text), OP)
    assert result.message == "Rewards claimed successfully"
    assert result.claimed_count is None and result.amount is None
    result = readers.read_claim_result(
        wire('{"message": "Rewards claimed successfully", "claimed": 2, "amount": 70.5}'), OP
    )
    assert result.claimed_count == 2 and result.amount == Decimal("70.5")


# -- statistics ----------------------------------------------------------------------


def test_historic_statistics_examples() -> None:
    # api-v1-touchpoints.md (the "// Additional ..." comment removed) and
    # esports-current/miscellaneous.md (second item: empty occurredAtText).
    text = """
[
  {
    "type": "Tournament",
    "typeValue": 5,
    "result": "Won",
    "occurredAtText": "2021-06-01T12:00:00Z",
    "mode": "Quick",
    "buyInStake": 100,
    "amountWon": 500
  },
  {
    "amountWon": 0,
    "buyInStake": 10,
    "mode": "Quick",
    "occurredAtText": "",
    "result": "You Lost",
    "type": "Tournament",
    "typeValue": 0
  }
]
"""
    won, lost = readers.read_historic_stats(wire(text), OP)
    assert won.won and won.type_value == 5 and won.amount_won == Decimal(500)
    assert won.occurred_at == datetime(2021, 6, 1, 12, tzinfo=UTC)
    assert not lost.won and lost.result == "You Lost" and lost.occurred_at is None
    assert lost.buy_in_stake == Decimal(10)


def test_historic_statistics_free_text_date_and_errors() -> None:
    (stat,) = readers.read_historic_stats(
        wire(
            '[{"type": "Tournament", "typeValue": "Weekend Cup", "result": "Won",'
            ' "occurredAtText": "2 days ago", "mode": "Quick", "buyInStake": "5",'
            ' "amountWon": "12.5"}]'
        ),
        OP,
    )
    assert stat.occurred_at is None and stat.occurred_at_text == "2 days ago"
    assert stat.type_value == "Weekend Cup"
    with pytest.raises(ProtocolError, match="'amountWon' is missing"):
        readers.read_historic_stats(wire('[{"result": "Won", "buyInStake": 1}]'), OP)
    with pytest.raises(ProtocolError, match="must be a list of statistics"):
        readers.read_historic_stats(wire('{"items": [], "offset": ""}'), OP)


# -- error bodies ----------------------------------------------------------------------


def test_error_body_shapes() -> None:
    ours = readers.read_error_body(
        wire(
            '{"statusCode": 400, "error": "OTP_INVALID", "message": "Invalid OTP",'
            ' "attempts_left": 2}'
        )
    )
    assert (ours.code, ours.message, ours.details["attempts_left"]) == (
        "OTP_INVALID",
        "Invalid OTP",
        2,
    )
    nest = readers.read_error_body(
        wire(
            '{"statusCode": 400, "message": ["gamer_id must be a string", "x too long"],'
            ' "error": "Bad Request"}'
        )
    )
    assert nest.code is None
    assert nest.message == "gamer_id must be a string; x too long"
    msg = readers.read_error_body(wire('{"msg": "event dropped successfully"}'))
    assert msg.message == "event dropped successfully" and msg.code is None
    only_code = readers.read_error_body(wire('{"error": "UN_AUTHORIZED"}'))
    assert only_code.code == "UN_AUTHORIZED" and only_code.message is None
    prose = readers.read_error_body(wire('{"error": "Unauthorized"}'))
    assert prose.code is None and prose.message == "Unauthorized"
    retry = readers.read_error_body(wire('{"error": "OTP_RESEND_TOO_SOON", "retry_after": "30"}'))
    assert retry.retry_after == 30.0
    for odd in ("[1, 2]", "null", "42"):
        assert readers.read_error_body(wire(odd)).code is None


# -- timestamps ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-08-20 08:32:13.025599965 +0000 UTC", datetime(2024, 8, 20, 8, 32, 13, 25599, UTC)),
        ("2024-08-20 10:32:13 +0200 CEST", datetime(2024, 8, 20, 8, 32, 13, tzinfo=UTC)),
        (
            "2024-08-20 08:32:13.5 +0000 UTC m=+0.000000001",
            datetime(2024, 8, 20, 8, 32, 13, 500000, UTC),
        ),
        ("2024-08-20T08:32:13Z", datetime(2024, 8, 20, 8, 32, 13, tzinfo=UTC)),
        ("2024-08-20T08:32:13", datetime(2024, 8, 20, 8, 32, 13, tzinfo=UTC)),
        ("2024-08-20", datetime(2024, 8, 20, tzinfo=UTC)),
        (1724142733, datetime(2024, 8, 20, 8, 32, 13, tzinfo=UTC)),
        (1724142733025, datetime(2024, 8, 20, 8, 32, 13, 25000, UTC)),
        ("1724142733025", datetime(2024, 8, 20, 8, 32, 13, 25000, UTC)),
        (Decimal("1724142733.5"), datetime(2024, 8, 20, 8, 32, 13, 500000, UTC)),
        (1724142733025123, datetime(2024, 8, 20, 8, 32, 13, 25123, UTC)),
        ("", None),
        (None, None),
    ],
)
def test_timestamp_forms(raw: object, expected: datetime | None) -> None:
    data = {"tournament_uid": "t", "buy_in_price": 1, "starts_at_timestamp": raw}
    assert readers.read_tournament(data, OP).starts_at == expected


@pytest.mark.parametrize(
    "raw", ["tomorrow", True, [], {}, "2024-13-45T00:00:00Z", 10**20, Decimal("1e999999")]
)
def test_timestamp_refusals(raw: object) -> None:
    data = {"tournament_uid": "t", "buy_in_price": 1, "starts_at_timestamp": raw}
    with pytest.raises(ProtocolError, match="'starts_at_timestamp'"):
        readers.read_tournament(data, OP)


def test_messages_never_quote_values() -> None:
    secretish = "tok_SECRET_abc123"
    with pytest.raises(ProtocolError) as caught:
        readers.read_tournament({"tournament_uid": "t", "buy_in_price": secretish}, OP)
    assert secretish not in str(caught.value) and secretish not in repr(caught.value)
