"""Loyalty: rewardable events (/s2s/loyalty), grants and earned rewards (/fe/loyalty), L2."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.sandbox.conftest import EVENT_FIELDS, LEGACY_HEADERS, S2S_HEADERS, CurrentApi

EVENTS = "/s2s/loyalty/rewardable-events"
EARNED = "/fe/loyalty/event-reward-user-claims/user"


def test_create_get_update_list_delete(both: CurrentApi) -> None:
    created = both.put_event()
    event_id = created["eventID"]
    assert {key: created[key] for key in EVENT_FIELDS} == EVENT_FIELDS
    assert created["entityID"] and created["createdAt"] == created["updatedAt"]
    fetched = both.get(f"{EVENTS}/{event_id}", headers=S2S_HEADERS)
    assert fetched.status_code == 200 and fetched.json() == created
    both.advance(1)
    updated = both.put_event(
        eventID=event_id, entityID=created["entityID"], isActive=False, rewardAmount=12.5
    )
    assert updated["eventID"] == event_id and updated["rewardAmount"] == 12.5
    assert updated["isActive"] is False and updated["updatedAt"] > created["updatedAt"]
    other = both.put_event(eventName="Combo x10")
    listing = both.get(EVENTS, headers=S2S_HEADERS).json()
    assert listing["offset"] == ""
    assert [e["eventID"] for e in listing["rewardableEvents"]] == [other["eventID"], event_id]
    active = both.get(EVENTS, headers=S2S_HEADERS, params={"isActive": "true"}).json()
    assert [e["eventID"] for e in active["rewardableEvents"]] == [other["eventID"]]
    inactive = both.get(EVENTS, headers=S2S_HEADERS, params={"isActive": "false"}).json()
    assert [e["eventID"] for e in inactive["rewardableEvents"]] == [event_id]
    deleted = both.delete(f"{EVENTS}/{event_id}", headers=S2S_HEADERS)
    assert deleted.status_code == 204 and deleted.content == b""
    listing = both.get(EVENTS, headers=S2S_HEADERS).json()
    assert [e["eventID"] for e in listing["rewardableEvents"]] == [other["eventID"]]


def test_unknown_events(both: CurrentApi) -> None:
    expected = (400, "BAD_REQUEST") if both.documented_only else (404, "REWARDABLE_EVENT_NOT_FOUND")
    for reply in (
        both.get(f"{EVENTS}/nope", headers=S2S_HEADERS),
        both.delete(f"{EVENTS}/nope", headers=S2S_HEADERS),
        both.put(EVENTS, headers=S2S_HEADERS, json={**EVENT_FIELDS, "eventID": "nope"}),
    ):
        assert (reply.status_code, both.error_code(reply)) == expected
    event_id = both.put_event()["eventID"]
    assert both.delete(f"{EVENTS}/{event_id}", headers=S2S_HEADERS).status_code == 204
    again = both.delete(f"{EVENTS}/{event_id}", headers=S2S_HEADERS)
    assert (again.status_code, both.error_code(again)) == expected


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"eventName": None}, "eventName is required"),
        ({"eventType": ""}, "eventType must be 1 to"),
        ({"rewardAmount": 0}, "rewardAmount must be greater than 0"),
        ({"rewardAmount": "10"}, "rewardAmount must be a number"),
        ({"rewardAmount": 1.005}, "at most two decimal places"),
        ({"rewardCategory": "BONUS"}, "rewardCategory must be"),
        ({"entityType": "USER"}, "entityType must be"),
        ({"isActive": "yes"}, "isActive is required and must be true or false"),
        ({"activityTraceActivityID": None}, "activityTraceActivityID is required"),
    ],
)
def test_put_validates_every_field(cur: CurrentApi, change: dict[str, Any], fragment: str) -> None:
    body = {key: value for key, value in {**EVENT_FIELDS, **change}.items() if value is not None}
    reply = cur.put(EVENTS, headers=S2S_HEADERS, json=body)
    assert reply.status_code == 400
    assert reply.json()["error"] == "BAD_REQUEST"
    assert fragment in reply.json()["message"]
    assert cur.get(EVENTS, headers=S2S_HEADERS).json()["rewardableEvents"] == []


def test_update_checks_entity_id(cur: CurrentApi) -> None:
    event_id = cur.put_event()["eventID"]
    reply = cur.put(
        EVENTS, headers=S2S_HEADERS, json={**EVENT_FIELDS, "eventID": event_id, "entityID": "x"}
    )
    assert reply.status_code == 400 and "entityID" in reply.json()["message"]


def test_event_management_needs_client_credentials(both: CurrentApi) -> None:
    event_id = both.put_event()["eventID"]
    player = {"user-jwt-token": both.token()}
    for headers in ({}, {"x-client-id": "kgen-sandbox-client", "x-client-secret": "no"}, player):
        for reply in (
            both.put(EVENTS, headers=headers, json=EVENT_FIELDS),
            both.get(EVENTS, headers=headers),
            both.get(f"{EVENTS}/{event_id}", headers=headers),
            both.delete(f"{EVENTS}/{event_id}", headers=headers),
        ):
            assert reply.status_code == 401 and both.error_code(reply) == "UN_AUTHORIZED"


def test_bad_is_active_filter(both: CurrentApi) -> None:
    reply = both.get(EVENTS, headers=S2S_HEADERS, params={"isActive": "yes"})
    assert reply.status_code == 400 and both.error_code(reply) == "BAD_REQUEST"


def test_grant_credits_the_earned_balance_and_is_listed(both: CurrentApi) -> None:
    token = both.token("ach")
    event = both.put_event(rewardAmount=15)
    reply = both.grant(token, event["eventID"])
    assert reply.status_code == 201
    reward = reply.json()
    assert (reward["userID"], reward["eventID"], reward["rewardStatus"]) == (
        "ach",
        event["eventID"],
        "REWARDED",
    )
    assert reward["rewardAmount"] == 15 and reward["rewardID"]
    assert both.get(EARNED, token=token).json() == {"rewards": [reward], "offset": ""}
    balance = both.balance(token)
    assert (balance["earned_balance"], balance["bonus_balance"]) == (15, 50)
    credit = both.get("/fe/wallet/transactions", token=token).json()["toTransactions"][0]
    assert (credit["amount"], credit["description"]["type"]) == (15, "LOYALTY_REWARD")
    assert credit["description"]["platformProtocolsTxnDescription"] == "First 1,000 points"
    # Not an esports prize: never in the claimable list (C19).
    assert both.get("/fe/esports/rewards/claim", token=token).json()["claimable_rewards_info"] == []
    # A deleted event keeps the rewards earned for it.
    both.delete(f"{EVENTS}/{event['eventID']}", headers=S2S_HEADERS)
    assert both.get(EARNED, token=token).json()["rewards"] == [reward]


def test_grants_of_unknown_inactive_and_deleted_events(both: CurrentApi) -> None:
    token = both.token("no")
    inactive = both.put_event(isActive=False)["eventID"]
    deleted = both.put_event()["eventID"]
    both.delete(f"{EVENTS}/{deleted}", headers=S2S_HEADERS)
    for event_id, status, code in (
        ("missing", 404, "REWARDABLE_EVENT_NOT_FOUND"),
        (deleted, 404, "REWARDABLE_EVENT_NOT_FOUND"),
        (inactive, 400, "REWARDABLE_EVENT_INACTIVE"),
    ):
        reply = both.grant(token, event_id)
        if both.documented_only:
            status, code = 400, "BAD_REQUEST"
        assert (reply.status_code, both.error_code(reply)) == (status, code)
    assert both.balance(token)["earned_balance"] == 0
    assert both.get(EARNED, token=token).json()["rewards"] == []


def test_once_per_event_and_a_repeated_key(make_current: Callable[..., CurrentApi]) -> None:
    cur = make_current()
    token = cur.token("once")
    event_id = cur.put_event(rewardAmount=10)["eventID"]
    first = cur.grant(token, event_id, key="ach-1")
    retry = cur.grant(token, event_id, key="ach-1")
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()  # the same reward, replayed
    second = cur.grant(token, event_id, key="ach-2")
    assert second.status_code == 409 and second.json()["error"] == "LOYALTY_EVENT_ALREADY_REWARDED"
    assert cur.balance(token)["earned_balance"] == 10
    records = cur.records("once")
    assert records["loyalty_rewards"] == 1
    assert (records["raw_deliveries"], records["repeated_deliveries"]) == (3, 1)
    # Another player may earn it too.
    assert cur.grant(cur.token("other"), event_id).status_code == 201


def test_documented_only_mode_pays_every_grant(doc: CurrentApi) -> None:
    token = doc.token("many")
    event_id = doc.put_event(rewardAmount=10)["eventID"]
    for _ in range(3):
        assert doc.grant(token, event_id, key="ach-1").status_code == 201
    assert doc.balance(token)["earned_balance"] == 30
    assert len(doc.get(EARNED, token=token).json()["rewards"]) == 3
    assert doc.records("many")["repeated_deliveries"] == 0


def test_grants_and_the_earned_list_need_the_token(both: CurrentApi) -> None:
    event_id = both.put_event()["eventID"]
    for reply in (
        both.grant("forged", event_id),
        both.get(EARNED, token="forged"),
        both.post(f"/fe/loyalty/event-reward-user-claims/events/{event_id}", headers=S2S_HEADERS),
    ):
        assert reply.status_code == 401 and both.error_code(reply) == "UN_AUTHORIZED"


def test_legacy_grant_needs_client_headers_and_the_token(both: CurrentApi) -> None:
    token = both.token("legacy")
    event_id = both.put_event(rewardAmount=5)["eventID"]
    path = f"/api/event-reward-user-claims/events/{event_id}"
    s2s_and_token = {**S2S_HEADERS, "user-jwt-token": token}
    for headers in (LEGACY_HEADERS, {"user-jwt-token": token}, s2s_and_token):
        reply = both.post(path, headers=headers)
        assert reply.status_code == 401 and both.error_code(reply) == "UN_AUTHORIZED"
    reply = both.post(path, headers={**LEGACY_HEADERS, "user-jwt-token": token})
    assert reply.status_code == 201 and reply.json()["rewardAmount"] == 5
    assert both.get(EARNED, token=token).json()["rewards"] == [reply.json()]
    # Four deliveries; the one without a token belongs to no player.
    assert both.records("legacy")["deliveries"] == {"loyalty_grant": 3}
    deliveries = both.get("/_sandbox/deliveries", params={"gamer_id": "legacy"}).json()
    assert {d["api"] for d in deliveries} == {"legacy"}
