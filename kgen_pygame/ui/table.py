"""A table on top of :class:`ScrollList`: a header, aligned columns, width ratios.

Cell text is fitted (ellipsis) and rendered once per layout/data change and kept
per cell, so repainting after a scroll is blits only.

A big list is given as a row source (:meth:`Table.set_row_source`): a row is built
when it is first drawn, and the rest a few hundred a frame in :meth:`Table.update`,
so showing 5,000 rows never costs one long frame.

Narrow windows never squeeze a column below its ``min_width``: when the
columns do not all fit, the table drops the least important ones (lowest
``priority`` first) and says which it shows in :attr:`Table.shown_columns`.
Columns with ``cut=False`` (numbers, dates, one-word statuses) are never cut
with an ellipsis - a cut number reads as another number - but are as wide as
their widest cell.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pygame

from kgen_pygame.release import GradualRelease
from kgen_pygame.ui.scrolllist import RowState, ScrollList
from kgen_pygame.ui.theme import Align, Style, Tone


@dataclass(frozen=True, slots=True)
class TableColumn:
    """A column: header ``title``, share of the width ``weight``, text ``align`` and ``tone``.

    ``min_width`` (design pixels) is the narrowest the column is shown at; below
    that the table drops columns, lowest ``priority`` first (on a tie, the one
    further right). With ``cut=False`` cells are never cut: the column widens to them.
    """

    title: str
    weight: float = 1.0
    align: Align = "left"
    tone: Tone = "text"
    min_width: float = 96
    priority: int = 0
    cut: bool = True


@dataclass(frozen=True, slots=True)
class Cell:
    """A cell with its own tone (e.g. a green "+25" or a red "FAILED")."""

    text: str
    tone: Tone | None = None


CellValue = str | Cell
#: build(index) -> the cells of row ``index`` (see :meth:`Table.set_row_source`).
RowBuilder = Callable[[int], Sequence[CellValue]]
#: How many of the longest texts of an uncut column are measured for its width.
_MEASURED = 16
#: Game-thread time a row source's rows are built in, per frame (and when it is set);
#: rows on screen are built when drawn, whatever this says.
FILL_BUDGET_S = 0.0005
#: Rows built between two looks at the clock (and at least once a frame).
_FILL_STEP = 4
#: Pages of rendered cells kept on each side of the visible rows when a table forgets.
_KEPT_PAGES = 2
#: Game-thread time a steady table spends a frame rendering the cells of the page above
#: and the page below the visible rows, so scrolling and Page Up/Down find them ready.
AHEAD_BUDGET_S = 0.0003


class Table(ScrollList):
    """Rows of cells under a header. ``highlight`` marks one row (the player's own).

    ``rows`` is any sequence of rows, each a sequence of ``str`` or :class:`Cell`
    (shorter rows leave the remaining cells empty).
    """

    def __init__(
        self,
        columns: Sequence[TableColumn],
        rows: Sequence[Sequence[CellValue]] = (),
        *,
        highlight: int | None = None,
        on_activate: Callable[[int], None] | None = None,
        on_select: Callable[[int], None] | None = None,
        selectable: bool | None = None,
        empty_text: str = "Nothing here yet",
        row_height: float | None = None,
        natural_rows: int = 8,
        grow: float = 1.0,
    ) -> None:
        if not columns:
            raise ValueError("a Table needs at least one column")
        super().__init__(
            len(rows),
            row_height=row_height,
            on_activate=on_activate,
            on_select=on_select,
            highlight=highlight,
            selectable=selectable,
            empty_text=empty_text,
            natural_rows=natural_rows,
            grow=grow,
        )
        self.columns: tuple[TableColumn, ...] = tuple(columns)
        self._rows: list[Sequence[CellValue] | None] = list(rows)
        self._build: RowBuilder | None = None
        self._filled = len(self._rows)  # rows measured for the uncut columns' widths
        # Per uncut column: the longest text length seen and the longest texts themselves.
        self._longest: dict[int, int] = {}
        self._candidates: dict[int, set[str]] = {}
        self._noted = False  # candidates changed since the widths were measured
        self._just_set = False  # a row source was set since the last update()
        self._released = GradualRelease()  # replaced rows, freed over frames
        self._kept_rows: set[int] = set()  # a row source's rows kept built (near the view)
        # (scroll, rows, plan) for which the neighbouring pages' cells are rendered.
        self._ahead_done: tuple[object, ...] | None = None
        self._note_rows(0, self._filled)
        #: Indices of the columns shown (all of them unless the table is too narrow).
        self._shown: list[int] = list(range(len(self.columns)))
        self._spans: dict[int, tuple[int, int]] = {}  # (x, width) per shown column
        self._cells: dict[tuple[int, int], tuple[str, pygame.Surface]] = {}
        self._headers: dict[int, tuple[str, pygame.Surface]] = {}
        self._drawn_rows: dict[int, tuple[str, ...]] = {}
        self._content_widths: dict[int, int] = {}
        # What the rendered cells and headers were made for: (style, padding, spans).
        self._plan: tuple[Style, int, dict[int, tuple[int, int]]] | None = None
        self._cell_pad = 0

    @property
    def rows(self) -> Sequence[Sequence[CellValue]]:
        """The current rows (a row source's rows are all built first)."""
        self.fill(len(self._rows))
        return [self._row(index) for index in range(len(self._rows))]

    @property
    def filling(self) -> bool:
        """True while rows of a row source remain to be built (see :meth:`update`)."""
        return self._filled < len(self._rows)

    def set_rows(
        self, rows: Sequence[Sequence[CellValue]], *, highlight: int | None = None
    ) -> None:
        """Replace the data (and the highlighted row). Scroll position is kept when possible."""
        self._replace(list(rows), None, highlight)
        self.fill(len(self._rows))

    def set_row_source(
        self, count: int, build: RowBuilder, *, highlight: int | None = None
    ) -> None:
        """Show ``count`` rows that ``build(index)`` makes when they are first needed.

        Rows on screen are built as they are drawn; the others for about
        :data:`FILL_BUDGET_S` of each frame (a quarter of it now, then in each
        :meth:`update`), which
        also widens the uncut columns as longer texts appear. ``build`` runs on the game
        thread and must not raise.
        """
        self._replace([None] * max(0, count), build, highlight)
        # Less now than in later frames: this frame also lays the table out and paints it.
        self._fill_for(FILL_BUDGET_S / 4)
        self._just_set = True

    def _replace(
        self, rows: list[Sequence[CellValue] | None], build: RowBuilder | None,
        highlight: int | None,
    ) -> None:
        self._released.hold(self._rows)  # thousands freed at once cost a frame
        self._rows = rows
        self._build = build
        self._kept_rows = set()
        self._filled = 0
        self._longest = {}
        self._candidates = {}
        self._noted = True  # the widths must be measured again
        self._cells.clear()
        self._highlight = highlight
        self.set_row_count(len(self._rows))

    def fill(self, count: int) -> None:
        """Build (and measure) up to ``count`` more rows of the data, in order."""
        end = min(len(self._rows), self._filled + max(0, count))
        self._note_rows(self._filled, end)
        self._filled = end
        if self._noted and self.style is not None:
            self._noted = False
            if self._measure_uncut(self.style):
                self._plan_columns(self.style)

    def update(self, dt: float) -> None:
        """Build the next rows of a row source, then render the cells of the pages next to
        the visible one (a table whose neighbours are ready does nothing)."""
        super().update(dt)
        self._released.step()
        if self._just_set:
            self._just_set = False  # the source came this frame: it was given its share
        elif self._filled < len(self._rows):
            self._fill_for(FILL_BUDGET_S)
        elif self._ahead_done != (self.scroll, len(self._rows), self._plan):
            self._render_ahead(AHEAD_BUDGET_S)

    def _render_ahead(self, seconds: float) -> None:
        """Render the cells of the page below, then the page above, for ``seconds``."""
        if self.style is None or not self.visible:
            return
        visible = self.visible_rows()
        page = max(1, len(visible))
        end_by = time.perf_counter() + seconds
        below = range(visible.stop, min(len(self._rows), visible.stop + page))
        above = range(visible.start - 1, max(-1, visible.start - page - 1), -1)
        for index in (*below, *above):
            for column in self._shown:
                self._cell(index, column)
            if time.perf_counter() >= end_by:
                return  # the rest in the next frame
        self._ahead_done = (self.scroll, len(self._rows), self._plan)

    @property
    def kept_rows(self) -> int:
        """How many of a row source's rows are kept built (those near the visible rows;
        the others are measured and dropped, and built again if drawn)."""
        return len(self._kept_rows)

    @property
    def releasing(self) -> int:
        """Rows of replaced data still to be freed (a few hundred a frame)."""
        return len(self._released)

    @property
    def rendered_cells(self) -> int:
        """How many cells are kept rendered (those near the visible rows, not all seen)."""
        return len(self._cells)

    def _forget_far_cells(self) -> None:
        """Drop rendered cells far from the visible rows: a 5,000-row list scrolled end to
        end must not keep 20,000 text surfaces."""
        visible = self.visible_rows()
        page = max(1, len(visible))
        if len(self._cells) <= _KEPT_PAGES * 4 * page * max(1, len(self._shown)):
            return
        low, high = self._kept_window()
        for key in [key for key in self._cells if not low <= key[0] < high]:
            del self._cells[key]
        for index in [index for index in self._kept_rows if not low <= index < high]:
            self._rows[index] = None  # a row source builds it again when needed
            self._kept_rows.discard(index)

    def _kept_window(self) -> tuple[int, int]:
        """The rows whose built rows and rendered cells are kept: the visible ones and
        :data:`_KEPT_PAGES` pages on each side."""
        visible = self.visible_rows()
        page = max(1, len(visible), self.natural_rows)
        return visible.start - _KEPT_PAGES * page, max(visible.stop, 1) + _KEPT_PAGES * page

    def _fill_for(self, seconds: float) -> None:
        """Build rows, :data:`_FILL_STEP` at a time, until ``seconds`` have passed."""
        end_by = time.perf_counter() + seconds
        end = self._filled
        while end < len(self._rows):
            end = min(len(self._rows), end + _FILL_STEP)
            self._note_rows(self._filled, end)
            self._filled = end
            if time.perf_counter() >= end_by:
                break
        self.fill(0)

    def _row(self, index: int) -> Sequence[CellValue]:
        row = self._rows[index]
        if row is None:
            assert self._build is not None  # only a row source leaves rows unbuilt
            row = self._rows[index] = self._build(index)
            self._kept_rows.add(index)
        return row

    def _note_rows(self, start: int, end: int) -> None:
        """Build rows ``start`` to ``end`` and keep the longest texts of each uncut column."""
        uncut = [index for index, column in enumerate(self.columns) if not column.cut]
        longest = {index: self._longest.get(index, 0) for index in uncut}
        candidates = {index: self._candidates.setdefault(index, set()) for index in uncut}
        rows, build = self._rows, self._build
        low, high = self._kept_window()
        for number in range(start, end):
            row = rows[number]
            if row is None and build is not None:
                row = build(number)
                if low <= number < high:
                    rows[number] = row
                    self._kept_rows.add(number)
                # Else measured, not kept (built again if drawn): 5,000 kept rows made
                # the collector walk them in the game's frames.
            if row is None:
                continue
            for index in uncut:
                if index >= len(row):
                    continue
                value = row[index]
                text = value.text if isinstance(value, Cell) else value
                size = len(text)
                kept = candidates[index]
                if size > longest[index]:
                    longest[index] = size
                    kept.difference_update([old for old in kept if len(old) < size - 1])
                if size >= longest[index] - 1 and len(kept) < _MEASURED and text not in kept:
                    kept.add(text)
                    self._noted = True
        self._longest.update(longest)

    def set_columns(self, columns: Sequence[TableColumn]) -> None:
        """Replace the columns."""
        if not columns:
            raise ValueError("a Table needs at least one column")
        self.columns = tuple(columns)
        self._cells.clear()
        self._plan = None
        self._longest, self._candidates = {}, {}
        self._note_rows(0, self._filled)
        if self.style is not None:
            self.layout(self.rect, self.style)

    @property
    def column_spans(self) -> dict[str, tuple[int, int]]:
        """(left, width) on screen of each shown column, by title."""
        return {
            self.columns[index].title: (self.rect.left + x, width)
            for index, (x, width) in self._spans.items()
        }

    @property
    def shown_columns(self) -> tuple[str, ...]:
        """Titles of the columns shown at the current width."""
        return tuple(self.columns[index].title for index in self._shown)

    def _header_height_for(self, style: Style) -> int:
        return style.line_height("small") + 2 * style.px(10)

    def layout(self, rect: pygame.Rect, style: Style) -> None:
        super().layout(rect, style)
        self._cell_pad = style.px(12)
        self._measure_uncut(style)
        self._noted = False
        self._plan_columns(style)

    def _measure_uncut(self, style: Style) -> bool:
        """Widest cell of each column that is never cut (True when one changed).

        Only the longest texts (kept by :meth:`_note_rows`) are measured, so a 5,000-row
        table costs a pass of ``len()`` calls, not 5,000 font measurements.
        """
        widths: dict[int, int] = {}
        for index, column in enumerate(self.columns):
            if column.cut:
                continue
            widths[index] = max(
                (style.text_width(text, "body") for text in self._candidates.get(index, ())),
                default=0,
            )
        changed = widths != self._content_widths
        self._content_widths = widths
        return changed

    def _min_span(self, style: Style, index: int) -> int:
        column = self.columns[index]
        header = style.text_width(column.title, "small")
        cell = self._content_widths.get(index, 0)
        return max(style.px(column.min_width), max(header, cell) + 2 * self._cell_pad)

    def _plan_columns(self, style: Style) -> None:
        """Choose the columns that fit and their widths; render the headers."""
        width = self._viewport.width
        shown = list(range(len(self.columns)))
        minimum = {index: self._min_span(style, index) for index in shown}
        while len(shown) > 1 and sum(minimum[i] for i in shown) > width:
            shown.remove(min(shown, key=lambda i: (self.columns[i].priority, -i)))
        spans = _share_widths(
            width, [(minimum[i], max(0.0, self.columns[i].weight)) for i in shown]
        )
        planned = {}
        x = self._viewport.left - self.rect.left
        for index, span in zip(shown, spans, strict=True):
            planned[index] = (x, span)
            x += span
        plan = (style, self._cell_pad, planned)
        self._shown = shown
        self._spans = planned
        self.mark_dirty()
        if plan == self._plan:
            return  # a layout that moved nothing: the rendered cells and headers still fit
        self._plan = plan
        self._cells.clear()
        self._headers = {}
        for index in shown:
            column = self.columns[index]
            room = self._spans[index][1] - 2 * self._cell_pad
            title = style.text.fit(column.title, style.font_key("small"), room)
            self._headers[index] = (title, style.render(title, "small", style.theme.text_muted))

    def _place(self, text: pygame.Surface, column: int, rect: pygame.Rect) -> tuple[int, int]:
        x, span = self._spans[column]
        align = self.columns[column].align
        if align == "right":
            left = x + span - self._cell_pad - text.get_width()
        elif align == "center":
            left = x + (span - text.get_width()) // 2
        else:
            left = x + self._cell_pad
        return (left, rect.centery - text.get_height() // 2)

    def paint_header(self, canvas: pygame.Surface, rect: pygame.Rect) -> None:
        style = self.style
        if style is None:
            return
        for column, (_, header) in self._headers.items():
            canvas.blit(header, self._place(header, column, rect))
        line_y = rect.bottom - max(1, style.border // 2 or 1)
        pygame.draw.line(
            canvas,
            style.theme.panel_border,
            (rect.left, line_y),
            (rect.right, line_y),
            max(1, style.border // 2 or 1),
        )

    def _cell(self, index: int, column: int) -> tuple[str, pygame.Surface] | None:
        cached = self._cells.get((index, column))
        if cached is not None:
            return cached
        style = self.style
        if style is None:
            return None
        row = self._row(index)
        if column >= len(row):
            return None
        value = row[column]
        text, tone = (value.text, value.tone) if isinstance(value, Cell) else (value, None)
        if not text:
            return None
        room = self._spans[column][1] - 2 * self._cell_pad
        key = style.font_key("body")
        whole = not self.columns[column].cut and style.text.width(text, key) <= (
            room + self._cell_pad
        )
        fitted = text if whole else style.text.fit(text, key, room)
        surface = style.render(fitted, "body", style.colour(tone or self.columns[column].tone))
        self._cells[(index, column)] = (fitted, surface)
        return fitted, surface

    def drawn_row(self, index: int) -> tuple[str, ...] | None:
        """The texts drawn for row ``index`` in the last repaint (None: not on screen)."""
        return self._drawn_rows.get(index)

    def own_texts(self) -> tuple[str, ...]:
        texts = [title for title, _ in self._headers.values()]
        if not self._row_count:
            return (*texts, *super().own_texts())
        for index in sorted(self._drawn_rows):
            texts.extend(self._drawn_rows[index])
        return tuple(texts)

    def _repaint(self) -> None:
        super()._repaint()
        # Rows still on screen that this paint did not touch keep what they showed.
        visible = self.visible_rows()
        self._drawn_rows = {
            index: texts for index, texts in self._drawn_rows.items() if index in visible
        }
        self._forget_far_cells()

    def paint_row(
        self, canvas: pygame.Surface, rect: pygame.Rect, index: int, state: RowState
    ) -> None:
        drawn: list[str] = []
        for column in self._shown:
            cell = self._cell(index, column)
            if cell is not None:
                text, surface = cell
                drawn.append(text)
                canvas.blit(surface, self._place(surface, column, rect))
        self._drawn_rows[index] = tuple(drawn)


def _share_widths(width: int, columns: Sequence[tuple[int, float]]) -> list[int]:
    """Split ``width`` by weight, each column at least its minimum (pixel exact)."""
    minimums = [minimum for minimum, _ in columns]
    spans = list(minimums)
    free = list(range(len(columns)))
    while free:
        room = width - sum(spans[i] for i in range(len(columns)) if i not in free)
        total = sum(columns[i][1] for i in free)
        if total <= 0 or room <= 0:
            break  # the free columns keep their minimum
        short = [i for i in free if room * columns[i][1] / total < minimums[i]]
        if short:
            free = [i for i in free if i not in short]
            continue
        given, running = 0, 0.0
        for i in free:
            running += columns[i][1]
            upto = round(room * running / total)
            spans[i] = upto - given
            given = upto
        break
    extra = width - sum(spans)
    if extra > 0 and spans:
        spans[free[-1] if free else -1] += extra
    return spans
