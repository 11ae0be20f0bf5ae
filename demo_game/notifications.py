"""On-screen notices drawn on the window itself, above the game and the KGeN overlay.

- The sandbox "SMS": a phone-style notification sliding up from the bottom for ~8 s, so the player
  can read the one-time code the sandbox sent (in production the code arrives on their phone).
  Not at the top: that is where the plugin's own toasts appear, and the SMS must not cover them.
- Toasts: short one-line messages (rewards to claim, KGeN offline, ...) at the very bottom.
Sizes follow the window height so they stay readable at any window size.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from demo_game import config
from demo_game.bitmap_font import BitmapFont
from demo_game.ui import translucent_rect

SMS_SECONDS = 8.0
SMS_LEAD = "SMS from KGeN: your code is "
TOAST_SECONDS = 3.2
SLIDE_SECONDS = 0.35


@dataclass(slots=True)
class _Shown:
    title: str
    text: str
    seconds: float
    age: float = 0.0
    code: str = ""

    @property
    def done(self) -> bool:
        return self.age >= self.seconds

    def slide(self) -> float:
        """0 (hidden) .. 1 (fully in), easing in at the start and out at the end."""
        t = min(self.age, self.seconds - self.age) / SLIDE_SECONDS
        t = max(0.0, min(1.0, t))
        return 1 - (1 - t) ** 3


class Notifier:
    """Holds the current SMS and a short queue of toasts."""

    def __init__(self, font: BitmapFont, icon: pygame.Surface | None = None) -> None:
        self.font = font
        self.icon = icon
        self.sms: _Shown | None = None
        self.toasts: list[_Shown] = []
        #: Every notice shown this run, in order (the SMS without its code).
        self.history: list[str] = []
        self._icons: dict[int, pygame.Surface] = {}

    def show_sms(self, phone: str, code: str) -> None:
        """Show the sandbox SMS with the one-time code."""
        to = f" to {phone}" if phone else ""
        self.sms = _Shown(f"Messages{to}", SMS_LEAD + code, SMS_SECONDS, code=code)
        self.history.append(f"SMS{to}")

    def toast(self, text: str) -> None:
        self.toasts = [t for t in self.toasts if t.text != text][-2:]
        self.toasts.append(_Shown("", text, TOAST_SECONDS))
        self.history.append(text)

    def update(self, dt: float) -> None:
        if self.sms is not None:
            self.sms.age += dt
            if self.sms.done:
                self.sms = None
        if self.toasts:
            self.toasts[0].age += dt
            if self.toasts[0].done:
                self.toasts.pop(0)

    def draw(self, window: pygame.Surface) -> None:
        width, height = window.get_size()
        body_scale = max(2, round(min(height / 240, width / 430)))
        if self.toasts:
            self._draw_toast(window, self.toasts[0], max(1, body_scale - 1), width, height)
        if self.sms is not None:
            self._draw_sms(window, self.sms, body_scale, width, height)

    def _icon(self, size: int) -> pygame.Surface | None:
        if self.icon is None:
            return None
        icon = self._icons.get(size)
        if icon is None:
            icon = pygame.transform.smoothscale(self.icon, (size, size))
            self._icons = {size: icon}
        return icon

    def _draw_sms(self, window: pygame.Surface, sms: _Shown, scale: int, width: int,
                  height: int) -> None:
        """A light, rounded phone notification: app line on top, the message below. It rests
        just above the toast pill's place, so the two never overlap."""
        font = self.font
        small = max(1, scale - 1)
        grey = (112, 114, 134)
        lead = font.render(SMS_LEAD, scale, config.INK)
        code = font.render(sms.code, scale, (30, 90, 220))
        pad = 5 * scale
        header_h = 9 * small
        body_w = lead.get_width() + code.get_width()
        card_w = min(width - 2 * pad, body_w + 2 * pad + 4 * scale)
        card_h = pad + header_h + 3 * scale + lead.get_height() + pad
        rect = pygame.Rect(0, 0, card_w, card_h)
        lift = card_h + 18 * scale  # off screen -> resting above the toasts
        rect.midtop = (width // 2, round(height - sms.slide() * lift))
        radius = 5 * scale
        window.blit(translucent_rect(rect.size, (0, 0, 0), 90, radius), rect.move(0, scale))
        window.blit(translucent_rect(rect.size, (238, 240, 248), 248, radius), rect)
        x = rect.x + pad
        icon = self._icon(header_h)
        if icon is not None:
            window.blit(icon, (x, rect.y + pad))
            x += header_h + 2 * scale
        font.draw(window, sms.title.upper(), (x, rect.y + pad), scale=small, color=grey)
        font.draw(window, "now", (rect.right - pad, rect.y + pad), scale=small, color=grey,
                  anchor="topright")
        body_y = rect.y + pad + header_h + 3 * scale
        window.blit(lead, (rect.x + pad, body_y))
        window.blit(code, (rect.x + pad + lead.get_width(), body_y))

    def _draw_toast(self, window: pygame.Surface, toast: _Shown, scale: int, width: int,
                    height: int) -> None:
        """A pill at the very bottom: over the footer hints for a moment, never over a button."""
        text = self.font.render(toast.text, scale, config.WHITE)
        rect = text.get_rect().inflate(12 * scale, 7 * scale)
        rest = height - 4 * scale
        rect.midbottom = (width // 2, round(height + (rest - height) * toast.slide()
                                            + rect.height * (1 - toast.slide())))
        window.blit(translucent_rect(rect.size, config.PANEL, 235, rect.height // 2), rect)
        pygame.draw.rect(window, config.CYAN, rect, width=max(1, scale // 2),
                         border_radius=rect.height // 2)
        window.blit(text, text.get_rect(center=rect.center))
