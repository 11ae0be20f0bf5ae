"""A push button: Enter/Space/gamepad A when focused, or a click (press and release on it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import pygame

from kgen_pygame.ui.drawing import darken, lighten, mix
from kgen_pygame.ui.input import Action, Intent
from kgen_pygame.ui.theme import RGB, Style
from kgen_pygame.ui.widget import Widget

ButtonKind = Literal["primary", "secondary", "danger", "ghost"]


class Button(Widget):
    """A button calling ``on_press()``.

    ``kind`` picks the look: ``primary`` (accent fill, the main action),
    ``secondary`` (outlined), ``danger`` (destructive) or ``ghost`` (text only).
    A mouse click counts only when the button is pressed and released on it.
    """

    focusable = True
    accepts_pointer = True

    def __init__(
        self,
        text: str,
        on_press: Callable[[], None] | None = None,
        *,
        kind: ButtonKind = "secondary",
        enabled: bool = True,
        min_width: float = 132,
        grow: float = 0.0,
        visible: bool = True,
    ) -> None:
        super().__init__(grow=grow, enabled=enabled, visible=visible)
        self._text = text
        self.on_press = on_press
        self._kind: ButtonKind = kind
        self.min_width = min_width
        self.pressed = False
        self._label: pygame.Surface | None = None
        self._label_disabled: pygame.Surface | None = None
        self._fills: dict[str, RGB] = {}
        self._border: RGB | None = None

    @property
    def text(self) -> str:
        """The caption."""
        return self._text

    @text.setter
    def text(self, value: str) -> None:
        if value != self._text:
            self._text = value
            self._render_label()

    @property
    def kind(self) -> ButtonKind:
        """The look: primary, secondary, danger or ghost (changeable at any time)."""
        return self._kind

    @kind.setter
    def kind(self, value: ButtonKind) -> None:
        if value != self._kind:
            self._kind = value
            if self.style is not None:
                self.layout(self.rect, self.style)

    def press(self) -> None:
        """Activate the button as if the player pressed it (no-op when disabled)."""
        if self.enabled and self.on_press is not None:
            self.on_press()

    def handle(self, intent: Intent) -> bool:
        action = intent.action
        if action is Action.ACTIVATE:
            self.press()
            return True
        if action is Action.POINTER_DOWN:
            self.pressed = self.enabled
            return True
        if action is Action.POINTER_UP:
            inside = intent.pos is not None and self.rect.collidepoint(intent.pos)
            was_pressed, self.pressed = self.pressed, False
            if was_pressed and inside:
                self.press()
            return True
        return False

    def measure(self, style: Style, width: int) -> tuple[int, int]:
        text_width = style.text_width(self._text, "body") + 2 * style.px(24)
        return (max(style.px(self.min_width), text_width), style.control_height)

    def layout(self, rect: pygame.Rect, style: Style) -> None:
        super().layout(rect, style)
        theme = style.theme
        raised = lighten(theme.panel, 0.07)
        base: RGB
        if self.kind == "primary":
            base = theme.accent
        elif self.kind == "danger":
            base = theme.danger
        elif self.kind == "ghost":
            base = theme.panel
        else:
            base = raised
        self._fills = {
            "normal": base,
            "hover": lighten(base, 0.12),
            "pressed": darken(base, 0.18),
            "disabled": mix(theme.panel, base, 0.35),
        }
        self._border = theme.panel_border if self.kind == "secondary" else None
        self._render_label()

    def _render_label(self) -> None:
        style = self.style
        if style is None:
            return
        theme = style.theme
        colour = theme.accent_text if self.kind in ("primary", "danger") else theme.text
        if self.kind == "ghost":
            colour = theme.text_muted
        text = style.text.fit(self._text, style.font_key("body"), self.rect.width - style.px(16))
        self._label = style.render(text, "body", colour)
        self._label_disabled = style.render(text, "body", mix(theme.panel, theme.text_muted, 0.7))

    def draw(self, surface: pygame.Surface) -> None:
        style = self.style
        if style is None or self._label is None or self._label_disabled is None:
            return
        if not self.enabled:
            state = "disabled"
        elif self.pressed and self.hovered:
            state = "pressed"
        elif self.hovered or (self.focused and self.kind == "ghost"):
            state = "hover"
        else:
            state = "normal"
        radius = style.small_radius
        if self.kind != "ghost" or state in ("hover", "pressed"):
            pygame.draw.rect(surface, self._fills[state], self.rect, border_radius=radius)
        if self._border is not None and state != "disabled":
            border = lighten(self._border, 0.25) if state == "hover" else self._border
            pygame.draw.rect(surface, border, self.rect, style.border, border_radius=radius)
        label = self._label if self.enabled else self._label_disabled
        offset = 1 if state == "pressed" else 0
        surface.blit(
            label,
            (
                self.rect.centerx - label.get_width() // 2,
                self.rect.centery - label.get_height() // 2 + offset,
            ),
        )
