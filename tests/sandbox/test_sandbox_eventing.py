"""POST /api/v1/eventing: payload kinds, validation, idempotency, scores and milestones."""

from __future__ import annotations

from typing import Any

import pytest

from tests.sandbox.conftest import Api


def _event(payload: dict[str, Any], **metadata: Any) -> dict[str, Any]:
    return {
        "timestamp": 1_700_000_000_000,
        "metadata": {"playerId": "p1", **metadata},
        "payload": payload,
    }


@pytest.mark.parametrize(
    "payload",
    [
        {"score": {"value": 120}},
        {"score": {"value": -5}},
        {"achievement": {"value": 3}},
        {"levelup": {"value": "level-2"}},
        {"progress": {"value": "50%"}},
        {"matchResult": {"value": ["m1:won"]}},
        {"matchJoined": {"value": ["m1"]}},
        {"tournamentJoined": {"value": ["t1"]}},
        {"lobbyJoined": {"value": ["l1"]}},
    ],
)
def test_every_payload_kind_is_accepted_and_recorded(api: Api, payload: dict[str, Any]) -> None:
    token = api.token("p1")
    reply = api.post(
        "/api/v1/eventing",
        token=token,
        json=_event(
            payload, gameId="g", matchId="m", lobbyId="l", level=2, areaCode=91, difficulty=1
        ),
    )
    assert reply.status_code == 200
    assert reply.json() is True
    events = api.get("/_sandbox/events", params={"gamer_id": "p1"}).json()
    assert len(events) == 1
    assert events[0]["kinds"] == list(payload)
    assert events[0]["payload"] == payload
    assert events[0]["metadata"]["areaCode"] == 91


def test_several_kinds_in_one_event_are_each_validated(api: Api) -> None:
    token = api.token("p1")
    good = _event({"score": {"value": 5}, "levelup": {"value": "2"}})
    assert api.post("/api/v1/eventing", token=token, json=good).status_code == 200
    bad = _event({"score": {"value": 5}, "levelup": {"value": 2}})
    reply = api.post("/api/v1/eventing", token=token, json=bad)
    assert reply.status_code == 400
    assert "payload.levelup.value" in reply.json()["message"]


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (_event({}), "payload must contain one event kind"),
        (_event({"jump": {"value": 1}}), "payload.jump.value: unknown event kind 'jump'"),
        (_event({"reward": {"value": "e1"}}), "loyalty rewards exist only on the current API"),
        (_event({"score": {"value": "100"}}), "a score value must be a whole number, not str"),
        (_event({"score": {"value": True}}), "a score value must be a whole number, not a bool"),
        (_event({"score": {"value": 12.5}}), "a score value must be a whole number (got"),
        (_event({"score": {"value": 10**16}}), "a score value must be at most"),
        (_event({"score": {}}), "payload.score must be an object with a value"),
        (_event({"score": 5}), "payload.score must be an object with a value"),
        (_event({"achievement": {"value": 1.5}}), "achievement value must be a whole number"),
        (_event({"levelup": {"value": ["x"]}}), "a levelup value must be a string"),
        (_event({"levelup": {"value": "x" * 257}}), "limited to 256 characters"),
        (_event({"matchResult": {"value": "m1"}}), "payload.matchResult.value must be an array"),
        (_event({"lobbyJoined": {"value": [1]}}), "payload.lobbyJoined.value"),
        (_event({"lobbyJoined": {"value": []}}), "needs 1 to 64 items"),
        ({"metadata": {"playerId": "p1"}, "payload": {"score": {"value": 1}}}, "timestamp"),
        ({**_event({"score": {"value": 1}}), "timestamp": "now"}, "timestamp"),
        ({**_event({"score": {"value": 1}}), "metadata": {}}, "metadata.playerId is required"),
        ({**_event({"score": {"value": 1}}), "metadata": "p1"}, "metadata must be a JSON object"),
        (_event({"score": {"value": 1}}, playerId=7), "metadata.playerId must be a string"),
        (_event({"score": {"value": 1}}, level="3"), "metadata level must be a whole number"),
        (_event({"score": {"value": 1}}, tournamentId=5), "metadata tournamentId must be a string"),
        (_event({"score": {"value": 1}}, colour="red"), "unknown event metadata colour"),
        ({"timestamp": 1, "metadata": {"playerId": "p1"}}, "payload must be a JSON object"),
        ([1, 2], "request body must be a JSON object"),
    ],
)
def test_bad_events_are_400_and_not_recorded(api: Api, body: Any, fragment: str) -> None:
    token = api.token("p1")
    reply = api.post("/api/v1/eventing", token=token, json=body)
    assert reply.status_code == 400
    assert reply.json()["error"] == "VALIDATION_ERROR"
    assert fragment in reply.json()["message"]
    assert api.records("p1")["events"] == 0


