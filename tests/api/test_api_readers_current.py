"""Readers over every documented variant of the current generation (C7..C14), and the
bounds past which a reply cannot be true (issue 11).

The JSON is the docs' own example text (file named in the comment); where the docs
print something that is not JSON (``{ [ ... ] }``, trailing commas, ``...``), the
smallest repair is made and said so.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from kgen_pygame.api import jsoncodec, readers
from kgen_pygame.api.fields import MAX_LIST_ITEMS
from kgen_pygame.errors import ProtocolError

OP = "GET /fe/test"


def wire(text: str) -> object:
    return jsoncodec.loads(text)


# -- sessions -----------------------------------------------------------------------------


def test_loyalty_session_example() -> None:
    # reference/loyalty-current/user-session.md (= seed 001), token shortened.
    data = wire(
        '{"session_id": "3ab35108-1902-4a1f-4382998f305d", "user_id": "FTC_User1",'
        ' "wallet_address": "0x4C5874998bE398BD7EA29bBb21FFf7506aDf639D", "is_new_user": true,'
        ' "access_token": "exampleToken1", "refresh_token": "exampleToken2",'
        ' "linked_phone": "", "session_start_time": "2024-08-20 08:32:13.025599965 +0000 UTC"}'
    )
    session = readers.read_s2s_session(data, "POST /s2s/session", user_id="FTC_User1")
    assert session.token == "exampleToken1" and session.refresh_token == "exampleToken2"
    assert session.linked_phone is None and session.is_new_user is True
    assert session.started_at == datetime(2024, 8, 20, 8, 32, 13, 25599, tzinfo=UTC)
    assert session.expires_at is None
    assert "exampleToken" not in repr(session)


def test_s2s_session_needs_the_access_token() -> None:
    with pytest.raises(ProtocolError, match="field 'access_token' is missing"):
        readers.read_s2s_session(wire('{"token": "v1-style"}'), "POST /s2s/session", user_id="u")


# -- tournaments and lists ------------------------------------------------------------------

ACTIVE_ITEM = """{
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
}"""


@pytest.mark.parametrize(
    "text",
    [
        f"[{ACTIVE_ITEM}]",  # "a JSON array", as the prose says
        # esports-current/tournaments.md prints { [ ... ] } (not JSON): its nearest JSON form
        f'{{"tournaments": [{ACTIVE_ITEM}]}}',
    ],
)
def test_active_tournaments_bare_or_wrapped(text: str) -> None:
    (found,) = readers.read_tournaments(wire(text), OP)
    assert found.uid == "0ce87683-541e-4f5c-9599-89337d3907ed"
    assert found.max_players == 40000 and found.buy_in == 50 and found.status == "STARTED"
    assert found.created_at == datetime(2024, 9, 5, 8, 1, 3, 731196, tzinfo=UTC)


def test_a_wrapper_must_hold_exactly_one_list() -> None:
    with pytest.raises(ProtocolError, match="must be a list of tournaments, got an object"):
        readers.read_tournaments(wire('{"a": [], "b": []}'), OP)
    with pytest.raises(ProtocolError, match="must be a list of tournament ids"):
        readers.read_joined_tournament_ids(wire('{"a": "x"}'), OP)


@pytest.mark.parametrize(
    ("winner", "reward", "score"),
    [('{"user_id": "user", "score": 1}', None, 1), ('{"user_id": "user", "reward": 25}', 25, None)],
)
def test_leaderboard_winner_shapes(winner: str, reward: int | None, score: int | None) -> None:
    # esports-current/tournaments.md: the example and the prose disagree (C9).
    board = readers.read_leaderboard(
        wire(f'{{"leaderboard": [{{"user_id": "user", "score": 30}}], "price_pool": 40,'
             f' "winners": [{winner}]}}'),
        OP,
    )
    assert board.prize_pool == 40 and board.entries[0].rank == 1
    (won,) = board.winners
    assert won.reward == (None if reward is None else Decimal(reward)) and won.score == score


# -- timestamps: the five forms of C13 ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-08-20T07:52:35.660045104Z", datetime(2024, 8, 20, 7, 52, 35, 660045, tzinfo=UTC)),
        (
            "2024-08-19T21:57:48.694297+05:30",
            datetime(2024, 8, 19, 21, 57, 48, 694297, tzinfo=timezone(timedelta(hours=5.5))),
        ),
        ("2024-02-08T12:30:56.599657", datetime(2024, 2, 8, 12, 30, 56, 599657, tzinfo=UTC)),
        (
            "2024-09-06 05:10:53.871198445 +0000 UTC",
            datetime(2024, 9, 6, 5, 10, 53, 871198, tzinfo=UTC),
        ),
        ("", None),
    ],
)
def test_five_timestamp_forms(text: str, expected: datetime | None) -> None:
    balance = readers.read_wallet_balance(
        wire(f'{{"wallet_address": "0x1", "earned_balance": 0, "created_at": "{text}"}}'), OP
    )
    assert balance.created_at == expected


# -- wallet -----------------------------------------------------------------------------------


def test_transactions_union_keeps_each_uid_once() -> None:
    text = (
        '{"toTransactions": [{"uid": "a", "amount": 1}, {"uid": "b", "amount": 2}],'
        ' "toTransactions": [{"uid": "b", "amount": 2}, {"uid": "c", "amount": 3}],'
        ' "fromTransactions": [{"uid": "d", "amount": 4}],'
        ' "transactions": [{"uid": "a", "amount": 1}, {"uid": "e", "amount": 5,'
        ' "description": {"platformProtocolsTxnType": "DEBIT"}}],'
        ' "last_evaluated_key": ""}'
    )
    history = readers.read_transactions(wire(text), OP)
    assert [t.uid for t in history.incoming] == ["a", "b", "c"]
    assert [t.uid for t in history.outgoing] == ["d", "e"]


@pytest.mark.parametrize(
    "text", ['{"msg": "wallet withdrawl successful"}', '{"msg": "wallet withdrawal successful"}']
)
def test_withdraw_msg_variants(text: str) -> None:
    result = readers.read_withdraw_result(wire(text), OP)
    assert result.message.startswith("wallet withdraw") and result.amount is None


def test_negative_delta_is_fine_but_a_negative_balance_is_not() -> None:
    balance = readers.read_wallet_balance(
        wire('{"wallet_address": "0x1", "earned_balance": 5, "lazy_balance_delta": -3}'), OP
    )
    assert balance.lazy_delta == -3
    with pytest.raises(ProtocolError) as caught:
        readers.read_wallet_balance(wire('{"wallet_address": "0x1", "earned_balance": -5}'), OP)
    assert str(caught.value) == (
        "GET /fe/test returned an unexpected response: field 'earned_balance' must not be "
        "negative, got a number in the response"
    )


# -- esports rewards --------------------------------------------------------------------------

# esports-current/rewards.md, with its trailing comma removed.
CLAIMABLE = """{
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
}"""


def test_current_claimable_total_is_the_sum_of_the_list() -> None:
    rewards = readers.read_rewards(wire(CLAIMABLE), OP, total_from_items=True)
    assert rewards.total_claimable == 50  # not the ambiguous "1" (C16)
    (reward,) = rewards.rewards
    assert reward.uid is None and reward.tournament_id == "testTournament5"
    assert reward.amount == 50 and reward.status == "UNCLAIMED"
    assert readers.read_rewards(wire(CLAIMABLE), OP).total_claimable == 1  # v1's reading


# -- OTP ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ['{"authCode": "5255", "isNewUser": false}',
                                  '{"authCode": 5255, "isNewUser": false}'])
def test_auth_code_text_or_number(text: str) -> None:
    assert readers.read_otp_challenge(wire(text), OP).auth_code == "5255"


@pytest.mark.parametrize(
    "text",
    [
        '{"message": "Phone number verified successfully"}',
        '{"message": "Users linked successfully"}',
        '{"msg": "Users linked successfully"}',
    ],
)
def test_verify_message_variants(text: str) -> None:
    assert readers.read_otp_verification(wire(text), OP).message.endswith("successfully")


# -- the player's account -------------------------------------------------------------------------


def test_linked_number_pascal_case_and_masked() -> None:
    # esports-current/miscellaneous.md (tabs and all)
    text = """{
    "UserID": "1234",
\t\t"NameSpacedThirdPartyUserID": "",
\t\t"WalletAddress": "",
\t\t"IndiggWalletAddress": "",
\t\t"LinkedPhone": "1234567890",
\t\t"KGenID": ""
  }"""
    account = readers.read_linked_account(wire(text), OP)
    assert account is not None
    assert account.phone == "******7890" and account.user_id == "1234"
    assert account.kgen_wallet_address is None and account.kgen_id is None
    assert "1234567890" not in repr(account)
    full = readers.read_linked_account(
        wire('{"LinkedPhone": "+918000000001", "IndiggWalletAddress": "0xk", "KGenID": "k-1"}'),
        OP,
    )
    assert full is not None and full.phone == "+********0001" and full.kgen_id == "k-1"


def test_empty_linked_phone_means_not_linked() -> None:
    assert readers.read_linked_account(wire('{"UserID": "1234", "LinkedPhone": ""}'), OP) is None


@pytest.mark.parametrize(
    "url",
    ["https://indigg-uat.reciproci.com/store", "http://127.0.0.1:8123/_sandbox/store"],
)
def test_store_redirect_accepted(url: str) -> None:
    assert readers.read_store_redirect({"url": url}, OP) == url


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "file:///etc/passwd", "http://store.example.com/x", "https://",
     "https://a b.example/", "store"],
)
def test_store_redirect_refuses_what_a_browser_must_not_open(url: str) -> None:
    with pytest.raises(ProtocolError, match="must be an https:// URL"):
        readers.read_store_redirect({"url": url}, OP)


# -- loyalty ---------------------------------------------------------------------------------------


def test_earned_rewards_example() -> None:
    # loyalty-current/rewards-earned.md
    text = """{
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
}"""
    (reward,) = readers.read_earned_rewards(wire(text), OP)
    assert reward.event_id == "580b7055-a77a-4e65-631833698934" and reward.amount == 100
    assert reward.created_at == datetime(2024, 8, 20, 8, 49, 34, 353794, tzinfo=UTC)
    assert readers.read_earned_rewards(wire('{"rewards": [], "offset": ""}'), OP) == []
    with pytest.raises(ProtocolError, match="field 'rewards' is missing"):
        readers.read_earned_rewards(wire('{"offset": ""}'), OP)


def test_loyalty_reward_snake_case_drift() -> None:
    reward = readers.read_loyalty_reward(
        wire('{"user_id": "u", "reward_id": "r", "event_id": "e", "reward_amount": "12.50",'
             ' "created_at": "2024-08-20T08:49:34Z"}'),
        OP,
    )
    assert (reward.reward_id, reward.event_id, reward.amount) == ("r", "e", Decimal("12.50"))


def test_rewardable_events_list_example() -> None:
    # loyalty-current/rewardable-events.md, trailing comma after the last item removed.
    text = """{
    "rewardableEvents": [
        {
            "eventID": "d6089e8f-2844-83a3-7bb2095f58e4",
            "eventType": "Adding Event",
            "eventName": "PlatformProtocols",
            "eventDescription": "PlatformProtocols",
            "rewardAmount": 50,
            "rewardCategory": "EARNED",
            "entityType": "GAME",
            "entityID": "b6410c9d4-4da6-bf3d-9b5fb6dd3fdf",
            "isActive": true,
            "isActivityTraceEnabled": false,
            "activityTraceActivityID": "",
            "createdAt": "2024-08-20T07:52:35.660045104Z",
            "updatedAt": "2024-08-20T08:05:33.495815964Z"
        }
    ],
    "offset": ""
}"""
    (event,) = readers.read_rewardable_events(wire(text), OP)
    assert event.event_id == "d6089e8f-2844-83a3-7bb2095f58e4" and event.reward_amount == 50
    assert event.is_active and not event.activity_trace_enabled
    assert event.entity_id == "b6410c9d4-4da6-bf3d-9b5fb6dd3fdf"
    assert event.updated_at == datetime(2024, 8, 20, 8, 5, 33, 495815, tzinfo=UTC)
    with pytest.raises(ProtocolError, match="field 'isActive' is missing"):
        readers.read_rewardable_event(wire('{"eventID": "e", "eventType": "t",'
                                           ' "rewardAmount": 1}'), OP)


# -- errors ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "code", "message"),
    [
        ("UN_AUTHORIZED", "UN_AUTHORIZED", None),
        ("TOURNAMENT_IS_FULL", "TOURNAMENT_IS_FULL", None),
        ("Something went wrong", None, "Something went wrong"),
        ({"statusCode": 409, "error": "TOURNAMENT_IS_FULL", "message": "full"},
         "TOURNAMENT_IS_FULL", "full"),
        ({"msg": "bad"}, None, "bad"),
        (None, None, None),
        ([1, 2], None, None),
    ],
)
def test_error_bodies(data: object, code: str | None, message: str | None) -> None:
    body = readers.read_error_body(data)
    assert (body.code, body.message) == (code, message)


# -- what cannot be true ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reader", "text", "problem"),
    [
        (readers.read_wallet_balance,
         '{"wallet_address": "0x1", "earned_balance": 1000000000001}',
         "field 'earned_balance' is beyond 1,000,000,000,000 in magnitude, which cannot be true"),
        (readers.read_wallet_balance,
         '{"wallet_address": "0x1", "earned_balance": 1e26}', "'earned_balance' is beyond"),
        (readers.read_wallet_balance,
         '{"wallet_address": "0x1", "earned_balance": 1, "lazy_balance_delta": -1e13}',
         "'lazy_balance_delta' is beyond"),
        (readers.read_tournament,
         '{"tournament_uid": "t", "buy_in_price": 1, "participants_count": -1}',
         "'participants_count' must not be negative"),
        (readers.read_leaderboard,
         '{"leaderboard": [{"user_id": "u", "score": 1, "rank": 0}]}', "'rank' must be 1 or more"),
        (readers.read_leaderboard,
         '{"leaderboard": [{"user_id": "u", "score": 1e16}]}', "'score' is beyond"),
        (readers.read_rewards,
         '{"claimable_rewards_info": [{"reward": -50}]}', "'reward' must not be negative"),
        (readers.read_otp_challenge,
         '{"authCode": "1", "expires_in": -5}', "'expires_in' must not be negative"),
        (readers.read_earned_rewards,
         '{"rewards": [{"eventID": "e", "rewardAmount": -1}]}', "'rewardAmount' must not be"),
        (readers.read_historic_stats,
         '[{"result": "Won", "buyInStake": -10, "amountWon": 0}]', "'buyInStake' must not be"),
    ],
)
def test_what_cannot_be_true_is_a_protocol_error(
    reader: object, text: str, problem: str
) -> None:
    with pytest.raises(ProtocolError) as caught:
        reader(wire(text), OP)  # type: ignore[operator]
    assert str(caught.value).startswith(f"{OP} returned an unexpected response: ")
    assert problem in str(caught.value)


def test_amounts_at_the_bound_are_fine() -> None:
    balance = readers.read_wallet_balance(
        wire('{"wallet_address": "0x1", "earned_balance": 1000000000000}'), OP
    )
    assert balance.earned == Decimal(10) ** 12


@pytest.mark.parametrize(
    ("reader", "build"),
    [
        (readers.read_tournaments, lambda items: items),
        (readers.read_joined_tournament_ids, lambda items: items),
        (readers.read_historic_stats, lambda items: items),
        (readers.read_earned_rewards, lambda items: {"rewards": items}),
        (readers.read_rewardable_events, lambda items: {"rewardableEvents": items}),
        (readers.read_rewards, lambda items: {"claimable_rewards_info": items}),
        (readers.read_transactions, lambda items: {"toTransactions": items}),
        (readers.read_leaderboard, lambda items: {"leaderboard": items}),
        (readers.read_leaderboard, lambda items: items),
    ],
)
def test_lists_far_past_any_page_are_refused(reader: object, build: object) -> None:
    items = ["x"] * (MAX_LIST_ITEMS + 1)
    with pytest.raises(ProtocolError, match="10,001 items, more than the 10,000"):
        reader(build(items), OP)  # type: ignore[operator]


def test_a_repeated_key_cannot_smuggle_a_long_list() -> None:
    half = ",".join(['{"uid": "u", "amount": 1}'] * (MAX_LIST_ITEMS // 2 + 1))
    text = f'{{"toTransactions": [{half}], "toTransactions": [{half}]}}'
    with pytest.raises(ProtocolError, match="more than 10,000 items"):
        readers.read_transactions(wire(text), OP)
