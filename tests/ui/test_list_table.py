"""ScrollList and Table: virtualised painting, scrolling by wheel/keys/scroll bar, columns."""

from __future__ import annotations

import pygame
import pytest
from ui_events import click, feed, move_mouse, post, press_key, wheel

from kgen_pygame.release import PER_FRAME
from kgen_pygame.ui import (
    Button,
    Cell,
    Column,
    Frame,
    RowState,
    ScrollList,
    Table,
    TableColumn,
    UIRoot,
    View,
    Widget,
)
from kgen_pygame.ui import table as table_module


def leaderboard(count: int) -> list[list[str | Cell]]:
    return [[f"#{i + 1}", f"player_{i:03d}", str(10_000 - i * 7)] for i in range(count)]


COLUMNS = [
    TableColumn("Rank", 1.0),
    TableColumn("Player", 3.0),
    TableColumn("Score", 2.0, "right"),
]


class TableView(View):
    def __init__(self, table: Table) -> None:
        super().__init__()
        self.table = table
        self.close_button = Button("Close", self.close)

    def build(self) -> Widget:
        self.initial_focus = self.table
        return Frame("Leaderboard", Column(self.table, self.close_button))


def open_table(root: UIRoot, table: Table) -> TableView:
    view = TableView(table)
    root.open(view)
    return view


def test_only_visible_rows_are_painted(root: UIRoot, screen: pygame.Surface) -> None:
    table = Table(COLUMNS, leaderboard(100))
    open_table(root, table)
    root.draw(screen)
    visible = table.visible_rows()
    assert 5 <= len(visible) < 20
    assert table.paint_count == len(visible)
    assert visible.start == 0


def test_steady_frames_repaint_nothing_and_render_no_text(
    root: UIRoot, screen: pygame.Surface
) -> None:
    table = Table(COLUMNS, leaderboard(100), highlight=3)
    open_table(root, table)
    root.draw(screen)
    painted, repaints = table.paint_count, table.repaint_count
    for _ in range(2 * len(table.visible_rows()) + 2):  # at least a row a frame
        root.update(1 / 60)  # renders the neighbouring pages' cells, ahead of a scroll
    ahead = root.text.cache.misses
    for _ in range(30):
        root.update(1 / 60)
        root.draw(screen)
    assert (table.paint_count, table.repaint_count) == (painted, repaints)
    assert root.text.cache.misses == ahead


def test_the_next_page_is_rendered_before_page_down(root: UIRoot, screen: pygame.Surface) -> None:
    table = Table(COLUMNS, leaderboard(100))
    open_table(root, table)
    root.draw(screen)
    for _ in range(2 * len(table.visible_rows()) + 2):  # at least a row a frame
        root.update(1 / 60)
    misses = root.text.cache.misses
    press_key(pygame.K_PAGEDOWN)
    feed(root)
    root.draw(screen)
    assert table.visible_rows().start > 0
    assert root.text.cache.misses == misses  # every cell of the new page was ready


def test_wheel_scrolls_the_list_under_the_pointer(root: UIRoot, screen: pygame.Surface) -> None:
    table = Table(COLUMNS, leaderboard(100))
    open_table(root, table)
    root.draw(screen)
    move_mouse(table.rect.center)
    wheel(-1)  # one notch down
    feed(root)
    assert table.scroll == 3 * table.row_height
    root.draw(screen)
    assert table.visible_rows().start == 3
    assert table.paint_count <= 2 * (len(table.visible_rows()) + 1)
    wheel(+5)  # back up past the top: clamped
    feed(root)
    assert table.scroll == 0


def test_wheel_elsewhere_does_not_scroll(root: UIRoot) -> None:
    table = Table(COLUMNS, leaderboard(100))
    open_table(root, table)
    move_mouse((5, 5))
    wheel(-1)
    assert all(consumed for _, consumed in feed(root))  # still consumed: the overlay is open
    assert table.scroll == 0


def test_scroll_is_clamped_at_the_end(root: UIRoot) -> None:
    table = Table(COLUMNS, leaderboard(100))
    open_table(root, table)
    move_mouse(table.rect.center)
    for _ in range(60):
        wheel(-1)
    feed(root)
    assert table.scroll == table.max_scroll
    assert table.visible_rows().stop == 100


