"""Scrolling repaints only what moved, and the picture is the one a full repaint makes.

A scroll, a hover change or a new selection moves the painted rows with
``Surface.scroll`` and paints just the rows that came into view or changed state. Each
step below is driven by posted pygame events; after it, the table's pixels on screen are
compared with a full repaint of the same state (``mark_dirty``), byte for byte.
"""

from __future__ import annotations

import pygame
from ui_events import feed, move_mouse, press_key, wheel

from kgen_pygame.ui import Cell, Column, Frame, Table, TableColumn, UIRoot, View, Widget

COLUMNS = [
    TableColumn("RANK", 1.0, cut=False),
    TableColumn("PLAYER", 3.0),
    TableColumn("SCORE", 2.0, "right", cut=False),
]


class Board(View):
    def __init__(self, table: Table) -> None:
        super().__init__()
        self.table = table

    def build(self) -> Widget:
        self.initial_focus = self.table
        return Frame("Board", Column(self.table))


def rows(count: int) -> list[list[str | Cell]]:
    return [[f"#{i + 1}", Cell(f"player_{i:04d}", "accent" if i % 7 == 0 else None),
             str(90_000 - i * 7)] for i in range(count)]


def table_pixels(screen: pygame.Surface, table: Table) -> bytes:
    return pygame.image.tobytes(screen.subsurface(table.rect), "RGB")


def full_repaint_pixels(root: UIRoot, screen: pygame.Surface, table: Table) -> bytes:
    table.mark_dirty()
    root.draw(screen)
    return table_pixels(screen, table)


def step_and_compare(root: UIRoot, screen: pygame.Surface, table: Table) -> int:
    """Draw after the input fed, compare with a full repaint; the rows painted."""
    feed(root)
    before = table.paint_count
    root.draw(screen)
    painted = table.paint_count - before
    partial = table_pixels(screen, table)
    assert partial == full_repaint_pixels(root, screen, table)
    return painted


def test_scrolling_hovering_and_selecting_look_as_a_full_repaint(
    root: UIRoot, screen: pygame.Surface
) -> None:
    table = Table(COLUMNS, rows(500), highlight=4, selectable=True)
    root.open(Board(table))
    root.draw(screen)
    page = len(table.visible_rows())
    move_mouse(table.rect.center)  # hover a row
    assert step_and_compare(root, screen, table) <= 2
    for notches in (-1, -2, 1, -3, -1):  # wheel down and up, the highlight leaves and comes back
        wheel(notches)
        painted = step_and_compare(root, screen, table)
        assert painted < page, "a wheel notch must not repaint every visible row"
    for key in (pygame.K_DOWN, pygame.K_DOWN, pygame.K_UP, pygame.K_PAGEDOWN,
                pygame.K_END, pygame.K_HOME):
        press_key(key)
        step_and_compare(root, screen, table)
    assert table.selected == 0 and table.scroll == 0


def test_a_short_list_scrolled_to_its_end_clears_what_scrolled_away(
    root: UIRoot, screen: pygame.Surface
) -> None:
    table = Table(COLUMNS, rows(30))
    root.open(Board(table))
    root.draw(screen)
    move_mouse(table.rect.center)
    for notches in (-2, -9, 3, -1):
        wheel(notches)
        step_and_compare(root, screen, table)


def test_new_rows_repaint_everything(root: UIRoot, screen: pygame.Surface) -> None:
    table = Table(COLUMNS, rows(200))
    root.open(Board(table))
    root.draw(screen)
    move_mouse(table.rect.center)
    wheel(-1)
    feed(root)
    table.set_rows(rows(150)[::-1])  # new data in the same frame as a scroll
    before = table.paint_count
    root.draw(screen)
    assert table.paint_count - before == len(table.visible_rows())
    assert table_pixels(screen, table) == full_repaint_pixels(root, screen, table)
