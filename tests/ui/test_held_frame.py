"""A re-layout after a big change is spread over three frames, the last picture held.

The view's opaque area shows what it showed before while the change is applied and laid
out; the game keeps moving behind the translucent backdrop meanwhile; the third frame
paints the new content. A view that did not ask for it is laid out and painted at once.
"""

from __future__ import annotations

import pygame

from kgen_pygame.ui import Column, Frame, Label, Table, TableColumn, UIRoot, View, Widget

COLUMNS = [TableColumn("RANK", 1.0, cut=False), TableColumn("PLAYER", 3.0)]


class Board(View):
    def build(self) -> Widget:
        self.status = Label("Loading...")
        self.table = Table(COLUMNS)
        self.table.visible = False
        self.initial_focus = self.table
        return Frame("Board", Column(self.status, self.table))

    def show(self, count: int) -> None:
        self.status.visible = False
        self.table.visible = True
        self.table.set_rows([[f"#{i + 1}", f"player_{i:04d}"] for i in range(count)])


def game_frame(screen: pygame.Surface, shade: int) -> None:
    screen.fill((shade, 90, 40))  # the game's own picture, different every frame


def picture(screen: pygame.Surface, area: pygame.Rect) -> bytes:
    return pygame.image.tobytes(screen.subsurface(area), "RGB")


def test_a_spread_relayout_holds_the_last_picture_for_two_frames(
    root: UIRoot, screen: pygame.Surface
) -> None:
    board = Board()
    root.open(board)
    game_frame(screen, 10)
    root.draw(screen)
    area = board.opaque_rect()
    assert area is not None and area.height > 100
    loading = picture(screen, area)
    corner = screen.get_at((5, 5))

    board.show(500)
    board.spread_next_layout()
    for shade in (60, 110):  # the change's frame, then the layout's frame
        root.update(1 / 60)
        game_frame(screen, shade)
        root.draw(screen)
        assert picture(screen, area) == loading  # still "Loading...", nothing half-drawn
        assert screen.get_at((5, 5)) != corner  # the game moves behind the backdrop
        corner = screen.get_at((5, 5))
        assert board.table.drawn_row(0) is None
    assert not board.needs_layout  # laid out in the second frame

    root.update(1 / 60)
    game_frame(screen, 160)
    root.draw(screen)
    assert board.table.drawn_row(0) == ("#1", "player_0000")
    assert picture(screen, area) != loading
    assert not board.spread_layout


def test_an_ordinary_relayout_is_painted_at_once(root: UIRoot, screen: pygame.Surface) -> None:
    board = Board()
    root.open(board)
    root.draw(screen)
    board.show(5)
    root.update(1 / 60)
    root.draw(screen)
    assert board.table.drawn_row(0) == ("#1", "player_0000")


def test_a_view_moved_by_a_resize_is_never_held(root: UIRoot, screen: pygame.Surface) -> None:
    board = Board()
    root.open(board)
    root.draw(screen)
    board.show(500)
    board.spread_next_layout()
    smaller = pygame.Surface((1000, 600))
    root.draw(smaller)  # another size: the old picture does not fit
    assert board.table.drawn_row(0) == ("#1", "player_0000")
