"""A push button: Enter/Space/gamepad A when focused, or a click (press and release on it)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal

import pygame

from kgen_pygame.ui.input import Action, Intent
from kgen_pygame.ui.looks import LookKind, StateLooks, WidgetState
from kgen_pygame.ui.theme import Style
from kgen_pygame.ui.widget import Widget

ButtonKind = Literal["primary", "secondary", "danger", "ghost"]

#: The theme's looks for each button kind.
LOOK_OF_KIND: dict[ButtonKind, LookKind] = {
    "primary": "primary_button",
    "secondary": "secondary_button",
    "danger": "danger_button",
    "ghost": "ghost_button",
}
_STATES: tuple[WidgetState, ...] = ("normal", "hover", "pressed", "focused", "disabled")


class Button(Widget):
    """A button calling ``on_press()``.

    ``kind`` picks the look: ``primary`` (accent fill, the main action),
    ``secondary`` (outlined), ``danger`` (destructive) or ``ghost`` (text only);
    its colours in every state come from the theme (``Theme.primary_button`` ...).
    A mouse click counts only when the button is pressed and released on it.
    ``sizes_for`` lists the other captions the button will show (``"Sending..."``,
    ``"Resend in 88s"``): it is sized for the widest, so it never changes width.
    """

    focusable = True
    accepts_pointer = True
    #: The theme looks used for each kind (a subclass may use other looks).
    looks_of_kind: dict[ButtonKind, LookKind] = LOOK_OF_KIND

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
        sizes_for: Sequence[str] = (),
    ) -> None:
        super().__init__(grow=grow, enabled=enabled, visible=visible)
        self._text = text
        self.on_press = on_press
        self._kind: ButtonKind = kind
        self.min_width = min_width
        self.sizes_for: tuple[str, ...] = tuple(sizes_for)
        self.pressed = False
        self._fitted = text
        self._labels: dict[WidgetState, pygame.Surface] = {}
        self._looks: StateLooks | None = None

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

    @property
    def state(self) -> WidgetState:
        """The state the button is drawn in now."""
        if not self.enabled:
            return "disabled"
        if self.pressed and self.hovered:
            return "pressed"
        if self.hovered:
            return "hover"
        return "focused" if self.focused else "normal"

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

    def captions(self) -> tuple[str, ...]:
        """Every caption the button is sized for (the current one first)."""
        return (self._text, *self.sizes_for)

    def measure(self, style: Style, width: int) -> tuple[int, int]:
        widest = max(style.text_width(caption, "body") for caption in self.captions())
        return (max(style.px(self.min_width), widest + 2 * style.px(24)), style.control_height)

    def layout(self, rect: pygame.Rect, style: Style) -> None:
        super().layout(rect, style)
        self._looks = style.looks(self.looks_of_kind[self.kind])
        self._render_label()

    def own_texts(self) -> tuple[str, ...]:
        return (self._fitted,) if self.style is not None else ()

    def _render_label(self) -> None:
        style, looks = self.style, self._looks
        if style is None or looks is None:
            return
        self._fitted = style.text.fit(
            self._text, style.font_key("body"), self.rect.width - style.px(16)
        )
        self._labels = {
            state: style.render(self._fitted, "body", looks.look(state).text) for state in _STATES
        }

    def draw(self, surface: pygame.Surface) -> None:
        style, looks = self.style, self._looks
        if style is None or looks is None or not self._labels:
            return
        state = self.state
        look = looks.look(state)
        radius = style.small_radius
        if look.fill is not None:
            pygame.draw.rect(surface, look.fill, self.rect, border_radius=radius)
        if look.border is not None and style.border:
            pygame.draw.rect(surface, look.border, self.rect, style.border, border_radius=radius)
        label = self._labels[state]
        offset = 1 if state == "pressed" else 0
        surface.blit(
            label,
            (
                self.rect.centerx - label.get_width() // 2,
                self.rect.centery - label.get_height() // 2 + offset,
            ),
        )
