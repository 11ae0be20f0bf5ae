"""A segmented control: pick one of a few options (Active / Joined, All / In / Out)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pygame

from kgen_pygame.ui.input import Action, Intent
from kgen_pygame.ui.theme import Style
from kgen_pygame.ui.widget import Widget


class Tabs(Widget):
    """One focus stop; Left/Right (d-pad) or a click selects, A/Enter steps to the next option.

    ``on_change(index)`` is called whenever the selection changes.
    """

    focusable = True
    accepts_pointer = True

    def __init__(
        self,
        labels: Sequence[str],
        on_change: Callable[[int], None] | None = None,
        *,
        selected: int = 0,
        grow: float = 0.0,
    ) -> None:
        super().__init__(grow=grow)
        if not labels:
            raise ValueError("Tabs need at least one label")
        self.labels = tuple(labels)
        self.on_change = on_change
        self._selected = max(0, min(len(self.labels) - 1, selected))
        self._hover: int | None = None
        self._pressed: int | None = None
        self._segments: list[pygame.Rect] = []
        self._captions: list[tuple[pygame.Surface, pygame.Surface, pygame.Surface]] = []
        self._fitted: list[str] = []

    @property
    def selected(self) -> int:
        """Index of the selected option."""
        return self._selected

    def select(self, index: int, *, notify: bool = True) -> bool:
        """Select ``index`` (clamped); True when the selection changed."""
        index = max(0, min(len(self.labels) - 1, index))
        if index == self._selected:
            return False
        self._selected = index
        if notify and self.on_change is not None:
            self.on_change(index)
        return True

    def segment_at(self, pos: tuple[int, int]) -> int | None:
        """The option under a screen position."""
        for index, segment in enumerate(self._segments):
            if segment.collidepoint(pos):
                return index
        return None

    def handle(self, intent: Intent) -> bool:
        action = intent.action
        if action in (Action.LEFT, Action.RIGHT):
            return self.select(self._selected + (1 if action is Action.RIGHT else -1))
        if action is Action.ACTIVATE:
            self.select((self._selected + 1) % len(self.labels))
            return True
        if intent.pos is None:
            return False
        if action is Action.POINTER_MOVE:
            self._hover = self.segment_at(intent.pos)
            return True
        if action is Action.POINTER_DOWN:
            self._pressed = self.segment_at(intent.pos)
            return True
        if action is Action.POINTER_UP:
            pressed, self._pressed = self._pressed, None
            if pressed is not None and pressed == self.segment_at(intent.pos):
                self.select(pressed)
            return True
        return False

    def set_hovered(self, hovered: bool) -> None:
        super().set_hovered(hovered)
        if not hovered:
            self._hover = None

    def measure(self, style: Style, width: int) -> tuple[int, int]:
        widest = max(style.text_width(label, "body") for label in self.labels)
        return ((widest + 2 * style.px(22)) * len(self.labels), style.control_height)

    def layout(self, rect: pygame.Rect, style: Style) -> None:
        super().layout(rect, style)
        inset = style.px(4)
        inner = self.rect.inflate(-2 * inset, -2 * inset)
        count = len(self.labels)
        self._segments = []
        for index in range(count):
            left = inner.left + inner.width * index // count
            right = inner.left + inner.width * (index + 1) // count
            self._segments.append(pygame.Rect(left, inner.top, right - left, inner.height))
        looks = style.looks("tab")
        self._captions = []
        self._fitted = []
        for label, segment in zip(self.labels, self._segments, strict=True):
            text = style.text.fit(label, style.font_key("body"), segment.width - style.px(8))
            self._fitted.append(text)
            self._captions.append(
                (
                    style.render(text, "body", looks.normal.text),
                    style.render(text, "body", looks.look("hover").text),
                    style.render(text, "body", looks.look("selected").text),
                )
            )

    def own_texts(self) -> tuple[str, ...]:
        return tuple(self._fitted)

    def draw(self, surface: pygame.Surface) -> None:
        style = self.style
        if style is None or not self._segments:
            return
        looks = style.looks("tab")
        radius = style.small_radius
        track = looks.normal
        if track.fill is not None:
            pygame.draw.rect(surface, track.fill, self.rect, border_radius=radius)
        if track.border is not None and style.border:
            pygame.draw.rect(surface, track.border, self.rect, style.border, border_radius=radius)
        for index, segment in enumerate(self._segments):
            muted, normal, on_accent = self._captions[index]
            if index == self._selected:
                fill, caption = looks.look("selected").fill, on_accent
            elif index == self._hover:
                fill, caption = looks.look("hover").fill, normal
            else:
                fill, caption = None, muted
            if fill is not None:
                pygame.draw.rect(surface, fill, segment, border_radius=max(0, radius - 2))
            surface.blit(caption, caption.get_rect(center=segment.center))
