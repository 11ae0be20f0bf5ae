"""Theme data (colours, fonts, sizes) and its resolution for one window size.

A :class:`Theme` is plain data, kept apart from the widgets that read it, so a
game restyles every overlay with ``dataclasses.replace(DEFAULT_THEME, accent=...)``.
At layout time the overlay resolves the theme for the current surface size into
a :class:`Style`: pixel sizes, fonts and rendered-text access scaled by
``min(w / 1280, h / 720)`` (clamped) times ``Theme.scale``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Literal

import pygame

from kgen_pygame.errors import ConfigurationError
from kgen_pygame.ui.colours import RGB, RGBA, Colour
from kgen_pygame.ui.looks import LOOK_KINDS, LookKind, StateLooks, derive
from kgen_pygame.ui.text import FontKey, TextRenderer

__all__ = ["RGB", "RGBA", "Align", "Colour", "Style", "TextRole", "Theme", "Tone"]

#: Named colour roles a widget may ask for instead of a raw colour.
Tone = Literal["text", "muted", "accent", "accent_text", "success", "danger", "warning"]
#: Font size roles.
TextRole = Literal["small", "body", "title", "huge"]
Align = Literal["left", "center", "right"]

#: The window size the theme's pixel values are designed for.
REFERENCE_SIZE = (1280, 720)


@dataclass(frozen=True, slots=True)
class Theme:
    """Colours, font and sizes of every overlay. Override any field with ``dataclasses.replace``.

    State colours (hover, pressed, focused, disabled, selected, invalid) of each
    widget kind are derived from these base colours (see :mod:`kgen_pygame.ui.looks`);
    set a kind's field (``primary_button=StateLooks(...)``) to choose them yourself.
    ``tag`` / ``tag_text`` colour the small chips such as the "SANDBOX" tag.

    Sizes are design pixels at 1280x720; font sizes are ``pygame.font.Font`` sizes.
    Text never shrinks below ``min_font_scale`` of its design size, so small windows
    stay readable.
    ``font`` is ``None`` (pygame's default font), a path to a .ttf/.otf file, or a
    system font name for ``pygame.font.SysFont``. A font that fails to load falls
    back to the default font with a logged warning.
    """

    background: RGB = (14, 16, 24)
    panel: RGB = (26, 29, 43)
    panel_border: RGB = (58, 64, 92)
    text: RGB = (236, 238, 246)
    text_muted: RGB = (150, 157, 184)
    accent: RGB = (124, 92, 255)
    accent_text: RGB = (255, 255, 255)
    danger: RGB = (236, 88, 96)
    success: RGB = (56, 201, 128)
    warning: RGB = (246, 180, 70)
    focus_ring: RGB = (104, 212, 255)
    row_alt: RGB = (31, 35, 51)
    row_highlight: RGB = (62, 50, 124)
    field: RGB = (18, 20, 31)
    tag: RGB = (246, 180, 70)
    tag_text: RGB = (28, 20, 6)
    backdrop: RGBA = (6, 8, 14, 176)
    dialog_backdrop: RGBA = (0, 0, 0, 110)

    font: str | None = None
    font_small: int = 22
    font_body: int = 28
    font_title: int = 40
    font_huge: int = 72

    spacing: int = 14
    corner_radius: int = 14
    border_width: int = 2
    scale: float = 1.0
    min_scale: float = 0.75
    max_scale: float = 3.0
    min_font_scale: float = 0.85
    text_cache_size: int = 1024

    primary_button: StateLooks | None = None
    secondary_button: StateLooks | None = None
    danger_button: StateLooks | None = None
    ghost_button: StateLooks | None = None
    menu_card: StateLooks | None = None
    text_field: StateLooks | None = None
    tab: StateLooks | None = None
    table_row: StateLooks | None = None
    scroll_bar: StateLooks | None = None
    close_hint: StateLooks | None = None
    badge: StateLooks | None = None

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if field.name in LOOK_KINDS:
                if value is not None and not isinstance(value, StateLooks):
                    raise ConfigurationError(f"Theme.{field.name} must be a StateLooks or None")
            elif field.name in _COLOUR_FIELDS:
                _check_colour(field.name, value, 4 if field.name in _RGBA_FIELDS else 3)
            elif (field.name.startswith("font_") or field.name in _POSITIVE_INTS) and (
                not isinstance(value, int) or value <= 0
            ):
                raise ConfigurationError(f"Theme.{field.name} must be a positive int")
        if self.corner_radius < 0 or self.border_width < 0:
            raise ConfigurationError("Theme.corner_radius and border_width must be >= 0")
        if not (self.scale > 0 and 0 < self.min_scale <= self.max_scale):
            raise ConfigurationError("Theme.scale must be > 0 and 0 < min_scale <= max_scale")
        if self.min_font_scale <= 0:
            raise ConfigurationError("Theme.min_font_scale must be > 0")

    def scale_for(self, size: tuple[int, int]) -> float:
        """The layout scale for a surface of ``size``: window fit, clamped, times ``scale``."""
        width, height = size
        fit = min(width / REFERENCE_SIZE[0], height / REFERENCE_SIZE[1])
        return max(self.min_scale, min(self.max_scale, fit)) * self.scale


_RGBA_FIELDS = frozenset({"backdrop", "dialog_backdrop"})
_COLOUR_FIELDS = (
    frozenset(
        {
            "background",
            "panel",
            "panel_border",
            "text",
            "text_muted",
            "accent",
            "accent_text",
            "danger",
            "success",
            "warning",
            "focus_ring",
            "row_alt",
            "row_highlight",
            "field",
            "tag",
            "tag_text",
        }
    )
    | _RGBA_FIELDS
)
_POSITIVE_INTS = frozenset({"spacing", "text_cache_size"})


def _check_colour(name: str, value: object, length: int) -> None:
    ok = (
        isinstance(value, tuple)
        and len(value) == length
        and all(isinstance(c, int) and 0 <= c <= 255 for c in value)
    )
    if not ok:
        raise ConfigurationError(f"Theme.{name} must be a tuple of {length} ints in 0..255")


DEFAULT_THEME = Theme()

_TONE_FIELDS: dict[str, str] = {
    "text": "text",
    "muted": "text_muted",
    "accent": "accent",
    "accent_text": "accent_text",
    "success": "success",
    "danger": "danger",
    "warning": "warning",
}
_ROLE_FIELDS: dict[str, str] = {
    "small": "font_small",
    "body": "font_body",
    "title": "font_title",
    "huge": "font_huge",
}


class Style:
    """A :class:`Theme` resolved for one surface size: the pixel metrics widgets lay out with.

    Widgets receive a Style in ``layout()`` and keep it for drawing. It also gives
    access to cached fonts and cached rendered text (see :class:`TextRenderer`).
    """

    __slots__ = (
        "_looks",
        "border",
        "control_height",
        "font_scale",
        "padding",
        "radius",
        "ring",
        "row_height",
        "scale",
        "size",
        "small_radius",
        "spacing",
        "text",
        "theme",
    )

    def __init__(self, theme: Theme, size: tuple[int, int], text: TextRenderer) -> None:
        self.theme = theme
        self.size = size
        self.text = text
        self.scale = theme.scale_for(size)
        self.font_scale = max(self.scale, theme.min_font_scale * theme.scale)
        self.spacing = self.px(theme.spacing)
        self.padding = self.px(theme.spacing * 2)
        self.radius = self.px(theme.corner_radius) if theme.corner_radius else 0
        self.small_radius = self.px(theme.corner_radius * 0.6) if theme.corner_radius else 0
        self.border = self.px(theme.border_width) if theme.border_width else 0
        self.ring = max(2, self.px(3))
        self.control_height = self.line_height("body") + 2 * self.px(11)
        self.row_height = self.line_height("body") + 2 * self.px(9)
        self._looks: dict[str, StateLooks] = {}

    def px(self, value: float) -> int:
        """Scale a design-pixel length to this window (at least 1 for positive values)."""
        if value <= 0:
            return 0
        return max(1, round(value * self.scale))

    def font_key(self, role: TextRole) -> FontKey:
        """The cache key of the font used for ``role`` at this scale."""
        base: int = getattr(self.theme, _ROLE_FIELDS[role])
        return (self.theme.font, max(8, round(base * self.font_scale)))

    def font(self, role: TextRole) -> pygame.font.Font:
        """The (cached) font for ``role``."""
        return self.text.font(self.font_key(role))

    def line_height(self, role: TextRole) -> int:
        """Line height in pixels of the ``role`` font."""
        return self.text.font(self.font_key(role)).get_linesize()

    def render(self, text: str, role: TextRole, colour: Colour) -> pygame.Surface:
        """Rendered text from the shared LRU cache (rendered once per text/font/colour)."""
        return self.text.render(text, self.font_key(role), colour)

    def text_width(self, text: str, role: TextRole) -> int:
        """Width in pixels of ``text`` in the ``role`` font."""
        return self.text.width(text, self.font_key(role))

    def colour(self, tone: Tone) -> RGB:
        """The theme colour of a named tone."""
        colour: RGB = getattr(self.theme, _TONE_FIELDS[tone])
        return colour

    def looks(self, kind: LookKind) -> StateLooks:
        """The state colours of a widget kind: the theme's own, or derived from its colours."""
        looks = self._looks.get(kind)
        if looks is None:
            chosen: StateLooks | None = getattr(self.theme, kind)
            looks = chosen if chosen is not None else derive(self.theme, kind)
            self._looks[kind] = looks
        return looks
