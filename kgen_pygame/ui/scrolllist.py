"""A virtualised list: fixed row height, only the visible rows are ever painted.

The list paints into its own canvas (allocated at layout) only when something
changed (scroll position, selection, hover, data, focus); a steady frame is a
single blit. Scrolling: mouse wheel over the list, the scroll bar (drag the
thumb or click the track), arrows / page keys / Home / End, gamepad d-pad.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pygame

from kgen_pygame.ui.drawing import new_surface
from kgen_pygame.ui.input import Action, Device, Intent
from kgen_pygame.ui.theme import RGB, Style
from kgen_pygame.ui.widget import Widget


@dataclass(frozen=True, slots=True)
class RowState:
    """What a row painter needs to know about the row it paints."""

    index: int
    style: Style
    selected: bool
    highlighted: bool
    hovered: bool
    list_focused: bool


#: paint_row(canvas, rect, index, state): draw row ``index``'s content inside ``rect``.
RowPainter = Callable[[pygame.Surface, pygame.Rect, int, RowState], None]


class ScrollList(Widget):
    """A scrollable list of ``row_count`` rows drawn by ``paint_row`` (or a subclass).

    ``highlight`` marks one row (e.g. the player's own); ``selectable`` lists move a
    selection with the arrows and call ``on_activate(index)`` on Enter/A or a click;
    non-selectable lists scroll with the arrows. ``paint_count`` counts painted rows
    (it grows only when the list repaints, and then by the visible rows only).
    """

    focusable = True
    accepts_pointer = True

    def __init__(
        self,
        row_count: int = 0,
        *,
        paint_row: RowPainter | None = None,
        row_height: float | None = None,
        on_activate: Callable[[int], None] | None = None,
        on_select: Callable[[int], None] | None = None,
        highlight: int | None = None,
        selectable: bool | None = None,
        empty_text: str = "Nothing here yet",
        natural_rows: int = 6,
        grow: float = 1.0,
    ) -> None:
        super().__init__(grow=grow)
        self._row_count = max(0, row_count)
        self._paint_row = paint_row
        self.row_height_design = row_height
        self.on_activate = on_activate
        self.on_select = on_select
        self._highlight = highlight
        self.selectable = on_activate is not None if selectable is None else selectable
        self.empty_text = empty_text
        self.natural_rows = natural_rows
        self._selected: int | None = None
        self._hover_row: int | None = None
        self._pressed_row: int | None = None
        self._drag_grab: int | None = None
        self.scroll = 0
        self.row_height = 1
        self.header_height = 0
        self._viewport = pygame.Rect(0, 0, 0, 0)
        self._gutter = pygame.Rect(0, 0, 0, 0)
        self._canvas: pygame.Surface | None = None
        self._dirty = True  # repaint before the next draw
        self._whole = True  # ... every visible row (not only the moved or changed ones)
        self._painted: tuple[int, int | None, int | None] | None = None  # scroll, selected, hover
        self._pending_reveal: tuple[int, bool] | None = None
        self._empty_lines: list[tuple[str, pygame.Surface]] = []
        self.paint_count = 0
        self.repaint_count = 0

    # data -----------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        """Number of rows."""
        return self._row_count

    @property
    def can_focus(self) -> bool:
        """An empty list is skipped by focus navigation."""
        return super().can_focus and self._row_count > 0

    def set_row_count(self, count: int) -> None:
        """Change the number of rows (selection and scroll are kept in range)."""
        self._row_count = max(0, count)
        if self._selected is not None and self._selected >= self._row_count:
            self._selected = self._row_count - 1 if self._row_count else None
        if self._highlight is not None and self._highlight >= self._row_count:
            self._highlight = None
        self._clamp_scroll()
        self.mark_dirty()

    @property
    def selected(self) -> int | None:
        """The selected row, if any."""
        return self._selected

    @selected.setter
    def selected(self, index: int | None) -> None:
        self.select(index)

    def select(self, index: int | None, *, notify: bool = True) -> None:
        """Select ``index`` (clamped) and scroll it into view."""
        if index is not None:
            index = max(0, min(self._row_count - 1, index)) if self._row_count else None
        if index == self._selected:
            return
        self._selected = index
        if index is not None:
            self.ensure_visible(index)
            if notify and self.on_select is not None:
                self.on_select(index)
        self._dirty = True  # two rows change: see _repaint_moved

    @property
    def highlight(self) -> int | None:
        """The highlighted row (e.g. the player's own leaderboard row)."""
        return self._highlight

    @highlight.setter
    def highlight(self, index: int | None) -> None:
        if index != self._highlight:
            self._highlight = index
            self.mark_dirty()

    def mark_dirty(self) -> None:
        """Repaint the canvas before the next draw (call after changing row content)."""
        self._dirty = True
        self._whole = True

    # scrolling ------------------------------------------------------------------

    @property
    def content_height(self) -> int:
        """Height of all rows together."""
        return self._row_count * self.row_height

    @property
    def max_scroll(self) -> int:
        """The largest scroll offset."""
        return max(0, self.content_height - self._viewport.height)

    @property
    def rows_per_page(self) -> int:
        """Rows that fit the viewport entirely."""
        return max(1, self._viewport.height // max(1, self.row_height))

    def visible_rows(self) -> range:
        """Indices of the rows at least partly visible now."""
        if not self._row_count or self._viewport.height <= 0:
            return range(0)
        first = self.scroll // self.row_height
        last = (self.scroll + self._viewport.height - 1) // self.row_height
        return range(first, min(self._row_count, last + 1))

    def scroll_to(self, offset: int) -> bool:
        """Set the scroll offset in pixels (clamped); True when it moved."""
        offset = max(0, min(self.max_scroll, offset))
        if offset == self.scroll:
            return False
        self.scroll = offset
        self._dirty = True  # the rows move: see _repaint_moved
        return True

    def scroll_by(self, pixels: int) -> bool:
        """Scroll by ``pixels`` (positive = down); True when it moved."""
        return self.scroll_to(self.scroll + pixels)

    def ensure_visible(self, index: int, *, centre: bool = False) -> None:
        """Scroll the least needed (or to the middle with ``centre``) to show row ``index``."""
        if self._viewport.height <= 0:  # not laid out yet: do it after layout
            self._pending_reveal = (index, centre)
            return
        top = index * self.row_height
        bottom = top + self.row_height
        height = self._viewport.height
        if centre:
            self.scroll_to(top - (height - self.row_height) // 2)
        elif top < self.scroll:
            self.scroll_to(top)
        elif bottom > self.scroll + height:
            self.scroll_to(bottom - height)

    def _clamp_scroll(self) -> None:
        self.scroll = max(0, min(self.max_scroll, self.scroll))

    # input ----------------------------------------------------------------------

    def row_at(self, pos: tuple[int, int]) -> int | None:
        """The row under a screen position, if any."""
        if not self._viewport.collidepoint(pos):
            return None
        index = (pos[1] - self._viewport.top + self.scroll) // self.row_height
        return index if 0 <= index < self._row_count else None

    def handle(self, intent: Intent) -> bool:
        action = intent.action
        if action is Action.SCROLL:
            if self.max_scroll <= 0:
                return False
            self.scroll_by(intent.amount * self.row_height)
            if intent.pos is not None and intent.device is Device.MOUSE:
                self._set_hover_row(self.row_at(intent.pos))  # a new row is under the pointer
            return True
        if intent.is_pointer:
            return self._pointer(intent)
        if action in (Action.UP, Action.DOWN):
            step = -1 if action is Action.UP else 1
            return self._step(step)
        if action in (Action.PAGE_UP, Action.PAGE_DOWN):
            step = self.rows_per_page * (-1 if action is Action.PAGE_UP else 1)
            if self.selectable:
                base = self._selected if self._selected is not None else self.visible_rows().start
                self.select(base + step)
            else:
                self.scroll_by(step * self.row_height)
            return True
        if action in (Action.HOME, Action.END):
            last = action is Action.END
            if self.selectable and self._row_count:
                self.select(self._row_count - 1 if last else 0)
            else:
                self.scroll_to(self.max_scroll if last else 0)
            return True
        if action is Action.ACTIVATE and self.selectable:
            if self._selected is None:
                self._step(1)
            elif self.on_activate is not None:
                self.on_activate(self._selected)
            return True
        return False

    def _step(self, step: int) -> bool:
        """Arrow/d-pad: move the selection or scroll; False at the ends so focus can leave."""
        if not self.selectable:
            return self.scroll_by(step * self.row_height)
        if not self._row_count:
            return False
        if self._selected is None:
            visible = self.visible_rows()
            start = self._highlight if self._highlight in visible else None
            self.select(start if start is not None else visible.start)
            return True
        target = self._selected + step
        if not 0 <= target < self._row_count:
            return False
        self.select(target)
        return True

    def _pointer(self, intent: Intent) -> bool:
        pos = intent.pos
        if pos is None:
            return False
        action = intent.action
        if action is Action.POINTER_MOVE:
            if self._drag_grab is not None:
                self._drag_thumb(pos[1])
            self._set_hover_row(self.row_at(pos) if intent.device is Device.MOUSE else None)
            return True
        if action is Action.POINTER_DOWN:
            if self._gutter.collidepoint(pos) and self.max_scroll > 0:
                thumb = self._thumb_rect()
                if thumb.collidepoint(pos):
                    self._drag_grab = pos[1] - thumb.top
                else:  # click on the track: page towards the pointer
                    page = self.rows_per_page * self.row_height
                    self.scroll_by(page if pos[1] > thumb.centery else -page)
                self.mark_dirty()
                return True
            self._pressed_row = self.row_at(pos)
            return True
        # POINTER_UP
        if self._drag_grab is not None:
            self._drag_grab = None
            self.mark_dirty()
            return True
        row = self.row_at(pos)
        pressed, self._pressed_row = self._pressed_row, None
        if row is not None and row == pressed and self.selectable:
            self.select(row)
            if self.on_activate is not None:
                self.on_activate(row)
        return True

    def _set_hover_row(self, row: int | None) -> None:
        if row != self._hover_row:
            self._hover_row = row
            self._dirty = True  # two rows change: see _repaint_moved

    def set_hovered(self, hovered: bool) -> None:
        super().set_hovered(hovered)
        if not hovered:
            self._set_hover_row(None)

    def on_focus(self) -> None:
        self.mark_dirty()

    def on_blur(self) -> None:
        self._drag_grab = None
        self.mark_dirty()

    def _track_rect(self) -> pygame.Rect:
        inset = self.style.px(4) if self.style is not None else 0
        width = max(4, self._gutter.width // 2)
        return pygame.Rect(
            self._gutter.centerx - width // 2,
            self._viewport.top + inset,
            width,
            max(0, self._viewport.height - 2 * inset),
        )

    def _thumb_rect(self) -> pygame.Rect:
        track = self._track_rect()
        if self.content_height <= 0:
            return track
        minimum = self.style.px(28) if self.style is not None else 16
        height = max(minimum, track.height * self._viewport.height // self.content_height)
        height = min(track.height, height)
        travel = track.height - height
        top = track.top + (travel * self.scroll // self.max_scroll if self.max_scroll else 0)
        return pygame.Rect(track.left, top, track.width, height)

    def _drag_thumb(self, y: int) -> None:
        if self._drag_grab is None:
            return
        track = self._track_rect()
        thumb = self._thumb_rect()
        travel = track.height - thumb.height
        if travel <= 0:
            return
        fraction = (y - self._drag_grab - track.top) / travel
        self.scroll_to(round(fraction * self.max_scroll))

    # layout and painting --------------------------------------------------------

    def measure(self, style: Style, width: int) -> tuple[int, int]:
        row = self._row_height_for(style)
        rows = max(1, min(self._row_count, self.natural_rows) if self._row_count else 3)
        return (style.px(240), self._header_height_for(style) + rows * row)

    def _row_height_for(self, style: Style) -> int:
        if self.row_height_design is None:
            return style.row_height
        return max(1, style.px(self.row_height_design))

    def _header_height_for(self, style: Style) -> int:
        """Height of a header above the rows (0 here; :class:`Table` has one)."""
        return 0

    def layout(self, rect: pygame.Rect, style: Style) -> None:
        super().layout(rect, style)
        self.row_height = self._row_height_for(style)
        self.header_height = min(self.rect.height, self._header_height_for(style))
        gutter = style.px(14)
        body = pygame.Rect(
            self.rect.left,
            self.rect.top + self.header_height,
            self.rect.width,
            self.rect.height - self.header_height,
        )
        self._viewport = pygame.Rect(body.left, body.top, max(0, body.width - gutter), body.height)
        self._gutter = pygame.Rect(self._viewport.right, body.top, gutter, body.height)
        if self._canvas is None or self._canvas.get_size() != self.rect.size:
            self._canvas = new_surface(self.rect.size, alpha=False)  # else repainted in place
        key = style.font_key("body")
        self._empty_lines = [
            (line, style.render(line, "body", style.theme.text_muted))
            for line in style.text.wrap(self.empty_text, key, max(1, self._viewport.width))
            if line
        ]
        self._clamp_scroll()
        if self._pending_reveal is not None and self._viewport.height > 0:
            index, centre = self._pending_reveal
            self._pending_reveal = None
            self.ensure_visible(index, centre=centre)
        self.mark_dirty()

    def draw(self, surface: pygame.Surface) -> None:
        if self._canvas is None:
            return
        if self._dirty:
            self._repaint()
        surface.blit(self._canvas, self.rect)

    def _row_fill(self, state: RowState) -> RGB:
        style = self.style
        if style is None:
            return (0, 0, 0)
        theme = style.theme
        looks = style.looks("table_row")
        if state.selected:
            look = looks.look("focused" if state.list_focused else "selected")
        elif state.highlighted:
            return theme.row_highlight
        elif state.hovered:
            look = looks.look("hover")
        else:
            look = looks.normal
            if state.index % 2:
                return theme.row_alt
        return look.fill if look.fill is not None else theme.panel

    def _repaint(self) -> None:
        canvas, style = self._canvas, self.style
        if canvas is None or style is None:
            return
        self._dirty = False
        whole, self._whole = self._whole, False
        self.repaint_count += 1
        painted, self._painted = self._painted, (self.scroll, self._selected, self._hover_row)
        if not whole and painted is not None and self._row_count and (
                self._repaint_moved(canvas, style, painted)):
            return
        theme = style.theme
        origin = self.rect.topleft
        canvas.fill(theme.panel)
        if self.header_height:
            self.paint_header(canvas, pygame.Rect(0, 0, self.rect.width, self.header_height))
        viewport = self._viewport.move(-origin[0], -origin[1])
        if not self._row_count:
            line_height = style.line_height("body")
            top = viewport.centery - line_height * len(self._empty_lines) // 2
            for _, line in self._empty_lines:
                canvas.blit(line, line.get_rect(midtop=(viewport.centerx, top)))
                top += line_height
            return
        canvas.set_clip(viewport)
        for index in self.visible_rows():
            self._paint_one(canvas, style, viewport, index)
        canvas.set_clip(None)
        if self.max_scroll > 0:
            self._paint_scrollbar(canvas, origin)

    def _repaint_moved(
        self, canvas: pygame.Surface, style: Style, painted: tuple[int, int | None, int | None]
    ) -> bool:
        """Only the scroll position, selection or hover changed since the last paint: move
        the painted rows (``Surface.scroll``) and paint just the rows that came into view
        or changed state. False when that would not save anything (a jump of a page)."""
        scroll, selected, hover = painted
        origin = self.rect.topleft
        viewport = self._viewport.move(-origin[0], -origin[1])
        delta = self.scroll - scroll
        if abs(delta) >= viewport.height:
            return False
        theme = style.theme
        visible = self.visible_rows()
        again = {index for index in (selected, self._selected, hover, self._hover_row)
                 if index is not None and index in visible}
        canvas.set_clip(viewport)
        if delta:
            canvas.scroll(0, -delta)
            strip = pygame.Rect(viewport.left, viewport.top, viewport.width, abs(delta))
            if delta > 0:
                strip.bottom = viewport.bottom
            # Rows always cover the strip: a list shorter than its viewport never scrolls.
            first = (self.scroll + strip.top - viewport.top) // self.row_height
            last = (self.scroll + strip.bottom - 1 - viewport.top) // self.row_height
            again.update(index for index in range(first, last + 1) if index in visible)
        for index in sorted(again):
            top = viewport.top + index * self.row_height - self.scroll
            canvas.fill(theme.panel, pygame.Rect(viewport.left, top, viewport.width,
                                                 self.row_height))
            self._paint_one(canvas, style, viewport, index)
        canvas.set_clip(None)
        canvas.fill(theme.panel, self._gutter.move(-origin[0], -origin[1]))
        if self.max_scroll > 0:
            self._paint_scrollbar(canvas, origin)
        return True

    def _paint_one(
        self, canvas: pygame.Surface, style: Style, viewport: pygame.Rect, index: int
    ) -> None:
        """Row ``index``'s background, accent bar and content (the canvas is clipped to
        ``viewport``, in canvas coordinates)."""
        theme = style.theme
        top = viewport.top + index * self.row_height - self.scroll
        row = pygame.Rect(viewport.left, top, viewport.width, self.row_height)
        state = RowState(
            index=index,
            style=style,
            selected=index == self._selected,
            highlighted=index == self._highlight,
            hovered=index == self._hover_row,
            list_focused=self.focused,
        )
        fill = self._row_fill(state)
        if fill != theme.panel:
            pygame.draw.rect(canvas, fill, row, border_radius=style.px(6))
        if state.highlighted:
            bar = style.px(4)
            accent_bar = pygame.Rect(row.left, row.top + bar, bar, row.height - 2 * bar)
            pygame.draw.rect(canvas, theme.accent, accent_bar, border_radius=bar // 2)
        self.paint_row(canvas, row, index, state)
        self.paint_count += 1

    def _paint_scrollbar(self, canvas: pygame.Surface, origin: tuple[int, int]) -> None:
        style = self.style
        if style is None:
            return
        theme = style.theme
        track = self._track_rect().move(-origin[0], -origin[1])
        thumb = self._thumb_rect().move(-origin[0], -origin[1])
        radius = track.width // 2
        pygame.draw.rect(canvas, theme.row_alt, track, border_radius=radius)
        looks = style.looks("scroll_bar")
        if self._drag_grab is not None:
            look = looks.look("pressed")
        else:
            look = looks.look("focused" if self.focused else "normal")
        colour = look.fill if look.fill is not None else look.text
        pygame.draw.rect(canvas, colour, thumb, border_radius=radius)

    def own_texts(self) -> tuple[str, ...]:
        if self._row_count or self._canvas is None:
            return ()
        return tuple(text for text, _ in self._empty_lines)

    def paint_header(self, canvas: pygame.Surface, rect: pygame.Rect) -> None:
        """Paint the header band (subclasses with ``_header_height_for`` > 0)."""

    def paint_row(
        self, canvas: pygame.Surface, rect: pygame.Rect, index: int, state: RowState
    ) -> None:
        """Paint row ``index``'s content into ``rect`` (canvas coordinates)."""
        if self._paint_row is not None:
            self._paint_row(canvas, rect, index, state)
