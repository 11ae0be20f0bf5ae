"""The in-game KGeN overlays: HUD badge, menu and panels, drawn into the game's surface.

``KGen`` creates one :class:`KGenOverlay` and forwards its three per-frame calls
to it; a game never needs to touch this package directly::

    kgen.open_menu()                       # the KGeN menu (hub)
    kgen.open_menu("rewards")              # or one panel by name
    kgen.open_menu("leaderboard", tournament_id=uid)

Panels (names for ``open_menu``): ``menu``, ``link`` (wallet linking with an
OTP), ``rewards``, ``withdraw``, ``tournaments`` (with ``tournament_id``: its
details), ``leaderboard``, ``history``, ``stats``, ``earned`` (loyalty rewards
earned, current generation). The HUD badge shows the
balance and rewards to claim; the hotkey (``config.hotkey``, default F1) or a
click on the badge opens the menu. Arrows / Tab / d-pad move, Enter / A
activates, Esc / B goes back.

Panels never block: every network action goes through ``kgen.actions`` (which
returns a :class:`~kgen_pygame.runtime.calls.Call` at once) and the result
arrives inside ``kgen.update()``. While a call runs its button reads
"Working..." (or a spinner shows); a failure shows a plain sentence (see
:mod:`kgen_pygame.panels.messages`) and a Retry button.
"""

from kgen_pygame.panels.base import Panel
from kgen_pygame.panels.overlay import ALIASES, PANELS, KGenOverlay

__all__ = ["ALIASES", "PANELS", "KGenOverlay", "Panel"]
