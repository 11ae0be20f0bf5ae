"""KGenOverlay: the in-game KGeN overlay that ``KGen`` draws into the game's surface.

It owns one :class:`~kgen_pygame.ui.UIRoot` (views, dialogs, toasts, the HUD
badge), opens panels by name, posts ``OVERLAY_OPENED`` / ``OVERLAY_CLOSED``,
and keeps every exception raised by panel code away from the game: it is
logged (once per kind) and the frame goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pygame

from kgen_pygame import events
from kgen_pygame.panels.base import Panel
from kgen_pygame.panels.browser import BrowserOpener
from kgen_pygame.panels.earned import EarnedPanel
from kgen_pygame.panels.history import HistoryPanel
from kgen_pygame.panels.hud import HudBadge
from kgen_pygame.panels.leaderboard import LeaderboardPanel
from kgen_pygame.panels.link import LinkPanel
from kgen_pygame.panels.menu import MenuPanel
from kgen_pygame.panels.reward_toasts import RewardToasts
from kgen_pygame.panels.rewards import RewardsPanel
from kgen_pygame.panels.stats import StatsPanel
from kgen_pygame.panels.tournament_details import TournamentDetailsPanel
from kgen_pygame.panels.tournaments import TournamentsPanel
from kgen_pygame.panels.withdraw import WithdrawPanel
from kgen_pygame.runtime import gcpolicy
from kgen_pygame.runtime.calls import Call
from kgen_pygame.ui import DEFAULT_THEME, TextField, Theme, UIRoot

if TYPE_CHECKING:
    from kgen_pygame.runtime.plugin import OverlayHost

logger = logging.getLogger(__name__)

PanelFactory = Callable[["KGenOverlay", str | None], Panel]

#: Every panel ``open()`` accepts, by name.
PANELS: dict[str, PanelFactory] = {
    "menu": lambda overlay, _: MenuPanel(overlay),
    "rewards": lambda overlay, _: RewardsPanel(overlay),
    "withdraw": lambda overlay, _: WithdrawPanel(overlay),
    "link": lambda overlay, _: LinkPanel(overlay),
    "tournaments": lambda overlay, _: TournamentsPanel(overlay),
    "leaderboard": lambda overlay, uid: LeaderboardPanel(overlay, uid),
    "history": lambda overlay, _: HistoryPanel(overlay),
    "stats": lambda overlay, _: StatsPanel(overlay),
    "earned": lambda overlay, _: EarnedPanel(overlay),
}
ALIASES = {
    "hub": "menu",
    "main": "menu",
    "link_wallet": "link",
    "wallet": "link",
    "otp": "link",
    "claim": "rewards",
    "tournament": "tournaments",
    "leaderboards": "leaderboard",
    "wallet_history": "history",
    "transactions": "history",
    "statistics": "stats",
    "rewards_earned": "earned",
    "loyalty": "earned",
}


@dataclass(frozen=True, slots=True)
class SandboxSms:
    """The one-time code a sandbox "texted" (from the ``SANDBOX_SMS`` event).

    ``serial`` counts the texts received, so a panel can tell a new one from one
    that arrived before it asked.
    """

    phone: str
    code: str
    serial: int


def panel_name(panel: str | None) -> str:
    """The panel ``panel`` names (``None`` is the menu); ``ValueError`` for an unknown one."""
    if panel is None:
        return "menu"
    if not isinstance(panel, str):
        raise ValueError(f"a panel name is a string, not {type(panel).__name__}")
    name = panel.strip().lower()
    name = ALIASES.get(name, name)
    if name not in PANELS:
        raise ValueError(f"unknown KGeN panel {panel!r}; the panels are: {', '.join(PANELS)}")
    return name


def _theme(value: object) -> Theme:
    if value is None:
        return DEFAULT_THEME
    if isinstance(value, Theme):
        return value
    logger.warning("config.theme is not a kgen_pygame.ui.Theme (%s); using the default theme",
                   type(value).__name__)
    return DEFAULT_THEME


class KGenOverlay:
    """The overlay behind ``KGen.open_menu()``, the HUD badge and the hotkey.

    Implements :class:`kgen_pygame.kgen.Overlay`. Only ``kgen.actions`` calls
    (which return at once) are made from input handling; nothing here waits on
    the network.
    """

    def __init__(self, kgen: OverlayHost) -> None:
        #: What panels use of the plugin (state, actions, events, configuration).
        self.kgen = kgen
        config = kgen.config
        self.ui = UIRoot(_theme(config.theme), keep_underlay=not config.repaints_every_frame)
        self.ui.on_closed = self._on_all_closed
        self.hotkey = config.hotkey if config.hotkey is not None else pygame.K_F1
        self.hud: HudBadge | None = None
        if config.show_hud:
            self.hud = HudBadge(kgen, self.ui, config.hud_position, self._open_from_hud)
        self._calls: list[Call[Any]] = []
        self._switching = False
        self._opened_as: str | None = None
        self._reported: set[tuple[str, str]] = set()
        #: The last code a sandbox "texted" (None until one arrives).
        self.sandbox_sms: SandboxSms | None = None
        kgen.on("sandbox_sms", self._on_sandbox_sms)
        self.reward_toasts = RewardToasts(kgen, self.ui)
        #: Opens the KGeN Store in the player's browser, off the game thread.
        self.browser = BrowserOpener()

    # -- the Overlay protocol ----------------------------------------------------

    @property
    def is_open(self) -> bool:
        """True while a panel (or dialog) covers the game."""
        return self.ui.is_open

    @property
    def wants_pause(self) -> bool:
        """True while an open panel asks the game to pause."""
        return self.ui.wants_pause

    @property
    def busy(self) -> bool:
        """True while any call a panel started is still pending."""
        return any(not call.done for call in self._calls)

    def open(self, panel: str | None = None, *, tournament_id: str | None = None) -> None:
        """Open the KGeN menu (``panel=None``) or one panel by name.

        Raises ``ValueError`` (listing the names) for a panel that does not exist.
        """
        panel_name(panel)
        try:
            self._open(panel, tournament_id)
        except Exception:
            self._report("open")

    def close(self) -> None:
        """Close every panel and dialog."""
        try:
            self.ui.close_all()
        except Exception:
            self._report("close")

    def handle_event(self, event: pygame.event.Event) -> bool:
        """Offer one event; True when the overlay used it (QUIT never is)."""
        if event.type == pygame.QUIT:
            return False
        try:
            if event.type == pygame.KEYDOWN and event.key == self.hotkey and not self._typing():
                if self.ui.is_open:
                    self.ui.close_all()
                else:
                    self._open(None, None)
                return True
            return self.ui.handle(event)
        except Exception:
            self._report("handle_event")
            return self.ui.is_open

    def update(self, dt: float) -> None:
        """Refresh the HUD, advance countdowns, animations and toasts."""
        try:
            if self.hud is not None:
                self.hud.update()
            self.ui.update(dt)
            if self._calls:
                self._calls = [call for call in self._calls if not call.done]
        except Exception:
            self._report("update")

    def draw(self, surface: pygame.Surface) -> list[pygame.Rect]:
        """Draw the HUD, open panels and toasts on top of the game frame.

        Returns the rectangles that changed (see :meth:`kgen_pygame.ui.UIRoot.draw`);
        after a failure, the whole surface, so a dirty-rect game presents it all.
        """
        try:
            return self.ui.draw(surface)
        except Exception:
            self._report("draw")
            self._recover()
            return [surface.get_rect()]

    # -- for panels and tests ----------------------------------------------------

    def track(self, call: Call[Any]) -> None:
        """Count ``call`` in :attr:`busy` until it settles."""
        if not call.done:
            self._calls.append(call)

    @property
    def panel(self) -> Panel | None:
        """The panel on top (None when closed or when a dialog is on top)."""
        top = self.ui.top
        return top if isinstance(top, Panel) else None

    @property
    def panel_name(self) -> str | None:
        """Name of the panel on top, if any."""
        panel = self.panel
        return panel.name if panel is not None else None

    @property
    def table_rows(self) -> int:
        """Rows in the main table of the panel on top (0 when none)."""
        panel = self.panel
        return panel.row_count if panel is not None else 0

    @property
    def sms_serial(self) -> int:
        """How many sandbox texts arrived so far (0: none)."""
        return self.sandbox_sms.serial if self.sandbox_sms is not None else 0

    def show(self, panel: Panel) -> None:
        """Push ``panel`` over whatever is open (or open it alone)."""
        was_open = self.ui.is_open
        self.ui.push(panel)
        if not was_open:
            self._opened(panel.name)

    # -- internals ---------------------------------------------------------------

    def _open(self, panel: str | None, tournament_id: str | None) -> None:
        name = panel_name(panel)
        view = PANELS[name](self, tournament_id)
        was_open = self.ui.is_open
        self._switching = True
        try:
            self.ui.open(view)
        finally:
            self._switching = False
        if name == "tournaments" and tournament_id:
            self.ui.push(TournamentDetailsPanel(self, tournament_id))
        if was_open:
            self._opened_as = name
        else:
            self._opened(name)

    def _opened(self, name: str) -> None:
        self._opened_as = name
        gcpolicy.overlay_open(True)
        self._post_event(events.OVERLAY_OPENED, panel=name)

    def _on_all_closed(self) -> None:
        if self._switching:
            return
        gcpolicy.overlay_open(False)
        name, self._opened_as = self._opened_as or "menu", None
        self._post_event(events.OVERLAY_CLOSED, panel=name)

    def _post_event(self, event_type: int, **attributes: Any) -> None:
        """Post a plugin event (the one way the overlay reaches the plugin's event path)."""
        self.kgen.post(event_type, **attributes)

    def _on_sandbox_sms(self, event: pygame.event.Event) -> None:
        code = getattr(event, "code", None)
        if code:
            phone = str(getattr(event, "phone", "") or "")
            self.sandbox_sms = SandboxSms(phone, str(code), self.sms_serial + 1)

    def _open_from_hud(self) -> None:
        self._open(None, None)

    def _typing(self) -> bool:
        """True when a text field has focus and the hotkey would type a character."""
        top = self.ui.top
        return (
            top is not None
            and isinstance(top.focused, TextField)
            and 32 <= self.hotkey < 127
        )

    def _report(self, where: str) -> None:
        """Log the current exception: with its traceback the first time, briefly after."""
        import sys

        error = sys.exc_info()[1]
        key = (where, type(error).__name__)
        if key in self._reported:
            logger.debug("the KGeN overlay failed again in %s: %r", where, error)
            return
        self._reported.add(key)
        logger.exception("the KGeN overlay failed in %s; the game continues", where)

    def _recover(self) -> None:
        """A panel that cannot draw is closed, so the game is never stuck behind it."""
        try:
            self.ui.close_all()
        except Exception:
            logger.debug("closing the overlay after a draw failure failed too", exc_info=True)
