"""A single-line text field driven by ``TEXTINPUT``/``TEXTEDITING`` (IME aware).

Text input (and with it the IME candidate window or on-screen keyboard) is on
only while a field has focus: ``pygame.key.start_text_input()`` on focus,
``set_text_input_rect()`` at the field, ``stop_text_input()`` on blur.
"""

from __future__ import annotations

from collections.abc import Callable

import pygame

from kgen_pygame.ui import clipboard, ime
from kgen_pygame.ui.drawing import lighten
from kgen_pygame.ui.input import Action, Device, Intent
from kgen_pygame.ui.theme import Style
from kgen_pygame.ui.widget import Widget

#: Decides whether one typed or pasted character is accepted.
CharFilter = Callable[[str], bool]
#: Returns an error message for the whole text, or None when it is fine.
Validator = Callable[[str], str | None]

_CARET_BLINK = 0.53


def digits_only(char: str) -> bool:
    """ASCII digits (OTP codes, phone numbers without formatting)."""
    return "0" <= char <= "9"


def phone_chars(char: str) -> bool:
    """Digits plus the ``+`` of a country code."""
    return digits_only(char) or char == "+"


def decimal_chars(char: str) -> bool:
    """Digits and a decimal point (amounts; pair with a validator for the format)."""
    return digits_only(char) or char == "."


