"""``UIRoot.draw`` as a dirty-rect game sees it: the rectangles it returns, and the pixels
it leaves. The game here never repaints anything (the hardest case), so any pixel the
overlay did not put back, or painted twice, shows.
"""

from __future__ import annotations

from collections.abc import Iterator

import pygame
import pytest

from kgen_pygame.ui import Badge, Column, Frame, Label, UIRoot, View, Widget


class Panel(View):
    def build(self) -> Widget:
        return Frame("Panel", Column(Label("Hello")))


@pytest.fixture
def screen() -> Iterator[pygame.Surface]:
    pygame.display.init()
    pygame.font.init()
    surface = pygame.display.set_mode((640, 480))
    yield surface
    pygame.display.quit()


def paint_game(surface: pygame.Surface) -> bytes:
    """A game frame with detail everywhere; returns its pixels."""
    for x in range(0, surface.get_width(), 10):
        pygame.draw.rect(surface, (x % 256, 120, 255 - x % 256), (x, 0, 10, surface.get_height()))
    return pygame.image.tobytes(surface, "RGBA")


def pixels(surface: pygame.Surface) -> bytes:
    return pygame.image.tobytes(surface, "RGBA")


def covers(rects: list[pygame.Rect], area: pygame.Rect) -> bool:
    return any(rect.contains(area) for rect in rects)


def test_hud_only_returns_its_rect_and_never_piles_up(screen: pygame.Surface) -> None:
    root = UIRoot(size=screen.get_size())
    badge = Badge("KGeN  50.00", tone="success")
    root.set_hud(badge)
    game = paint_game(screen)
    assert root.draw(screen) == [badge.rect]
    once = pixels(screen)
    for _ in range(20):  # a game that repaints nothing
        root.update(1 / 60)
        root.draw(screen)
    assert pixels(screen) == once
    root.restore_underlay()
    assert pixels(screen) == game


def test_open_panel_dims_once_and_its_closing_frame_returns_the_area(
    screen: pygame.Surface,
) -> None:
    root = UIRoot(size=screen.get_size())
    game = paint_game(screen)
    root.open(Panel())
    first = root.draw(screen)
    assert first == [screen.get_rect()]
    dimmed = pixels(screen)
    assert dimmed != game
    for _ in range(10):
        root.update(1 / 60)
        assert root.draw(screen) == [screen.get_rect()]
    assert pixels(screen) == dimmed, "the backdrop darkened again"
    root.close_all()
    root.update(1 / 60)
    closing = root.draw(screen)
    assert closing == [screen.get_rect()], "the closing frame names the area to present"
    assert pixels(screen) == game
    root.update(1 / 60)
    assert root.draw(screen) == []  # nothing drawn, nothing to present


def test_drawing_twice_without_update_does_not_double_the_backdrop(
    screen: pygame.Surface,
) -> None:
    root = UIRoot(size=screen.get_size())
    paint_game(screen)
    root.open(Panel())
    root.draw(screen)
    once = pixels(screen)
    root.draw(screen)
    assert pixels(screen) == once


def test_an_expired_toast_is_put_back_and_reported(screen: pygame.Surface) -> None:
    root = UIRoot(size=screen.get_size())
    game = paint_game(screen)
    root.toast("Score saved", duration=0.5)
    root.update(0.25)  # fully faded in
    shown = root.draw(screen)
    assert len(shown) == 1 and pixels(screen) != game
    toast_area = shown[0]
    root.update(1.0)  # expired
    gone = root.draw(screen)
    assert covers(gone, toast_area)
    assert pixels(screen) == game


def test_a_game_drawing_under_the_overlay_keeps_its_new_pixels(screen: pygame.Surface) -> None:
    """Sprites that move under an open panel: the restore happens before the game draws."""
    root = UIRoot(size=screen.get_size())
    paint_game(screen)
    root.open(Panel())
    root.draw(screen)
    root.update(1 / 60)  # restores the game's pixels
    pygame.draw.rect(screen, (255, 255, 0), (5, 5, 30, 30))  # the game moves a sprite
    root.draw(screen)
    root.close_all()
    root.update(1 / 60)
    root.draw(screen)
    assert tuple(screen.get_at((20, 20)))[:3] == (255, 255, 0)


def test_per_pixel_alpha_targets_are_restored_exactly() -> None:
    pygame.display.init()
    pygame.font.init()
    try:
        surface = pygame.Surface((320, 200), pygame.SRCALPHA)
        surface.fill((10, 200, 30, 90))
        before = pixels(surface)
        root = UIRoot(size=surface.get_size())
        root.open(Panel())
        root.draw(surface)
        assert pixels(surface) != before
        root.close_all()
        root.update(1 / 60)
        root.draw(surface)
        assert pixels(surface) == before
    finally:
        pygame.display.quit()


def test_a_game_that_repaints_everything_may_skip_the_underlay(screen: pygame.Surface) -> None:
    """``KGen(repaints_every_frame=True)``: the same pixels, nothing kept, same rects."""
    kept, skipped = UIRoot(size=screen.get_size()), UIRoot(size=screen.get_size(),
                                                           keep_underlay=False)
    kept.open(Panel())
    skipped.open(Panel())
    for _ in range(3):
        outputs, rects = [], []
        for root in (kept, skipped):
            root.update(1 / 60)
            paint_game(screen)  # a full-flip game repaints before drawing
            rects.append(root.draw(screen))
            outputs.append(pixels(screen))
        assert outputs[0] == outputs[1] and rects[0] == rects[1]
    assert skipped.underlay.saved == ()
    skipped.close_all()
    skipped.update(1 / 60)
    paint_game(screen)
    assert skipped.draw(screen) == [screen.get_rect()]  # the area to present, once


def test_repaints_every_frame_is_checked_like_every_option() -> None:
    from kgen_pygame.config import KGenConfig
    from kgen_pygame.errors import ConfigurationError

    assert KGenConfig.resolve(repaints_every_frame=True).repaints_every_frame is True
    with pytest.raises(ConfigurationError, match="repaints_every_frame"):
        KGenConfig.resolve(repaints_every_frame="yes")  # type: ignore[arg-type]
