"""One player seen through /api/v1, the current generation and the legacy paths."""

from __future__ import annotations

from collections.abc import Callable

from tests.sandbox.conftest import LEGACY_HEADERS, Api, CurrentApi


def test_one_player_one_wallet_whichever_generation(
    cur: CurrentApi, make_api: Callable[..., Api]
) -> None:
    v1 = make_api(cur.server)
    v1_session = v1.start_session("tri")
    v1_token = v1_session["token"]
    current = cur.session("tri")
    token = current["access_token"]
    legacy = cur.post(
        "/api/proxy/auth/user/session", json={"user_id": "tri"}, headers=LEGACY_HEADERS
    ).json()
    wallet = v1_session["wallet_address"]
    assert current["wallet_address"] == legacy["wallet_address"] == wallet
    assert current["is_new_user"] is legacy["is_new_user"] is False

    # Money earned on each generation lands in one balance.
    uid = cur.create_tournament(guaranteed_prize=30)
    assert v1.join(v1_token, uid, 0).status_code == 201
    assert cur.score(token, uid, 300).status_code == 200
    cur.end(uid)
    event_id = cur.put_event(rewardAmount=7)["eventID"]
    grant = cur.post(
        f"/api/event-reward-user-claims/events/{event_id}",
        headers={**LEGACY_HEADERS, "user-jwt-token": legacy["access_token"]},
    )
    assert grant.status_code == 201
    # The prize is claimable on both generations; claimed on v1, gone on the current one.
    (prize,) = v1.get("/api/v1/rewards", token=v1_token).json()["claimable_rewards_info"]
    current_list = cur.get("/fe/esports/rewards/claim", token=token).json()
    assert [r["tournament_id"] for r in current_list["claimable_rewards_info"]] == [uid]
    assert prize["tournament_id"] == uid and prize["reward"] == 30
    assert v1.post("/api/v1/rewards/_claim", token=v1_token).status_code == 200
    assert cur.get("/fe/esports/rewards/claim", token=token).json()["total_claimable_rewards"] == 0

    # The phone linked on the current generation is linked on v1 too.
    cur.link_phone(token)
    v1_view = v1.get("/api/v1/session", token=v1_token).json()
    assert v1_view["linked_phone"] == "+91******3210"
    assert cur.session("tri")["linked_phone"] == "+919876543210"
    linked = cur.get("/fe/users/account/linked-mobile-number", token=legacy["access_token"])
    assert linked.json()["IndiggWalletAddress"] == v1_view["indigg_wallet_address"]

    # The same balances and history everywhere.
    v1_balance = v1.balance(v1_token)
    for current_token in (token, legacy["access_token"]):
        balance = cur.balance(current_token)
        for field in ("earned_balance", "bonus_balance", "lazy_balance", "wallet_address"):
            assert balance[field] == v1_balance[field], field
    assert v1_balance["earned_balance"] == 37
    v1_history = v1.get(f"/api/v1/wallet/lazyChain/transactions/{wallet}", token=v1_token).json()
    current_history = cur.get("/fe/wallet/transactions", token=token).json()
    assert [t["uid"] for t in v1_history["toTransactions"]] == [
        t["uid"] for t in current_history["toTransactions"]
    ]
    kinds = {t["description"]["type"] for t in v1_history["toTransactions"]}
    assert kinds == {"BONUS", "REWARD", "LOYALTY_REWARD"}
    records = cur.records("tri")
    assert (records["sessions"], records["claims"], records["loyalty_rewards"]) == (4, 1, 1)
    assert records["best_score"] == 300
