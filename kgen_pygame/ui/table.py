"""A table on top of :class:`ScrollList`: a header, aligned columns, width ratios.

Cell text is fitted (ellipsis) and rendered once per layout/data change and kept
per cell, so repainting after a scroll is blits only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pygame

from kgen_pygame.ui.scrolllist import RowState, ScrollList
from kgen_pygame.ui.theme import Align, Style, Tone


@dataclass(frozen=True, slots=True)
class TableColumn:
    """A column: header ``title``, share of the width ``weight``, text ``align`` and ``tone``."""

    title: str
    weight: float = 1.0
    align: Align = "left"
    tone: Tone = "text"


@dataclass(frozen=True, slots=True)
class Cell:
    """A cell with its own tone (e.g. a green "+25" or a red "FAILED")."""

    text: str
    tone: Tone | None = None


CellValue = str | Cell


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
        self._rows: list[Sequence[CellValue]] = list(rows)
        self._spans: list[tuple[int, int]] = []  # (x, width) per column, canvas coordinates
        self._cells: dict[tuple[int, int], pygame.Surface] = {}
        self._headers: list[pygame.Surface] = []
        self._cell_pad = 0

    @property
    def rows(self) -> Sequence[Sequence[CellValue]]:
        """The current rows."""
        return self._rows

    def set_rows(
        self, rows: Sequence[Sequence[CellValue]], *, highlight: int | None = None
    ) -> None:
        """Replace the data (and the highlighted row). Scroll position is kept when possible."""
        self._rows = list(rows)
        self._cells.clear()
        self._highlight = highlight
        self.set_row_count(len(self._rows))

    def set_columns(self, columns: Sequence[TableColumn]) -> None:
        """Replace the columns."""
        if not columns:
            raise ValueError("a Table needs at least one column")
        self.columns = tuple(columns)
        self._cells.clear()
        if self.style is not None:
            self.layout(self.rect, self.style)

    def _header_height_for(self, style: Style) -> int:
        return style.line_height("small") + 2 * style.px(10)

    def layout(self, rect: pygame.Rect, style: Style) -> None:
        super().layout(rect, style)
        self._cell_pad = style.px(12)
        total = sum(max(0.0, c.weight) for c in self.columns) or 1.0
        left = self._viewport.left - self.rect.left
        width = self._viewport.width
        self._spans = []
        x = float(left)
        for column in self.columns:
            span = width * max(0.0, column.weight) / total
            self._spans.append((round(x), round(x + span) - round(x)))
            x += span
        self._cells.clear()
        self._headers = []
        for column, (_, span) in zip(self.columns, self._spans, strict=True):
            title = style.text.fit(column.title, style.font_key("small"), span - 2 * self._cell_pad)
            self._headers.append(style.render(title, "small", style.theme.text_muted))

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
        for column, header in enumerate(self._headers):
            canvas.blit(header, self._place(header, column, rect))
        line_y = rect.bottom - max(1, style.border // 2 or 1)
        pygame.draw.line(
            canvas,
            style.theme.panel_border,
            (rect.left, line_y),
            (rect.right, line_y),
            max(1, style.border // 2 or 1),
        )

    def _cell_surface(self, index: int, column: int) -> pygame.Surface | None:
        cached = self._cells.get((index, column))
        if cached is not None:
            return cached
        style = self.style
        row = self._rows[index]
        if style is None or column >= len(row):
            return None
        value = row[column]
        text, tone = (value.text, value.tone) if isinstance(value, Cell) else (value, None)
        if not text:
            return None
        fitted = style.text.fit(
            text, style.font_key("body"), self._spans[column][1] - 2 * self._cell_pad
        )
        surface = style.render(fitted, "body", style.colour(tone or self.columns[column].tone))
        self._cells[(index, column)] = surface
        return surface

    def paint_row(
        self, canvas: pygame.Surface, rect: pygame.Rect, index: int, state: RowState
    ) -> None:
        for column in range(len(self.columns)):
            surface = self._cell_surface(index, column)
            if surface is not None:
                canvas.blit(surface, self._place(surface, column, rect))
