"""The two wallets, named the same way on every panel.

* the **in-game wallet**: the custodial wallet the platform made for the player
  in this game; rewards land there and entry fees leave from it;
* **your KGeN wallet**: the player's own wallet, created when they link their
  phone; withdrawals go there.
"""

from __future__ import annotations

from kgen_pygame.models import Session
from kgen_pygame.panels.formatting import short_address

IN_GAME = "in-game wallet"
KGEN = "KGeN wallet"
#: The one short explanation, wherever both wallets appear.
EXPLAINED = (
    "Withdrawals move earned KGeN from your in-game wallet to your KGeN wallet "
    "(the one linking your phone creates). Bonus KGeN stays for tournament entries."
)


def in_game_wallet(address: str | None) -> str:
    """``"In-game wallet 0x9943...d317"`` (or just ``"In-game wallet"``)."""
    return f"In-game wallet {short_address(address)}" if address else "In-game wallet"


def kgen_wallet(address: str | None) -> str:
    """``"Your KGeN wallet 0xd0d6...8a2c"`` (or just ``"Your KGeN wallet"``)."""
    return f"Your KGeN wallet {short_address(address)}" if address else "Your KGeN wallet"


def wallet_name(address: str | None, session: Session | None) -> str:
    """An address in a transaction, named when it is one of the player's two wallets.

    The full address follows the name, so nothing is hidden.
    """
    if not address:
        return "-"
    if session is not None and same_wallet(address, session.wallet_address):
        return f"Your in-game wallet ({address})"
    if session is not None and same_wallet(address, session.kgen_wallet_address):
        return f"Your KGeN wallet ({address})"
    return address


def same_wallet(shown: str | None, known: str | None) -> bool:
    """``shown`` is ``known``, or its masked form (``0xf5*****c47d`` for ``0xf5b2...c47d``)."""
    if not shown or not known:
        return False
    if "*" not in shown:
        return shown.lower() == known.lower()
    head, _, tail = shown.partition("*")
    tail = tail.lstrip("*")
    return (
        len(known) >= len(head) + len(tail)
        and known.lower().startswith(head.lower())
        and known.lower().endswith(tail.lower())
    )
