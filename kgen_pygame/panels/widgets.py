"""Small composite widgets the panels share: message bar, status block, tiles, rows.

Built from :mod:`kgen_pygame.ui` pieces; like every widget they render text
only when it changes and keep static backgrounds in the view's cached layer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pygame

from kgen_pygame.panels.messages import player_message, retry_helps
from kgen_pygame.ui import (
    Button,
    ButtonKind,
    Column,
    Label,
    Row,
    Spacer,
    Spinner,
    Style,
    TextRole,
    Tone,
    Widget,
)
from kgen_pygame.ui.button import LOOK_OF_KIND
from kgen_pygame.ui.colours import mix
from kgen_pygame.ui.looks import LookKind

WORKING = "Working..."


def every_digit(template: str) -> tuple[str, ...]:
    """``template`` with its 8s replaced by each digit: what ``sizes_for`` needs so a
    countdown or an amount never changes a button's width (digit widths differ)."""
    return tuple(template.replace("8", digit) for digit in "0123456789")


class ActionButton(Button):
    """A button that shows ``working_text`` (disabled) while its call runs.

    It is sized for its caption, ``working_text`` and ``sizes_for`` together, so
    its width never changes as it switches between them.
    """

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
        working_text: str = WORKING,
        sizes_for: Sequence[str] = (),
    ) -> None:
        super().__init__(
            text, on_press, kind=kind, enabled=enabled, min_width=min_width, grow=grow,
            visible=visible, sizes_for=(working_text, *sizes_for),
        )
        self._idle_text = text
        self.working_text = working_text
        self.working = False

    def set_label(self, text: str) -> None:
        """Change the caption shown when not working."""
        self._idle_text = text
        if not self.working:
            self._show(text)

    def set_working(self, working: bool) -> None:
        """Show ``working_text`` and disable the button while ``working``; restore after."""
        self.working = working
        self._show(self.working_text if working else self._idle_text)
        self.enabled = not working

    def _show(self, text: str) -> None:
        if text == self.text:
            return
        self.text = text
        style = self.style
        if style is not None and self.measure(style, self.rect.width)[0] > self.rect.width:
            # A caption nobody declared in sizes_for: grow once rather than cut it.
            self.sizes_for = (*self.sizes_for, text)
            self.request_layout()


class MessageBar(Widget):
    """A tinted strip with a wrapped message and an optional button (usually Retry).

    Hidden (taking no space) until :meth:`show`.
    """

    def __init__(self) -> None:
        super().__init__(visible=False)
        self.label = Label("", wrap=True, tone="danger")
        self.button = Button("Retry", min_width=112)
        self.button.visible = False
        self.label.parent = self
        self.button.parent = self
        self._tone: Tone = "danger"

    @property
    def text(self) -> str:
        """The message shown (empty when hidden)."""
        return self.label.text if self.visible else ""

    def children(self) -> Sequence[Widget]:
        return (self.label, self.button)

    def show(
        self,
        text: str,
        *,
        tone: Tone = "danger",
        action: Callable[[], None] | None = None,
        action_label: str = "Retry",
    ) -> None:
        """Show ``text``; with ``action`` a button (``action_label``) calls it."""
        self._tone = tone
        self.label.set_text(text, tone=tone)
        self.button.text = action_label
        self.button.on_press = action
        self.button.visible = action is not None
        self.visible = True
        self.request_layout()

    def show_error(self, error: BaseException, retry: Callable[[], None] | None) -> None:
        """Show the player's sentence for ``error``, with Retry only when it can help."""
        self.show(player_message(error), action=retry if retry_helps(error) else None)

    def hide(self) -> None:
        """Hide the bar."""
        if self.visible:
            self.button.on_press = None
            self.visible = False

    def _pad(self, style: Style) -> int:
        return style.px(12)

    def _button_size(self, style: Style, width: int) -> tuple[int, int]:
        return self.button.measure(style, width) if self.button.visible else (0, 0)

    def measure(self, style: Style, width: int) -> tuple[int, int]:
        pad = self._pad(style)
        button_w, button_h = self._button_size(style, width)
        text_w = width - 2 * pad - style.px(14) - (button_w + style.spacing if button_w else 0)
        _, text_h = self.label.measure(style, max(1, text_w))
        return (width, max(text_h, button_h) + 2 * pad)

    def layout(self, rect: pygame.Rect, style: Style) -> None:
        super().layout(rect, style)
        pad = self._pad(style)
        inner = self.rect.inflate(-2 * pad, -2 * pad)
        button_w, button_h = self._button_size(style, inner.width)
        if button_w:
            button = pygame.Rect(0, 0, button_w, min(button_h, inner.height))
            button.midright = inner.midright
            self.button.layout(button, style)
            inner.width -= button_w + style.spacing
        bar = style.px(14)
        inner.left += bar
        inner.width -= bar
        self.label.layout(inner, style)

    def static_key(self) -> tuple[object, ...]:
        return (tuple(self.rect), self._tone, super().static_key())

    def draw_static(self, layer: pygame.Surface) -> None:
        style = self.style
        if style is None:
            return
        tone = style.colour(self._tone)
        fill = mix(style.theme.panel, tone, 0.14)
        pygame.draw.rect(layer, (*fill, 255), self.rect, border_radius=style.small_radius)
        stripe = pygame.Rect(self.rect.left, self.rect.top, style.px(5), self.rect.height)
        pygame.draw.rect(layer, (*tone, 255), stripe, border_radius=style.px(3))
        super().draw_static(layer)