class TextField(Widget):
    """An editable line of text with label, placeholder, caret and a validation message.

    ``allowed`` filters each typed or pasted character; ``max_length`` caps the
    length; ``masked`` shows bullets instead of the text; ``validator`` runs on
    Enter and when focus leaves a non-empty field; ``error`` can also be set by the
    panel (e.g. "Wrong code, 2 attempts left") and is cleared when the player edits.
    Enter calls ``on_submit(text)``, or moves focus on when there is none.
    """

    focusable = True
    accepts_pointer = True

    def __init__(
        self,
        text: str = "",
        *,
        placeholder: str = "",
        label: str | None = None,
        max_length: int | None = None,
        allowed: CharFilter | None = None,
        masked: bool = False,
        mask_char: str = "\u2022",
        validator: Validator | None = None,
        on_change: Callable[[str], None] | None = None,
        on_submit: Callable[[str], None] | None = None,
        min_width: float = 280,
        enabled: bool = True,
        grow: float = 0.0,
    ) -> None:
        super().__init__(grow=grow, enabled=enabled)
        self.placeholder = placeholder
        self.label = label
        self.max_length = max_length
        self.allowed = allowed
        self.masked = masked
        self.mask_char = mask_char
        self.validator = validator
        self.on_change = on_change
        self.on_submit = on_submit
        self.min_width = min_width
        self._text = ""
        self.caret = 0
        self.composition = ""
        self._composition_cursor = 0
        self._error: str | None = None
        self._blink = 0.0
        # Prepared at layout / on edit, blitted per frame.
        self._box = pygame.Rect(0, 0, 0, 0)
        self._inner = pygame.Rect(0, 0, 0, 0)
        self._label_surface: pygame.Surface | None = None
        self._placeholder_surface: pygame.Surface | None = None
        self._text_surface: pygame.Surface | None = None
        self._error_surface: pygame.Surface | None = None
        self._caret_x = 0
        self._scroll_x = 0
        self._text_area = pygame.Rect(0, 0, 0, 0)
        self._compose_span = (0, 0)
        self.set_text(text, notify=False)

    # public state ---------------------------------------------------------------

    @property
    def text(self) -> str:
        """The committed text (IME composition not included)."""
        return self._text

    @text.setter
    def text(self, value: str) -> None:
        self.set_text(value)

    def set_text(self, text: str, *, notify: bool = True) -> None:
        """Replace the text (filtered and capped like typed text); caret goes to the end."""
        clean = self._filter(text, self.max_length)
        changed = clean != self._text
        self._text = clean
        self.caret = len(clean)
        self._refresh()
        if changed and notify and self.on_change is not None:
            self.on_change(clean)

    @property
    def error(self) -> str | None:
        """The validation message shown under the field, if any."""
        return self._error

    @error.setter
    def error(self, message: str | None) -> None:
        self._error = message or None
        self._render_error()

    def validate(self) -> bool:
        """Run the validator; shows and returns whether the text is acceptable."""
        if self.validator is not None:
            self.error = self.validator(self._text)
        return self._error is None

    # input ----------------------------------------------------------------------

    def handle(self, intent: Intent) -> bool:
        action = intent.action
        if action is Action.TEXT:
            self.composition = ""
            self._insert(intent.text)
            return True
        if action is Action.COMPOSE:
            self.composition = intent.text
            self._composition_cursor = intent.amount
            self._refresh()
            return True
        if action is Action.ERASE_BACK:
            if not self.composition and self.caret > 0:
                self._edit(self._text[: self.caret - 1] + self._text[self.caret :], self.caret - 1)
            return True
        if action is Action.ERASE_FORWARD:
            if not self.composition and self.caret < len(self._text):
                self._edit(self._text[: self.caret] + self._text[self.caret + 1 :], self.caret)
            return True
        if action in (Action.LEFT, Action.RIGHT):
            step = -1 if action is Action.LEFT else 1
            moved = self._move_caret(self.caret + step)
            return moved or intent.device is Device.KEYBOARD
        if action is Action.HOME:
            self._move_caret(0)
            return True
        if action is Action.END:
            self._move_caret(len(self._text))
            return True
        if action is Action.PASTE:
            pasted = clipboard.get_clipboard_text()
            if pasted:
                self._insert(pasted.splitlines()[0] if pasted.splitlines() else "")
            return True
        if action is Action.ACTIVATE:
            return self._activate(intent)
        if action is Action.POINTER_DOWN and intent.pos is not None:
            self._move_caret(self._index_at(intent.pos[0]))
            return True
        return action is Action.POINTER_UP

    def _activate(self, intent: Intent) -> bool:
        if intent.key == pygame.K_SPACE:
            return True  # the space itself arrives as TEXTINPUT
        if intent.device is Device.GAMEPAD:
            ime.start(self, self._box)  # brings the on-screen keyboard back
            return True
        if not self.validate():
            return True
        if self.on_submit is not None:
            self.on_submit(self._text)
        else:
            host = self.find_host()
            if host is not None:
                host.request_move(Action.NEXT)
        return True

    def on_focus(self) -> None:
        self.focused = True
        self._blink = 0.0
        ime.start(self, self._box)

    def on_blur(self) -> None:
        self.focused = False
        self.composition = ""
        ime.stop(self)
        host = self.find_host()
        if self._text and (host is None or host.active):  # not when a dialog covers the view
            self.validate()
        self._refresh()

    def update(self, dt: float) -> None:
        self._blink += dt

    # editing --------------------------------------------------------------------

    def _filter(self, text: str, limit: int | None) -> str:
        chars = [c for c in text if c.isprintable() and (self.allowed is None or self.allowed(c))]
        if limit is not None:
            chars = chars[: max(0, limit)]
        return "".join(chars)

    def _insert(self, text: str) -> None:
        room = None if self.max_length is None else self.max_length - len(self._text)
        clean = self._filter(text, room)
        if clean:
            caret = self.caret + len(clean)
            self._edit(self._text[: self.caret] + clean + self._text[self.caret :], caret)

    def _edit(self, text: str, caret: int) -> None:
        self._text = text
        self.caret = caret
        self._error = None
        self._error_surface = None
        self._blink = 0.0
        self._refresh()
        if self.on_change is not None:
            self.on_change(text)

    def _move_caret(self, caret: int) -> bool:
        caret = max(0, min(len(self._text), caret))
        if caret == self.caret:
            return False
        self.caret = caret
        self._blink = 0.0
        self._refresh()
        return True

    def _shown(self, text: str) -> str:
        return self.mask_char * len(text) if self.masked else text

    def _index_at(self, x: int) -> int:
        style = self.style
        if style is None:
            return len(self._text)
        target = x - self._inner.left + self._scroll_x
        shown = self._shown(self._text)
        best, best_distance = 0, abs(target)
        for index in range(1, len(shown) + 1):
            distance = abs(style.text_width(shown[:index], "body") - target)
            if distance < best_distance:
                best, best_distance = index, distance
        return best

    # layout and drawing ---------------------------------------------------------

    def measure(self, style: Style, width: int) -> tuple[int, int]:
        height = style.control_height + style.px(6) + style.line_height("small")
        if self.label:
            height += style.line_height("small") + style.px(6)
        return (style.px(self.min_width), height)

    def layout(self, rect: pygame.Rect, style: Style) -> None:
        super().layout(rect, style)
        theme = style.theme
        top = self.rect.top
        self._label_surface = None
        if self.label:
            fitted = style.text.fit(self.label, style.font_key("small"), self.rect.width)
            self._label_surface = style.render(fitted, "small", theme.text_muted)
            top += style.line_height("small") + style.px(6)
        self._box = pygame.Rect(self.rect.left, top, self.rect.width, style.control_height)
        pad = style.px(14)
        self._inner = self._box.inflate(-2 * pad, -2 * style.px(6))
        fitted = style.text.fit(self.placeholder, style.font_key("body"), self._inner.width)
        self._placeholder_surface = style.render(fitted, "body", theme.text_muted)
        self._refresh()
        self._render_error()
        if self.focused:
            ime.move(self, self._box)

    def _render_error(self) -> None:
        style = self.style
        if style is None or not self._error:
            self._error_surface = None
            return
        fitted = style.text.fit(self._error, style.font_key("small"), self.rect.width)
        self._error_surface = style.render(fitted, "small", style.theme.danger)

    def _refresh(self) -> None:
        """Re-render the shown text and recompute caret/scroll after an edit."""
        style = self.style
        if style is None:
            return
        before = self._shown(self._text[: self.caret])
        after = self._shown(self._text[self.caret :])
        shown = before + self.composition + after
        self._text_surface = style.render(shown, "body", style.theme.text) if shown else None
        cursor_in_composition = min(len(self.composition), max(0, self._composition_cursor))
        if not self.composition:
            cursor_in_composition = 0
        self._caret_x = style.text_width(before + self.composition[:cursor_in_composition], "body")
        start = style.text_width(before, "body")
        self._compose_span = (start, style.text_width(before + self.composition, "body"))
        width = self._inner.width
        if self._caret_x - self._scroll_x > width:
            self._scroll_x = self._caret_x - width
        elif self._caret_x < self._scroll_x:
            self._scroll_x = self._caret_x
        total = self._text_surface.get_width() if self._text_surface else 0
        self._scroll_x = max(0, min(self._scroll_x, max(0, total - width + style.px(2))))
        height = self._text_surface.get_height() if self._text_surface else 0
        self._text_area = pygame.Rect(self._scroll_x, 0, width, height)

    def draw(self, surface: pygame.Surface) -> None:
        style = self.style
        if style is None:
            return
        theme = style.theme
        if self._label_surface is not None:
            surface.blit(self._label_surface, self.rect.topleft)
        box = self._box
        pygame.draw.rect(surface, theme.field, box, border_radius=style.small_radius)
        if self._error:
            border = theme.danger
        elif self.focused:
            border = theme.accent
        elif self.hovered:
            border = lighten(theme.panel_border, 0.2)
        else:
            border = theme.panel_border
        pygame.draw.rect(surface, border, box, style.border, border_radius=style.small_radius)
        inner = self._inner
        text_top = inner.centery - style.line_height("body") // 2
        if self._text_surface is not None:
            surface.blit(self._text_surface, (inner.left, text_top), self._text_area)
        elif self._placeholder_surface is not None and not self.composition:
            surface.blit(self._placeholder_surface, (inner.left, text_top))
        if self.composition:
            start, end = self._compose_span
            y = text_top + style.line_height("body") - style.px(2)
            x0 = inner.left + max(0, start - self._scroll_x)
            x1 = inner.left + min(inner.width, end - self._scroll_x)
            pygame.draw.line(surface, theme.accent, (x0, y), (x1, y), max(1, style.px(2)))
        if self.focused and (self._blink % (2 * _CARET_BLINK)) < _CARET_BLINK:
            x = inner.left + self._caret_x - self._scroll_x
            caret = pygame.Rect(x, text_top, max(2, style.px(2)), style.line_height("body"))
            pygame.draw.rect(surface, theme.text, caret)
        if self._error_surface is not None:
            surface.blit(self._error_surface, (self.rect.left, box.bottom + style.px(6)))

    def focus_rect(self) -> pygame.Rect:
        """The rect the focus ring goes around (the box, not the label)."""
        return self._box
