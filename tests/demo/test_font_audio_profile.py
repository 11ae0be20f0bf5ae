"""Bitmap font rendering, the fail-soft audio, and the best-score profile."""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest

from demo_game.audio import Audio
from demo_game.bitmap_font import BitmapFont
from demo_game.notifications import Notifier
from demo_game.profile import Profile


@pytest.fixture
def font() -> BitmapFont:
    return BitmapFont.load()


def _lit(surface: pygame.Surface) -> int:
    w, h = surface.get_size()
    return sum(1 for x in range(w) for y in range(h) if surface.get_at((x, y)).a > 0)


def test_render_size_and_pixels(font: BitmapFont) -> None:
    image = font.render("Hi!", scale=3)
    width = (5 + 1 + 3 + 1 + 1) * 3  # H(5) + i(3) + !(1) + two gaps
    assert image.get_size() == (width, 9 * 3)
    assert image.get_size() == font.size("Hi!", 3)
    assert _lit(image) > 0
    assert _lit(font.render(" ", 2)) == 0


def test_render_is_cached_and_colored(font: BitmapFont) -> None:
    first = font.render("SCORE", 2, (255, 0, 0))
    assert font.render("SCORE", 2, (255, 0, 0)) is first
    assert font.render("SCORE", 2, (0, 255, 0)) is not first
    red = [first.get_at((x, y)) for x in range(first.get_width())
           for y in range(first.get_height()) if first.get_at((x, y)).a]
    assert red and all(c.r == 255 and c.g == 0 for c in red)


def test_glyphs_differ_and_unknown_falls_back(font: BitmapFont) -> None:
    shapes = {pygame.image.tobytes(font.render(c, 1), "RGBA") for c in "ABCabc0123"}
    assert len(shapes) == 10
    assert font.size("\u00e9", 1) == font.size("?", 1)


def test_multiline_and_shadow(font: BitmapFont) -> None:
    one = font.size("AB", 2)
    two = font.size("AB\nAB", 2)
    assert two[0] == one[0] and two[1] > one[1]
    shadowed = font.render("AB", 2, shadow=(0, 0, 0))
    assert shadowed.get_width() == one[0] + 2


def test_cache_is_bounded(font: BitmapFont) -> None:
    for i in range(2000):
        font.render(str(i), 1)
    assert font.cache_size <= 768


def test_audio_plays_or_stays_silent() -> None:
    pygame.init()
    try:
        audio = Audio()
        if audio.available:
            assert {"pickup_1", "hit", "game_over", "click", "chime"} <= set(audio.sounds)
            assert audio.play("click") is True
        assert audio.play("no-such-sound") is False
        audio.toggle_mute()
        assert audio.play("click") is False
        assert Audio(enabled=False).play("click") is False
    finally:
        pygame.quit()


def test_sms_notification_draws_at_the_bottom_above_the_toasts(font: BitmapFont) -> None:
    """Not at the top, where the plugin's toasts appear; not over the game's own toast."""
    window = pygame.Surface((800, 600))
    notifier = Notifier(font)
    notifier.show_sms("+91 ******3210", "123456")
    assert notifier.sms is not None
    assert "your code is 123456" in notifier.sms.text
    for _ in range(30):
        notifier.update(1 / 60)
    window.fill((0, 0, 0))
    notifier.draw(window)
    column = [window.get_at((400, y))[:3] != (0, 0, 0) for y in range(600)]
    drawn = [y for y, lit in enumerate(column) if lit]
    assert drawn and min(drawn) > 450  # in the bottom quarter...
    assert max(drawn) < 600 - 30  # ...leaving the toast's strip at the very bottom free
    assert not any(column[:300])
    for _ in range(8 * 60):
        notifier.update(1 / 60)
    assert notifier.sms is None  # gone after ~8 s


def test_profile_keeps_best(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "profile.json"
    profile = Profile(path)
    assert profile.best == 0
    assert profile.record(120)
    assert not profile.record(80)
    assert Profile(path).best == 120


def test_profile_survives_a_broken_file(tmp_path: Path) -> None:
    path = tmp_path / "profile.json"
    path.write_text("{not json", encoding="utf-8")
    profile = Profile(path)
    assert profile.best == 0
    assert profile.record(5)
    assert Profile(path).best == 5
