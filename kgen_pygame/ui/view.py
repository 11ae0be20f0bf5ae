"""A View is one screen of the overlay: a widget tree plus focus and pointer handling.

Write a panel by subclassing :class:`View` and returning the widget tree from
:meth:`View.build`; the view does the rest: Tab/arrow/gamepad focus movement,
hover, click capture (a click counts when press and release land on the same
widget), the wheel going to the list under the pointer, the focus ring, and
Esc/B closing it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from kgen_pygame.ui.drawing import draw_focus_ring
from kgen_pygame.ui.focus import focus_order, nearest_in_direction, next_in_order
from kgen_pygame.ui.input import DIRECTIONS, Action, Device, Intent
from kgen_pygame.ui.theme import Style
from kgen_pygame.ui.widget import Widget

if TYPE_CHECKING:
    from kgen_pygame.ui.root import UIRoot


class View:
    """Base class of overlay screens.

    Class attributes a subclass may change:

    * ``wants_pause`` - the game should pause while this view is open (default True),
    * ``is_dialog`` - drawn over the view below, dimming it, instead of replacing it.

    Hooks: :meth:`build` (required), :meth:`on_open`, :meth:`on_close`,
    :meth:`on_back` (default: close), and ``update(dt)`` for polling results.
    """

    wants_pause = True
    is_dialog = False

    def __init__(self) -> None:
        self.root: UIRoot | None = None
        self.content: Widget | None = None
        #: The widget focused when the view first opens (default: the first focusable).
        self.initial_focus: Widget | None = None
        self.rect = pygame.Rect(0, 0, 0, 0)
        self.style: Style | None = None
        self.needs_layout = True
        self.needs_chrome = True
        #: The coming re-layout is spread over frames (see :meth:`spread_next_layout`).
        self.spread_layout = False
        self.active = False
        self.focus_visible = True
        self._focused: Widget | None = None
        self._hovered: Widget | None = None
        self._captured: Widget | None = None

    # to override ----------------------------------------------------------------

    def build(self) -> Widget:
        """Create and return the widget tree (called once, when the view first opens)."""
        raise NotImplementedError(f"{type(self).__name__} must implement build()")

    def on_open(self) -> None:
        """Called when the view is pushed onto the overlay."""

    def on_close(self) -> None:
        """Called when the view leaves the overlay."""

    def on_back(self) -> None:
        """Esc / gamepad B / the close hint. Default: close this view."""
        self.close()

    # lifecycle ------------------------------------------------------------------

    def ensure_built(self) -> Widget:
        """Build the widget tree if it is not built yet."""
        if self.content is None:
            content = self.build()
            content.host = self
            self.content = content
            from kgen_pygame.ui.frame import Frame  # local: frame imports nothing from here

            if isinstance(content, Frame) and content.on_close is None:
                content.on_close = self.on_back
        return self.content

    def close(self) -> None:
        """Remove this view (and anything above it) from the overlay."""
        if self.root is not None:
            self.root.close(self)

    def activate(self) -> None:
        """The view became the top of the overlay: give its focused widget focus back."""
        if self.active:
            return
        self.active = True
        if self._focused is not None:
            self._focused.focused = True
            self._focused.on_focus()

    def deactivate(self) -> None:
        """The view was covered or closed: its focused widget loses focus (and text input)."""
        if not self.active:
            return
        self.active = False
        self._set_hovered(None)
        self._captured = None
        if self._focused is not None:
            self._focused.focused = False
            self._focused.on_blur()

    # WidgetHost -----------------------------------------------------------------

    @property
    def last_device(self) -> Device:
        """The device the player used last."""
        return self.root.input.last_device if self.root is not None else Device.KEYBOARD

    def request_layout(self) -> None:
        """Relayout before the next frame."""
        self.needs_layout = True

    def spread_next_layout(self) -> None:
        """Relayout, spread over the next frames with the view's last picture held
        meanwhile (:mod:`kgen_pygame.ui.held`): for the change a big answer makes, which
        would cost a frame too much if laid out and painted at once."""
        self.needs_layout = True
        self.spread_layout = True

    def request_focus(self, widget: Widget) -> None:
        """Focus ``widget`` (it must belong to this view)."""
        self.set_focus(widget)

    def request_back(self) -> None:
        """Act as Esc / B."""
        self.on_back()

    def request_move(self, action: Action) -> None:
        """Move focus as the arrow/Tab ``action`` would."""
        self._move_focus(action)

    # focus ----------------------------------------------------------------------

    @property
    def focused(self) -> Widget | None:
        """The widget with keyboard/gamepad focus."""
        return self._focused

    def focusables(self) -> list[Widget]:
        """Focusable widgets in tab order (walked on demand: enabled/visible may change)."""
        return focus_order(self.content) if self.content is not None else []

    def set_focus(self, widget: Widget | None) -> None:
        """Move focus to ``widget`` (None clears it)."""
        if widget is self._focused:
            return
        old, self._focused = self._focused, widget
        if old is not None:
            old.focused = False
            if self.active:
                old.on_blur()
        if widget is not None:
            widget.focused = True
            if self.active:
                widget.on_focus()

    def _move_focus(self, action: Action) -> bool:
        order = self.focusables()
        if action in (Action.NEXT, Action.PREV):
            target = next_in_order(order, self._focused, 1 if action is Action.NEXT else -1)
        else:
            target = nearest_in_direction(order, self._focused, action)
        if target is None or target is self._focused:
            return False
        self.set_focus(target)
        return True

    # phases ---------------------------------------------------------------------

    def layout(self, rect: pygame.Rect, style: Style) -> None:
        """Lay the tree out in ``rect`` (the whole surface) and pick the focus if none yet."""
        content = self.ensure_built()
        self.rect = pygame.Rect(rect)
        self.style = style
        self.needs_layout = False
        content.layout(self.rect, style)
        self.needs_layout = False  # layout itself may have asked for one
        self.needs_chrome = True
        order = self.focusables()
        if self._focused is not None and self._focused not in order:
            self.set_focus(None)
        if self._focused is None and order:
            wanted = self.initial_focus if self.initial_focus in order else order[0]
            self.set_focus(wanted)

    def handle(self, intent: Intent) -> bool:
        """Route ``intent`` to the right widget; True when something consumed it."""
        if self.content is None:
            return False
        if intent.is_pointer:
            return self._pointer(intent)
        action = intent.action
        if intent.device is not Device.MOUSE:
            self.focus_visible = True
        if action is Action.SCROLL:
            return self._scroll(intent)
        focused = self._focused
        if focused is not None and focused.handle(intent):
            return True
        if action is Action.BACK:
            self.on_back()
            return True
        if action in (Action.NEXT, Action.PREV) or action in DIRECTIONS:
            return self._move_focus(action)
        return False

    def _scroll(self, intent: Intent) -> bool:
        target: Widget | None = None
        if intent.pos is not None and self.content is not None:
            target = self.content.widget_at(intent.pos)
        else:
            target = self._focused
        while target is not None:
            if target.handle(intent):
                return True
            target = target.parent
        return False

    def _pointer(self, intent: Intent) -> bool:
        if self.content is None or intent.pos is None:
            return False
        hit = self.content.widget_at(intent.pos)
        action = intent.action
        if action is Action.POINTER_MOVE:
            self._set_hovered(hit)
            target = self._captured or hit
            return target.handle(intent) if target is not None else False
        if action is Action.POINTER_DOWN:
            self._captured = hit
            if hit is None:
                return False
            if hit.can_focus:
                self.set_focus(hit)
                self.focus_visible = False
            return hit.handle(intent)
        captured, self._captured = self._captured, None  # POINTER_UP
        return captured.handle(intent) if captured is not None else False

    def _set_hovered(self, widget: Widget | None) -> None:
        if widget is self._hovered:
            return
        if self._hovered is not None:
            self._hovered.set_hovered(False)
        self._hovered = widget
        if widget is not None:
            widget.set_hovered(True)

    def update(self, dt: float) -> None:
        """Advance animations (override to poll for results; call super)."""
        if self.content is not None:
            self.content.update(dt)

    def drawn_texts(self) -> list[str]:
        """Every text this view drew, as drawn (see :meth:`Widget.drawn_texts`)."""
        return self.content.drawn_texts() if self.content is not None else []

    def draw_static(self, layer: pygame.Surface) -> None:
        """Draw the cached chrome (panel frames, headers) into the view's layer."""
        if self.content is not None:
            self.content.draw_static(layer)

    def opaque_rect(self) -> pygame.Rect | None:
        """The area the view paints opaque every frame (see :meth:`Widget.opaque_rect`)."""
        return self.content.opaque_rect() if self.content is not None else None

    def static_key(self) -> tuple[object, ...]:
        """What :meth:`draw_static` draws depends on (see :meth:`Widget.static_key`)."""
        if self.content is None or self.style is None:
            return ()
        return (id(self.style), tuple(self.rect), self.content.static_key())

    def draw(self, surface: pygame.Surface) -> None:
        """Draw the dynamic part and the focus ring."""
        if self.content is None:
            return
        self.content.draw(surface)
        focused = self._focused
        if self.active and self.focus_visible and focused is not None and self.style is not None:
            draw_focus_ring(surface, focused.focus_rect(), self.style, focused.focus_radius)
