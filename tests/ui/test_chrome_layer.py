"""The view's cached layer (backdrop and chrome) is redrawn only when its chrome changed.

A re-layout that moves no chrome (new text in a label, a table shown in place of a
status line) keeps the layer; a new title, a moved frame or another backdrop redraws it.
Counted with a Frame that counts its own ``draw_static`` calls, on a real display.
"""

from __future__ import annotations

import pygame

from kgen_pygame.ui import Column, Frame, Label, UIRoot, View, Widget


class CountingFrame(Frame):
    drawn = 0

    def draw_static(self, layer: pygame.Surface) -> None:
        CountingFrame.drawn += 1
        super().draw_static(layer)


class Screen(View):
    def build(self) -> Widget:
        self.label = Label("Loading...", wrap=True)
        self.frame = CountingFrame("Title", Column(self.label), height=0.6)
        return self.frame


def test_a_relayout_that_moves_no_chrome_keeps_the_layer(
    root: UIRoot, screen: pygame.Surface
) -> None:
    view = Screen()
    root.open(view)
    root.draw(screen)
    CountingFrame.drawn = 0
    view.label.set_text("Five thousand rows arrived")  # wraps: asks for a layout
    assert view.needs_layout
    root.draw(screen)
    assert not view.needs_layout and CountingFrame.drawn == 0

    view.frame.title = "Another title"
    root.draw(screen)
    assert CountingFrame.drawn == 1
    assert "Another title" in root.drawn_texts()


def test_a_new_size_or_backdrop_redraws_it(root: UIRoot, screen: pygame.Surface) -> None:
    view = Screen()
    root.open(view)
    root.draw(screen)
    CountingFrame.drawn = 0
    root.draw(pygame.Surface((1000, 600)))  # the frame moves
    assert CountingFrame.drawn == 1
    root.theme = root.theme  # a restyle drops every layer
    root.draw(pygame.Surface((1000, 600)))
    assert CountingFrame.drawn == 2
