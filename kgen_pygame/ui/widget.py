"""The base class every element derives from.

A widget has one job and four phases:

* ``measure(style, width)`` says how big it would like to be,
* ``layout(rect, style)`` receives its rect (recomputed from the surface size on
  every layout, so resizing just works) and prepares anything expensive: rendered
  text, cached surfaces,
* ``handle(intent)`` reacts to a device-independent :class:`~kgen_pygame.ui.input.Intent`,
* ``update(dt)`` / ``draw(surface)`` run each frame and must stay cheap: no font
  rendering, no Surface allocation.

``draw_static(layer)`` draws chrome that never changes between layouts into the
view's cached full-screen layer (panel frames, tiles), and ``static_key()`` says what
that chrome depends on, so a layout that moves none of it keeps the layer.

``own_texts()`` names the text a widget drew, as drawn (cut to fit, wrapped), and
``drawn_texts()`` collects it over the visible tree: what a player reads on
screen, for tests and screen readers. It reads what rendering kept; it never
renders.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

import pygame

from kgen_pygame.ui.input import Action, Device, Intent
from kgen_pygame.ui.theme import Style


class WidgetHost(Protocol):
    """What a widget can ask of the view it lives in."""

    @property
    def active(self) -> bool:
        """True while the view is the top of the overlay (receives input)."""

    @property
    def last_device(self) -> Device:
        """The device the player used last (for button hints)."""

    def request_layout(self) -> None:
        """Lay the view out again before the next frame (content changed size)."""

    def request_focus(self, widget: Widget) -> None:
        """Move keyboard/gamepad focus to ``widget``."""

    def request_back(self) -> None:
        """Behave as if the player pressed Esc / B."""

    def request_move(self, action: Action) -> None:
        """Move focus as ``Action.NEXT``/``PREV``/``UP``/... would."""


class Widget:
    """Base element: a rect, a style, visibility/enabled flags and no-op phases.

    ``grow`` is the share of spare space a :class:`~kgen_pygame.ui.layout.Column`
    or :class:`~kgen_pygame.ui.layout.Row` gives this widget (0 = natural size).
    """

    #: Takes keyboard/gamepad focus (Tab order, arrows, A/Enter).
    focusable = False
    #: Receives pointer intents (hover, press, release) when under the mouse.
    accepts_pointer = False

    def __init__(self, *, grow: float = 0.0, visible: bool = True, enabled: bool = True) -> None:
        self.rect = pygame.Rect(0, 0, 0, 0)
        self.style: Style | None = None
        self.parent: Widget | None = None
        self.host: WidgetHost | None = None
        self.grow = grow
        self._visible = visible
        self._enabled = enabled
        self.hovered = False
        self.focused = False

    # tree -----------------------------------------------------------------------

    def children(self) -> Sequence[Widget]:
        """Direct children (containers override)."""
        return ()

    def walk(self, *, visible_only: bool = False) -> Iterator[Widget]:
        """This widget and every descendant, depth first, in drawing order.

        With ``visible_only`` hidden widgets and everything inside them are skipped.
        """
        if visible_only and not self._visible:
            return
        yield self
        for child in self.children():
            yield from child.walk(visible_only=visible_only)

    def find_host(self) -> WidgetHost | None:
        """The view this widget is part of, if it is attached to one."""
        node: Widget | None = self
        while node is not None:
            if node.host is not None:
                return node.host
            node = node.parent
        return None

    def request_layout(self) -> None:
        """Ask the owning view for a relayout (safe to call when detached)."""
        host = self.find_host()
        if host is not None:
            host.request_layout()

    def focus(self) -> None:
        """Take keyboard/gamepad focus."""
        host = self.find_host()
        if host is not None:
            host.request_focus(self)

    # state ----------------------------------------------------------------------

    @property
    def visible(self) -> bool:
        """Hidden widgets take no space, draw nothing and get no input."""
        return self._visible

    @visible.setter
    def visible(self, value: bool) -> None:
        if value != self._visible:
            self._visible = value
            self.request_layout()

    @property
    def enabled(self) -> bool:
        """Disabled widgets are drawn dimmed and skipped by focus navigation."""
        return self._enabled

    @enabled.setter
    def enabled(self, value: bool) -> None:
        self._enabled = value

    @property
    def can_focus(self) -> bool:
        """Whether focus navigation may stop here right now."""
        return self.focusable and self._visible and self._enabled

    def set_hovered(self, hovered: bool) -> None:
        """Pointer entered/left (the view calls this)."""
        self.hovered = hovered

    def on_focus(self) -> None:
        """Focus arrived (or the view became the top view again with this focused)."""

    def on_blur(self) -> None:
        """Focus left (or the view is covered or closed)."""

    def widget_at(self, pos: tuple[int, int]) -> Widget | None:
        """The deepest pointer-accepting visible widget under ``pos``."""
        if not self._visible or not self.rect.collidepoint(pos):
            return None
        for child in reversed(self.children()):
            hit = child.widget_at(pos)
            if hit is not None:
                return hit
        return self if self.accepts_pointer else None

    # phases ---------------------------------------------------------------------

    def measure(self, style: Style, width: int) -> tuple[int, int]:
        """Preferred (width, height) when ``width`` pixels are available."""
        return (0, 0)

    def layout(self, rect: pygame.Rect, style: Style) -> None:
        """Take ``rect`` and prepare for drawing. Subclasses extend, calling super first."""
        self.rect = pygame.Rect(rect)
        self.style = style

    def handle(self, intent: Intent) -> bool:
        """React to ``intent``; True when consumed."""
        return False

    def update(self, dt: float) -> None:
        """Advance animations by ``dt`` seconds."""
        for child in self.children():
            if child.visible:
                child.update(dt)

    def draw(self, surface: pygame.Surface) -> None:
        """Draw the dynamic part. Must not render text or allocate surfaces."""
        for child in self.children():
            if child.visible:
                child.draw(surface)

    def draw_static(self, layer: pygame.Surface) -> None:
        """Draw chrome into the view's cached layer (only on layout/theme change)."""
        for child in self.children():
            if child.visible:
                child.draw_static(layer)

    def opaque_rect(self) -> pygame.Rect | None:
        """An area this widget paints fully opaque on every draw, whatever lies under it
        (None: none). The overlay copies it to show for a frame or two while the view is
        laid out again (:mod:`kgen_pygame.ui.held`)."""
        return None

    def static_key(self) -> tuple[object, ...]:
        """What :meth:`draw_static` draws depends on, after a layout: the view redraws its
        cached layer only when this changes (an answer arriving moves no chrome, so it
        costs no redraw). A widget that overrides ``draw_static`` overrides this too."""
        keys = [child.static_key() for child in self.children() if child.visible]
        return tuple(key for key in keys if key)

    def own_texts(self) -> tuple[str, ...]:
        """The texts this widget itself drew at its last layout or change, as drawn."""
        return ()

    def drawn_texts(self) -> list[str]:
        """Every text drawn by this widget and its visible descendants, in drawing order."""
        return [text for widget in self.walk(visible_only=True) for text in widget.own_texts()]

    def focus_rect(self) -> pygame.Rect:
        """The rect the focus ring is drawn around."""
        return self.rect

    @property
    def focus_radius(self) -> int:
        """Corner radius of this widget's focus ring."""
        return self.style.small_radius if self.style is not None else 0
