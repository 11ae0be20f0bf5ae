"""A toast for every loyalty reward that pays out, and the balance fetched again after it.

``KGen.reward_event()`` goes through the outbox; when the platform has paid
(``LOYALTY_REWARDED``, on the game thread inside ``KGen.update()``) the player sees it at
once, while playing or in a panel, and the balance tiles and the HUD badge catch up with
one balance refresh (the reward went to the earned balance, C19).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from kgen_pygame.panels.formatting import money, showable

if TYPE_CHECKING:
    from kgen_pygame.runtime.plugin import OverlayHost
    from kgen_pygame.ui import UIRoot


def reward_toast_text(amount: object) -> str:
    """``"You earned 15.00 KGeN"`` (without an amount the server did not send)."""
    if amount is None or showable(amount) is None:
        return "You earned a KGeN reward"
    return f"You earned {money(amount)}"


class RewardToasts:
    """Listens for ``LOYALTY_REWARDED``: a toast, then a balance refresh."""

    def __init__(self, kgen: OverlayHost, ui: UIRoot) -> None:
        self.kgen = kgen
        self.ui = ui
        kgen.on("loyalty_rewarded", self.rewarded)

    def rewarded(self, event: pygame.event.Event) -> None:
        """One reward paid out (called with the plugin's event)."""
        self.ui.toast(reward_toast_text(getattr(event, "amount", None)), "success")
        self.kgen.actions.wallet_balance()
