"""/fe/esports/tournaments: active, participated, details, leaderboard, join, leave, score."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.sandbox.conftest import Api, CurrentApi

TOURNAMENT_FIELDS = {
    "tournament_uid",
    "game_uid",
    "tournament_status",
    "title",
    "description",
    "buy_in_price",
    "tournament_size",
    "participants_count",
    "schedules_at_timestamp",
    "moves_to_lobby_at_timestamp",
    "starts_at_timestamp",
    "locks_at_timestamp",
    "ends_at_timestamp",
    "created_at",
    "updated_at",
}


def test_active_lists_live_tournaments_in_current_field_names(both: CurrentApi) -> None:
    token = both.token()
    live = both.live(token)
    assert len(live) >= 3
    for tournament in live:
        assert set(tournament) == TOURNAMENT_FIELDS
        assert tournament["tournament_status"] == "STARTED"
        assert tournament["game_uid"] == "kgen-sandbox-client"
    assert [t["ends_at_timestamp"] for t in live] == sorted(t["ends_at_timestamp"] for t in live)
    assert {"Daily Free Roll", "Bronze Cup", "High Roller"} <= {t["title"] for t in live}


def test_details_of_scheduled_ended_and_unknown_tournaments(both: CurrentApi) -> None:
    token = both.token()
    listing = both.get("/_sandbox/tournaments").json()
    by_status = {t["tournament_status"]: t["tournament_uid"] for t in listing}
    for status in ("SCHEDULED", "STARTED", "COMPLETED"):
        reply = both.get(f"/fe/esports/tournaments/{by_status[status]}", token=token)
        assert reply.status_code == 200 and reply.json()["tournament_status"] == status
    for path in ("/fe/esports/tournaments/nope", "/fe/esports/tournaments/nope/leaderboard"):
        reply = both.get(path, token=token)
        assert reply.status_code == 404 and both.error_code(reply) == "TOURNAMENT_NOT_FOUND"


def test_join_score_and_leaderboard_keep_the_best(both: CurrentApi) -> None:
    token = both.token("ann")
    uid = both.create_tournament(guaranteed_prize=30)
    reply = both.join(token, uid)
    assert reply.status_code == 200
    assert reply.json() == {"message": "user successfully joined the tournament"}
    assert both.get("/fe/esports/tournaments/participated", token=token).json() == [uid]
    for value in (300, 900, 500):
        reply = both.score(token, uid, value)
        assert reply.status_code == 200
        assert reply.json() == {"message": "leaderboard score update successful"}
    board = both.board(token, uid)
    assert board["price_pool"] == 30 and board["winners"] == []
    (entry,) = board["leaderboard"]
    assert (entry["user_id"], entry["score"]) == ("ann", 900)
    if both.documented_only:
        assert set(entry) == {"user_id", "score"}
    else:
        assert (entry["rank"], entry["display_name"]) == (1, "ann")
    events = both.get("/_sandbox/events", params={"gamer_id": "ann"}).json()
    assert [(e["api"], e["payload"]["score"]["value"]) for e in events] == [
        ("current", 300),
        ("current", 900),
        ("current", 500),
    ]
    assert both.records("ann")["best_score"] == 900


def test_winners_carry_score_and_reward(both: CurrentApi) -> None:
    token = both.token("win")
    uid = both.create_tournament(guaranteed_prize=30)
    both.join(token, uid)
    both.score(token, uid, 70)
    both.end(uid)
    (winner,) = both.board(token, uid)["winners"]
    assert (winner["user_id"], winner["score"], winner["reward"]) == ("win", 70, 30)


def test_join_errors_as_documented(both: CurrentApi) -> None:
    token = both.token("jo")
    high = both.titled(token, "High Roller")["tournament_uid"]
    free = both.titled(token, "Daily Free Roll")["tournament_uid"]
    full = both.create_tournament(max_players=1, bots=1)
    scheduled = both.create_tournament(starts_in_s=3600)
    cases: list[tuple[str, Any, int, str]] = [
        (high, 10, 400, "TOURNAMENT_INVALID_JOINING_STAKE"),
        (scheduled, 0, 400, "TOURNAMENT_IS_NOT_LIVE"),
        ("missing", 0, 404, "TOURNAMENT_NOT_FOUND"),
        (full, 0, 409, "TOURNAMENT_IS_FULL"),
    ]
    for uid, stake, status, code in cases:
        reply = both.join(token, uid, stake)
        assert (reply.status_code, both.error_code(reply)) == (status, code), uid
    assert both.join(token, free).status_code == 200
    again = both.join(token, free)
    assert (again.status_code, both.error_code(again)) == (409, "EXISTING_PARTICIPATION_FOUND")


def test_join_refuses_a_stake_that_is_not_an_integer(both: CurrentApi) -> None:
    token = both.token()
    free = both.titled(token, "Daily Free Roll")["tournament_uid"]
    for body in ({"joiningStake": 0.5}, {"joiningStake": "0"}, {}):
        reply = both.post(f"/fe/esports/tournaments/{free}/join", token=token, json=body)
        assert reply.status_code == 400 and both.error_code(reply) == "BAD_REQUEST"


def test_join_without_enough_money(both: CurrentApi) -> None:
    token = both.token("poor")
    expensive = both.create_tournament(buy_in=60)  # the welcome bonus is 50
    reply = both.join(token, expensive, 60)
    assert reply.status_code == 400
    expected = "BAD_REQUEST" if both.documented_only else "INSUFFICIENT_BALANCE"
    assert both.error_code(reply) == expected
    assert both.balance(token)["bonus_balance"] == 50


def test_registration_lock_closes_joining(both: CurrentApi) -> None:
    token = both.token()
    uid = both.create_tournament(duration_s=600)  # locks 60 s before the end
    both.advance(550)
    reply = both.join(token, uid)
    assert (reply.status_code, both.error_code(reply)) == (400, "TOURNAMENT_IS_NOT_LIVE")


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"payload": {"score": {"value": 1}}}, "metadata must be a JSON object"),
        ({"metadata": {}, "payload": {"score": {"value": 1}}}, "metadata.tournamentUID"),
        ({"metadata": {"tournamentUID": "UID"}}, "payload must be a JSON object"),
        ({"metadata": {"tournamentUID": "UID"}, "payload": {}}, "payload.score"),
        ({"metadata": {"tournamentUID": "UID"}, "payload": {"score": {}}}, "value is required"),
        (
            {"metadata": {"tournamentUID": "UID"}, "payload": {"score": {"value": 12.5}}},
            "payload.score.value: a score value must be a whole number",
        ),
        (
            {"metadata": {"tournamentUID": "UID"}, "payload": {"score": {"value": "12"}}},
            "payload.score.value: a score value must be a whole number",
        ),
        (
            {
                "metadata": {"tournamentUID": "UID"},
                "payload": {"score": {"value": 1}, "achievement": {"value": 1}},
            },
            "payload.achievement is not an event of this API",
        ),
        (
            {"metadata": {"tournamentUID": "other"}, "payload": {"score": {"value": 1}}},
            "must equal the tournament in the path",
        ),
    ],
)
def test_bad_score_bodies_are_refused(cur: CurrentApi, body: dict[str, Any], fragment: str) -> None:
    token = cur.token("sc")
    uid = cur.create_tournament()
    cur.join(token, uid)
    text = repr(body).replace("'UID'", repr(uid)).replace("'", '"').replace("True", "true")
    reply = cur.post(f"/fe/esports/tournaments/{uid}/score", token=token, data=text)
    assert reply.status_code == 400
    assert reply.json()["error"] == "BAD_REQUEST"
    assert fragment in reply.json()["message"]
    assert cur.records("sc")["score_posts"] == 0


def test_score_errors_as_documented(both: CurrentApi) -> None:
    token = both.token("sc")
    unjoined = both.create_tournament()
    reply = both.score(token, unjoined, 10)
    assert (reply.status_code, both.error_code(reply)) == (
        404,
        "TOURNAMENT_PARTICIPATION_NOT_FOUND",
    )
    reply = both.score(token, "missing", 10)
    assert (reply.status_code, both.error_code(reply)) == (404, "TOURNAMENT_NOT_FOUND")
    records = both.records("sc")
    assert records["score_posts"] == 0
    # Refused posts are deliveries too (each was written by a transaction that rolled back,
    # and kept for the next one).
    assert records["deliveries"] == {"score": 2}


def test_score_after_the_end(both: CurrentApi) -> None:
    token = both.token("late")
    uid = both.create_tournament()
    both.join(token, uid)
    both.end(uid)
    reply = both.score(token, uid, 10)
    assert reply.status_code == 400
    expected = "BAD_REQUEST" if both.documented_only else "TOURNAMENT_IS_NOT_LIVE"
    assert both.error_code(reply) == expected


def test_a_repeated_key_counts_once_in_default_mode(cur: CurrentApi) -> None:
    token = cur.token("rep")
    uid = cur.create_tournament()
    cur.join(token, uid)
    for _ in range(3):
        assert cur.score(token, uid, 40, key="evt-1").status_code == 200
    records = cur.records("rep")
    assert records["score_posts"] == 1
    assert records["raw_deliveries"] == 3 and records["repeated_deliveries"] == 2
    reused = cur.score(token, uid, 41, key="evt-1")
    assert reused.status_code == 409 and reused.json()["error"] == "IDEMPOTENCY_KEY_REUSED"
    # One event fanned out to two tournaments may carry one key (a key belongs to a path).
    other = cur.create_tournament()
    cur.join(token, other)
    assert cur.score(token, other, 40, key="evt-1").status_code == 200
    assert cur.board(token, other)["leaderboard"][0]["score"] == 40


def test_documented_only_mode_stores_every_repeat(doc: CurrentApi) -> None:
    token = doc.token("rep")
    uid = doc.create_tournament()
    doc.join(token, uid)
    for value in (40, 40, 41):
        assert doc.score(token, uid, value, key="evt-1").status_code == 200
    records = doc.records("rep")
    assert records["score_posts"] == 3
    assert records["raw_deliveries"] == 3 and records["repeated_deliveries"] == 0
    assert doc.board(token, uid)["leaderboard"][0]["score"] == 41


def test_leave_refunds_the_stake_in_default_mode_only(
    make_current: Callable[..., CurrentApi],
) -> None:
    for documented_only in (False, True):
        api = make_current(documented_only=documented_only)
        token = api.token("leaver")
        bronze = api.titled(token, "Bronze Cup")
        uid = bronze["tournament_uid"]
        assert api.join(token, uid, 10).status_code == 200
        assert api.score(token, uid, 55).status_code == 200
        reply = api.post(f"/fe/esports/tournaments/{uid}/leave", token=token)
        assert reply.status_code == 200
        assert reply.json() == {"message": "user left the tournament successfully"}
        assert api.get("/fe/esports/tournaments/participated", token=token).json() == []
        assert all(e["user_id"] != "leaver" for e in api.board(token, uid)["leaderboard"])
        details = api.get(f"/fe/esports/tournaments/{uid}", token=token).json()
        assert details["participants_count"] == bronze["participants_count"]
        history = api.get("/fe/wallet/transactions", token=token).json()
        kinds = [t["description"]["type"] for t in history["transactions"]]
        if documented_only:
            assert api.balance(token)["bonus_balance"] == 40
            assert kinds == ["JOIN", "BONUS"]
        else:
            assert api.balance(token)["bonus_balance"] == 50
            assert kinds == ["REFUND", "JOIN", "BONUS"]
        # Leaving again, or a tournament never joined.
        again = api.post(f"/fe/esports/tournaments/{uid}/leave", token=token)
        assert (again.status_code, api.error_code(again)) == (
            404,
            "TOURNAMENT_PARTICIPATION_NOT_FOUND",
        )
        missing = api.post("/fe/esports/tournaments/missing/leave", token=token)
        assert (missing.status_code, api.error_code(missing)) == (404, "TOURNAMENT_NOT_FOUND")


def test_leave_refunds_earned_money_to_the_earned_balance(cur: CurrentApi) -> None:
    token = cur.token("rich")
    event = cur.put_event(rewardAmount=100)
    assert cur.grant(token, event["eventID"]).status_code == 201  # earned 100
    paid = cur.create_tournament(buy_in=80)
    assert cur.join(token, paid, 80).status_code == 200  # 50 bonus + 30 earned
    assert (cur.balance(token)["bonus_balance"], cur.balance(token)["earned_balance"]) == (0, 70)
    assert cur.post(f"/fe/esports/tournaments/{paid}/leave", token=token).status_code == 200
    assert (cur.balance(token)["bonus_balance"], cur.balance(token)["earned_balance"]) == (50, 100)


def test_leave_is_refused_once_registration_locks(both: CurrentApi) -> None:
    token = both.token()
    uid = both.create_tournament(duration_s=600)
    both.join(token, uid)
    both.advance(550)
    reply = both.post(f"/fe/esports/tournaments/{uid}/leave", token=token)
    assert (reply.status_code, both.error_code(reply)) == (400, "TOURNAMENT_IS_NOT_LIVE")


def test_every_tournament_call_needs_the_token(both: CurrentApi) -> None:
    uid = both.create_tournament()
    for method, path in (
        ("GET", "/fe/esports/tournaments/active"),
        ("GET", "/fe/esports/tournaments/participated"),
        ("GET", f"/fe/esports/tournaments/{uid}"),
        ("GET", f"/fe/esports/tournaments/{uid}/leaderboard"),
        ("POST", f"/fe/esports/tournaments/{uid}/join"),
        ("POST", f"/fe/esports/tournaments/{uid}/leave"),
        ("POST", f"/fe/esports/tournaments/{uid}/score"),
    ):
        reply = both.request(method, path, token="forged")
        assert reply.status_code == 401, path
        assert both.error_code(reply) == "UN_AUTHORIZED"


def test_v1_and_current_see_the_same_tournament_state(cur: CurrentApi, make_api: Any) -> None:
    v1: Api = make_api(cur.server)
    token = cur.token("both")
    v1_token = v1.token("both")
    uid = cur.create_tournament()
    assert cur.join(token, uid).status_code == 200
    assert v1.get("/api/v1/tournaments/_session", token=v1_token).json() == [uid]
    assert v1.score(v1_token, 120, player="both", tournamentId=uid).status_code == 200
    assert cur.score(token, uid, 80).status_code == 200
    assert cur.board(token, uid)["leaderboard"][0]["score"] == 120
