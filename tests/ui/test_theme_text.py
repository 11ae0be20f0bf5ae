"""Theme scaling and the text caches."""

from __future__ import annotations

import dataclasses

import pygame
import pytest

from kgen_pygame.ui import DEFAULT_THEME, Label, Style, TextRenderer, Theme


def test_scale_follows_the_window_and_is_clamped() -> None:
    theme = Theme()
    assert theme.scale_for((1280, 720)) == pytest.approx(1.0)
    assert theme.scale_for((1920, 1080)) == pytest.approx(1.5)
    assert theme.scale_for((1280, 1080)) == pytest.approx(1.0)  # the tighter axis wins
    assert theme.scale_for((320, 200)) == pytest.approx(theme.min_scale)
    doubled = dataclasses.replace(theme, scale=2.0)
    assert doubled.scale_for((1280, 720)) == pytest.approx(2.0)


def test_style_scales_sizes_and_keeps_text_readable(screen: pygame.Surface) -> None:
    text = TextRenderer()
    big = Style(DEFAULT_THEME, (1920, 1080), text)
    small = Style(DEFAULT_THEME, (800, 600), text)
    assert big.padding > small.padding
    assert big.font_key("body")[1] > small.font_key("body")[1]
    assert small.font_key("body")[1] >= round(
        DEFAULT_THEME.font_body * DEFAULT_THEME.min_font_scale
    )


def test_rendered_text_is_cached_by_text_font_and_colour(screen: pygame.Surface) -> None:
    text = TextRenderer(max_entries=8)
    key = (None, 24)
    first = text.render("Score", key, (255, 255, 255))
    again = text.render("Score", key, (255, 255, 255))
    assert first is again
    assert (text.cache.hits, text.cache.misses) == (1, 1)
    other_colour = text.render("Score", key, (255, 0, 0))
    other_size = text.render("Score", (None, 30), (255, 255, 255))
    assert other_colour is not first and other_size is not first
    assert text.cache.misses == 3


def test_text_cache_is_a_bounded_lru(screen: pygame.Surface) -> None:
    text = TextRenderer(max_entries=3)
    key = (None, 20)
    text.render("a", key, (1, 1, 1))
    text.render("b", key, (1, 1, 1))
    text.render("c", key, (1, 1, 1))
    text.render("a", key, (1, 1, 1))  # refresh "a"
    text.render("d", key, (1, 1, 1))  # evicts "b", the least recently used
    assert len(text.cache) == 3
    misses = text.cache.misses
    text.render("a", key, (1, 1, 1))
    assert text.cache.misses == misses
    text.render("b", key, (1, 1, 1))
    assert text.cache.misses == misses + 1


def test_fonts_are_loaded_once_per_size(screen: pygame.Surface) -> None:
    text = TextRenderer()
    assert text.font((None, 24)) is text.font((None, 24))
    assert text.font((None, 24)) is not text.font((None, 28))
    assert len(text.fonts) == 2


def test_missing_font_file_falls_back_to_default(screen: pygame.Surface) -> None:
    text = TextRenderer()
    font = text.font(("/nonexistent/font.ttf", 24))
    assert font.size("x")[0] > 0


def test_fit_cuts_with_ellipsis_and_wrap_splits_words(screen: pygame.Surface) -> None:
    text = TextRenderer()
    key = (None, 24)
    assert text.fit("short", key, 500) == "short"
    cut = text.fit("a very long player name indeed", key, 80)
    assert cut.endswith("\u2026") and text.width(cut, key) <= 80
    lines = text.wrap("one two three four five six seven", key, 90)
    assert len(lines) > 1
    assert " ".join(lines) == "one two three four five six seven"
    assert all(text.width(line, key) <= 90 for line in lines)


def test_label_renders_once_until_its_text_changes(screen: pygame.Surface) -> None:
    text = TextRenderer()
    style = Style(DEFAULT_THEME, (1280, 720), text)
    label = Label("Balance")
    label.layout(pygame.Rect(0, 0, 400, 40), style)
    misses = text.cache.misses
    for _ in range(20):
        label.draw(screen)
    assert text.cache.misses == misses
    label.set_text("Balance: 20")
    assert text.cache.misses == misses + 1
    label.set_text("Balance: 20")
    assert text.cache.misses == misses + 1