class StatusBlock(Column):
    """Fills its area with a spinner while loading, or a message and Retry after a failure."""

    def __init__(self) -> None:
        self.spinner = Spinner("Loading...")
        self.message = Label("", wrap=True, tone="danger", align="center")
        self.retry = Button("Retry", kind="primary", min_width=140)
        self._retry_row = Row(self.retry, justify="center")
        super().__init__(
            Spacer(grow=1), self.spinner, self.message, self._retry_row, Spacer(grow=1),
            grow=1, visible=False, spacing=18,
        )

    @property
    def failed(self) -> bool:
        """True while an error is shown."""
        return self.visible and self.message.visible

    def loading(self, text: str = "Loading...") -> None:
        """Show the spinner with ``text`` under it."""
        self.spinner.text = text
        self.spinner.visible = True
        self.message.visible = False
        self._retry_row.visible = False
        self.visible = True
        self.request_layout()

    def fail(self, text: str, retry: Callable[[], None] | None) -> None:
        """Show ``text`` and a Retry button calling ``retry``."""
        self.spinner.visible = False
        self.message.set_text(text)
        self.message.visible = True
        self.retry.on_press = retry
        self._retry_row.visible = retry is not None
        self.visible = True
        self.request_layout()
        if retry is not None:
            self.retry.focus()

    def show_error(self, error: BaseException, retry: Callable[[], None] | None) -> None:
        """Show the player's sentence for ``error``; Retry only when
        :func:`~kgen_pygame.panels.messages.retry_helps` says asking again can help."""
        self.fail(player_message(error), retry if retry_helps(error) else None)

    def hide(self) -> None:
        """Hide the block (the panel's content shows instead)."""
        self.visible = False


