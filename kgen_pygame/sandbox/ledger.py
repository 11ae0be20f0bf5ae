"""Custodial wallets: balances, the transaction ledger, and moving money in and out.

Every balance change writes a transaction, so the ledger alone explains a balance. A
transaction counts as synced "on chain" once ``chain_sync_delay_s`` has passed; the balance's
``on_chain_balance`` / ``lazy_balance_delta`` fields follow from that.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .clock import iso
from .context import Ctx
from .errors import ApiError
from .identity import derived_address, mask_wallet, new_uid
from .jsonutil import decimal_text
from .money import from_cents, to_cents

TREASURY_WALLET = derived_address("kgen-sandbox-treasury")

KIND_JOIN = "JOIN"
KIND_REWARD = "REWARD"
KIND_WITHDRAW = "WITHDRAW"
KIND_BONUS = "BONUS"
KIND_REFUND = "REFUND"
KIND_LOYALTY = "LOYALTY_REWARD"

_HISTORY_LIMIT = 500


@dataclass(frozen=True, slots=True)
class StakeSplit:
    """Which balances a joining stake was taken from (so a refund can put it back)."""

    bonus_cents: int
    earned_cents: int
    bought_cents: int

    @property
    def total_cents(self) -> int:
        """The whole stake."""
        return self.bonus_cents + self.earned_cents + self.bought_cents


def record(
    conn: sqlite3.Connection,
    now: float,
    *,
    kind: str,
    from_wallet: str,
    to_wallet: str,
    amount_cents: int,
    name: str,
    description: str,
) -> str:
    """Append one transaction to the ledger; returns its uid."""
    uid = new_uid()
    conn.execute(
        "INSERT INTO transactions(uid, kind, from_wallet, to_wallet, amount_cents, name,"
        " description, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (uid, kind, from_wallet, to_wallet, amount_cents, name, description, now),
    )
    return uid


def credit_earned(
    ctx: Ctx,
    gamer_pk: int,
    wallet: str,
    amount_cents: int,
    *,
    source: str,
    description: str,
    kind: str = KIND_REWARD,
    name: str = "Reward credit",
) -> str:
    """Add to the earned balance (a claimed reward, a loyalty reward) with a transaction."""
    ctx.conn.execute(
        "UPDATE gamers SET earned_cents = earned_cents + ?, modified_at = ? WHERE id = ?",
        (amount_cents, ctx.now, gamer_pk),
    )
    return record(
        ctx.conn,
        ctx.now,
        kind=kind,
        from_wallet=source,
        to_wallet=wallet,
        amount_cents=amount_cents,
        name=name,
        description=description,
    )


def debit_stake(
    ctx: Ctx, gamer: sqlite3.Row, amount_cents: int, *, to_wallet: str, description: str
) -> StakeSplit:
    """Take a tournament stake, bonus balance first, then earned, then bought."""
    bonus, earned, bought = gamer["bonus_cents"], gamer["earned_cents"], gamer["bought_cents"]
    if bonus + earned + bought < amount_cents:
        raise ApiError(
            422,
            "INSUFFICIENT_BALANCE",
            "Wallet balance is too low for this joining stake",
            extras={
                "balance": from_cents(bonus + earned + bought),
                "required": from_cents(amount_cents),
            },
        )
    remaining = amount_cents
    take_bonus = min(bonus, remaining)
    remaining -= take_bonus
    take_earned = min(earned, remaining)
    remaining -= take_earned
    ctx.conn.execute(
        "UPDATE gamers SET bonus_cents = bonus_cents - ?, earned_cents = earned_cents - ?,"
        " bought_cents = bought_cents - ?, modified_at = ? WHERE id = ?",
        (take_bonus, take_earned, remaining, ctx.now, gamer["id"]),
    )
    record(
        ctx.conn,
        ctx.now,
        kind=KIND_JOIN,
        from_wallet=gamer["wallet_address"],
        to_wallet=to_wallet,
        amount_cents=amount_cents,
        name="Tournament fee deduct",
        description=description,
    )
    return StakeSplit(take_bonus, take_earned, remaining)


def refund_stake(
    ctx: Ctx, gamer: sqlite3.Row, split: StakeSplit, *, from_wallet: str, description: str
) -> str:
    """Give a stake back to the balances it came from (a REFUND transaction)."""
    ctx.conn.execute(
        "UPDATE gamers SET bonus_cents = bonus_cents + ?, earned_cents = earned_cents + ?,"
        " bought_cents = bought_cents + ?, modified_at = ? WHERE id = ?",
        (split.bonus_cents, split.earned_cents, split.bought_cents, ctx.now, gamer["id"]),
    )
    return record(
        ctx.conn,
        ctx.now,
        kind=KIND_REFUND,
        from_wallet=from_wallet,
        to_wallet=gamer["wallet_address"],
        amount_cents=split.total_cents,
        name="Tournament fee refund",
        description=description,
    )


def grant_welcome_bonus(ctx: Ctx, gamer_pk: int, wallet: str) -> None:
    """Credit the welcome bonus of a new wallet (a BONUS transaction from the treasury)."""
    cents = to_cents(ctx.config.welcome_bonus)
    if cents <= 0:
        return
    ctx.conn.execute(
        "UPDATE gamers SET bonus_cents = bonus_cents + ? WHERE id = ?", (cents, gamer_pk)
    )
    record(
        ctx.conn,
        ctx.now,
        kind=KIND_BONUS,
        from_wallet=TREASURY_WALLET,
        to_wallet=wallet,
        amount_cents=cents,
        name="Welcome bonus",
        description="Welcome bonus for a new KGeN wallet",
    )


def _synced_cents(ctx: Ctx, wallet: str) -> int:
    row = ctx.conn.execute(
        "SELECT COALESCE(SUM(CASE WHEN to_wallet = :wallet THEN amount_cents"
        " ELSE -amount_cents END), 0) FROM transactions"
        " WHERE (from_wallet = :wallet OR to_wallet = :wallet) AND created_at <= :synced",
        {"wallet": wallet, "synced": ctx.now - ctx.config.chain_sync_delay_s},
    ).fetchone()
    return int(row[0])


def total_cents(gamer: sqlite3.Row) -> int:
    """Everything spendable in the custodial wallet."""
    return int(gamer["earned_cents"] + gamer["bought_cents"] + gamer["bonus_cents"])


def balance_json(ctx: Ctx, gamer: sqlite3.Row) -> dict[str, Any]:
    """The body of ``GET /api/v1/wallet/lazyChain/balance``."""
    lazy = total_cents(gamer)
    on_chain = _synced_cents(ctx, gamer["wallet_address"])
    return {
        "wallet_address": gamer["wallet_address"],
        "earned_balance": from_cents(gamer["earned_cents"]),
        "bought_balance": from_cents(gamer["bought_cents"]),
        "bonus_balance": from_cents(gamer["bonus_cents"]),
        "wallet_transaction_error": False,
        "created_at": iso(gamer["created_at"]),
        "modified_at": iso(gamer["modified_at"]),
        "lazy_balance_delta": from_cents(lazy - on_chain),
        "is_lazy_balance_updated": lazy == on_chain,
        "lazy_balance": from_cents(lazy),
        "on_chain_balance": from_cents(on_chain),
        "minWalletBalToWithdraw": ctx.config.min_withdraw,
        "indigg_wallet_address": gamer["kgen_wallet_address"],
    }


def transaction_json(ctx: Ctx, row: sqlite3.Row, direction: str) -> dict[str, Any]:
    """One transaction as the history shows it; ``direction`` is CREDIT or DEBIT."""
    synced = row["created_at"] <= ctx.now - ctx.config.chain_sync_delay_s
    amount = from_cents(row["amount_cents"])
    return {
        "uid": row["uid"],
        "from_wallet": mask_wallet(row["from_wallet"]),
        "to_wallet": mask_wallet(row["to_wallet"]),
        "amount": amount,
        "sync_status": "COMPLETED" if synced else "PENDING",
        "sync_error": None,
        "created_at": iso(row["created_at"]),
        "updated_at": iso(row["created_at"] + (ctx.config.chain_sync_delay_s if synced else 0)),
        "description": {
            "platformProtocolsTxnAmount": amount,
            "platformProtocolsTxnDescription": row["description"],
            "platformProtocolsTxnName": row["name"],
            "type": row["kind"],
            "platformProtocolsTxnType": direction,
        },
    }


_COLUMNS = "uid, kind, from_wallet, to_wallet, amount_cents, name, description, created_at"


def outgoing(ctx: Ctx, wallet: str) -> list[sqlite3.Row]:
    """Transactions sent from the wallet, newest first."""
    return ctx.conn.execute(
        f"SELECT {_COLUMNS} FROM transactions WHERE from_wallet = ?"  # noqa: S608 - constant
        " ORDER BY created_at DESC, rowid DESC LIMIT ?",
        (wallet, ctx.config.list_rows or _HISTORY_LIMIT),
    ).fetchall()


def incoming(ctx: Ctx, wallet: str) -> list[sqlite3.Row]:
    """Transactions received by the wallet, newest first."""
    return ctx.conn.execute(
        f"SELECT {_COLUMNS} FROM transactions WHERE to_wallet = ?"  # noqa: S608 - constant
        " ORDER BY created_at DESC, rowid DESC LIMIT ?",
        (wallet, ctx.config.list_rows or _HISTORY_LIMIT),
    ).fetchall()


def history_json(ctx: Ctx, wallet: str) -> dict[str, Any]:
    """The body of ``GET /api/v1/wallet/lazyChain/transactions/{wallet_address}``."""
    return {
        "fromTransactions": [transaction_json(ctx, row, "DEBIT") for row in outgoing(ctx, wallet)],
        "toTransactions": [transaction_json(ctx, row, "CREDIT") for row in incoming(ctx, wallet)],
    }


def withdraw(ctx: Ctx, gamer: sqlite3.Row, amount: Decimal | None) -> dict[str, Any]:
    """Move earned balance to the linked KGeN wallet (all of it, or ``amount``)."""
    kgen_wallet = gamer["kgen_wallet_address"]
    if not kgen_wallet:
        raise ApiError(
            422,
            "WALLET_NOT_LINKED",
            "Link a KGeN wallet (verify your phone number) before withdrawing",
        )
    earned = int(gamer["earned_cents"])
    minimum = ctx.config.min_withdraw
    extras = {"earned_balance": from_cents(earned), "minWalletBalToWithdraw": minimum}
    wanted = earned if amount is None else to_cents(amount)
    if amount is not None and wanted > earned:
        raise ApiError(
            422, "AMOUNT_EXCEEDS_BALANCE", "Amount exceeds the earned balance", extras=extras
        )
    if earned == 0 or from_cents(earned) < minimum or from_cents(wanted) < minimum:
        raise ApiError(
            422,
            "BELOW_MIN_WITHDRAW",
            f"A withdrawal must be at least {decimal_text(minimum)} "
            f"(earned balance: {decimal_text(from_cents(earned))})",
            extras=extras,
        )
    ctx.conn.execute(
        "UPDATE gamers SET earned_cents = earned_cents - ?, modified_at = ? WHERE id = ?",
        (wanted, ctx.now, gamer["id"]),
    )
    uid = record(
        ctx.conn,
        ctx.now,
        kind=KIND_WITHDRAW,
        from_wallet=gamer["wallet_address"],
        to_wallet=kgen_wallet,
        amount_cents=wanted,
        name="Withdraw to KGeN wallet",
        description="Earned balance withdrawn to the linked KGeN wallet",
    )
    return {
        "userKGeNWalletAddr": kgen_wallet,
        "earnedBalance": from_cents(wanted),
        "status": "SUCCESS",
        "message": "Withdrawn Successfully",
        "remainingEarnedBalance": from_cents(earned - wanted),
        "transaction_uid": uid,
    }
