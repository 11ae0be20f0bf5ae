"""Which widget focus moves to: tab order for NEXT/PREV, geometry for the arrows."""

from __future__ import annotations

from collections.abc import Sequence

from kgen_pygame.ui.input import Action
from kgen_pygame.ui.widget import Widget

_VECTORS: dict[Action, tuple[int, int]] = {
    Action.UP: (0, -1),
    Action.DOWN: (0, 1),
    Action.LEFT: (-1, 0),
    Action.RIGHT: (1, 0),
}


def focus_order(root: Widget) -> list[Widget]:
    """Focusable widgets in tree (reading) order."""
    return [widget for widget in root.walk(visible_only=True) if widget.can_focus]


def next_in_order(order: Sequence[Widget], current: Widget | None, step: int) -> Widget | None:
    """The widget ``step`` places away in ``order``, wrapping around."""
    if not order:
        return None
    if current is None or current not in order:
        return order[0] if step > 0 else order[-1]
    index = order.index(current)
    return order[(index + step) % len(order)]


def nearest_in_direction(
    order: Sequence[Widget], current: Widget | None, action: Action
) -> Widget | None:
    """The closest widget in the arrow's direction, preferring ones in line with ``current``.

    Returns None when nothing lies that way (focus then stays where it is).
    """
    if current not in order or current is None:
        return order[0] if order else None
    dx, dy = _VECTORS[action]
    here = current.focus_rect()
    best: Widget | None = None
    best_score = float("inf")
    for widget in order:
        if widget is current:
            continue
        there = widget.focus_rect()
        # Distance along the direction, measured between facing edges.
        if dx > 0:
            along = there.left - here.right
            overlap = min(here.bottom, there.bottom) - max(here.top, there.top)
        elif dx < 0:
            along = here.left - there.right
            overlap = min(here.bottom, there.bottom) - max(here.top, there.top)
        elif dy > 0:
            along = there.top - here.bottom
            overlap = min(here.right, there.right) - max(here.left, there.left)
        else:
            along = here.top - there.bottom
            overlap = min(here.right, there.right) - max(here.left, there.left)
        centre_along = (there.centerx - here.centerx) * dx + (there.centery - here.centery) * dy
        if centre_along <= 0:
            continue  # behind or level with us
        across = abs((there.centerx - here.centerx) * dy) + abs((there.centery - here.centery) * dx)
        score = max(0, along) + (0 if overlap > 0 else 2 * across) + across * 0.1
        if score < best_score:
            best, best_score = widget, score
    return best
