"""The custodial wallet: balance, transactions and withdrawal replies."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Literal

from kgen_pygame.api.fields import WireObject, blank_to_none
from kgen_pygame.models import Transaction, TransactionHistory, WalletBalance, WithdrawResult

__all__ = ["read_transactions", "read_wallet_balance", "read_withdraw_result"]


def read_wallet_balance(data: object, operation: str) -> WalletBalance:
    """Read the wallet balance; absent balances count as 0, none may be negative."""
    obj = WireObject.of(data, operation)
    zero = Decimal(0)
    return WalletBalance(
        wallet_address=obj.required_text("wallet_address"),
        earned=obj.required_money("earned_balance"),
        bought=obj.money("bought_balance") or zero,
        bonus=obj.money("bonus_balance") or zero,
        lazy=obj.money("lazy_balance") or zero,
        on_chain=obj.money("on_chain_balance") or zero,
        min_to_withdraw=obj.money("minWalletBalToWithdraw", "min_wallet_bal_to_withdraw") or zero,
        lazy_delta=obj.signed_money("lazy_balance_delta") or zero,
        is_lazy_balance_updated=obj.flag("is_lazy_balance_updated"),
        transaction_error=obj.flag("wallet_transaction_error"),
        created_at=obj.timestamp("created_at"),
        modified_at=obj.timestamp("modified_at"),
    )


def read_transactions(data: object, operation: str) -> TransactionHistory:
    """Read ``{fromTransactions, toTransactions}`` and/or the combined ``transactions``.

    The current docs show ``toTransactions`` twice in one object (C10): every copy
    is read and the union kept. A transaction listed more than once (same ``uid``)
    counts once, in the first place it appeared.
    """
    obj = WireObject.of(data, operation)
    if not obj.has("fromTransactions", "toTransactions", "transactions"):
        obj.fail("expected 'fromTransactions', 'toTransactions' or 'transactions'")
    seen: set[str] = set()
    outgoing: list[Transaction] = []
    incoming: list[Transaction] = []

    def keep(tx: Transaction) -> None:
        if tx.uid not in seen:
            seen.add(tx.uid)
            (outgoing if tx.direction == "out" else incoming).append(tx)

    for item in obj.all_objects("fromTransactions"):
        keep(_transaction(item, "out"))
    for item in obj.all_objects("toTransactions"):
        keep(_transaction(item, "in"))
    for item in obj.all_objects("transactions"):
        keep(_transaction(item, None))
    return TransactionHistory(incoming=tuple(incoming), outgoing=tuple(outgoing))


def _transaction(obj: WireObject, direction: Literal["in", "out"] | None) -> Transaction:
    description: str | None = None
    name = kind = entry_type = None
    if isinstance(obj.data.get("description"), Mapping):
        detail = obj.child("description")
        assert detail is not None
        description = detail.text("platformProtocolsTxnDescription", "description")
        name = detail.text("platformProtocolsTxnName", "name")
        kind = detail.text("type")
        entry_type = detail.text("platformProtocolsTxnType")
    else:
        description = obj.text("description")
    kind = kind or obj.text("type", "kind")
    entry_type = entry_type or obj.text("txn_type", "platformProtocolsTxnType")
    if direction is None:
        # The combined list says which way money went only through the type.
        direction = "out" if (entry_type or "").upper() == "DEBIT" else "in"
    return Transaction(
        uid=obj.required_text("uid", "id", "transaction_id"),
        direction=direction,
        from_wallet=blank_to_none(obj.text("from_wallet")),
        to_wallet=blank_to_none(obj.text("to_wallet")),
        amount=obj.required_money("amount"),
        status=obj.text("sync_status", "status") or "UNKNOWN",
        error=blank_to_none(obj.text("sync_error", "error")),
        created_at=obj.timestamp("created_at", "createdAt"),
        description=blank_to_none(description),
        kind=blank_to_none(kind),
        name=blank_to_none(name),
        entry_type=blank_to_none(entry_type),
    )


def read_withdraw_result(data: object, operation: str) -> WithdrawResult:
    """Read a withdrawal: the v1 object or the current ``{"msg": ...}`` form (C11)."""
    obj = WireObject.of(data, operation)
    if not obj.has("userKGeNWalletAddr", "earnedBalance", "status", "message", "msg"):
        obj.fail("expected 'status' and 'message' (or 'msg')")
    return WithdrawResult(
        destination_wallet=blank_to_none(
            obj.text("userKGeNWalletAddr", "destination_wallet", "kgen_wallet_address")
        ),
        amount=obj.money("earnedBalance", "amount"),
        status=obj.text("status") or "SUCCESS",
        message=obj.text("message", "msg") or "",
    )