def test_eventing_needs_a_token(api: Api) -> None:
    reply = api.post("/api/v1/eventing", json=_event({"score": {"value": 1}}))
    assert reply.status_code == 401
    assert reply.json()["error"] == "UN_AUTHORIZED"


def test_same_idempotency_key_counts_once(api: Api) -> None:
    token = api.token("p1")
    for _ in range(3):
        reply = api.score(token, 700, key="event-0001")
        assert reply.status_code == 200 and reply.json() is True
    assert api.score(token, 800, key="event-0002").status_code == 200
    assert api.records("p1")["events"] == 2
    events = api.get("/_sandbox/events", params={"gamer_id": "p1"}).json()
    assert [event["idempotency_key"] for event in events] == ["event-0001", "event-0002"]


def test_repeats_are_counted_as_raw_deliveries(api: Api) -> None:
    token = api.token("p1")
    for _ in range(3):
        assert api.score(token, 700, key="event-0001").status_code == 200
    records = api.records("p1")
    assert records["events"] == 1
    assert records["raw_deliveries"] == 3 and records["repeated_deliveries"] == 2
    assert records["deliveries"] == {"eventing": 3}
    log = api.get("/_sandbox/deliveries", params={"gamer_id": "p1"}).json()
    assert [(entry["replayed"], entry["status"]) for entry in log] == [
        (False, 200),
        (True, 200),
        (True, 200),
    ]


def test_reusing_a_key_for_another_event_is_409_and_changes_nothing(api: Api) -> None:
    token = api.token("p1")
    assert api.score(token, 700, key="event-0001").status_code == 200
    reply = api.score(token, 9_000, key="event-0001")
    assert reply.status_code == 409
    assert reply.json()["error"] == "IDEMPOTENCY_KEY_REUSED"
    assert api.records("p1")["best_score"] == 700
    assert api.records("p1")["events"] == 1


def test_documented_only_mode_does_not_deduplicate(
    make_sandbox: Any, make_api: Any
) -> None:
    api = make_api(make_sandbox(documented_only=True))
    token = api.token("p1")
    for _ in range(3):
        assert api.score(token, 700, key="event-0001").status_code == 200
    records = api.records("p1")
    assert records["events"] == 3
    assert records["raw_deliveries"] == 3 and records["repeated_deliveries"] == 0


def test_event_id_in_the_body_also_deduplicates(api: Api) -> None:
    token = api.token("p1")
    body = {**_event({"achievement": {"value": 1}}), "eventId": "evt-42"}
    for _ in range(2):
        assert api.post("/api/v1/eventing", token=token, json=body).status_code == 200
    assert api.records("p1")["events"] == 1
    assert api.get("/_sandbox/events", params={"gamer_id": "p1"}).json()[0]["event_id"] == "evt-42"


def test_idempotency_is_per_gamer(api: Api) -> None:
    first, second = api.token("p1"), api.token("p2")
    assert api.score(first, 10, key="same-key").status_code == 200
    assert api.score(second, 10, key="same-key", player="p2").status_code == 200
    assert api.records("p1")["events"] == 1 and api.records("p2")["events"] == 1


