"""Small drawing helpers shared by the widgets: surfaces, rings, shadows, chips."""

from __future__ import annotations

import contextlib

import pygame

from kgen_pygame.ui.theme import RGBA, Style


def new_surface(size: tuple[int, int], *, alpha: bool) -> pygame.Surface:
    """A surface in the display's pixel format when a display exists (faster blits).

    Allocate these at layout time only, never per frame.
    """
    size = (max(1, size[0]), max(1, size[1]))
    flags = pygame.SRCALPHA if alpha else 0
    display = pygame.display.get_surface() if pygame.display.get_init() else None
    if display is not None:
        # Made in the display's format directly: convert() would copy every pixel of a
        # new surface (about 2 ms for a panel's table, 3 ms for a full-screen layer).
        with contextlib.suppress(pygame.error):  # the display went away meanwhile
            if not alpha or display.get_bitsize() == 32:
                return pygame.Surface(size, flags, display)
    return pygame.Surface(size, flags, 32) if alpha else pygame.Surface(size)


def touch_band(surface: pygame.Surface, part: int, parts: int) -> None:
    """Clear horizontal band ``part`` of ``parts`` of a new ``surface``: its memory is
    mapped on first write, and spread over frames that costs each little."""
    height = surface.get_height()
    top, bottom = height * part // parts, height * (part + 1) // parts
    surface.fill((0, 0, 0, 0), pygame.Rect(0, top, surface.get_width(), bottom - top))


def draw_focus_ring(surface: pygame.Surface, rect: pygame.Rect, style: Style, radius: int) -> None:
    """The keyboard/gamepad focus indicator: an outline just outside ``rect``."""
    gap = style.ring + max(1, style.ring // 2)
    pygame.draw.rect(
        surface,
        style.theme.focus_ring,
        rect.inflate(gap * 2, gap * 2),
        style.ring,
        border_radius=radius + gap if radius else 0,
    )


def draw_shadow(layer: pygame.Surface, rect: pygame.Rect, style: Style, base: RGBA) -> None:
    """A soft drop shadow around ``rect`` on an SRCALPHA ``layer`` (writes alpha directly).

    ``base`` is the layer's fill around the rect; the shadow darkens it in small
    steps towards the rect, offset a little downwards. Draw the panel over ``rect``
    afterwards: the shadow leaves most of its inside alone.
    """
    steps = 7
    spread = style.px(18)
    deepest = base[3] + (255 - base[3]) * 0.5
    colour = (base[0] // 3, base[1] // 3, base[2] // 3)
    shift = style.px(5)
    shifted = rect.move(0, shift)
    grows = [spread * step // steps for step in range(steps + 1)]
    for step in range(steps, 0, -1):
        grow = grows[step]
        closeness = (steps - step + 1) / steps
        alpha = round(base[3] + (deepest - base[3]) * closeness * closeness)
        # Each step is the ring down to the next one (the panel covers the inside): the
        # same pixels as nested filled rects, a third of the work.
        width = grow - grows[step - 1] if step > 1 else grow + shift + style.radius + 2
        pygame.draw.rect(
            layer,
            (*colour, alpha),
            shifted.inflate(grow * 2, grow * 2),
            max(1, width),
            border_radius=style.radius + grow,
        )


def draw_text_centered(surface: pygame.Surface, text: pygame.Surface, rect: pygame.Rect) -> None:
    """Blit ``text`` centred in ``rect``."""
    surface.blit(text, text.get_rect(center=rect.center))


def tag_size(style: Style, text: str | None) -> tuple[int, int]:
    """The size of the chip :func:`render_tag` makes for ``text`` ((0, 0) for none)."""
    if not text:
        return (0, 0)
    return (
        style.text_width(text, "small") + 2 * style.px(8),
        style.line_height("small") + style.px(2),
    )


def render_tag(style: Style, text: str) -> pygame.Surface:
    """A small chip (``"SANDBOX"``) in the theme's tag colours. Call at layout, not per frame."""
    width, height = tag_size(style, text)
    chip = new_surface((width, height), alpha=True)
    chip.fill((0, 0, 0, 0))
    pygame.draw.rect(chip, (*style.theme.tag, 255), chip.get_rect(), border_radius=style.px(5))
    label = style.render(text, "small", style.theme.tag_text)
    chip.blit(label, label.get_rect(center=chip.get_rect().center))
    return chip
