"""A single-line text field driven by ``TEXTINPUT``/``TEXTEDITING`` (IME aware).

Text input (and with it the IME candidate window or on-screen keyboard) is on
only while a field has focus: ``pygame.key.start_text_input()`` on focus,
``set_text_input_rect()`` at the field, ``stop_text_input()`` on blur.

What the player typed is never rewritten. An insertion (a key, an IME commit,
a paste) that the field cannot take - a character its ``allowed`` filter
refuses, a control character, more than ``max_length`` - is refused as a whole,
and the field says so under the box until the player erases something, pastes
again or leaves the field (typing on does not hide it, so "1,5" typed key by key
shows "15" *and* why the comma was refused); the text shown is always exactly
the text accepted.
"""

from __future__ import annotations

from collections.abc import Callable

import pygame

from kgen_pygame.ui import clipboard, ime
from kgen_pygame.ui.input import Action, Device, Intent
from kgen_pygame.ui.looks import WidgetState
from kgen_pygame.ui.theme import Style
from kgen_pygame.ui.widget import Widget

#: Decides whether one typed or pasted character is accepted.
CharFilter = Callable[[str], bool]
#: Returns an error message for the whole text, or None when it is fine.
Validator = Callable[[str], str | None]

_CARET_BLINK = 0.53
#: What a refused line break or tab (say, inside a paste) is told with.
ONE_LINE = "This field takes one line of text."
#: What other characters that cannot be drawn (zero-width, formatting) are told with.
UNSHOWABLE = "That text has characters that can't be shown here."
_LINE_BREAKS = frozenset("\r\n\t\v\f\x1c\x1d\x1e\x85\u2028\u2029")


def digits_only(char: str) -> bool:
    """ASCII digits (OTP codes, phone numbers without formatting)."""
    return "0" <= char <= "9"


def phone_chars(char: str) -> bool:
    """Digits plus the ``+`` of a country code."""
    return digits_only(char) or char == "+"


def decimal_chars(char: str) -> bool:
    """Digits and a decimal point (amounts; pair with a validator for the format)."""
    return digits_only(char) or char == "."


def pasted_line(pasted: str) -> str:
    """The clipboard text a paste inserts: without the clipboard's trailing line break.

    Text copied from a message usually ends with one; it is not part of what the
    player means. Any other line break stays, and the field refuses it.
    """
    return pasted[:-2] if pasted.endswith("\r\n") else pasted.removesuffix("\n")


