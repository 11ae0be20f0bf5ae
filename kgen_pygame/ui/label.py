"""Static and changing text: :class:`Label`, and the HUD pill :class:`Badge`."""

from __future__ import annotations

from collections.abc import Callable

import pygame

from kgen_pygame.ui.drawing import new_surface, render_tag, tag_size
from kgen_pygame.ui.input import Action, Intent
from kgen_pygame.ui.theme import Align, Colour, Style, TextRole, Tone
from kgen_pygame.ui.widget import Widget


class Label(Widget):
    """One line of text (cut with an ellipsis if too long), or wrapped text with ``wrap=True``.

    The text is rendered when it changes or on layout, never per frame.
    """

    def __init__(
        self,
        text: str = "",
        *,
        role: TextRole = "body",
        tone: Tone = "text",
        colour: Colour | None = None,
        align: Align = "left",
        wrap: bool = False,
        grow: float = 0.0,
        visible: bool = True,
    ) -> None:
        super().__init__(grow=grow, visible=visible)
        self._text = text
        self.role: TextRole = role
        self._tone: Tone = tone
        self._colour = colour
        self.align: Align = align
        self.wrap = wrap
        self._lines: list[pygame.Surface] = []
        self._drawn: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The full text (what is drawn may be cut to fit)."""
        return self._text

    @text.setter
    def text(self, value: str) -> None:
        self.set_text(value)

    def set_text(self, text: str, *, tone: Tone | None = None) -> None:
        """Change the text (and optionally the tone); re-renders once, now."""
        if text == self._text and (tone is None or tone == self._tone):
            return
        self._text = text
        if tone is not None:
            self._tone = tone
        if self.wrap:
            self.request_layout()  # the number of lines may change
        self._render()

    @property
    def tone(self) -> Tone:
        """The colour role of the text."""
        return self._tone

    @tone.setter
    def tone(self, value: Tone) -> None:
        if value != self._tone:
            self._tone = value
            self._render()

    def measure(self, style: Style, width: int) -> tuple[int, int]:
        line_height = style.line_height(self.role)
        if not self.wrap:
            return (style.text_width(self._text, self.role), line_height)
        lines = style.text.wrap(self._text, style.font_key(self.role), max(1, width))
        widest = max((style.text_width(line, self.role) for line in lines), default=0)
        return (widest, line_height * len(lines))

    def layout(self, rect: pygame.Rect, style: Style) -> None:
        super().layout(rect, style)
        self._render()

    def _render(self) -> None:
        style = self.style
        if style is None:
            return
        colour = self._colour if self._colour is not None else style.colour(self._tone)
        key = style.font_key(self.role)
        if self.wrap:
            texts = style.text.wrap(self._text, key, max(1, self.rect.width))
        else:
            texts = [style.text.fit(self._text, key, self.rect.width)]
        self._drawn = tuple(text for text in texts if text)
        self._lines = [style.render(line, self.role, colour) for line in texts]

    def own_texts(self) -> tuple[str, ...]:
        return self._drawn

    def draw(self, surface: pygame.Surface) -> None:
        if not self._lines or self.style is None:
            return
        line_height = self.style.line_height(self.role)
        y = self.rect.centery - line_height * len(self._lines) // 2
        for line in self._lines:
            if self.align == "left":
                x = self.rect.left
            elif self.align == "right":
                x = self.rect.right - line.get_width()
            else:
                x = self.rect.centerx - line.get_width() // 2
            surface.blit(line, (x, y + (line_height - line.get_height()) // 2))
            y += line_height


class Badge(Widget):
    """A pill with a coloured dot and text: the HUD badge drawn over the game.

    The pill is pre-rendered into one small surface whenever its text, tone, tag or
    layout changes, so drawing it costs a single blit. Clickable when ``on_click``
    is given. ``tag`` (e.g. ``"SANDBOX"``) is drawn as a chip after the text.
    """

    def __init__(
        self,
        text: str = "",
        *,
        tone: Tone = "accent",
        on_click: Callable[[], None] | None = None,
        translucent: bool = True,
        tag: str | None = None,
    ) -> None:
        super().__init__()
        self._text = text
        self._tag = tag
        self._tone: Tone = tone
        self.on_click = on_click
        self.translucent = translucent
        self._surface: pygame.Surface | None = None
        self._pressed = False

    @property
    def accepts_pointer(self) -> bool:  # type: ignore[override]
        return self.on_click is not None

    @property
    def text(self) -> str:
        """The badge text."""
        return self._text

    @property
    def tag(self) -> str | None:
        """The chip after the text (None: no chip)."""
        return self._tag

    def set_tag(self, tag: str | None) -> None:
        """Show ``tag`` as a chip after the text (None removes it)."""
        if tag != self._tag:
            self._tag = tag
            self._rebuild()

    def set_text(self, text: str, *, tone: Tone | None = None) -> None:
        """Change the text/tone; the pill is rebuilt (and resized) once."""
        if text == self._text and (tone is None or tone == self._tone):
            return
        self._text = text
        if tone is not None:
            self._tone = tone
        self._rebuild()

    def _rebuild(self) -> None:
        if self.find_host() is not None:
            self.request_layout()  # the host re-anchors the resized pill
        elif self.style is not None:
            self.layout(self.rect, self.style)

    def own_texts(self) -> tuple[str, ...]:
        if self._surface is None:
            return ()
        return (self._text, self._tag) if self._tag else (self._text,)

    def measure(self, style: Style, width: int) -> tuple[int, int]:
        height = style.line_height("small") + 2 * style.px(8)
        dot = style.px(10)
        tag = tag_size(style, self._tag)[0] + style.px(8) if self._tag else 0
        return (style.text_width(self._text, "small") + dot + height + tag, height)

    def layout(self, rect: pygame.Rect, style: Style) -> None:
        width, height = self.measure(style, rect.width)
        super().layout(pygame.Rect(rect.topleft, (width, height)), style)
        look = style.looks("badge").normal
        surface = new_surface((width, height), alpha=True)
        surface.fill((0, 0, 0, 0))
        if look.fill is not None:
            fill = (*look.fill, 214) if self.translucent else (*look.fill, 255)
            pygame.draw.rect(surface, fill, surface.get_rect(), border_radius=height // 2)
        if look.border is not None:
            pygame.draw.rect(
                surface,
                (*look.border, 255),
                surface.get_rect(),
                max(1, style.border // 2 or 1),
                border_radius=height // 2,
            )
        dot = style.px(10)
        pygame.draw.circle(surface, style.colour(self._tone), (height // 2, height // 2), dot // 2)
        label = style.render(self._text, "small", look.text)
        x = height // 2 + dot
        surface.blit(label, (x, (height - label.get_height()) // 2))
        if self._tag:
            chip = render_tag(style, self._tag)
            surface.blit(chip, (x + label.get_width() + style.px(8),
                                (height - chip.get_height()) // 2))
        self._surface = surface

    def handle(self, intent: Intent) -> bool:
        if self.on_click is None:
            return False
        if intent.action is Action.POINTER_DOWN:
            self._pressed = True
            return True
        if intent.action is Action.POINTER_UP:
            clicked = (
                self._pressed and intent.pos is not None and self.rect.collidepoint(intent.pos)
            )
            self._pressed = False
            if clicked:
                self.on_click()
            return clicked
        return False

    def draw(self, surface: pygame.Surface) -> None:
        if self._surface is not None:
            surface.blit(self._surface, self.rect)
            if self.hovered and self.on_click is not None and self.style is not None:
                border = self.style.looks("badge").look("hover").border
                if border is not None:
                    pygame.draw.rect(
                        surface, border, self.rect, 1, border_radius=self.rect.height // 2
                    )
