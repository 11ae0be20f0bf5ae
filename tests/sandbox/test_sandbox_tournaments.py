"""Tournaments: seeded schedule, details, joining, leaderboards, ending, statistics."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from kgen_pygame.sandbox import SandboxServer
from tests.sandbox.conftest import Api


def test_seeded_schedule_has_free_paid_and_a_big_leaderboard(api: Api) -> None:
    token = api.token()
    live = api.live(token)
    assert len(live) >= 3
    assert all(t["tournament_status"] == "STARTED" for t in live)
    stakes = {t["buy_in_price"] for t in live}
    assert {0, 10, 50} <= stakes
    assert any(t["title"].startswith("Sprint") for t in live)
    biggest = max(live, key=lambda t: t["participants_count"])
    assert biggest["participants_count"] >= 100
    board = api.get(
        f"/api/v1/leaderboards/_byTournament/{biggest['tournament_uid']}", token=token
    ).json()
    assert len(board["leaderboard"]) >= 100
    # Prize pool of the stake tournament is every stake paid in.
    assert board["price_pool"] == biggest["buy_in_price"] * biggest["participants_count"]


def test_sandbox_listing_includes_scheduled_and_ended_with_results(api: Api) -> None:
    listing = api.all_tournaments()
    statuses = {t["tournament_status"] for t in listing}
    assert statuses == {"SCHEDULED", "STARTED", "COMPLETED"}
    ended = [t for t in listing if t["tournament_status"] == "COMPLETED"]
    token = api.token()
    for tournament in ended:
        board = api.get(
            f"/api/v1/leaderboards/_byTournament/{tournament['tournament_uid']}", token=token
        ).json()
        assert board["winners"], tournament["title"]
        assert sum(Decimal(str(w["reward"])) for w in board["winners"]) == Decimal(
            str(board["price_pool"])
        )
        assert [w["rank"] for w in board["winners"]] == list(range(1, len(board["winners"]) + 1))


def test_tournament_details_and_404(api: Api) -> None:
    token = api.token()
    listed = api.tournament_titled(token, "High Roller")
    reply = api.get(f"/api/v1/tournaments/{listed['tournament_uid']}", token=token)
    assert reply.status_code == 200
    detail = reply.json()
    assert detail["tournament_uid"] == listed["tournament_uid"]
    assert detail["buy_in_price"] == 50 and detail["booking_type"] == "PAID"
    assert (
        detail["starts_at_timestamp"] < detail["locks_at_timestamp"] < detail["ends_at_timestamp"]
    )
    missing = api.get("/api/v1/tournaments/does-not-exist", token=token)
    assert missing.status_code == 404
    assert missing.json() == {
        "statusCode": 404,
        "error": "TOURNAMENT_NOT_FOUND",
        "message": "Tournament not found",
    }
    board = api.get("/api/v1/leaderboards/_byTournament/does-not-exist", token=token)
    assert board.status_code == 404 and board.json()["error"] == "TOURNAMENT_NOT_FOUND"


def test_join_free_tournament(api: Api) -> None:
    token = api.token()
    uid = api.tournament_titled(token, "Daily Free Roll")["tournament_uid"]
    before = api.get(f"/api/v1/tournaments/{uid}", token=token).json()["participants_count"]
    reply = api.join(token, uid, 0)
    assert reply.status_code == 201
    assert reply.json() == {"message": "user successfully joined the tournament"}
    assert (
        api.get(f"/api/v1/tournaments/{uid}", token=token).json()["participants_count"]
        == before + 1
    )
    assert api.get("/api/v1/tournaments/_session", token=token).json() == [uid]
    assert api.get("/api/v1/session", token=token).json()["joined_tournaments"] == [uid]
    # A free join moves no money.
    assert api.balance(token)["bonus_balance"] == 50
    history = api.get(
        f"/api/v1/wallet/lazyChain/transactions/{api.balance(token)['wallet_address']}", token=token
    ).json()
    assert history["fromTransactions"] == []


def test_join_with_stake_debits_bonus_and_records_join_transaction(api: Api) -> None:
    started = api.start_session("staker")
    token = started["token"]
    bronze = api.tournament_titled(token, "Bronze Cup")
    pool_before = bronze["prize_pool"]
    assert api.join(token, bronze["tournament_uid"], 10).status_code == 201
    balance = api.balance(token)
    assert balance["bonus_balance"] == 40 and balance["lazy_balance"] == 40
    after = api.get(f"/api/v1/tournaments/{bronze['tournament_uid']}", token=token).json()
    assert after["prize_pool"] == pool_before + 10
    history = api.get(
        f"/api/v1/wallet/lazyChain/transactions/{started['wallet_address']}", token=token
    ).json()
    (join,) = history["fromTransactions"]
    assert join["amount"] == 10
    assert join["description"]["type"] == "JOIN"
    assert join["description"]["platformProtocolsTxnType"] == "DEBIT"
    assert (
        join["from_wallet"]
        == started["wallet_address"][:4] + "*****" + started["wallet_address"][-4:]
    )


def test_join_errors(api: Api) -> None:
    token = api.token()
    high = api.tournament_titled(token, "High Roller")["tournament_uid"]
    bronze = api.tournament_titled(token, "Bronze Cup")["tournament_uid"]

    wrong_stake = api.join(token, high, 10)
    assert wrong_stake.status_code == 400
    assert wrong_stake.json()["error"] == "TOURNAMENT_INVALID_JOINING_STAKE"
    assert wrong_stake.json()["message"].endswith("(50)")

    assert api.join(token, "nope", 0).status_code == 404

    for body in ({}, {"joiningStake": "50"}, {"joiningStake": 50.001}, {"joiningStake": None}):
        reply = api.post(f"/api/v1/tournaments/{high}/_join", token=token, json=body)
        assert reply.status_code == 400, body
        assert reply.json()["error"] == "VALIDATION_ERROR"

    assert api.join(token, high, 50).status_code == 201  # spends the whole 50 bonus
    again = api.join(token, high, 50)
    assert again.status_code == 409 and again.json()["error"] == "EXISTING_PARTICIPATION_FOUND"

    broke = api.join(token, bronze, 10)
    assert broke.status_code == 422 and broke.json()["error"] == "INSUFFICIENT_BALANCE"
    assert api.balance(token)["lazy_balance"] == 0


def test_join_a_full_tournament(api: Api) -> None:
    duel = api.create_tournament(title="Heads-up", max_players=2, bots=2)
    reply = api.join(api.token(), duel["tournament_uid"], 0)
    assert reply.status_code == 409
    assert reply.json()["error"] == "TOURNAMENT_IS_FULL"


def test_join_not_live(api: Api) -> None:
    token = api.token()
    listing = api.all_tournaments()
    scheduled = next(t for t in listing if t["tournament_status"] == "SCHEDULED")
    ended = next(t for t in listing if t["tournament_status"] == "COMPLETED")
    for tournament in (scheduled, ended):
        reply = api.join(token, tournament["tournament_uid"], tournament["buy_in_price"])
        assert reply.status_code == 422
        assert reply.json()["error"] == "TOURNAMENT_IS_NOT_LIVE"
    # Registration locks shortly before the end.
    short = api.create_tournament(title="Short", duration_s=600)
    api.advance(600 - 30)
    reply = api.join(token, short["tournament_uid"], 0)
    assert reply.status_code == 422 and "locked" in reply.json()["message"]


def test_leaderboard_is_sorted_with_ranks_and_best_scores(api: Api) -> None:
    cup = api.create_tournament(title="Ranked", bots=5)
    uid = cup["tournament_uid"]
    tokens = {name: api.token(name) for name in ("ann", "ben")}
    for token in tokens.values():
        assert api.join(token, uid, 0).status_code == 201
    api.score(tokens["ann"], 50_000, player="ann")
    api.score(tokens["ben"], 40_000, player="ben")
    api.score(tokens["ann"], 10, player="ann")  # lower: best stays
    board = api.get(f"/api/v1/leaderboards/_byTournament/{uid}", token=tokens["ann"]).json()
    rows = board["leaderboard"]
    assert [row["rank"] for row in rows] == list(range(1, len(rows) + 1))
    assert [row["score"] for row in rows] == sorted((row["score"] for row in rows), reverse=True)
    assert rows[0]["user_id"] == "ann" and rows[0]["score"] == 50_000
    assert rows[1]["user_id"] == "ben"
    assert board["winners"] == [] and board["tournament_status"] == "STARTED"


def test_ending_a_tournament_pays_winners_and_grants_rewards(api: Api) -> None:
    cup = api.create_tournament(
        title="Payday", guaranteed_prize=60, total_players_rewarded=3, bots=4
    )
    uid = cup["tournament_uid"]
    token = api.token("winner")
    api.join(token, uid, 0)
    api.score(token, 10**9, player="winner")
    ended = api.end(uid)
    assert ended["rewards_granted"] == 1
    assert ended["tournament"]["tournament_status"] == "COMPLETED"
    winners = ended["leaderboard"]["winners"]
    assert [w["rank"] for w in winners] == [1, 2, 3]
    assert winners[0] == {"user_id": "winner", "score": 10**9, "reward": 30, "rank": 1}
    assert [w["reward"] for w in winners] == [30, 20, 10]
    rewards = api.get("/api/v1/rewards", token=token).json()
    tournament_rewards = [
        r for r in rewards["claimable_rewards_info"] if r["source"] == "TOURNAMENT"
    ]
    assert [(r["tournament_id"], r["reward"], r["claim_status"]) for r in tournament_rewards] == [
        (uid, 30, "UNCLAIMED")
    ]
    # Ending twice is refused; the ended tournament still answers.
    again = api.post(f"/_sandbox/tournaments/{uid}/_end")
    assert again.status_code == 409
    assert (
        api.get(f"/api/v1/tournaments/{uid}", token=token).json()["tournament_status"]
        == "COMPLETED"
    )
    assert api.post("/_sandbox/tournaments/nope/_end").status_code == 404


def test_tournaments_end_lazily_when_their_time_passes(api: Api) -> None:
    cup = api.create_tournament(title="Lazy", duration_s=120, guaranteed_prize=9)
    uid = cup["tournament_uid"]
    token = api.token("lazy")
    api.join(token, uid, 0)
    api.score(token, 5, player="lazy")
    api.advance(121)
    rewards = api.get("/api/v1/rewards", token=token).json()
    assert [r["reward"] for r in rewards["claimable_rewards_info"]] == [9]
    assert (
        api.get(f"/api/v1/tournaments/{uid}", token=token).json()["tournament_status"]
        == "COMPLETED"
    )
    assert uid not in {t["tournament_uid"] for t in api.live(token)}
    # Joined-but-ended tournaments are still listed as participations.
    assert uid in api.get("/api/v1/tournaments/_session", token=token).json()


def test_live_tournaments_never_run_out(api: Api) -> None:
    token = api.token()
    for tournament in api.live(token):
        api.end(tournament["tournament_uid"])
    live = api.live(token)
    assert len(live) >= 3
    assert any(t["title"].startswith("Sprint") for t in live)
    # Far in the future every seeded tournament has ended and rolled over.
    api.advance(10 * 86_400)
    live = api.live(api.token())  # the old token expired meanwhile
    assert len(live) >= 3
    assert all(t["tournament_status"] == "STARTED" for t in live)


def test_historic_statistics_come_from_ended_tournaments(api: Api) -> None:
    token = api.token("stats")
    assert api.get("/api/v1/statistics/_historic", token=token).json() == []
    won = api.create_tournament(title="Won one", guaranteed_prize=10, total_players_rewarded=1)
    lost = api.create_tournament(
        title="Lost one", guaranteed_prize=10, total_players_rewarded=1, bots=3
    )
    for cup in (won, lost):
        api.join(token, cup["tournament_uid"], 0)
    api.score(token, 1, player="stats", tournamentId=won["tournament_uid"])
    api.score(token, 0, player="stats", tournamentId=lost["tournament_uid"])
    live_only = api.get("/api/v1/statistics/_historic", token=token).json()
    assert live_only == []
    api.end(won["tournament_uid"])
    api.end(lost["tournament_uid"])
    stats = api.get("/api/v1/statistics/_historic", token=token).json()
    by_title = {s["title"]: s for s in stats}
    assert by_title["Won one"]["result"] == "Won" and by_title["Won one"]["amountWon"] == 10
    assert by_title["Won one"]["typeValue"] == 1
    assert by_title["Lost one"]["result"] == "You Lost" and by_title["Lost one"]["amountWon"] == 0
    assert by_title["Lost one"]["typeValue"] == 4
    assert all(s["type"] == "Tournament" and s["mode"] == "Quick" for s in stats)


def test_sandbox_tournament_creation_is_validated(api: Api) -> None:
    for body in (
        {},
        {"title": ""},
        {"title": "x", "bots": 1000},
        {"title": "x", "buy_in": -1},
        {"title": "x", "duration_s": 0},
        {"title": "x", "max_players": "many"},
    ):
        reply = api.post("/_sandbox/tournaments", json=body)
        assert reply.status_code == 400, body


def test_without_seed_only_sprints_exist(
    make_sandbox: Callable[..., SandboxServer], make_api: Callable[[SandboxServer], Api]
) -> None:
    api = make_api(make_sandbox(seed=False))
    live = api.live(api.token())
    assert len(live) == 3
    assert all(t["title"].startswith("Sprint") for t in live)