class TextField(Widget):
    """An editable line of text with label, placeholder, caret and a message under it.

    ``allowed`` refuses characters (the whole insertion is refused, visibly, with
    ``refused_message``); ``max_length`` caps the length the same way; ``masked``
    shows bullets instead of the text; ``validator`` runs on Enter and when focus
    leaves a non-empty field, ``as_you_type`` on every edit of a non-empty field;
    ``error`` can also be set by the panel (e.g. "Wrong code, 2 attempts left") and
    is cleared when the player edits. Enter calls ``on_submit(text)``, or moves
    focus on when there is none.
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
        refused_message: str = "That character can't be typed here.",
        masked: bool = False,
        mask_char: str = "\u2022",
        validator: Validator | None = None,
        as_you_type: Validator | None = None,
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
        self.refused_message = refused_message
        self.masked = masked
        self.mask_char = mask_char
        self.validator = validator
        self.as_you_type = as_you_type
        self.on_change = on_change
        self.on_submit = on_submit
        self.min_width = min_width
        self._text = ""
        self.caret = 0
        self.composition = ""
        self._composition_cursor = 0
        self._error: str | None = None
        #: Why the last insertion was refused (shown until an erase, a new text or blur).
        self.refusal: str | None = None
        #: The insertion that was refused, exactly as it came.
        self.refused: str | None = None
        self._blink = 0.0
        # Prepared at layout / on edit, blitted per frame.
        self._box = pygame.Rect(0, 0, 0, 0)
        self._inner = pygame.Rect(0, 0, 0, 0)
        self._label_surface: pygame.Surface | None = None
        self._label_fitted = ""
        self._placeholder_surface: pygame.Surface | None = None
        self._placeholder_fitted = ""
        self._text_surface: pygame.Surface | None = None
        self._message_surface: pygame.Surface | None = None
        self._message_fitted = ""
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

    def set_text(self, text: str, *, notify: bool = True) -> bool:
        """Replace the text; caret goes to the end. A text the field could not take
        (see :meth:`refusal_for`) is refused like typed text: False, and the old
        text stays."""
        problem = self.refusal_for(text, replacing=True)
        if problem is not None:
            self._refuse(text, problem)
            return False
        changed = text != self._text
        self._text = text
        self.caret = len(text)
        self.refusal = self.refused = None
        self._refresh()
        self._render_message()
        if changed and notify and self.on_change is not None:
            self.on_change(text)
        return True

    @property
    def error(self) -> str | None:
        """The validation message shown under the field, if any."""
        return self._error

    @error.setter
    def error(self, message: str | None) -> None:
        self._error = message or None
        self._render_message()

    @property
    def message(self) -> str | None:
        """What the field says under its box now: a refusal, else the error."""
        return self.refusal or self._error

    def validate(self) -> bool:
        """Run the validator; shows and returns whether the text is acceptable."""
        if self.validator is not None:
            self.error = self.validator(self._text)
        return self._error is None

    def refusal_for(self, text: str, *, replacing: bool = False) -> str | None:
        """Why inserting ``text`` (or, ``replacing``, setting it) would be refused, or None."""
        if any(char in _LINE_BREAKS for char in text):
            return ONE_LINE
        if not text.isprintable():
            return UNSHOWABLE
        if self.allowed is not None and not all(self.allowed(char) for char in text):
            return self.refused_message
        if self.max_length is not None:
            length = len(text) if replacing else len(self._text) + len(text)
            if length > self.max_length:
                return f"At most {self.max_length} characters fit here."
        return None

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
            self._clear_refusal()
            if not self.composition and self.caret > 0:
                self._edit(self._text[: self.caret - 1] + self._text[self.caret :], self.caret - 1)
            return True
        if action is Action.ERASE_FORWARD:
            self._clear_refusal()
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
                self._clear_refusal()  # a new paste is a new try: judged on its own
                self._insert(pasted_line(pasted))
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
        self.refusal = self.refused = None
        ime.stop(self)
        host = self.find_host()
        if self._text and (host is None or host.active):  # not when a dialog covers the view
            self.validate()
        self._refresh()

    def update(self, dt: float) -> None:
        self._blink += dt

    # editing --------------------------------------------------------------------

    def _insert(self, text: str) -> None:
        if not text:
            return
        problem = self.refusal_for(text)
        if problem is not None:
            self._refuse(text, problem)
            return
        caret = self.caret + len(text)
        self._edit(self._text[: self.caret] + text + self._text[self.caret :], caret)

    def _refuse(self, text: str, problem: str) -> None:
        self.refused = text
        self.refusal = problem
        self._blink = 0.0
        self._render_message()

    def _clear_refusal(self) -> None:
        if self.refusal is not None:
            self.refusal = self.refused = None
            self._render_message()

    def _edit(self, text: str, caret: int) -> None:
        self._text = text
        self.caret = caret
        self._error = None
        self._blink = 0.0
        if text and self.as_you_type is not None:
            self._error = self.as_you_type(text)
        self._refresh()
        self._render_message()
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
        look = style.looks("text_field").normal
        top = self.rect.top
        self._label_surface = None
        self._label_fitted = ""
        if self.label:
            fitted = style.text.fit(self.label, style.font_key("small"), self.rect.width)
            self._label_fitted = fitted
            self._label_surface = style.render(fitted, "small", look.detail_colour)
            top += style.line_height("small") + style.px(6)
        self._box = pygame.Rect(self.rect.left, top, self.rect.width, style.control_height)
        pad = style.px(14)
        self._inner = self._box.inflate(-2 * pad, -2 * style.px(6))
        fitted = style.text.fit(self.placeholder, style.font_key("body"), self._inner.width)
        self._placeholder_fitted = fitted
        self._placeholder_surface = style.render(fitted, "body", look.detail_colour)
        self._refresh()
        self._render_message()
        if self.focused:
            ime.move(self, self._box)

    @property
    def state(self) -> WidgetState:
        """The state the box is drawn in now."""
        if not self.enabled:
            return "disabled"
        if self.message:
            return "invalid"
        if self.focused:
            return "focused"
        return "hover" if self.hovered else "normal"

    def own_texts(self) -> tuple[str, ...]:
        if self.style is None:
            return ()
        texts = [self._label_fitted] if self._label_fitted else []
        shown = self._shown(self._text)
        if shown or self.composition:
            texts.append(shown)
        elif self._placeholder_fitted:
            texts.append(self._placeholder_fitted)
        if self._message_fitted:
            texts.append(self._message_fitted)
        return tuple(texts)

    def _render_message(self) -> None:
        style = self.style
        message = self.message
        if style is None or not message:
            self._message_surface = None
            self._message_fitted = ""
            return
        fitted = style.text.fit(message, style.font_key("small"), self.rect.width)
        self._message_fitted = fitted
        colour = style.looks("text_field").look("invalid").detail_colour
        self._message_surface = style.render(fitted, "small", colour)

    def _refresh(self) -> None:
        """Re-render the shown text and recompute caret/scroll after an edit."""
        style = self.style
        if style is None:
            return
        before = self._shown(self._text[: self.caret])
        after = self._shown(self._text[self.caret :])
        shown = before + self.composition + after
        colour = style.looks("text_field").look("normal" if self.enabled else "disabled").text
        self._text_surface = style.render(shown, "body", colour) if shown else None
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
        looks = style.looks("text_field")
        look = looks.look(self.state)
        if self._label_surface is not None:
            surface.blit(self._label_surface, self.rect.topleft)
        box = self._box
        if look.fill is not None:
            pygame.draw.rect(surface, look.fill, box, border_radius=style.small_radius)
        if look.border is not None and style.border:
            pygame.draw.rect(
                surface, look.border, box, style.border, border_radius=style.small_radius
            )
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
            underline = looks.look("focused").border or look.text
            pygame.draw.line(surface, underline, (x0, y), (x1, y), max(1, style.px(2)))
        if self.focused and (self._blink % (2 * _CARET_BLINK)) < _CARET_BLINK:
            x = inner.left + self._caret_x - self._scroll_x
            caret = pygame.Rect(x, text_top, max(2, style.px(2)), style.line_height("body"))
            pygame.draw.rect(surface, look.text, caret)
        if self._message_surface is not None:
            surface.blit(self._message_surface, (self.rect.left, box.bottom + style.px(6)))

    def focus_rect(self) -> pygame.Rect:
        """The rect the focus ring is drawn around (the box, not the label)."""
        return self._box