def test_events_without_keys_are_all_counted(api: Api) -> None:
    token = api.token("p1")
    for value in (1, 1, 1):
        assert api.score(token, value).status_code == 200
    assert api.records("p1")["events"] == 3


def test_score_feeds_best_score_of_joined_live_tournaments(api: Api) -> None:
    token = api.token("p1")
    free_roll = api.tournament_titled(token, "Daily Free Roll")
    sprint = next(t for t in api.live(token) if t["title"].startswith("Sprint"))
    for tournament in (free_roll, sprint):
        assert api.join(token, tournament["tournament_uid"], 0).status_code == 201
    for value in (300, 900, 500):
        assert api.score(token, value).status_code == 200
    for tournament in (free_roll, sprint):
        board = api.get(
            f"/api/v1/leaderboards/_byTournament/{tournament['tournament_uid']}", token=token
        ).json()
        mine = [entry for entry in board["leaderboard"] if entry["user_id"] == "p1"]
        assert mine and mine[0]["score"] == 900
    assert api.get("/api/v1/session", token=token).json()["score"] == 900


def test_score_with_tournament_id_feeds_only_that_tournament(api: Api) -> None:
    token = api.token("p1")
    free_roll = api.tournament_titled(token, "Daily Free Roll")["tournament_uid"]
    sprint = next(t for t in api.live(token) if t["title"].startswith("Sprint"))["tournament_uid"]
    api.join(token, free_roll, 0)
    api.join(token, sprint, 0)
    assert api.score(token, 444, tournamentId=sprint).status_code == 200

    def my_score(uid: str) -> Any:
        board = api.get(f"/api/v1/leaderboards/_byTournament/{uid}", token=token).json()
        return next(entry["score"] for entry in board["leaderboard"] if entry["user_id"] == "p1")

    assert my_score(sprint) == 444
    assert my_score(free_roll) == 0


def test_score_for_a_tournament_not_joined_is_accepted_but_not_ranked(api: Api) -> None:
    token = api.token("p1")
    bronze = api.tournament_titled(token, "Bronze Cup")["tournament_uid"]
    reply = api.score(token, 99_999, tournamentId=bronze)
    assert reply.status_code == 200
    board = api.get(f"/api/v1/leaderboards/_byTournament/{bronze}", token=token).json()
    assert all(entry["user_id"] != "p1" for entry in board["leaderboard"])
    assert api.records("p1")["score_events"] == 1


def test_score_for_an_unknown_tournament_is_404_and_not_recorded(api: Api) -> None:
    token = api.token("p1")
    reply = api.score(token, 10, key="k-unknown", tournamentId="no-such-tournament")
    assert reply.status_code == 404
    assert reply.json()["error"] == "TOURNAMENT_NOT_FOUND"
    assert api.records("p1")["events"] == 0
    # The key was not used up by the failed attempt.
    assert api.score(token, 10, key="k-unknown").status_code == 200


def test_score_milestones_grant_rewards_once(api: Api) -> None:
    token = api.token("p1")
    api.score(token, 999)
    assert api.get("/api/v1/rewards", token=token).json()["claimable_rewards_info"] == []
    api.score(token, 1000)
    api.score(token, 1200)
    rewards = api.get("/api/v1/rewards", token=token).json()
    assert [(r["source"], r["reward"]) for r in rewards["claimable_rewards_info"]] == [
        ("MILESTONE", 5)
    ]
    api.score(token, 7000)  # passes 5000
    rewards = api.get("/api/v1/rewards", token=token).json()
    assert sorted(r["reward"] for r in rewards["claimable_rewards_info"]) == [5, 20]
    assert rewards["total_claimable_rewards"] == 25
    assert all(r["tournament_id"] is None for r in rewards["claimable_rewards_info"])
