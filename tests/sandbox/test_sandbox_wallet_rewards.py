"""Wallet balance, transactions, rewards and claims, withdrawals."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from kgen_pygame.sandbox import SandboxServer
from tests.sandbox.conftest import Api

PHONE = {"phone_number": "9123456780", "countryCode": "+91"}


def _link(api: Api, token: str) -> str:
    challenge = api.post("/api/v1/verification/otp/_request", token=token, json=PHONE).json()
    otp = api.get("/_sandbox/otp", params=PHONE).json()["otp"]
    reply = api.post(
        "/api/v1/verification/otp/_verify",
        token=token,
        json={**PHONE, "authCode": challenge["authCode"], "otp": otp},
    )
    assert reply.status_code == 200
    return str(reply.json()["indigg_wallet_address"])


def _win(api: Api, token: str, gamer: str, prize: Any) -> str:
    """Make the gamer win a tournament with ``prize``; returns the tournament uid."""
    cup = api.create_tournament(
        title=f"Prize {prize}", guaranteed_prize=prize, total_players_rewarded=1
    )
    uid = str(cup["tournament_uid"])
    assert api.join(token, uid, 0).status_code == 201
    assert api.score(token, 1, player=gamer, tournamentId=uid).status_code == 200
    api.end(uid)
    return uid


def _rewards(api: Api, token: str) -> dict[str, Any]:
    reply = api.get("/api/v1/rewards", token=token)
    assert reply.status_code == 200
    body: dict[str, Any] = reply.json()
    return body


def test_new_wallet_balance(api: Api) -> None:
    started = api.start_session("fresh")
    balance = api.balance(started["token"])
    assert balance["wallet_address"] == started["wallet_address"]
    assert balance["earned_balance"] == 0 and balance["bought_balance"] == 0
    assert balance["bonus_balance"] == 50 and balance["lazy_balance"] == 50
    assert balance["minWalletBalToWithdraw"] == 20
    assert balance["wallet_transaction_error"] is False
    # The welcome bonus is not on chain yet, then it is.
    assert balance["on_chain_balance"] == 0 and balance["lazy_balance_delta"] == 50
    assert balance["is_lazy_balance_updated"] is False
    api.advance(6)
    synced = api.balance(started["token"])
    assert synced["on_chain_balance"] == 50 and synced["lazy_balance_delta"] == 0
    assert synced["is_lazy_balance_updated"] is True


def test_transactions_show_masked_addresses_and_sync_status(api: Api) -> None:
    started = api.start_session("history")
    wallet = started["wallet_address"]
    path = f"/api/v1/wallet/lazyChain/transactions/{wallet}"
    history = api.get(path, token=started["token"]).json()
    assert history["fromTransactions"] == []
    (bonus,) = history["toTransactions"]
    assert bonus["amount"] == 50 and bonus["sync_status"] == "PENDING"
    assert bonus["to_wallet"] == f"{wallet[:4]}*****{wallet[-4:]}"
    assert bonus["description"]["type"] == "BONUS"
    assert bonus["description"]["platformProtocolsTxnType"] == "CREDIT"
    api.advance(6)
    assert (
        api.get(path, token=started["token"]).json()["toTransactions"][0]["sync_status"]
        == "COMPLETED"
    )
    # Address case does not matter; another wallet is forbidden.
    upper = f"/api/v1/wallet/lazyChain/transactions/0x{wallet[2:].upper()}"
    assert api.get(upper, token=started["token"]).status_code == 200
    other = api.start_session("someone")["wallet_address"]
    reply = api.get(f"/api/v1/wallet/lazyChain/transactions/{other}", token=started["token"])
    assert reply.status_code == 403 and reply.json()["error"] == "FORBIDDEN"


def test_claim_one_reward(api: Api) -> None:
    token = api.token("claimer")
    _win(api, token, "claimer", 30)
    _win(api, token, "claimer", 12.5)
    rewards = _rewards(api, token)
    assert rewards["total_claimable_rewards"] == 42.5
    first = rewards["claimable_rewards_info"][0]
    reply = api.post("/api/v1/rewards/_claim", token=token, json={"reward_ids": [first["uid"]]})
    assert reply.status_code == 200
    body = reply.json()
    assert body["message"] == "Rewards claimed successfully"
    assert body["claimed"] == 1 and body["amount"] == first["reward"]
    left = _rewards(api, token)
    assert [r["uid"] for r in left["claimable_rewards_info"]] != [first["uid"]]
    assert left["total_claimable_rewards"] == 42.5 - first["reward"]
    balance = api.balance(token)
    assert balance["earned_balance"] == first["reward"]
    assert balance["lazy_balance"] == 50 + first["reward"]
    again = api.post("/api/v1/rewards/_claim", token=token, json={"reward_ids": [first["uid"]]})
    assert again.status_code == 409 and again.json()["error"] == "REWARD_ALREADY_CLAIMED"


def test_claim_all_then_nothing_left(api: Api) -> None:
    started = api.start_session("all")
    token = started["token"]
    _win(api, token, "all", 30)
    api.score(token, 1500, player="all")  # milestone reward 5
    assert len(_rewards(api, token)["claimable_rewards_info"]) == 2
    reply = api.post("/api/v1/rewards/_claim", token=token)  # no body: claim everything
    assert reply.status_code == 200
    assert reply.json()["claimed"] == 2 and reply.json()["amount"] == 35
    assert _rewards(api, token) == {"total_claimable_rewards": 0, "claimable_rewards_info": []}
    assert api.balance(token)["earned_balance"] == 35
    history = api.get(
        f"/api/v1/wallet/lazyChain/transactions/{started['wallet_address']}", token=token
    ).json()
    kinds = sorted(tx["description"]["type"] for tx in history["toTransactions"])
    assert kinds == ["BONUS", "REWARD", "REWARD"]
    nothing = api.post("/api/v1/rewards/_claim", token=token, json={})
    assert nothing.status_code == 422 and nothing.json()["error"] == "NO_CLAIMABLE_REWARDS"
    assert api.records("all")["claims"] == 2


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"reward_ids": ["no-such-reward"]}, 404, "REWARD_NOT_FOUND"),
        ({"reward_ids": []}, 400, "VALIDATION_ERROR"),
        ({"reward_ids": "all"}, 400, "VALIDATION_ERROR"),
        ({"reward_ids": [1]}, 400, "VALIDATION_ERROR"),
        ([1], 400, "VALIDATION_ERROR"),
    ],
)
def test_claim_errors(api: Api, body: Any, status: int, code: str) -> None:
    token = api.token("claimer")
    _win(api, token, "claimer", 10)
    reply = api.post("/api/v1/rewards/_claim", token=token, json=body)
    assert reply.status_code == status
    assert reply.json()["error"] == code
    assert api.balance(token)["earned_balance"] == 0


def test_rewards_of_another_gamer_cannot_be_claimed(api: Api) -> None:
    owner = api.token("owner")
    _win(api, owner, "owner", 10)
    uid = _rewards(api, owner)["claimable_rewards_info"][0]["uid"]
    thief = api.token("thief")
    reply = api.post("/api/v1/rewards/_claim", token=thief, json={"reward_ids": [uid]})
    assert reply.status_code == 404


def test_withdraw_before_linking(api: Api) -> None:
    token = api.token("unlinked")
    _win(api, token, "unlinked", 30)
    api.post("/api/v1/rewards/_claim", token=token)
    reply = api.post("/api/v1/wallet/_withdraw", token=token)
    assert reply.status_code == 422
    assert reply.json()["error"] == "WALLET_NOT_LINKED"
    assert api.balance(token)["earned_balance"] == 30


def test_withdraw_below_minimum(api: Api) -> None:
    token = api.token("small")
    _link(api, token)
    empty = api.post("/api/v1/wallet/_withdraw", token=token)
    assert empty.status_code == 422 and empty.json()["error"] == "BELOW_MIN_WITHDRAW"
    _win(api, token, "small", 15)
    api.post("/api/v1/rewards/_claim", token=token)
    reply = api.post("/api/v1/wallet/_withdraw", token=token)
    assert reply.status_code == 422
    assert reply.json()["error"] == "BELOW_MIN_WITHDRAW"
    assert reply.json()["minWalletBalToWithdraw"] == 20


def test_withdraw_all_and_part(api: Api) -> None:
    started = api.start_session("rich")
    token = started["token"]
    kgen_wallet = _link(api, token)
    _win(api, token, "rich", 100)
    api.post("/api/v1/rewards/_claim", token=token)

    above = api.post("/api/v1/wallet/_withdraw", token=token, json={"amount": 100.01})
    assert above.status_code == 422 and above.json()["error"] == "AMOUNT_EXCEEDS_BALANCE"
    below = api.post("/api/v1/wallet/_withdraw", token=token, json={"amount": 5})
    assert below.status_code == 422 and below.json()["error"] == "BELOW_MIN_WITHDRAW"
    for bad in ({"amount": 0}, {"amount": -5}, {"amount": "25"}, {"amount": 25.005}, [25]):
        reply = api.post("/api/v1/wallet/_withdraw", token=token, json=bad)
        assert reply.status_code == 400, bad
        assert reply.json()["error"] == "VALIDATION_ERROR"

    part = api.post("/api/v1/wallet/_withdraw", token=token, json={"amount": 25.5})
    assert part.status_code == 200
    assert part.json() | {"transaction_uid": None} == {
        "userKGeNWalletAddr": kgen_wallet,
        "earnedBalance": 25.5,
        "status": "SUCCESS",
        "message": "Withdrawn Successfully",
        "remainingEarnedBalance": 74.5,
        "transaction_uid": None,
    }
    rest = api.post("/api/v1/wallet/_withdraw", token=token)
    assert rest.status_code == 200 and rest.json()["earnedBalance"] == 74.5
    balance = api.balance(token)
    assert balance["earned_balance"] == 0 and balance["bonus_balance"] == 50
    history = api.get(
        f"/api/v1/wallet/lazyChain/transactions/{started['wallet_address']}", token=token
    ).json()
    withdrawals = [
        tx for tx in history["fromTransactions"] if tx["description"]["type"] == "WITHDRAW"
    ]
    assert sorted(tx["amount"] for tx in withdrawals) == [25.5, 74.5]
    assert all(tx["to_wallet"] == f"{kgen_wallet[:4]}*****{kgen_wallet[-4:]}" for tx in withdrawals)
    assert api.records("rich")["withdrawals"] == 2


def test_min_withdraw_follows_the_config(
    make_sandbox: Callable[..., SandboxServer], make_api: Callable[[SandboxServer], Api]
) -> None:
    api = make_api(make_sandbox(min_withdraw=Decimal("5"), welcome_bonus=Decimal("0")))
    token = api.token("low")
    assert api.balance(token)["bonus_balance"] == 0
    assert api.balance(token)["minWalletBalToWithdraw"] == 5
    _link(api, token)
    _win(api, token, "low", 6)
    api.post("/api/v1/rewards/_claim", token=token)
    assert api.post("/api/v1/wallet/_withdraw", token=token).status_code == 200