def test_keys_scroll_a_read_only_table(root: UIRoot) -> None:
    table = Table(COLUMNS, leaderboard(100))
    open_table(root, table)
    press_key(pygame.K_DOWN)
    press_key(pygame.K_DOWN)
    feed(root)
    assert table.scroll == 2 * table.row_height
    press_key(pygame.K_END)
    feed(root)
    assert table.scroll == table.max_scroll
    press_key(pygame.K_PAGEUP)
    feed(root)
    assert table.scroll == table.max_scroll - table.rows_per_page * table.row_height
    press_key(pygame.K_HOME)
    feed(root)
    assert table.scroll == 0


def test_arrow_past_the_top_moves_focus_out_of_the_list(root: UIRoot) -> None:
    table = Table(COLUMNS, leaderboard(3))  # fits: nothing to scroll
    view = open_table(root, table)
    press_key(pygame.K_DOWN)
    feed(root)
    assert view.focused is view.close_button


def test_selectable_list_moves_selection_and_activates(root: UIRoot) -> None:
    opened: list[int] = []
    table = Table(COLUMNS, leaderboard(50), on_activate=opened.append)
    open_table(root, table)
    press_key(pygame.K_DOWN)  # first press selects the first visible row
    press_key(pygame.K_DOWN)
    press_key(pygame.K_DOWN)
    press_key(pygame.K_RETURN)
    feed(root)
    assert table.selected == 2
    assert opened == [2]
    press_key(pygame.K_PAGEDOWN)
    press_key(pygame.K_PAGEDOWN)
    press_key(pygame.K_PAGEDOWN)
    press_key(pygame.K_PAGEDOWN)
    feed(root)
    assert table.selected is not None
    assert table.selected in table.visible_rows()  # the selection is kept in view


def test_gamepad_a_on_a_row_activates_it(root: UIRoot) -> None:
    opened: list[int] = []
    table = Table(COLUMNS, leaderboard(10), on_activate=opened.append, highlight=4)
    open_table(root, table)
    post(pygame.JOYBUTTONDOWN, joy=0, instance_id=0, button=0)  # selects (the player's row)
    post(pygame.JOYBUTTONDOWN, joy=0, instance_id=0, button=0)
    feed(root)
    assert opened == [4]


def test_click_on_a_row_activates_that_row(root: UIRoot, screen: pygame.Surface) -> None:
    opened: list[int] = []
    table = Table(COLUMNS, leaderboard(100), on_activate=opened.append)
    open_table(root, table)
    first_row_y = table.rect.top + table.header_height + table.row_height // 2
    click((table.rect.centerx, first_row_y + 2 * table.row_height))
    feed(root)
    assert opened == [2]
    assert table.selected == 2


def test_scroll_bar_thumb_drag_and_track_click(root: UIRoot) -> None:
    table = Table(COLUMNS, leaderboard(100))
    open_table(root, table)
    thumb = table._thumb_rect()
    track = table._track_rect()
    post(pygame.MOUSEMOTION, pos=thumb.center, rel=(0, 0), buttons=(0, 0, 0), touch=False)
    post(pygame.MOUSEBUTTONDOWN, pos=thumb.center, button=1, touch=False)
    drag_to = (thumb.centerx, thumb.centery + track.height)  # far past the end
    post(pygame.MOUSEMOTION, pos=drag_to, rel=(0, 0), buttons=(1, 0, 0), touch=False)
    post(pygame.MOUSEBUTTONUP, pos=drag_to, button=1, touch=False)
    feed(root)
    assert table.scroll == table.max_scroll
    click((track.centerx, track.top + 2))  # above the thumb: one page up
    feed(root)
    assert table.scroll == table.max_scroll - table.rows_per_page * table.row_height


def test_highlight_row_and_reveal(root: UIRoot, screen: pygame.Surface) -> None:
    table = Table(COLUMNS, leaderboard(100), highlight=60)
    table.ensure_visible(60, centre=True)  # before layout: applied once laid out
    open_table(root, table)
    assert 60 in table.visible_rows()
    screen.fill((0, 0, 0))
    root.draw(screen)
    row_y = table.rect.top + table.header_height + 60 * table.row_height - table.scroll
    sample = (table.rect.centerx, row_y + 2)
    assert tuple(screen.get_at(sample))[:3] == root.theme.row_highlight


