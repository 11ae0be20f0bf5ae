"""State colours are theme data: a button, a field and a row restyled through the theme alone."""

from __future__ import annotations

import dataclasses

import pygame
import pytest
from ui_events import feed, move_mouse, post, type_text

from kgen_pygame.errors import ConfigurationError
from kgen_pygame.ui import (
    DEFAULT_THEME,
    Button,
    Column,
    Frame,
    Look,
    StateLooks,
    TextField,
    UIRoot,
    View,
    Widget,
)

GREEN, RED, BLUE, GREY = (10, 200, 30), (200, 10, 30), (30, 10, 200), (90, 90, 90)


class OneButton(View):
    def __init__(self, *widgets: Widget) -> None:
        super().__init__()
        self.widgets = widgets

    def build(self) -> Widget:
        self.initial_focus = self.widgets[-1]
        return Frame("Looks", Column(*self.widgets))


def _fill_at(screen: pygame.Surface, button: Button) -> tuple[int, int, int]:
    # Inside the button, left of its centred caption, clear of the rounded corners.
    return tuple(screen.get_at((button.rect.left + 10, button.rect.centery)))[:3]  # type: ignore[return-value]


def test_a_button_is_restyled_through_the_theme_alone(screen: pygame.Surface) -> None:
    looks = StateLooks(
        normal=Look(GREEN, None, (1, 2, 3)),
        hover=Look(RED, None, (1, 2, 3)),
        pressed=Look(BLUE, None, (1, 2, 3)),
        disabled=Look(GREY, None, (4, 5, 6)),
    )
    theme = dataclasses.replace(DEFAULT_THEME, primary_button=looks)
    root = UIRoot(theme, size=screen.get_size())
    button = Button("Go", kind="primary", min_width=320)
    root.open(OneButton(button, Button("Elsewhere")))  # focus stays on the other one
    root.draw(screen)
    assert _fill_at(screen, button) == GREEN

    move_mouse(button.rect.center)
    feed(root)
    root.draw(screen)
    assert _fill_at(screen, button) == RED

    post(pygame.MOUSEBUTTONDOWN, pos=button.rect.center, button=1, touch=False)
    feed(root)
    root.draw(screen)
    assert _fill_at(screen, button) == BLUE

    post(pygame.MOUSEBUTTONUP, pos=button.rect.center, button=1, touch=False)
    feed(root)
    button.enabled = False
    root.draw(screen)
    assert _fill_at(screen, button) == GREY


def test_derived_looks_follow_the_base_colours(screen: pygame.Surface) -> None:
    theme = dataclasses.replace(DEFAULT_THEME, accent=(0, 120, 90))
    root = UIRoot(theme, size=screen.get_size())
    button = Button("Go", kind="primary", min_width=320)
    root.open(OneButton(button, Button("Elsewhere")))
    root.draw(screen)
    assert _fill_at(screen, button) == (0, 120, 90)  # no state colour lives in the widget


def test_a_field_shows_its_invalid_look_from_the_theme(screen: pygame.Surface) -> None:
    looks = StateLooks(
        normal=Look(GREY, GREY, (250, 250, 250), GREY),
        focused=Look(GREY, GREEN, (250, 250, 250), GREY),
        invalid=Look(GREY, RED, (250, 250, 250), RED),
    )
    theme = dataclasses.replace(DEFAULT_THEME, text_field=looks, border_width=4)
    root = UIRoot(theme, size=screen.get_size())
    field = TextField(validator=lambda text: "Too short" if len(text) < 3 else None)
    root.open(OneButton(field))
    root.draw(screen)
    box = field.focus_rect()
    edge = (box.centerx, box.top + 1)
    assert tuple(screen.get_at(edge))[:3] == GREEN  # focused
    type_text("ab")
    feed(root)
    field.validate()
    root.draw(screen)
    assert tuple(screen.get_at(edge))[:3] == RED
    assert "Too short" in root.drawn_texts()


def test_looks_are_checked_like_the_rest_of_the_theme() -> None:
    with pytest.raises(ConfigurationError):
        Look((300, 0, 0))
    with pytest.raises(ConfigurationError):
        dataclasses.replace(DEFAULT_THEME, tab="blue")  # type: ignore[arg-type]
