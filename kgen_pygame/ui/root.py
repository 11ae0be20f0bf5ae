"""The overlay root: a stack of views, modal dialogs, toasts and the HUD badge.

The game calls three methods a frame::

    for event in pygame.event.get():
        if ui.handle(event):     # an open overlay consumed it
            continue
        ...                      # the game's own handling (QUIT always gets here)
    ui.update(dt)
    ...                          # draw the game (paused if ui.wants_pause)
    ui.draw(screen)              # last, on top

While a view is open it consumes every input event (keys, text, mouse, joystick,
controller, touch); QUIT, window events and custom events are always left to the
game. With nothing open, ``handle`` returns False for everything except a click
on a clickable HUD badge and ``draw`` only blits the HUD and any toasts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Literal, TypeVar, get_args

import pygame

from kgen_pygame.errors import UsageError
from kgen_pygame.ui.dialog import ConfirmDialog, DialogButton, ModalDialog
from kgen_pygame.ui.held import HeldFrame
from kgen_pygame.ui.input import INPUT_EVENT_TYPES, Action, Device, InputMapper
from kgen_pygame.ui.layer import ViewLayer
from kgen_pygame.ui.text import TextRenderer
from kgen_pygame.ui.theme import DEFAULT_THEME, Style, TextRole, Theme
from kgen_pygame.ui.toast import Toast, ToastQueue, ToastTone
from kgen_pygame.ui.underlay import Underlay, merge
from kgen_pygame.ui.view import View
from kgen_pygame.ui.widget import Widget

logger = logging.getLogger(__name__)

_T = TypeVar("_T")
HudAnchor = Literal["top-left", "top-right", "bottom-left", "bottom-right"]
_FALLBACK_SIZE = (1280, 720)
#: Frames the warm-up waits before its first piece, and the pieces a surface is touched in.
_WARM_UP_AFTER_FRAMES = 3
_TOUCH_PARTS = 4
_MOUSE_TYPES = frozenset({pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION})
_WINDOW_SIZE_TYPES = frozenset({pygame.WINDOWSIZECHANGED, pygame.WINDOWRESIZED})


class _HudHost:
    """WidgetHost for the HUD widget: a relayout request re-anchors it."""

    active = False

    def __init__(self, root: UIRoot) -> None:
        self._root = root

    @property
    def last_device(self) -> Device:
        return self._root.input.last_device

    def request_layout(self) -> None:
        self._root.relayout_hud()

    def request_focus(self, widget: Widget) -> None:
        """The HUD never takes focus."""

    def request_back(self) -> None:
        """Nothing to go back from."""

    def request_move(self, action: Action) -> None:
        """The HUD has no focus to move."""


class UIRoot:
    """Owns the overlay: views (a stack), their cached backdrop layers, toasts and the HUD.

    ``size`` is the surface size to lay out for before the first ``draw`` (default:
    the display surface's size, else 1280x720); ``draw`` relayouts whenever the
    surface it is given has another size (VIDEORESIZE, fullscreen toggles).
    """

    def relayout_hud(self) -> None:
        """Re-anchor the HUD widget before it is drawn next (its size may have changed)."""
        self._hud_dirty = True

    def __init__(
        self,
        theme: Theme | None = None,
        *,
        size: tuple[int, int] | None = None,
        input_mapper: InputMapper | None = None,
        max_toasts: int = 3,
        keep_underlay: bool = True,
    ) -> None:
        self._theme = theme if theme is not None else DEFAULT_THEME
        self.text = TextRenderer(self._theme.text_cache_size)
        self.input = input_mapper if input_mapper is not None else InputMapper()
        self.toasts = ToastQueue(max_visible=max_toasts)
        #: Called when the last view closes (e.g. to resume the game).
        self.on_closed: Callable[[], None] | None = None
        self._views: list[View] = []
        self._layers: dict[View, ViewLayer] = {}
        self._held: dict[View, HeldFrame] = {}
        # The last layer given up, kept for the next view: a fresh full-screen surface
        # costs milliseconds of page faults on the frame a panel opens.
        self._spare_layer: ViewLayer | None = None
        self._size = size
        self._style: Style | None = None
        self._hud: Widget | None = None
        self._hud_anchor: HudAnchor = "top-right"
        self._hud_dirty = False
        self._hud_host = _HudHost(self)
        #: The pixels under what the last draw covered (kept unless ``keep_underlay`` is
        #: False: for a game that repaints its whole surface every frame anyway).
        self.underlay = Underlay()
        self._keep_underlay = keep_underlay
        self._last_covered: list[pygame.Rect] = []
        # Made ahead, not on the frame the menu first opens: its layer and its fonts, one
        # piece a frame from update() (all at once cost one game frame about 5 ms).
        self._warm_up: list[Callable[[], object]] = []
        display = pygame.display.get_surface() if pygame.display.get_init() else None
        if size is None and display is not None:
            # Left alone for the first frames (the HUD's first), then small pieces: a
            # full-screen surface is allocated in one frame and its memory touched a
            # quarter a frame (all at once, about 1.5 ms of page faults).
            self._warm_up += [lambda: None] * _WARM_UP_AFTER_FRAMES
            self._warm_up.append(self._make_spare_layer)
            self._warm_up += [self._layer_toucher(part) for part in range(_TOUCH_PARTS)]
            if keep_underlay:
                self._warm_up.append(lambda: self.underlay.reserve(display))
                self._warm_up += [self._underlay_toucher(part) for part in range(_TOUCH_PARTS)]
            if pygame.font.get_init():
                self._warm_up += [self._font_warmer(role) for role in get_args(TextRole)]

    def _layer_toucher(self, part: int) -> Callable[[], object]:
        def touch() -> None:
            if self._spare_layer is not None:
                self._spare_layer.touch(part, _TOUCH_PARTS)
        return touch

    def _underlay_toucher(self, part: int) -> Callable[[], object]:
        return lambda: self.underlay.touch_reserved(part, _TOUCH_PARTS)

    def _font_warmer(self, role: TextRole) -> Callable[[], object]:
        return lambda: self.style.line_height(role)

    def _make_spare_layer(self) -> None:
        if self._spare_layer is None:
            self._spare_layer = ViewLayer(self.size)

    # theme and size -------------------------------------------------------------

    @property
    def theme(self) -> Theme:
        """The current theme; assigning one restyles everything on the next frame."""
        return self._theme

    @theme.setter
    def theme(self, theme: Theme) -> None:
        self._theme = theme
        if theme.text_cache_size != self.text.cache.max_entries:
            self.text = TextRenderer(theme.text_cache_size)
        self._restyle()

    @property
    def size(self) -> tuple[int, int]:
        """The surface size the overlay is laid out for."""
        if self._size is None:
            display = pygame.display.get_surface() if pygame.display.get_init() else None
            self._size = display.get_size() if display is not None else _FALLBACK_SIZE
        return self._size

    @property
    def style(self) -> Style:
        """The theme resolved for the current size."""
        if self._style is None:
            self._style = Style(self._theme, self.size, self.text)
            self.toasts.layout(self._style)
        return self._style

    def resize(self, size: tuple[int, int]) -> None:
        """Lay everything out again for a surface of ``size``."""
        if size != self._size:
            self._size = size
            self._restyle()

    def _restyle(self) -> None:
        self._style = None
        self._layers.clear()
        self._spare_layer = None
        self._hud_dirty = True
        for view in self._views:
            view.needs_layout = True
        if self._views:
            self._layout(self._views[-1])

    # the stack ------------------------------------------------------------------

    @property
    def views(self) -> tuple[View, ...]:
        """Open views, bottom first."""
        return tuple(self._views)

    @property
    def top(self) -> View | None:
        """The view receiving input, if any."""
        return self._views[-1] if self._views else None

    @property
    def is_open(self) -> bool:
        """True while any view (or dialog) is open."""
        return bool(self._views)

    @property
    def wants_pause(self) -> bool:
        """True while an open view asks the game to pause."""
        return any(view.wants_pause for view in self._views)

    def open(self, view: View) -> View:
        """Close whatever is open and show ``view``."""
        self.close_all()
        return self.push(view)

    def push(self, view: View) -> View:
        """Show ``view`` on top of the current one (Esc/B on it goes back to the one below)."""
        if view in self._views:
            raise UsageError(f"{type(view).__name__} is already open")
        if view.root is not None and view.root is not self:
            raise UsageError(f"{type(view).__name__} is open in another UIRoot")
        if not self._views:
            self.input.reset()
        elif self._views[-1].active:
            self._views[-1].deactivate()
        view.root = self
        self._views.append(view)
        if not view.is_dialog:
            for below in self._views[:-1]:
                self._keep_layer(self._layers.pop(below, None))  # hidden until it closes
        view.needs_layout = True
        view.on_open()
        if self.top is view:  # on_open may have closed it again
            self._layout(view)
            view.activate()
        return view

    def close(self, view: View | None = None) -> None:
        """Close ``view`` (default: the top one) and every view above it."""
        if not self._views:
            return
        target = view if view is not None else self._views[-1]
        if target not in self._views:
            return
        index = self._views.index(target)
        closing = self._views[index:]
        del self._views[index:]
        for gone in reversed(closing):
            gone.deactivate()
            self._keep_layer(self._layers.pop(gone, None))
            self._held.pop(gone, None)
            gone.root = None
            try:
                gone.on_close()
            except Exception:
                logger.exception("%s.on_close failed", type(gone).__name__)
        if self._views:
            top = self._views[-1]
            self._layout(top)
            top.activate()
        else:
            self.input.reset()
            if self.on_closed is not None:
                self.on_closed()

    def close_all(self) -> None:
        """Close every view."""
        if self._views:
            self.close(self._views[0])

    def show_dialog(self, dialog: ModalDialog) -> ModalDialog:
        """Show a modal dialog over whatever is open (or over the game)."""
        self.push(dialog)
        return dialog

    def confirm(
        self,
        title: str,
        message: str,
        on_confirm: Callable[[], None],
        *,
        on_cancel: Callable[[], None] | None = None,
        confirm_label: str = "Confirm",
        cancel_label: str = "Cancel",
        danger: bool = False,
    ) -> ConfirmDialog:
        """Ask a yes/no question in a :class:`ConfirmDialog`."""
        dialog = ConfirmDialog(
            title,
            message,
            on_confirm,
            on_cancel=on_cancel,
            confirm_label=confirm_label,
            cancel_label=cancel_label,
            danger=danger,
        )
        self.push(dialog)
        return dialog

    def alert(self, title: str, message: str, *, button: str = "OK") -> ModalDialog:
        """Show a message with one button."""
        dialog = ModalDialog(title, message, (DialogButton(button, kind="primary"),))
        self.push(dialog)
        return dialog

    def toast(self, text: str, tone: ToastTone = "info", duration: float = 3.0) -> Toast:
        """Show a short notification (also while no view is open)."""
        return self.toasts.push(text, tone, duration)

    def set_hud(self, widget: Widget | None, anchor: HudAnchor = "top-right") -> None:
        """Draw ``widget`` (e.g. a :class:`~kgen_pygame.ui.label.Badge`) over the game always."""
        if self._hud is not None:
            self._hud.host = None
        self._hud = widget
        self._hud_anchor = anchor
        if widget is not None:
            widget.host = self._hud_host
        self._hud_dirty = True

    @property
    def hud(self) -> Widget | None:
        """The HUD widget, if any."""
        return self._hud

    def drawn_texts(self) -> list[str]:
        """Every text the last frame drew, as drawn: HUD, visible views, then toasts."""
        texts = self._hud.drawn_texts() if self._hud is not None and self._hud.visible else []
        for view in self._visible_views():
            texts.extend(view.drawn_texts())
        texts.extend(toast.drawn for toast in self.toasts.visible if toast.drawn)
        return texts

    # per frame ------------------------------------------------------------------

    def handle(self, event: pygame.event.Event) -> bool:
        """Feed one pygame event; True when the overlay consumed it (skip it in the game)."""
        kind = event.type
        if kind == pygame.QUIT:
            return False
        if kind == pygame.VIDEORESIZE or kind in _WINDOW_SIZE_TYPES:
            self._resize_from_event(event)
            return False
        if not self._views:
            return self._handle_hud(event) if self._hud is not None else False
        if kind not in INPUT_EVENT_TYPES:
            return False
        for intent in self.input.map(event):
            top = self.top
            if top is None:
                break  # the overlay closed half-way through this event
            if top.needs_layout:
                self._layout(top)
            self._guarded(top.handle, intent)
        return True

    def update(self, dt: float) -> None:
        """Advance toasts, animations and gamepad auto-repeat by ``dt`` seconds.

        First puts back what the last draw covered, so the game draws its next
        frame onto its own pixels (see :mod:`kgen_pygame.ui.underlay`).
        """
        self.underlay.restore()
        if self._warm_up and not self._views:
            self._warm_up.pop(0)()
        if self.toasts:
            self.toasts.update(dt)
        if self._hud is not None:
            self._hud.update(dt)
        if not self._views:
            return
        for intent in self.input.update(dt):
            top = self.top
            if top is None:
                break
            self._guarded(top.handle, intent)
        for view in list(self._views):
            self._guarded(view.update, dt)

    def draw(self, surface: pygame.Surface) -> list[pygame.Rect]:
        """Draw the HUD, the open views and the toasts onto ``surface`` (call last).

        Returns the rectangles that changed: what it drew, plus what it put back
        from the previous frame (so on the frame a panel or toast goes, its area).
        The pixels under what it draws are kept and put back by the next
        :meth:`update` (or draw), so nothing it drew stays behind or piles up.
        """
        covered = self._covered(surface)
        if not self._keep_underlay:  # the game repaints everything: nothing to put back
            last, self._last_covered = self._last_covered, covered
            if covered:
                self._paint(surface)
            return merge(covered, last)
        self.underlay.save(surface, covered)  # restores the previous frame's first
        restored = self.underlay.take_restored()
        if covered:
            self._paint(surface)
        return merge(self.underlay.saved, restored)

    def restore_underlay(self) -> list[pygame.Rect]:
        """Put back what the last draw covered (``update`` does; for games that draw
        without updating). Returns the rectangles restored."""
        return self.underlay.restore()

    def _covered(self, surface: pygame.Surface) -> list[pygame.Rect]:
        """Lay out for ``surface`` and return the rectangles the next paint covers."""
        if not self._views and not self.toasts and self._hud is None:
            return []
        size = surface.get_size()
        if size != self._size:
            self.resize(size)
        if self._views:
            return [surface.get_rect()]  # every view's layer dims the whole screen
        covered: list[pygame.Rect] = []
        if self._hud is not None and self._hud.visible:
            if self._hud_dirty:
                self._layout_hud()
            covered.append(self._hud.rect.copy())
        if self.toasts:
            self.toasts.layout_if_needed(self.style)
            covered.extend(self.toasts.rects(surface))
        return covered

    def _paint(self, surface: pygame.Surface) -> None:
        if self._hud is not None and self._hud.visible:
            if self._hud_dirty:
                self._layout_hud()
            self._hud.draw(surface)
        if self._views:
            for view in self._visible_views():
                self._paint_view(view, surface)
        if self.toasts:
            self.toasts.layout_if_needed(self.style)
            self.toasts.draw(surface)

    # internals ------------------------------------------------------------------

    def _paint_view(self, view: View, surface: pygame.Surface) -> None:
        """Draw ``view``; a re-layout it asked to spread (``View.spread_layout``: a big
        answer arrived) is spread over three frames, its last picture held meanwhile
        (see :mod:`kgen_pygame.ui.held`)."""
        held = self._held.get(view)
        if held is None:
            held = self._held[view] = HeldFrame()
        if view.needs_layout and view.spread_layout and held.stage < 2 and (
                view in self._layers and held.can_hold(view.opaque_rect())):
            if held.stage == 1:
                self._layout(view)  # the frame after the change: lay out, still held
            held.stage += 1
            self._layer(view).blit(surface)
            held.show(surface)
            return
        if view.needs_layout:
            self._layout(view)
        held.stage = 0
        view.spread_layout = False
        self._layer(view).blit(surface)
        view.draw(surface)
        held.keep(surface, view.opaque_rect())

    @staticmethod
    def _guarded(call: Callable[[_T], object], argument: _T) -> None:
        """Run a view's input/update code; a bug in a panel callback is logged, not raised.

        The overlay must never take the game down: an exception from a button's
        ``on_press`` (or any view code) is logged with its traceback and the frame
        goes on.
        """
        try:
            call(argument)
        except Exception:
            logger.exception("Overlay code raised; the game continues")

    def _visible_views(self) -> list[View]:
        base = 0
        for index in range(len(self._views) - 1, -1, -1):
            if not self._views[index].is_dialog:
                base = index
                break
        return self._views[base:]

    def _layout(self, view: View) -> None:
        width, height = self.size
        view.layout(pygame.Rect(0, 0, width, height), self.style)  # sets needs_chrome

    def _layer(self, view: View) -> ViewLayer:
        layer = self._layers.get(view)
        if layer is None or view.needs_chrome or layer.size != self.size:
            if layer is None or layer.size != self.size:
                spare, self._spare_layer = self._spare_layer, None
                layer = spare if spare is not None and spare.size == self.size else (
                    ViewLayer(self.size))
            visible = self._visible_views()
            theme = self._theme
            dim = theme.backdrop if visible and visible[0] is view else theme.dialog_backdrop
            key = (dim, view.static_key())
            if layer.drawn_for != key:  # else the layout moved no chrome: keep the layer
                view.draw_static(layer.begin(dim))
                layer.drawn_for = key
            view.needs_chrome = False
            self._layers[view] = layer
        return layer

    def _keep_layer(self, layer: ViewLayer | None) -> None:
        if layer is not None:
            self._spare_layer = layer

    def _layout_hud(self) -> None:
        hud = self._hud
        if hud is None:
            return
        style = self.style
        width, height = self.size
        margin = style.px(16)
        w, h = hud.measure(style, width - 2 * margin)
        w, h = min(w, width - 2 * margin), min(h, height - 2 * margin)
        x = margin if self._hud_anchor.endswith("left") else width - margin - w
        y = margin if self._hud_anchor.startswith("top") else height - margin - h
        hud.layout(pygame.Rect(x, y, w, h), style)
        self._hud_dirty = False

    def _handle_hud(self, event: pygame.event.Event) -> bool:
        hud = self._hud
        if hud is None or event.type not in _MOUSE_TYPES or not hud.accepts_pointer:
            return False
        for intent in self.input.map(event):
            inside = intent.pos is not None and hud.rect.collidepoint(intent.pos)
            if intent.action is Action.POINTER_MOVE:
                hud.set_hovered(inside)
                return False
            if inside or intent.action is Action.POINTER_UP:
                return hud.handle(intent)
        return False

    def _resize_from_event(self, event: pygame.event.Event) -> None:
        display = pygame.display.get_surface() if pygame.display.get_init() else None
        if display is not None:
            self.resize(display.get_size())
        elif event.type == pygame.VIDEORESIZE:
            self.resize((int(event.w), int(event.h)))
        else:
            self.resize((int(event.x), int(event.y)))