def test_columns_follow_weights_and_alignment(root: UIRoot, screen: pygame.Surface) -> None:
    table = Table(COLUMNS, [["1", "x", "12345"]])
    open_table(root, table)
    root.draw(screen)
    spans = table.column_spans
    rank, player, score = (spans[title][1] for title in ("Rank", "Player", "Score"))
    assert abs(player - 3 * rank) <= 2 and abs(score - 2 * rank) <= 2
    assert table.drawn_row(0) == ("1", "x", "12345")
    # The right-aligned score ends one cell padding before the column's right edge: find
    # its rightmost text pixel in the row band.
    left, width = spans["Score"]
    top = table.rect.top + table.header_height
    band = [
        x for x in range(left, left + width) for y in range(top + 4, top + table.row_height - 4)
        if tuple(screen.get_at((x, y)))[:3] == root.theme.text
    ]
    assert band and left + width - 24 <= max(band) < left + width


def test_long_cells_are_cut_with_an_ellipsis(root: UIRoot, screen: pygame.Surface) -> None:
    table = Table([TableColumn("Name", 1), TableColumn("Score", 9)], [["a" * 200, "1"]])
    open_table(root, table)
    root.draw(screen)
    name, score = table.drawn_row(0) or ("", "")
    assert name.endswith("\u2026") and len(name) < 200 and score == "1"


def test_uncut_columns_widen_to_their_widest_cell(root: UIRoot, screen: pygame.Surface) -> None:
    columns = [TableColumn("Title", 5), TableColumn("Amount", 0.2, "right", cut=False)]
    table = Table(columns, [["Cup", "1,234,567,890.00"], ["Sprint", "5.00"]])
    open_table(root, table)
    root.draw(screen)
    assert table.drawn_row(0) == ("Cup", "1,234,567,890.00")  # a cut number lies
    table.set_rows([["Cup", "987,654,321,987,654.00"]])
    root.draw(screen)
    assert table.drawn_row(0) == ("Cup", "987,654,321,987,654.00")


def test_narrow_tables_drop_the_least_important_columns(screen: pygame.Surface) -> None:
    columns = [
        TableColumn("Tournament", 3, min_width=170, priority=10),
        TableColumn("Buy-in", 1, "right", cut=False, priority=6),
        TableColumn("Players", 1, "right", cut=False, priority=3),
        TableColumn("Ends in", 1, "right", cut=False, priority=4),
        TableColumn("Status", 1, cut=False, priority=8),
    ]
    rows = [["Daily Free Roll", "Free", "30 / 10,000", "21h 59m", "Closed"]]
    wide = UIRoot(size=(1280, 720))
    table = Table(columns, rows)
    open_table(wide, table)
    wide.draw(screen)
    assert table.shown_columns == ("Tournament", "Buy-in", "Players", "Ends in", "Status")

    pygame.display.set_mode((520, 400))
    small = UIRoot(size=(520, 400))
    narrow = Table(columns, rows)
    open_table(small, narrow)
    small.draw(pygame.display.get_surface())
    shown = narrow.shown_columns
    assert "Players" not in shown and shown[0] == "Tournament" and "Status" in shown
    drawn = narrow.drawn_row(0) or ()
    assert len(drawn) == len(shown)
    for title, text in zip(shown[1:], drawn[1:], strict=True):
        assert not text.endswith("\u2026"), (title, text)  # numbers and statuses are whole
    assert all(width >= 60 for _, width in narrow.column_spans.values())


def test_an_empty_table_draws_its_empty_text(root: UIRoot, screen: pygame.Surface) -> None:
    table = Table(COLUMNS, [], empty_text="No scores yet - be the first!")
    open_table(root, table)
    root.draw(screen)
    assert "No scores yet - be the first!" in root.drawn_texts()
    table.set_rows(leaderboard(3))
    root.draw(screen)
    texts = root.drawn_texts()
    assert "No scores yet - be the first!" not in texts and "player_002" in texts


def test_set_rows_replaces_data_and_repaints(root: UIRoot, screen: pygame.Surface) -> None:
    table = Table(COLUMNS, [])
    view = open_table(root, table)
    assert view.focused is view.close_button  # an empty list takes no focus
    root.draw(screen)
    table.set_rows(leaderboard(30), highlight=0)
    root.draw(screen)
    assert table.row_count == 30
    assert table.paint_count == len(table.visible_rows())


