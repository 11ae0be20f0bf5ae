"""/fe/esports/rewards/claim, statistics, /fe/wallet: balance, transactions, withdraw."""

from __future__ import annotations

from typing import Any

from tests.sandbox.conftest import CurrentApi

BALANCE_FIELDS = {
    "wallet_address",
    "earned_balance",
    "bought_balance",
    "bonus_balance",
    "lazy_balance",
    "on_chain_balance",
    "wallet_transaction_error",
    "lazy_balance_delta",
    "is_lazy_balance_updated",
    "created_at",
    "modified_at",
    "minWalletBalToWithdraw",
}


def _win(api: CurrentApi, token: str, user_id: str, prize: int = 30) -> str:
    """Join a fresh tournament, score, end it: one unclaimed reward of ``prize``."""
    uid = api.create_tournament(guaranteed_prize=prize)
    api.join(token, uid)
    api.score(token, uid, 10)
    api.end(uid)
    return uid


def test_claimable_rewards_count_and_claim_all(both: CurrentApi) -> None:
    token = both.token("cl")
    empty = both.get("/fe/esports/rewards/claim", token=token).json()
    assert empty == {"total_claimable_rewards": 0, "claimable_rewards_info": []}
    first, second = _win(both, token, "cl", 30), _win(both, token, "cl", 25)
    listed = both.get("/fe/esports/rewards/claim", token=token).json()
    assert listed["total_claimable_rewards"] == 2  # a count (C16)
    info = listed["claimable_rewards_info"]
    assert [(r["tournament_id"], r["reward"], r["claim_status"]) for r in info] == [
        (first, 30, "UNCLAIMED"),
        (second, 25, "UNCLAIMED"),
    ]
    assert info[0]["user_id"] == "cl"
    assert info[0]["wallet_address"] == both.balance(token)["wallet_address"]
    # GET changes nothing; POST claims everything into the earned balance.
    assert both.get("/fe/esports/rewards/claim", token=token).json() == listed
    reply = both.post("/fe/esports/rewards/claim", token=token)
    assert reply.status_code == 200
    body = reply.json()
    assert body["message"] == "Rewards claimed successfully"
    if both.documented_only:
        assert set(body) == {"message"}
    else:
        assert (body["claimed"], body["amount"]) == (2, 55)
    assert both.balance(token)["earned_balance"] == 55
    assert both.get("/fe/esports/rewards/claim", token=token).json()["claimable_rewards_info"] == []
    # Nothing left: still 200, nothing credited.
    assert both.post("/fe/esports/rewards/claim", token=token, json={}).status_code == 200
    assert both.balance(token)["earned_balance"] == 55


def test_claim_refuses_a_selective_claim(both: CurrentApi) -> None:
    token = both.token("sel")
    _win(both, token, "sel")
    reply = both.post("/fe/esports/rewards/claim", token=token, json={"reward_ids": ["x"]})
    assert reply.status_code == 400 and both.error_code(reply) == "BAD_REQUEST"
    for bad in ("[1]", "{"):
        reply = both.post("/fe/esports/rewards/claim", token=token, data=bad)
        assert reply.status_code == 400 and both.error_code(reply) == "BAD_REQUEST"
    assert both.get("/fe/esports/rewards/claim", token=token).json()["total_claimable_rewards"] == 1


def test_statistics(both: CurrentApi) -> None:
    token = both.token("st")
    uid = _win(both, token, "st")
    (entry,) = both.get("/fe/esports/statistics/historic", token=token).json()
    assert (entry["type"], entry["typeValue"], entry["result"]) == ("Tournament", 1, "Won")
    assert (entry["buyInStake"], entry["amountWon"], entry["mode"]) == (0, 30, "Quick")
    if both.documented_only:
        assert "tournament_uid" not in entry
    else:
        assert (entry["tournament_uid"], entry["title"], entry["score"]) == (uid, "Test Cup", 10)


def test_balance_has_exactly_the_documented_fields(both: CurrentApi) -> None:
    token = both.token("bal")
    balance = both.balance(token)
    assert set(balance) == BALANCE_FIELDS
    assert (balance["bonus_balance"], balance["lazy_balance"], balance["earned_balance"]) == (
        50,
        50,
        0,
    )
    assert balance["minWalletBalToWithdraw"] == 20


def test_transactions_shape(both: CurrentApi) -> None:
    token = both.token("tx")
    paid = both.create_tournament(buy_in=10)
    both.join(token, paid, 10)
    both.advance(10)  # past the chain sync delay
    history = both.get("/fe/wallet/transactions", token=token).json()
    assert set(history) == {
        "fromTransactions",
        "toTransactions",
        "transactions",
        "last_evaluated_key",
    }
    assert history["last_evaluated_key"] == ""
    (join,) = history["fromTransactions"]
    (bonus,) = history["toTransactions"]
    assert history["transactions"] == [join, bonus]
    assert join["description"]["type"] == "JOIN"
    assert join["description"]["platformProtocolsTxnType"] == "DEBIT"
    assert bonus["description"]["platformProtocolsTxnType"] == "CREDIT"
    assert join["sync_status"] == "COMPLETED" and "sync_error" not in join
    assert "*****" in join["from_wallet"]


def test_withdraw(both: CurrentApi) -> None:
    token = both.token("wd")
    reply = both.post("/fe/wallet/withdraw", token=token)
    assert reply.status_code == 400
    assert both.error_code(reply) == (
        "BAD_REQUEST" if both.documented_only else "WALLET_NOT_LINKED"
    )
    both.link_phone(token)
    reply = both.post("/fe/wallet/withdraw", token=token)
    assert reply.status_code == 400  # nothing earned yet
    assert both.error_code(reply) == (
        "BAD_REQUEST" if both.documented_only else "BELOW_MIN_WITHDRAW"
    )
    _win(both, token, "wd", 30)
    both.post("/fe/esports/rewards/claim", token=token)
    refused = both.post("/fe/wallet/withdraw", token=token, json={"amount": 5})
    assert refused.status_code == 400 and both.error_code(refused) == "BAD_REQUEST"
    reply = both.post("/fe/wallet/withdraw", token=token)
    assert reply.status_code == 200
    assert reply.json() == {"msg": "wallet withdrawal successful"}
    assert both.balance(token)["earned_balance"] == 0
    linked = both.get("/fe/users/account/linked-mobile-number", token=token).json()
    history = both.get("/fe/wallet/transactions", token=token).json()
    withdrawal = history["fromTransactions"][0]
    assert (withdrawal["amount"], withdrawal["description"]["type"]) == (30, "WITHDRAW")
    wallet = linked["IndiggWalletAddress"]
    assert withdrawal["to_wallet"] == f"{wallet[:4]}*****{wallet[-4:]}"


def test_every_wallet_and_reward_call_needs_the_token(both: CurrentApi) -> None:
    calls: list[tuple[str, str, Any]] = [
        ("GET", "/fe/esports/rewards/claim", None),
        ("POST", "/fe/esports/rewards/claim", None),
        ("GET", "/fe/esports/statistics/historic", None),
        ("GET", "/fe/wallet/balance", None),
        ("GET", "/fe/wallet/transactions", None),
        ("POST", "/fe/wallet/withdraw", None),
    ]
    for method, path, _ in calls:
        for token in (None, "forged"):
            reply = both.request(method, path, token=token)
            assert reply.status_code == 401, path
            assert both.error_code(reply) == "UN_AUTHORIZED"
