"""The panel frame: a rounded, bordered panel with a title bar and a close hint.

The frame centres itself in the rect it is given (the whole window for a view)
at a size given as fractions of the window (``width=0.7``) or design pixels
(``width=900``), clamped to fit. Its chrome (shadow, panel, border, title,
divider) is static: it is drawn once per layout into the view's cached layer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pygame

from kgen_pygame.ui.drawing import draw_shadow, lighten
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
    calls ``on_close`` (by default the view's back action).
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
    ) -> None:
        super().__init__()
        self._title = title
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
        if self.close_hint is not None:
            key = style.render(self.key_hint, "small", theme.text)
            hint = style.render(self.close_hint, "small", theme.text_muted)
            hint_hover = style.render(self.close_hint, "small", theme.text)
            self._key_surface = key
            self._pad_surface = style.render(self.pad_hint, "small", theme.text)
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
        else:
            self._close_rect = pygame.Rect(0, 0, 0, 0)
        fitted = style.text.fit(self._title, style.font_key("title"), title_width)
        self._title_surface = style.render(fitted, "title", theme.text)
        self._subtitle_surface = None
        if self.subtitle:
            sub = style.text.fit(self.subtitle, style.font_key("small"), title_width)
            self._subtitle_surface = style.render(sub, "small", theme.text_muted)
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
            theme = style.theme
            hovered = self.hovered
            if hovered:
                pygame.draw.rect(
                    surface,
                    lighten(theme.panel, 0.06),
                    self._close_rect,
                    border_radius=style.small_radius,
                )
            pygame.draw.rect(
                surface,
                theme.panel_border,
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