def test_custom_row_painter_list(root: UIRoot, screen: pygame.Surface) -> None:
    painted: list[int] = []

    def paint(canvas: pygame.Surface, rect: pygame.Rect, index: int, state: RowState) -> None:
        painted.append(index)
        text = state.style.render(f"Tournament {index}", "body", state.style.theme.text)
        canvas.blit(text, (rect.left + 8, rect.top + 4))

    items = ScrollList(1000, paint_row=paint, row_height=64)

    class ListView(View):
        def build(self) -> Widget:
            return Frame("Tournaments", items)

    root.open(ListView())
    root.draw(screen)
    assert painted == list(items.visible_rows())
    assert len(painted) < 15


def test_a_row_source_builds_rows_when_drawn_and_the_rest_over_frames(
    root: UIRoot, screen: pygame.Surface, monkeypatch: pytest.MonkeyPatch
) -> None:
    """5,000 rows from a source: the first frame builds only part of them, the rows on
    screen are drawn at once, every row is built within a bounded number of frames, and
    what is drawn is what an eager table draws for the same data."""
    # No time budget: one step of rows per frame, whatever the machine's speed.
    monkeypatch.setattr(table_module, "FILL_BUDGET_S", 0.0)
    data = leaderboard(5000)
    built: list[int] = []

    def build(index: int) -> list[str | Cell]:
        built.append(index)
        return data[index]

    table = Table(COLUMNS, natural_rows=8)
    open_table(root, table)
    table.set_row_source(len(data), build)
    assert table.row_count == 5000
    assert table.filling and len(set(built)) < 5000
    root.draw(screen)
    first = table.drawn_row(0)
    assert first == ("#1", "player_000", "10000")
    frames = 0
    while table.filling:
        root.update(1 / 60)
        root.draw(screen)
        frames += 1
        assert frames < 5000, "the rows were never all built"
    assert sorted(set(built)) == list(range(5000)) and len(built) == 5000  # each built once
    assert table.kept_rows < 100  # measured and dropped: the collector never walks 5,000
    table.scroll_to(table.max_scroll)
    root.draw(screen)
    assert table.drawn_row(4999) == ("#5000", "player_4999", str(10_000 - 4999 * 7))

    eager = Table(COLUMNS, natural_rows=8)
    other = UIRoot(size=root.size)
    open_table(other, eager)
    eager.set_rows(data)
    eager.scroll_to(eager.max_scroll)
    other.draw(screen)
    assert eager.column_spans == table.column_spans
    assert eager.drawn_row(4999) == table.drawn_row(4999)
    assert [list(row) for row in table.rows] == data


def test_scrolling_5000_rows_end_to_end_keeps_only_nearby_cells_rendered(
    root: UIRoot, screen: pygame.Surface
) -> None:
    table = Table(COLUMNS, leaderboard(5000), natural_rows=8)
    open_table(root, table)
    root.draw(screen)
    page = len(table.visible_rows())
    most = 0
    while table.scroll < table.max_scroll:
        table.scroll_by(page * table.row_height)
        root.draw(screen)
        most = max(most, table.rendered_cells)
    assert table.drawn_row(4999) == ("#5000", "player_4999", str(10_000 - 4999 * 7))
    # Five pages' worth at most (two each side of the visible one), not 15,000 surfaces.
    assert most <= 4 * 2 * (page + 1) * len(COLUMNS) + (page + 1) * len(COLUMNS)
    table.scroll_to(0)
    root.draw(screen)
    assert table.drawn_row(0) == ("#1", "player_000", "10000")  # forgotten cells come back


def test_replaced_rows_are_freed_a_few_hundred_a_frame(
    root: UIRoot, screen: pygame.Surface
) -> None:
    table = Table(COLUMNS, leaderboard(3000))
    open_table(root, table)
    root.draw(screen)
    table.set_rows(leaderboard(10))
    assert table.releasing == 3000  # not freed inside the call that replaced them
    frames = 0
    while table.releasing:
        root.update(1 / 60)
        frames += 1
    assert frames == 3000 // PER_FRAME
    assert table.row_count == 10
