"""Layout containers: vertical and horizontal stacks and a spacer.

Sizes come from the children's ``measure``; spare space goes to children with
``grow > 0`` in proportion; if space runs short, growing children shrink first
and every child rect is clipped to the container, so nothing is ever drawn
outside the window.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import pygame

from kgen_pygame.ui.theme import Style
from kgen_pygame.ui.widget import Widget

CrossAlign = Literal["stretch", "start", "center", "end"]
Justify = Literal["start", "center", "end", "between", "fill"]


class Container(Widget):
    """A widget holding an ordered list of children."""

    def __init__(
        self,
        *children: Widget,
        spacing: float | None = None,
        padding: float = 0,
        grow: float = 0.0,
        visible: bool = True,
    ) -> None:
        super().__init__(grow=grow, visible=visible)
        self._children: list[Widget] = []
        self.spacing = spacing
        self.padding = padding
        for child in children:
            self._attach(child)

    def children(self) -> Sequence[Widget]:
        return self._children

    def add(self, child: Widget) -> Widget:
        """Append ``child`` (relayout follows before the next frame)."""
        self._attach(child)
        self.request_layout()
        return child

    def remove(self, child: Widget) -> None:
        """Remove ``child`` if present."""
        if child in self._children:
            self._children.remove(child)
            child.parent = None
            self.request_layout()

    def set_children(self, children: Sequence[Widget]) -> None:
        """Replace all children."""
        for child in self._children:
            child.parent = None
        self._children = []
        for child in children:
            self._attach(child)
        self.request_layout()

    def _attach(self, child: Widget) -> None:
        child.parent = self
        self._children.append(child)

    def _visible_children(self) -> list[Widget]:
        return [child for child in self._children if child.visible]

    def _gap(self, style: Style) -> int:
        return style.spacing if self.spacing is None else style.px(self.spacing)


def _share(spare: int, weights: Sequence[float]) -> list[int]:
    """Split ``spare`` pixels by ``weights`` with no pixel lost to rounding."""
    total = sum(weights)
    if spare <= 0 or total <= 0:
        return [0] * len(weights)
    shares: list[int] = []
    given = 0
    running = 0.0
    for weight in weights:
        running += weight
        upto = round(spare * running / total)
        shares.append(upto - given)
        given = upto
    return shares


def _shrink(sizes: list[int], weights: Sequence[float], excess: int) -> list[int]:
    """Take ``excess`` pixels back: from growing children first, then from all in proportion."""
    sizes = list(sizes)
    for index in sorted((i for i, w in enumerate(weights) if w > 0), key=lambda i: -sizes[i]):
        take = min(sizes[index], excess)
        sizes[index] -= take
        excess -= take
    total = sum(sizes)
    if excess <= 0 or total <= 0:
        return sizes
    cuts = _share(min(excess, total), [float(size) for size in sizes])
    return [max(0, size - cut) for size, cut in zip(sizes, cuts, strict=True)]


class Column(Container):
    """Children stacked top to bottom. ``align`` places them horizontally."""

    def __init__(
        self,
        *children: Widget,
        spacing: float | None = None,
        padding: float = 0,
        align: CrossAlign = "stretch",
        grow: float = 0.0,
        visible: bool = True,
    ) -> None:
        super().__init__(*children, spacing=spacing, padding=padding, grow=grow, visible=visible)
        self.align = align

    def measure(self, style: Style, width: int) -> tuple[int, int]:
        pad = style.px(self.padding)
        kids = self._visible_children()
        inner = max(0, width - 2 * pad)
        sizes = [child.measure(style, inner) for child in kids]
        gaps = self._gap(style) * max(0, len(kids) - 1)
        return (
            max((w for w, _ in sizes), default=0) + 2 * pad,
            sum(h for _, h in sizes) + gaps + 2 * pad,
        )

    def layout(self, rect: pygame.Rect, style: Style) -> None:
        super().layout(rect, style)
        pad = style.px(self.padding)
        inner = self.rect.inflate(-2 * pad, -2 * pad)
        kids = self._visible_children()
        if not kids:
            return
        gap = self._gap(style)
        sizes = [child.measure(style, inner.width) for child in kids]
        heights = [h for _, h in sizes]
        weights = [child.grow for child in kids]
        spare = inner.height - sum(heights) - gap * (len(kids) - 1)
        if spare >= 0:
            heights = [h + s for h, s in zip(heights, _share(spare, weights), strict=True)]
        else:
            heights = _shrink(heights, weights, -spare)
        y = inner.top
        for child, (natural_width, _), height in zip(kids, sizes, heights, strict=True):
            width = inner.width if self.align == "stretch" else min(natural_width, inner.width)
            x = {
                "stretch": inner.left,
                "start": inner.left,
                "center": inner.centerx - width // 2,
                "end": inner.right - width,
            }[self.align]
            child.layout(pygame.Rect(x, y, width, height).clip(inner), style)
            y += height + gap


class Row(Container):
    """Children side by side. ``justify`` spreads them; ``align`` places them vertically.

    ``justify="fill"`` gives every child the same width (dialog button rows).
    """

    def __init__(
        self,
        *children: Widget,
        spacing: float | None = None,
        padding: float = 0,
        justify: Justify = "start",
        align: CrossAlign = "center",
        grow: float = 0.0,
        visible: bool = True,
    ) -> None:
        super().__init__(*children, spacing=spacing, padding=padding, grow=grow, visible=visible)
        self.justify = justify
        self.align = align

    def _widths(self, style: Style, width: int) -> tuple[list[Widget], list[tuple[int, int]]]:
        kids = self._visible_children()
        return kids, [child.measure(style, width) for child in kids]

    def measure(self, style: Style, width: int) -> tuple[int, int]:
        pad = style.px(self.padding)
        kids, sizes = self._widths(style, max(0, width - 2 * pad))
        gaps = self._gap(style) * max(0, len(kids) - 1)
        natural = [w for w, _ in sizes]
        if self.justify == "fill" and natural:
            natural = [max(natural)] * len(natural)
        return (
            sum(natural) + gaps + 2 * pad,
            max((h for _, h in sizes), default=0) + 2 * pad,
        )

    def layout(self, rect: pygame.Rect, style: Style) -> None:
        super().layout(rect, style)
        pad = style.px(self.padding)
        inner = self.rect.inflate(-2 * pad, -2 * pad)
        kids, sizes = self._widths(style, inner.width)
        if not kids:
            return
        gap = self._gap(style)
        room = inner.width - gap * (len(kids) - 1)
        widths = [w for w, _ in sizes]
        if self.justify == "fill":
            widths = _share(room, [1.0] * len(kids)) if room > 0 else [0] * len(kids)
        else:
            spare = room - sum(widths)
            weights = [child.grow for child in kids]
            if spare >= 0 and sum(weights) > 0:
                widths = [w + s for w, s in zip(widths, _share(spare, weights), strict=True)]
            elif spare < 0:
                widths = _shrink(widths, weights, -spare)
        used = sum(widths) + gap * (len(kids) - 1)
        free = max(0, inner.width - used)
        x = inner.left
        if self.justify == "center":
            x += free // 2
        elif self.justify == "end":
            x += free
        between = gap + (
            free // (len(kids) - 1) if self.justify == "between" and len(kids) > 1 else 0
        )
        for child, (_, natural_height), width in zip(kids, sizes, widths, strict=True):
            height = inner.height if self.align == "stretch" else min(natural_height, inner.height)
            y = {
                "stretch": inner.top,
                "start": inner.top,
                "center": inner.centery - height // 2,
                "end": inner.bottom - height,
            }[self.align]
            child.layout(pygame.Rect(x, y, width, height).clip(inner), style)
            x += width + between


class Spacer(Widget):
    """Empty space: ``size`` design pixels in both directions, or spare space with ``grow``."""

    def __init__(self, size: float = 0, *, grow: float = 0.0) -> None:
        super().__init__(grow=grow)
        self.size = size

    def measure(self, style: Style, width: int) -> tuple[int, int]:
        length = style.px(self.size)
        return (length, length)


class Grid(Container):
    """Children in rows of equal cells, as many columns as fit (at most ``columns``).

    A cell is never narrower than ``min_cell`` design pixels: on a small window the
    children wrap onto more rows instead of being squeezed (a menu of cards).
    """

    def __init__(
        self,
        *children: Widget,
        columns: int = 4,
        min_cell: float = 190,
        spacing: float | None = None,
        grow: float = 0.0,
        visible: bool = True,
    ) -> None:
        super().__init__(*children, spacing=spacing, grow=grow, visible=visible)
        self.columns = max(1, columns)
        self.min_cell = min_cell

    def _shape(self, style: Style, width: int) -> tuple[int, int]:
        """(columns, cell width) for ``width``."""
        gap = self._gap(style)
        fits = (width + gap) // (style.px(self.min_cell) + gap)
        count = max(1, min(self.columns, fits, len(self._visible_children()) or 1))
        return count, max(0, (width - gap * (count - 1)) // count)

    def _row_heights(self, style: Style, width: int) -> list[int]:
        count, cell = self._shape(style, width)
        kids = self._visible_children()
        return [
            max(child.measure(style, cell)[1] for child in kids[start : start + count])
            for start in range(0, len(kids), count)
        ]

    def measure(self, style: Style, width: int) -> tuple[int, int]:
        heights = self._row_heights(style, width)
        return (width, sum(heights) + self._gap(style) * max(0, len(heights) - 1))

    def layout(self, rect: pygame.Rect, style: Style) -> None:
        super().layout(rect, style)
        kids = self._visible_children()
        if not kids:
            return
        gap = self._gap(style)
        count, cell = self._shape(style, self.rect.width)
        y = self.rect.top
        for row, height in enumerate(self._row_heights(style, self.rect.width)):
            x = self.rect.left
            for child in kids[row * count : (row + 1) * count]:
                child.layout(pygame.Rect(x, y, cell, height).clip(self.rect), style)
                x += cell + gap
            y += height + gap
