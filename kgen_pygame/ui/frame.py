"""The panel frame: a rounded, bordered panel with a title bar and a close hint.

The frame centres itself in the rect it is given (the whole window for a view)
at a size given as fractions of the window (``width=0.7``) or design pixels
(``width=900``), clamped to fit. Its chrome (shadow, panel, border, title,
divider) is static: it is drawn once per layout into the view's cached layer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pygame

from kgen_pygame.ui.drawing import draw_shadow, render_tag
from kgen_pygame.ui.input import Action, Device, Intent
from kgen_pygame.ui.theme import Style
from kgen_pygame.ui.widget import Widget


def _extent(value: float, available: int, style: Style) -> int:
    return round(available * value) if value <= 1.0 else style.px(value)


class Frame(Widget):
    """A titled panel around one ``content`` widget.

    ``height=None`` fits the content. ``close_hint`` is the text next to the
    keycap at the top right (``None`` hides it); the keycap reads ``key_hint``
    ("Esc"), or ``pad_hint`` ("B") once the player uses a gamepad. Clicking it
    calls ``on_close`` (by default the view's back action). ``tag`` (e.g.
    ``"SANDBOX"``) is a chip in the header, right after the title.
    """

    accepts_pointer = True

    def __init__(
        self,
        title: str,
        content: Widget,
        *,
        subtitle: str | None = None,
        width: float = 0.72,
        height: float | None = 0.82,
        max_width: float = 1000,
        close_hint: str | None = "Close",
        key_hint: str = "Esc",
        pad_hint: str = "B",
        on_close: Callable[[], None] | None = None,
        tag: str | None = None,
    ) -> None:
        super().__init__()
        self._title = title
        self._tag = tag
        self.subtitle = subtitle
        self.content = content
        content.parent = self
        self.width = width
        self.height = height
        self.max_width = max_width
        self.close_hint = close_hint
        self.key_hint = key_hint
        self.pad_hint = pad_hint
        self.on_close = on_close
        self.panel = pygame.Rect(0, 0, 0, 0)
        self._close_rect = pygame.Rect(0, 0, 0, 0)
        self._keycap = pygame.Rect(0, 0, 0, 0)
        self._title_surface: pygame.Surface | None = None
        self._subtitle_surface: pygame.Surface | None = None
        self._key_surface: pygame.Surface | None = None
        self._pad_surface: pygame.Surface | None = None
        self._hint_surfaces: tuple[pygame.Surface, pygame.Surface] | None = None
        self._tag_surface: pygame.Surface | None = None
        self._tag_at = (0, 0)
        self._drawn: tuple[str, ...] = ()
        self._pressed_close = False

    def children(self) -> Sequence[Widget]:
        return (self.content,)

    @property
    def title(self) -> str:
        """The title shown in the header."""
        return self._title

    @title.setter
    def title(self, value: str) -> None:
        if value != self._title:
            self._title = value
            self.request_layout()  # the title is baked into the cached chrome

    @property
    def tag(self) -> str | None:
        """The chip after the title (None: none)."""
        return self._tag

    @tag.setter
    def tag(self, value: str | None) -> None:
        if value != self._tag:
            self._tag = value
            self.request_layout()  # the chip is part of the cached chrome

    def own_texts(self) -> tuple[str, ...]:
        return self._drawn

    def _header_height(self, style: Style) -> int:
        height = style.line_height("title")
        if self.subtitle:
            height += style.line_height("small")
        return height + style.padding

    def measure(self, style: Style, width: int) -> tuple[int, int]:
        inner = max(0, width - 2 * style.padding)
        content_w, content_h = self.content.measure(style, inner)
        return (
            content_w + 2 * style.padding,
            content_h + self._header_height(style) + 2 * style.padding,
        )

    def layout(self, rect: pygame.Rect, style: Style) -> None:
        super().layout(rect, style)
        margin = style.px(24)
        area = self.rect.inflate(-2 * margin, -2 * margin)
        width = min(
            _extent(self.width, self.rect.width, style), style.px(self.max_width), area.width
        )
        width = max(0, width)
        pad = style.padding
        header = self._header_height(style)
        if self.height is None:
            _, content_h = self.content.measure(style, max(0, width - 2 * pad))
            height = content_h + header + 2 * pad
        else:
            height = _extent(self.height, self.rect.height, style)
        height = max(0, min(height, area.height))
        self.panel = pygame.Rect(0, 0, width, height)
        self.panel.center = self.rect.center
        body = pygame.Rect(
            self.panel.left + pad,
            self.panel.top + pad + header,
            max(0, width - 2 * pad),
            max(0, height - 2 * pad - header),
        )
        theme = style.theme
        title_width = width - 2 * pad
        hints: tuple[str, ...] = ()
        if self.close_hint is not None:
            close = style.looks("close_hint")
            key = style.render(self.key_hint, "small", close.normal.detail_colour)
            hint = style.render(self.close_hint, "small", close.normal.text)
            hint_hover = style.render(self.close_hint, "small", close.look("hover").text)
            self._key_surface = key
            self._pad_surface = style.render(self.pad_hint, "small", close.normal.detail_colour)
            self._hint_surfaces = (hint, hint_hover)
            cap_pad = style.px(7)
            keycap_w = max(key.get_width(), self._pad_surface.get_width()) + 2 * cap_pad
            keycap_h = key.get_height() + style.px(6)
            total = keycap_w + style.px(8) + hint.get_width()
            self._close_rect = pygame.Rect(
                self.panel.right - pad - total - style.px(6),
                self.panel.top + pad + (style.line_height("title") - keycap_h) // 2 - style.px(4),
                total + style.px(12),
                keycap_h + style.px(8),
            )
            self._keycap = pygame.Rect(
                self._close_rect.left + style.px(6),
                self._close_rect.top + style.px(4),
                keycap_w,
                keycap_h,
            )
            title_width -= self._close_rect.width + style.spacing
            hints = (self.key_hint, self.close_hint)
        else:
            self._close_rect = pygame.Rect(0, 0, 0, 0)
        self._tag_surface = None
        if self._tag:
            self._tag_surface = render_tag(style, self._tag)
            title_width -= self._tag_surface.get_width() + style.spacing
        fitted = style.text.fit(self._title, style.font_key("title"), max(0, title_width))
        self._title_surface = style.render(fitted, "title", theme.text)
        if self._tag_surface is not None:
            self._tag_at = (
                self.panel.left + pad + self._title_surface.get_width() + style.spacing,
                self.panel.top + pad
                + (style.line_height("title") - self._tag_surface.get_height()) // 2,
            )
        self._subtitle_surface = None
        texts = [fitted]
        if self._tag:
            texts.append(self._tag)
        if self.subtitle:
            sub = style.text.fit(self.subtitle, style.font_key("small"), width - 2 * pad
                                 - (self._close_rect.width + style.spacing if hints else 0))
            self._subtitle_surface = style.render(sub, "small", theme.text_muted)
            texts.append(sub)
        self._drawn = (*texts, *hints)
        self.content.layout(body, style)

    def widget_at(self, pos: tuple[int, int]) -> Widget | None:
        if not self.visible:
            return None
        hit = self.content.widget_at(pos)
        if hit is not None:
            return hit
        return self if self._close_rect.collidepoint(pos) else None

    def handle(self, intent: Intent) -> bool:
        if intent.action is Action.POINTER_DOWN:
            self._pressed_close = True
            return True
        if intent.action is Action.POINTER_UP:
            clicked = self._pressed_close and intent.pos is not None
            clicked = clicked and self._close_rect.collidepoint(intent.pos or (0, 0))
            self._pressed_close = False
            if clicked:
                if self.on_close is not None:
                    self.on_close()
                else:
                    host = self.find_host()
                    if host is not None:
                        host.request_back()
            return True
        return intent.action is Action.POINTER_MOVE

    def static_key(self) -> tuple[object, ...]:
        return (tuple(self.panel), self._drawn, super().static_key())

    def opaque_rect(self) -> pygame.Rect | None:
        # The panel without the rows of its rounded corners (there the backdrop shows).
        radius = self.style.radius if self.style is not None else 0
        area = self.panel.inflate(0, -2 * radius)
        return area if area.width > 0 and area.height > 0 else None

    def draw_static(self, layer: pygame.Surface) -> None:
        style = self.style
        if style is None:
            return
        theme = style.theme
        fill = layer.get_at((0, 0))  # the layer's backdrop (dialogs use a lighter one)
        draw_shadow(layer, self.panel, style, (fill.r, fill.g, fill.b, fill.a))
        pygame.draw.rect(layer, (*theme.panel, 255), self.panel, border_radius=style.radius)
        if style.border:
            pygame.draw.rect(
                layer,
                (*theme.panel_border, 255),
                self.panel,
                style.border,
                border_radius=style.radius,
            )
        pad = style.padding
        x, y = self.panel.left + pad, self.panel.top + pad
        if self._title_surface is not None:
            layer.blit(self._title_surface, (x, y))
            y += style.line_height("title")
        if self._subtitle_surface is not None:
            layer.blit(self._subtitle_surface, (x, y))
        if self._tag_surface is not None:
            layer.blit(self._tag_surface, self._tag_at)
        divider_y = self.panel.top + pad + self._header_height(style) - pad // 2
        pygame.draw.line(
            layer,
            (*theme.panel_border, 255),
            (self.panel.left + pad, divider_y),
            (self.panel.right - pad - 1, divider_y),
            max(1, style.border // 2 or 1),
        )
        super().draw_static(layer)

    def draw(self, surface: pygame.Surface) -> None:
        style = self.style
        if style is not None and self._key_surface is not None and self._hint_surfaces:
            hovered = self.hovered
            look = style.looks("close_hint").look("hover" if hovered else "normal")
            if look.fill is not None:
                pygame.draw.rect(
                    surface, look.fill, self._close_rect, border_radius=style.small_radius
                )
            if look.border is not None:
                pygame.draw.rect(
                    surface,
                    look.border,
                    self._keycap,
                    max(1, style.border // 2 or 1),
                    border_radius=style.px(5),
                )
            host = self.find_host()
            key = self._key_surface
            gamepad = host is not None and host.last_device is Device.GAMEPAD
            if gamepad and self._pad_surface is not None:
                key = self._pad_surface
            surface.blit(key, key.get_rect(center=self._keycap.center))
            hint = self._hint_surfaces[1 if hovered else 0]
            surface.blit(
                hint,
                (self._keycap.right + style.px(8), self._keycap.centery - hint.get_height() // 2),
            )
        super().draw(surface)
