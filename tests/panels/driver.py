"""Drive KGeN overlays like a player does: real posted pygame events, real frames.

Every input is posted with ``pygame.event.post`` (with the attributes SDL gives
it), read back with ``pygame.event.get()`` and fed to ``kgen.handle_event`` in a
frame that also runs ``kgen.update`` and ``kgen.draw``. Waits are bounded
loops of such frames; nothing asserts on time.

Used by the tests in this folder and by ``screenshots.py``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pygame
import requests

from kgen_pygame.ui import TextField, Widget

FRAME_DT = 1 / 60


def game_background(surface: pygame.Surface, tick: int = 0) -> None:
    """A simple game-like frame (sky, hills, a player, coins) so overlays are seen in context."""
    width, height = surface.get_size()
    for y in range(0, height, 6):
        t = y / height
        colour = (int(22 + 40 * t), int(34 + 70 * t), int(78 + 60 * t))
        pygame.draw.rect(surface, colour, (0, y, width, 6))
    for i in range(5):
        x = (i * width // 4 + tick) % (width + 300) - 150
        pygame.draw.circle(surface, (40, 92, 70), (x, height), height // 3)
    pygame.draw.rect(surface, (46, 120, 80), (0, height * 5 // 6, width, height // 6))
    for i in range(7):
        x = width // 10 + i * width // 8
        y = height * 2 // 3 - (i % 3) * height // 14
        pygame.draw.circle(surface, (250, 204, 64), (x, y), max(6, height // 60))
    player = pygame.Rect(0, 0, width // 26, height // 10)
    player.midbottom = (width // 3, height * 5 // 6)
    pygame.draw.rect(surface, (236, 96, 96), player, border_radius=6)
    font = pygame.font.Font(None, max(18, height // 24))
    surface.blit(font.render("SCORE 12,450", True, (255, 255, 255)), (width // 40, height // 40))


class Driver:
    """One KGen under test, its display surface and helpers to play through the overlay."""

    def __init__(self, kgen: Any, sandbox_url: str | None = None) -> None:
        self.kgen = kgen
        # Built now (it loads on a start-up thread), so every frame here draws the HUD.
        kgen.overlay  # noqa: B018
        self._sandbox_url = sandbox_url
        self.seen: list[tuple[pygame.event.Event, bool]] = []
        self.tick = 0
        self.background = True

    @property
    def sandbox_url(self) -> str:
        """The sandbox the KGen talks to (the embedded one once it started, if none given)."""
        if self._sandbox_url is None:
            self.until(lambda: self.kgen.endpoint is not None, "the embedded sandbox")
            self._sandbox_url = str(self.kgen.endpoint.base_url)
        return self._sandbox_url

    # the overlay ------------------------------------------------------------------

    @property
    def overlay(self) -> Any:
        """The KGenOverlay (private on KGen; tests may look inside)."""
        return self.kgen.overlay

    @property
    def panel(self) -> Any:
        """The panel on top."""
        return self.overlay.panel

    @property
    def top(self) -> Any:
        """The view on top (a panel or a dialog)."""
        return self.overlay.ui.top

    @property
    def screen(self) -> pygame.Surface:
        surface = pygame.display.get_surface()
        assert surface is not None
        return surface

    # frames -----------------------------------------------------------------------

    def frame(self, dt: float = FRAME_DT) -> list[tuple[pygame.event.Event, bool]]:
        """One game frame: events to the plugin, update, draw. Returns (event, consumed)."""
        handled = []
        for event in pygame.event.get():
            handled.append((event, bool(self.kgen.handle_event(event))))
        self.seen.extend(handled)
        # update() takes seconds and reads more than 2 as milliseconds: a frame
        # standing for a long stretch of game time goes in steps of 2 s.
        while dt > 2.0:
            self.kgen.update(2.0)
            dt -= 2.0
        self.kgen.update(dt)
        surface = self.screen
        if self.background:
            game_background(surface, self.tick)
        self.tick += 1
        self.kgen.draw(surface)
        return handled

    def resize(self, size: tuple[int, int]) -> None:
        """Change the window size as a player does (the display, then VIDEORESIZE)."""
        pygame.display.set_mode(size)
        self.post(pygame.VIDEORESIZE, w=size[0], h=size[1], size=size)
        self.frame(0.0)
        self.frame(0.0)

    def drawn(self) -> list[str]:
        """Every text the last frame drew (HUD, panels, dialogs, toasts), as drawn."""
        return list(self.overlay.ui.drawn_texts())

    def until(self, predicate: Callable[[], object], what: str, limit_s: float = 20.0) -> None:
        """Run frames until ``predicate()`` is true (bounded)."""
        deadline = time.monotonic() + limit_s
        while True:
            self.frame()
            if predicate():
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"gave up waiting for {what}")
            time.sleep(0.005)

    def settle(self, what: str = "the overlay's calls", limit_s: float = 20.0) -> None:
        """Run frames until no call the overlay started is pending."""
        self.frame()
        self.until(lambda: not self.overlay.busy, what, limit_s)
        self.frame()

    def ready(self) -> None:
        """Wait for the session and the first balance."""
        self.until(lambda: self.kgen.ready and self.kgen.state.balance is not None, "session")

    # input ------------------------------------------------------------------------

    @staticmethod
    def post(event_type: int, **attributes: object) -> None:
        assert pygame.event.post(pygame.event.Event(event_type, **attributes))

    def key(self, key: int, *, mod: int = 0, unicode: str = "", frame: bool = True) -> None:
        """A key press and release."""
        scancode = pygame.key.get_scancode_from_key(key) if hasattr(
            pygame.key, "get_scancode_from_key") else 0
        self.post(pygame.KEYDOWN, key=key, mod=mod, unicode=unicode, scancode=scancode)
        self.post(pygame.KEYUP, key=key, mod=mod, unicode="", scancode=scancode)
        if frame:
            self.frame()

    def type(self, text: str) -> None:
        """Committed text, as SDL sends it after key presses."""
        for char in text:
            self.post(pygame.TEXTINPUT, text=char)
        self.frame()

    def erase(self, count: int) -> None:
        """Backspace ``count`` times."""
        for _ in range(count):
            self.key(pygame.K_BACKSPACE, frame=False)
        self.frame()

    def click_at(self, pos: tuple[int, int]) -> None:
        """Move, press and release the left button at ``pos``."""
        self.post(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0), touch=False)
        self.post(pygame.MOUSEBUTTONDOWN, pos=pos, button=1, touch=False)
        self.post(pygame.MOUSEBUTTONUP, pos=pos, button=1, touch=False)
        self.frame()

    def click(self, widget: Widget) -> None:
        """Click the centre of ``widget`` (a text field's box)."""
        assert widget.visible, f"{widget!r} is not visible"
        rect = widget.focus_rect() if isinstance(widget, TextField) else widget.rect
        assert rect.width > 0 and rect.height > 0, f"{widget!r} has no area"
        self.click_at(rect.center)

    def fill(self, field: TextField, text: str) -> None:
        """Click a text field, clear it with Backspace and type ``text``."""
        self.click(field)
        self.key(pygame.K_END, frame=False)
        self.erase(len(field.text))
        self.type(text)

    def joy_button(self, button: int) -> None:
        """A raw joystick button press and release (0 = A, 1 = B)."""
        self.post(pygame.JOYBUTTONDOWN, joy=0, instance_id=0, button=button)
        self.post(pygame.JOYBUTTONUP, joy=0, instance_id=0, button=button)
        self.frame()

    def controller_button(self, button: int) -> None:
        """A game-controller button press and release."""
        self.post(pygame.CONTROLLERBUTTONDOWN, instance_id=1, button=button)
        self.post(pygame.CONTROLLERBUTTONUP, instance_id=1, button=button)
        self.frame()

    def posted(self, event_type: int) -> list[pygame.event.Event]:
        """Events of ``event_type`` seen so far."""
        return [event for event, _ in self.seen if event.type == event_type]

    # the sandbox --------------------------------------------------------------------

    def sandbox_get(self, path: str, **params: Any) -> Any:
        reply = requests.get(f"{self.sandbox_url}{path}", params=params, timeout=10)
        reply.raise_for_status()
        return reply.json()

    def sandbox_post(self, path: str, body: Any = None) -> Any:
        reply = requests.post(
            f"{self.sandbox_url}{path}",
            data=json.dumps(body or {}),
            headers={"Content-Type": "application/json"},
            timeout=10,
        )
        reply.raise_for_status()
        return reply.json()

    def faults(self, **faults: Any) -> None:
        """Set sandbox faults (``reset=True`` clears them first)."""
        self.sandbox_post("/_sandbox/faults", faults)

    def otp(self, country_code: str, phone: str) -> str:
        """The code the sandbox "texted" to the phone."""
        body = self.sandbox_get("/_sandbox/otp", phone_number=phone, countryCode=country_code)
        return str(body["otp"])

    def records(self) -> Any:
        return self.sandbox_get("/_sandbox/records", gamer_id=self.kgen.gamer_id)

    def advance_clock(self, seconds: float) -> None:
        self.sandbox_post("/_sandbox/clock", {"advance_s": seconds})

    def create_tournament(self, title: str, **spec: Any) -> str:
        body = {"title": title, "duration_s": 3600, **spec}
        return str(self.sandbox_post("/_sandbox/tournaments", body)["tournament_uid"])

    def end_tournament(self, uid: str) -> Any:
        return self.sandbox_post(f"/_sandbox/tournaments/{uid}/_end")

    def rewardable_event(self, name: str, reward: int) -> str:
        """Register an active rewardable event as the game's server would (client
        credentials, ``PUT /s2s/loyalty/rewardable-events``); returns its id."""
        from kgen_pygame.sandbox import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET

        body = {
            "eventType": "Achievement", "eventName": name, "eventDescription": name,
            "entityType": "GAME", "rewardAmount": reward, "rewardCategory": "EARNED",
            "isActive": True, "isActivityTraceEnabled": False, "activityTraceActivityID": "",
        }
        reply = requests.put(
            f"{self.sandbox_url}/s2s/loyalty/rewardable-events",
            data=json.dumps(body),
            headers={"Content-Type": "application/json", "x-client-id": DEFAULT_CLIENT_ID,
                     "x-client-secret": DEFAULT_CLIENT_SECRET},
            timeout=10,
        )
        reply.raise_for_status()
        return str(reply.json()["eventID"])

    # setting the stage through the public API (not the overlay) ---------------------

    def wait_call(self, call: Any, what: str) -> Any:
        self.until(lambda: call.done, what)
        assert call.ok, f"{what} failed: {call.error!r}"
        return call.result

    def score(self, uid: str, value: int) -> None:
        """Track a score for ``uid`` and wait until the sandbox has it."""
        self.kgen.track_score(value, tournament_id=uid)
        # Delivered, not just "a best score that high" (an earlier, higher one counts too).
        self.until(lambda: self.kgen.pending_events == 0
                   and (self.records()["best_score"] or 0) >= value, "the score to arrive")

    def earn(self, prize: int, *, claim: bool = True) -> str:
        """Win a one-player tournament worth ``prize`` (claimed unless ``claim=False``)."""
        uid = self.create_tournament("Practice Cup", guaranteed_prize=prize,
                                     total_players_rewarded=1)
        self.wait_call(self.kgen.actions.join_tournament(uid, Decimal(0)), "join")
        self.score(uid, 500)
        self.end_tournament(uid)
        if claim:
            self.wait_call(self.kgen.actions.claim_rewards(), "claim")
            self.wait_call(self.kgen.actions.wallet_balance(), "balance")
        return uid

    def link(self, country_code: str = "+91", phone: str = "9876543210") -> None:
        """Link the wallet through the API (for tests about something else)."""
        challenge = self.wait_call(self.kgen.actions.request_otp(country_code, phone), "otp")
        code = self.otp(country_code, phone)
        self.wait_call(
            self.kgen.actions.verify_otp(country_code, phone, challenge.auth_code, code), "verify"
        )
