"""Every KGenClient method end to end against the real sandbox over loopback.

The sandbox is the project's implementation of the v1 contract (SQLite in
tmp_path). Test set-up that the public API cannot express (creating a
tournament, ending it, reading the OTP "SMS", moving the clock, switching
faults on) uses the sandbox's ``/_sandbox`` routes directly.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
import requests

from kgen_pygame import errors
from kgen_pygame.api import KGenClient, jsoncodec
from kgen_pygame.models import Session
from tests.api.conftest import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET

PHONE = "9876543219"
CC = "+91"


# -- helpers (sandbox-only routes) --------------------------------------------------------


def sandbox(url: str, method: str, path: str, **kwargs: Any) -> Any:
    response = requests.request(method, url + path, timeout=10, **kwargs)
    response.raise_for_status()
    return response.json()


def new_tournament(url: str, **spec: Any) -> str:
    spec.setdefault("title", "Test Cup")
    created = sandbox(
        url,
        "POST",
        "/_sandbox/tournaments",
        data=jsoncodec.dumps(spec),  # exact Decimal amounts
        headers={"Content-Type": "application/json"},
    )
    return str(created["tournament_uid"])


def sms(url: str, phone: str = PHONE, country_code: str = CC) -> dict[str, Any]:
    result: dict[str, Any] = sandbox(
        url, "GET", "/_sandbox/otp", params={"phone_number": phone, "countryCode": country_code}
    )
    return result


def set_faults(url: str, **faults: Any) -> None:
    sandbox(url, "POST", "/_sandbox/faults", json=faults)


def advance_clock(url: str, seconds: float) -> None:
    sandbox(url, "POST", "/_sandbox/clock", json={"advance_s": seconds})


def score(client: KGenClient, session: Session, value: int, key: str, **metadata: Any) -> None:
    client.send_event(
        session.token,
        "score",
        value,
        metadata={"playerId": session.gamer_id, **metadata},
        idempotency_key=key,
        timestamp_ms=1_724_142_733_000,
    )


def link_phone(client: KGenClient, url: str, session: Session, phone: str = PHONE) -> None:
    challenge = client.request_otp(session.token, CC, phone)
    client.verify_otp(session.token, CC, phone, challenge.auth_code, sms(url, phone)["otp"])


@pytest.fixture
def session(client: KGenClient) -> Session:
    return client.create_session("gamer-1", username="neo", playertag="Neo")


# -- session -------------------------------------------------------------------------------


def test_create_and_get_session(client: KGenClient, session: Session) -> None:
    assert session.token and session.session_id and session.wallet_address.startswith("0x")
    assert session.gamer_id == "gamer-1"
    assert session.started_at is not None and session.started_at.tzinfo is not None
    assert session.expires_at is not None and session.expires_at > session.started_at
    assert session.linked_phone is None and not session.linked

    again = client.create_session("gamer-1")
    assert again.token != session.token  # a new token each call...
    assert again.wallet_address == session.wallet_address  # ...for the same account

    info = client.get_session(session.token)
    assert info.gamer_id == "gamer-1" and info.wallet_address == session.wallet_address
    assert info.joined_tournaments == ()
    assert info.wallet_balance == Decimal(50)  # welcome bonus


def test_wrong_client_secret_and_bad_tokens(sandbox_url: str, session: Session) -> None:
    with (
        KGenClient(sandbox_url, SANDBOX_CLIENT_ID, "not-the-secret", api="v1") as wrong,
        pytest.raises(errors.AuthenticationError) as caught,
    ):
        wrong.create_session("gamer-1")
    assert caught.value.status == 401 and caught.value.code == "UNAUTHORIZED"
    assert str(caught.value).startswith("POST /api/v1/session failed: 401 UNAUTHORIZED")

    with (
        KGenClient(sandbox_url, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, api="v1") as client,
        pytest.raises(errors.AuthenticationError) as caught,
    ):
        client.rewards("no-such-token")
    assert caught.value.code == "UN_AUTHORIZED" and not caught.value.retryable


def test_token_only_client_for_session_provider_games(sandbox_url: str, session: Session) -> None:
    # A game whose backend mints sessions ships no secret: user calls still work.
    with KGenClient(sandbox_url, None, api="v1") as token_only:
        assert token_only.get_session(session.token).gamer_id == "gamer-1"
        assert token_only.wallet_balance(session.token).bonus == Decimal(50)


def test_expired_token(start_sandbox: Callable[..., str]) -> None:
    url = start_sandbox(token_ttl_s=60)
    with KGenClient(url, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, api="v1") as client:
        session = client.create_session("gamer-exp")
        advance_clock(url, 61)
        with pytest.raises(errors.AuthenticationError) as caught:
            client.get_session(session.token)
    assert caught.value.code == "TOKEN_EXPIRED"


# -- tournaments, eventing, leaderboards -----------------------------------------------------


def test_tournaments_join_and_leaderboard(
    client: KGenClient, session: Session, sandbox_url: str
) -> None:
    uid = new_tournament(sandbox_url, title="Free Cup", buy_in=0, guaranteed_prize=Decimal("12.50"))
    active = client.active_tournaments(session.token)
    assert uid in {t.uid for t in active}
    tournament = client.tournament(session.token, uid)
    assert tournament.title == "Free Cup" and tournament.buy_in == Decimal(0)
    assert tournament.prize_pool == Decimal("12.50")
    assert tournament.starts_at is not None and tournament.ends_at is not None

    message = client.join_tournament(session.token, uid, tournament.buy_in)
    assert message == "user successfully joined the tournament"
    assert uid in client.joined_tournaments(session.token)
    assert uid in client.get_session(session.token).joined_tournaments

    score(client, session, 700, "evt-1", tournamentId=uid)
    score(client, session, 500, "evt-2", tournamentId=uid)  # lower: the best score stays
    board = client.leaderboard(session.token, uid)
    entry = board.entry_for("gamer-1")
    assert entry is not None and entry.score == 700 and entry.rank >= 1
    assert board.prize_pool == Decimal("12.50")


def test_idempotent_events_count_once(
    client: KGenClient, session: Session, sandbox_url: str
) -> None:
    for _ in range(3):
        score(client, session, 1200, "same-event-id")
    events = sandbox(sandbox_url, "GET", "/_sandbox/events", params={"gamer_id": "gamer-1"})
    (event,) = events
    assert event["idempotency_key"] == "same-event-id"
    assert event["kinds"] == ["score"] and event["timestamp"] == 1_724_142_733_000
    assert event["metadata"] == {"playerId": "gamer-1"}
    assert event["payload"] == {"score": {"value": 1200}}
    # the 1000-point milestone was granted once, not three times
    assert len(client.rewards(session.token).rewards) == 1


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("achievement", 3),
        ("levelup", "level-2"),
        ("progress", "chapter 1 done"),
        ("matchResult", ["match-1", "won"]),
        ("matchJoined", ["match-1"]),
        ("tournamentJoined", ["t-1"]),
        ("lobbyJoined", ["lobby-1"]),
        ("score", 1250),
    ],
)
def test_every_event_kind_is_accepted(
    client: KGenClient, session: Session, kind: str, value: object
) -> None:
    client.send_event(
        session.token,
        kind,
        value,
        metadata={"playerId": "gamer-1", "gameId": "demo", "level": 2, "difficulty": 1},
        idempotency_key=f"evt-{kind}",
        timestamp_ms=1_724_142_733_000,
    )


def test_tournament_errors(client: KGenClient, session: Session, sandbox_url: str) -> None:
    token = session.token
    with pytest.raises(errors.NotFoundError) as not_found:
        client.tournament(token, "no-such-tournament")
    assert not_found.value.code == "TOURNAMENT_NOT_FOUND"
    assert str(not_found.value).startswith(
        "GET /api/v1/tournaments/{tournamentId} failed: 404 TOURNAMENT_NOT_FOUND"
    )
    with pytest.raises(errors.NotFoundError):
        client.leaderboard(token, "no-such-tournament")
    with pytest.raises(errors.NotFoundError):
        client.join_tournament(token, "no-such-tournament", Decimal(0))
    with pytest.raises(errors.NotFoundError, match="TOURNAMENT_NOT_FOUND"):
        score(client, session, 10, "evt-unknown", tournamentId="no-such-tournament")

    paid = new_tournament(sandbox_url, title="Paid", buy_in=10)
    with pytest.raises(errors.InvalidRequestError) as wrong_stake:
        client.join_tournament(token, paid, Decimal(5))
    assert (wrong_stake.value.status, wrong_stake.value.code) == (
        400,
        "TOURNAMENT_INVALID_JOINING_STAKE",
    )

    client.join_tournament(token, paid, Decimal("10.00"))
    with pytest.raises(errors.InvalidRequestError) as twice:
        client.join_tournament(token, paid, Decimal(10))
    assert (twice.value.status, twice.value.code) == (409, "EXISTING_PARTICIPATION_FOUND")

    pricey = new_tournament(sandbox_url, title="Pricey", buy_in=1000)
    with pytest.raises(errors.InvalidRequestError) as poor:
        client.join_tournament(token, pricey, Decimal(1000))
    assert (poor.value.status, poor.value.code) == (422, "INSUFFICIENT_BALANCE")

    later = new_tournament(sandbox_url, title="Later", starts_in_s=3600)
    with pytest.raises(errors.InvalidRequestError) as not_live:
        client.join_tournament(token, later, Decimal(0))
    assert (not_live.value.status, not_live.value.code) == (422, "TOURNAMENT_IS_NOT_LIVE")

    tiny = new_tournament(sandbox_url, title="Tiny", max_players=1)
    other = client.create_session("gamer-2")
    client.join_tournament(other.token, tiny, Decimal(0))
    with pytest.raises(errors.InvalidRequestError) as full:
        client.join_tournament(token, tiny, Decimal(0))
    assert (full.value.status, full.value.code) == (409, "TOURNAMENT_IS_FULL")


def test_ended_tournament_winners_rewards_and_history(
    client: KGenClient, session: Session, sandbox_url: str
) -> None:
    uid = new_tournament(sandbox_url, title="Quick", buy_in=0, guaranteed_prize=30)
    client.join_tournament(session.token, uid, Decimal(0))
    score(client, session, 900, "evt-q", tournamentId=uid)
    sandbox(sandbox_url, "POST", f"/_sandbox/tournaments/{uid}/_end")

    board = client.leaderboard(session.token, uid)
    assert [w.user_id for w in board.winners] == ["gamer-1"]
    assert board.winners[0].reward == Decimal(30)

    rewards = client.rewards(session.token)
    prize = [r for r in rewards.rewards if r.tournament_id == uid]
    assert len(prize) == 1 and prize[0].amount == Decimal(30) and prize[0].status == "UNCLAIMED"
    assert rewards.total_claimable == sum((r.amount for r in rewards.rewards), Decimal(0))

    (stat,) = [s for s in client.historic_statistics(session.token)]
    assert stat.won and stat.amount_won == Decimal(30) and stat.buy_in_stake == Decimal(0)
    assert uid in client.joined_tournaments(session.token)  # ended ones stay listed


# -- wallet ---------------------------------------------------------------------------------


def test_balance_and_transactions(client: KGenClient, session: Session, sandbox_url: str) -> None:
    balance = client.wallet_balance(session.token)
    assert balance.wallet_address == session.wallet_address
    assert (balance.earned, balance.bonus, balance.min_to_withdraw) == (
        Decimal(0),
        Decimal(50),
        Decimal(20),
    )
    paid = new_tournament(sandbox_url, title="Paid", buy_in=Decimal("7.25"))
    client.join_tournament(session.token, paid, Decimal("7.25"))
    assert client.wallet_balance(session.token).bonus == Decimal("42.75")

    history = client.transactions(session.token, session.wallet_address)
    kinds = {(t.direction, t.kind) for t in history.all}
    assert ("in", "BONUS") in kinds and ("out", "JOIN") in kinds
    join = next(t for t in history.outgoing if t.kind == "JOIN")
    assert join.amount == Decimal("7.25") and join.entry_type == "DEBIT"
    assert history.all[0].created_at is not None

    other = client.create_session("gamer-2")
    with pytest.raises(errors.InvalidRequestError) as forbidden:
        client.transactions(session.token, other.wallet_address)
    assert (forbidden.value.status, forbidden.value.code) == (403, "FORBIDDEN")


def test_rewards_claim_and_withdraw(start_sandbox: Callable[..., str]) -> None:
    # min_withdraw 5 so that a partial withdrawal fits under the 25 the milestones pay.
    sandbox_url = start_sandbox(min_withdraw=Decimal(5))
    client = KGenClient(sandbox_url, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, api="v1")
    session = client.create_session("gamer-1")
    token = session.token
    score(client, session, 5200, "evt-big")  # both milestones: 1000 and 5000
    rewards = client.rewards(token)
    assert len(rewards.rewards) == 2 and {r.source for r in rewards.rewards} == {"MILESTONE"}
    first, second = rewards.rewards

    with pytest.raises(errors.NotFoundError) as unknown:
        client.claim_rewards(token, ["no-such-reward"])
    assert unknown.value.code == "REWARD_NOT_FOUND"

    one = client.claim_rewards(token, [first.uid or ""])
    assert one.claimed_count == 1 and one.amount == first.amount
    rest = client.claim_rewards(token)
    assert rest.claimed_count == 1 and rest.amount == second.amount
    assert rest.message == "Rewards claimed successfully"
    with pytest.raises(errors.InvalidRequestError) as nothing:
        client.claim_rewards(token)
    assert (nothing.value.status, nothing.value.code) == (422, "NO_CLAIMABLE_REWARDS")

    earned = client.wallet_balance(token).earned
    assert earned == first.amount + second.amount == Decimal(25)

    with pytest.raises(errors.InvalidRequestError) as unlinked:
        client.withdraw(token)
    assert unlinked.value.code == "WALLET_NOT_LINKED"

    link_phone(client, sandbox_url, session)
    with pytest.raises(errors.InvalidRequestError) as too_much:
        client.withdraw(token, Decimal(26))
    assert too_much.value.code == "AMOUNT_EXCEEDS_BALANCE"

    partial = client.withdraw(token, Decimal("5.50"))
    assert partial.amount == Decimal("5.50") and partial.status == "SUCCESS"
    everything = client.withdraw(token)
    assert everything.amount == Decimal("19.50")
    assert everything.destination_wallet == client.get_session(token).kgen_wallet_address
    with pytest.raises(errors.InvalidRequestError) as below:
        client.withdraw(token)
    assert (below.value.status, below.value.code) == (422, "BELOW_MIN_WITHDRAW")

    history = client.transactions(token, session.wallet_address)
    assert sum(1 for t in history.outgoing if t.kind == "WITHDRAW") == 2
    assert client.wallet_balance(token).earned == Decimal(0)
    client.close()


# -- OTP ------------------------------------------------------------------------------------


def test_otp_link_flow(client: KGenClient, session: Session, sandbox_url: str) -> None:
    challenge = client.request_otp(session.token, "91", "98765-43219")
    assert challenge.auth_code and challenge.expires_in == 300 and challenge.resend_after == 30
    message = sms(sandbox_url)
    assert message["authCode"] == challenge.auth_code

    with pytest.raises(errors.RateLimitError) as too_soon:
        client.request_otp(session.token, CC, PHONE)
    assert too_soon.value.code == "OTP_RESEND_TOO_SOON"
    assert too_soon.value.retry_after is not None and 0 < too_soon.value.retry_after <= 30
    assert too_soon.value.retryable

    wrong = "000000" if message["otp"] != "000000" else "111111"
    with pytest.raises(errors.InvalidRequestError) as invalid:
        client.verify_otp(session.token, CC, PHONE, challenge.auth_code, wrong)
    assert invalid.value.code == "OTP_INVALID" and invalid.value.attempts_left == 2
    assert "(2 attempts left)" in str(invalid.value)

    other_code = "0000" if challenge.auth_code != "0000" else "1111"
    with pytest.raises(errors.InvalidRequestError) as mismatch:
        client.verify_otp(session.token, CC, PHONE, other_code, message["otp"])
    assert mismatch.value.code == "AUTH_CODE_MISMATCH"

    with pytest.raises(errors.NotFoundError) as not_requested:
        client.verify_otp(session.token, CC, "1112223334", challenge.auth_code, message["otp"])
    assert not_requested.value.code == "OTP_NOT_REQUESTED"

    verified = client.verify_otp(session.token, CC, PHONE, challenge.auth_code, message["otp"])
    assert verified.message == "Phone number verified successfully"
    assert verified.linked_phone and PHONE not in verified.linked_phone  # masked
    assert verified.kgen_wallet_address
    info = client.get_session(session.token)
    assert info.linked and info.kgen_wallet_address == verified.kgen_wallet_address

    with pytest.raises(errors.InvalidRequestError) as used:
        client.verify_otp(session.token, CC, PHONE, challenge.auth_code, message["otp"])
    assert used.value.code == "OTP_ALREADY_USED"

    other = client.create_session("gamer-2")
    with pytest.raises(errors.InvalidRequestError) as taken:
        client.request_otp(other.token, CC, PHONE)
    assert (taken.value.status, taken.value.code) == (409, "PHONE_ALREADY_LINKED")


def test_otp_expiry_and_lockout(client: KGenClient, session: Session, sandbox_url: str) -> None:
    challenge = client.request_otp(session.token, CC, PHONE)
    code = sms(sandbox_url)["otp"]
    advance_clock(sandbox_url, 301)
    with pytest.raises(errors.InvalidRequestError) as expired:
        client.verify_otp(session.token, CC, PHONE, challenge.auth_code, code)
    assert expired.value.code == "OTP_EXPIRED"

    challenge = client.request_otp(session.token, CC, PHONE)  # the cooldown passed too
    code = sms(sandbox_url)["otp"]
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(2):
        with pytest.raises(errors.InvalidRequestError):
            client.verify_otp(session.token, CC, PHONE, challenge.auth_code, wrong)
    with pytest.raises(errors.RateLimitError) as locked:
        client.verify_otp(session.token, CC, PHONE, challenge.auth_code, wrong)
    assert locked.value.code == "OTP_TOO_MANY_ATTEMPTS" and locked.value.attempts_left == 0
    with pytest.raises(errors.RateLimitError):  # even the right code is refused now
        client.verify_otp(session.token, CC, PHONE, challenge.auth_code, code)


# -- faults ----------------------------------------------------------------------------------


def test_sandbox_faults_map_to_errors(sandbox_url: str, session: Session) -> None:
    with KGenClient(
        sandbox_url, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, timeout=(2, 0.5), api="v1"
    ) as c:
        set_faults(sandbox_url, error_rate=1.0)
        with pytest.raises(errors.ServerError) as unavailable:
            c.rewards(session.token)
        assert unavailable.value.status == 503 and unavailable.value.retryable

        set_faults(sandbox_url, reset=True, html_rate=1.0)
        with pytest.raises(errors.ServerError) as html:
            c.rewards(session.token)
        assert html.value.status == 502 and "HTML page" in str(html.value)

        set_faults(sandbox_url, reset=True, drop_rate=1.0)
        with pytest.raises(errors.NetworkError) as dropped:
            c.rewards(session.token)
        assert type(dropped.value) is errors.NetworkError
        assert "closed the connection without answering" in str(dropped.value)

        set_faults(sandbox_url, reset=True, truncate_rate=1.0)
        with pytest.raises(errors.ProtocolError) as truncated:
            c.rewards(session.token)
        assert "cut short" in str(truncated.value) and truncated.value.retryable

        set_faults(sandbox_url, reset=True, blackhole=True)
        with pytest.raises(errors.RequestTimeout) as silent:
            c.rewards(session.token)
        assert "no answer from" in str(silent.value)

        set_faults(sandbox_url, reset=True, latency_ms=1500)
        with pytest.raises(errors.RequestTimeout):
            c.rewards(session.token)

        set_faults(sandbox_url, reset=True)
        assert c.rewards(session.token).total_claimable == Decimal(0)  # and it recovers