class Tile(Widget):
    """A boxed figure: a small caption over a large value (balances, counts)."""

    def __init__(
        self,
        caption: str,
        value: str = "-",
        *,
        tone: Tone = "text",
        role: TextRole = "title",
        grow: float = 1.0,
        min_width: float = 150,
    ) -> None:
        super().__init__(grow=grow)
        self.caption = caption
        self._value = value
        self._tone: Tone = tone
        self.role: TextRole = role
        self.min_width = min_width
        self._caption_surface: pygame.Surface | None = None
        self._value_surface: pygame.Surface | None = None
        self._caption_at = (0, 0)
        self._value_at = (0, 0)
        self._drawn: tuple[str, ...] = ()

    @property
    def value(self) -> str:
        """The value text."""
        return self._value

    def set_value(self, value: str, *, tone: Tone | None = None) -> None:
        """Change the value (rendered once, now)."""
        if value == self._value and (tone is None or tone == self._tone):
            return
        self._value = value
        if tone is not None:
            self._tone = tone
        self._render()

    def _pad(self, style: Style) -> int:
        return style.px(14)

    def measure(self, style: Style, width: int) -> tuple[int, int]:
        pad = self._pad(style)
        height = style.line_height("small") + style.px(2) + style.line_height(self.role)
        return (style.px(self.min_width), height + 2 * pad)

    def layout(self, rect: pygame.Rect, style: Style) -> None:
        super().layout(rect, style)
        self._render()

    def _render(self) -> None:
        style = self.style
        if style is None:
            return
        pad = self._pad(style)
        room = self.rect.width - 2 * pad
        self._caption_at = (self.rect.left + pad, self.rect.top + pad)
        self._value_at = (
            self.rect.left + pad, self.rect.top + pad + style.line_height("small") + style.px(2)
        )
        caption = style.text.fit(self.caption, style.font_key("small"), room)
        self._caption_surface = style.render(caption, "small", style.theme.text_muted)
        value = style.text.fit(self._value, style.font_key(self.role), room)
        self._value_surface = style.render(value, self.role, style.colour(self._tone))
        self._drawn = (caption, value)

    def own_texts(self) -> tuple[str, ...]:
        return self._drawn if self._caption_surface is not None else ()

    def static_key(self) -> tuple[object, ...]:
        return (tuple(self.rect),)

    def draw_static(self, layer: pygame.Surface) -> None:
        style = self.style
        if style is None:
            return
        theme = style.theme
        pygame.draw.rect(layer, (*theme.field, 255), self.rect, border_radius=style.small_radius)
        pygame.draw.rect(
            layer,
            (*theme.panel_border, 255),
            self.rect,
            max(1, style.border // 2 or 1),
            border_radius=style.small_radius,
        )

    def draw(self, surface: pygame.Surface) -> None:
        if self._caption_surface is not None and self._value_surface is not None:
            surface.blit(self._caption_surface, self._caption_at)
            surface.blit(self._value_surface, self._value_at)


class InfoRow(Row):
    """``caption ........ value`` on one line."""

    def __init__(self, caption: str, value: str = "-", *, tone: Tone = "text") -> None:
        self.caption = Label(caption, tone="muted")
        self.value = Label(value, tone=tone, align="right", grow=1)
        super().__init__(self.caption, self.value)

    def set(self, value: str, *, tone: Tone | None = None) -> None:
        """Change the value."""
        self.value.set_text(value, tone=tone)



class DetailRow(Widget):
    """``caption   a value wrapped over as many lines as it needs`` - nothing is cut."""

    def __init__(self, caption: str, value: str = "-", *, tone: Tone = "text",
                 caption_width: float = 150) -> None:
        super().__init__()
        self.caption = Label(caption, role="small", tone="muted")
        self.value = Label(value, role="small", tone=tone, wrap=True)
        self.caption_width = caption_width
        self.caption.parent = self
        self.value.parent = self

    def children(self) -> Sequence[Widget]:
        return (self.caption, self.value)

    def set(self, value: str, *, tone: Tone | None = None) -> None:
        """Change the value."""
        self.value.set_text(value, tone=tone)

    def _columns(self, style: Style, width: int) -> tuple[int, int]:
        caption = min(style.px(self.caption_width), width // 3)
        return caption, max(1, width - caption - style.spacing)

    def measure(self, style: Style, width: int) -> tuple[int, int]:
        _, value_w = self._columns(style, width)
        _, value_h = self.value.measure(style, value_w)
        return (width, max(style.line_height("small"), value_h))

    def layout(self, rect: pygame.Rect, style: Style) -> None:
        super().layout(rect, style)
        caption_w, value_w = self._columns(style, self.rect.width)
        line = style.line_height("small")
        self.caption.layout(pygame.Rect(self.rect.left, self.rect.top, caption_w, line), style)
        self.value.layout(
            pygame.Rect(self.rect.right - value_w, self.rect.top, value_w, self.rect.height),
            style,
        )


class MenuCard(Button):
    """A large two-line button for the KGeN menu: a title and a live hint under it.

    Every card looks the same (the theme's ``menu_card`` looks); only focus and
    hover mark one out. ``set_hint(..., tone=...)`` colours the hint (say, green
    when there are rewards to claim).
    """

    looks_of_kind: dict[ButtonKind, LookKind] = dict.fromkeys(LOOK_OF_KIND, "menu_card")

    def __init__(
        self, title: str, hint: str, on_press: Callable[[], None] | None = None
    ) -> None:
        super().__init__(title, on_press, min_width=150)
        self._hint = hint
        self._hint_tone: Tone | None = None
        self._hint_surface: pygame.Surface | None = None
        self._drawn: tuple[str, ...] = ()

    @property
    def hint(self) -> str:
        """The second line."""
        return self._hint

    def set_hint(self, hint: str, *, tone: Tone | None = None) -> None:
        """Change the second line and its tone (None: the theme's hint colour)."""
        if hint != self._hint or tone != self._hint_tone:
            self._hint = hint
            self._hint_tone = tone
            self._render_label()

    def _pad(self, style: Style) -> int:
        return style.px(16)

    def measure(self, style: Style, width: int) -> tuple[int, int]:
        pad = self._pad(style)
        text = max(style.text_width(self.text, "body"), style.text_width(self._hint, "small"))
        height = style.line_height("body") + style.line_height("small") + 2 * pad
        return (max(style.px(self.min_width), text + 2 * pad), height)

    def own_texts(self) -> tuple[str, ...]:
        return self._drawn

    def _render_label(self) -> None:
        super()._render_label()
        style, looks = self.style, self._looks
        if style is None or looks is None:
            return
        room = self.rect.width - 2 * self._pad(style)
        title = style.text.fit(self.text, style.font_key("body"), room)
        self._labels = {state: style.render(title, "body", looks.look(state).text)
                        for state in self._labels}
        hint = style.text.fit(self._hint, style.font_key("small"), room)
        colour = (
            style.colour(self._hint_tone) if self._hint_tone is not None
            else looks.normal.detail_colour
        )
        self._hint_surface = style.render(hint, "small", colour)
        self._drawn = (title, hint)

    def draw(self, surface: pygame.Surface) -> None:
        style, looks = self.style, self._looks
        if style is None or looks is None or self._hint_surface is None or not self._labels:
            return
        state = self.state
        look = looks.look(state)
        radius = style.small_radius
        if look.fill is not None:
            pygame.draw.rect(surface, look.fill, self.rect, border_radius=radius)
        if look.border is not None and style.border:
            pygame.draw.rect(surface, look.border, self.rect, style.border, border_radius=radius)
        pad = self._pad(style)
        top = self.rect.centery - (style.line_height("body") + style.line_height("small")) // 2
        surface.blit(self._labels[state], (self.rect.left + pad, top))
        surface.blit(self._hint_surface, (self.rect.left + pad, top + style.line_height("body")))
