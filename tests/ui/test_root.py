"""UIRoot: the view stack, what it consumes, dialogs, toasts, HUD, resizing, theming."""

from __future__ import annotations

import dataclasses

import pygame
import pytest
from ui_events import click, feed, post, press_key, type_text, wheel

from kgen_pygame.errors import ConfigurationError, UsageError
from kgen_pygame.ui import (
    Badge,
    Button,
    Column,
    ConfirmDialog,
    Frame,
    Label,
    ModalDialog,
    Row,
    Spinner,
    Table,
    TableColumn,
    TextField,
    Theme,
    UIRoot,
    View,
    Widget,
)


class SimpleView(View):
    def __init__(self, title: str = "Panel", *, pause: bool = True) -> None:
        super().__init__()
        self.title = title
        self.wants_pause = pause
        self.button = Button("OK", lambda: self.presses.append(1))
        self.presses: list[int] = []
        self.opened = 0
        self.closed = 0

    def build(self) -> Widget:
        return Frame(self.title, Column(Label("Hello"), self.button))

    def on_open(self) -> None:
        self.opened += 1

    def on_close(self) -> None:
        self.closed += 1


class EverythingView(View):
    """One of each widget, to check layout at several window sizes."""

    def build(self) -> Widget:
        self.table = Table(
            [TableColumn("Rank"), TableColumn("Player", 3), TableColumn("Score", 2, "right")],
            [[str(i), f"p{i}", str(i * 10)] for i in range(100)],
            highlight=10,
        )
        return Frame(
            "Everything",
            Column(
                Label("A long explanation that wraps over several lines " * 3, wrap=True),
                Row(TextField(label="Code", grow=1), Spinner("Loading")),
                self.table,
                Row(Button("Cancel"), Button("Go", kind="primary"), justify="end"),
            ),
            subtitle="Subtitle",
        )


def test_nothing_open_consumes_nothing(root: UIRoot, screen: pygame.Surface) -> None:
    press_key(pygame.K_ESCAPE)
    type_text("a")
    click((10, 10))
    post(pygame.JOYBUTTONDOWN, joy=0, instance_id=0, button=0)
    assert not any(consumed for _, consumed in feed(root))
    assert not root.is_open
    assert not root.wants_pause
    before = pygame.image.tobytes(screen, "RGB")
    root.draw(screen)
    assert pygame.image.tobytes(screen, "RGB") == before


def test_open_view_consumes_input_but_never_quit(root: UIRoot) -> None:
    root.open(SimpleView())
    custom = pygame.event.custom_type()
    press_key(pygame.K_a, unicode="a")
    type_text("a")
    wheel(1)
    post(pygame.JOYAXISMOTION, joy=0, instance_id=0, axis=3, value=0.1)
    post(pygame.CONTROLLERBUTTONUP, instance_id=0, button=pygame.CONTROLLER_BUTTON_X)
    post(pygame.QUIT)
    post(custom, result="reward claimed")
    post(pygame.WINDOWFOCUSLOST)
    results = feed(root)
    consumed = {event_type: flag for event_type, flag in results}
    assert consumed[pygame.KEYDOWN] and consumed[pygame.KEYUP] and consumed[pygame.TEXTINPUT]
    assert consumed[pygame.MOUSEWHEEL] and consumed[pygame.JOYAXISMOTION]
    assert consumed[pygame.CONTROLLERBUTTONUP]
    assert consumed[pygame.QUIT] is False
    assert consumed[custom] is False
    assert consumed[pygame.WINDOWFOCUSLOST] is False
    assert root.is_open


def test_wants_pause_follows_open_views(root: UIRoot) -> None:
    root.open(SimpleView(pause=False))
    assert root.is_open and not root.wants_pause
    root.push(SimpleView())
    assert root.wants_pause
    root.close_all()
    assert not root.wants_pause


def test_escape_on_a_pushed_view_goes_back_then_closes(root: UIRoot) -> None:
    closed: list[bool] = []
    root.on_closed = lambda: closed.append(True)
    first, second = SimpleView("First"), SimpleView("Second")
    root.open(first)
    root.push(second)
    assert root.top is second and not first.active
    press_key(pygame.K_ESCAPE)
    feed(root)
    assert root.top is first and first.active
    assert (second.opened, second.closed) == (1, 1)
    press_key(pygame.K_ESCAPE)
    feed(root)
    assert not root.is_open and closed == [True]


def test_events_after_the_overlay_closes_go_to_the_game(root: UIRoot) -> None:
    root.open(SimpleView())
    press_key(pygame.K_ESCAPE)  # closes on KEYDOWN
    type_text("x")
    results = feed(root)
    assert results[0] == (pygame.KEYDOWN, True)
    assert (pygame.TEXTINPUT, False) in results


def test_a_view_cannot_be_opened_twice(root: UIRoot) -> None:
    view = SimpleView()
    root.open(view)
    with pytest.raises(UsageError):
        root.push(view)


def test_modal_dialog_blocks_the_view_below(root: UIRoot, screen: pygame.Surface) -> None:
    view = SimpleView()
    root.open(view)
    confirmed: list[bool] = []
    dialog = root.confirm(
        "Withdraw?", "Send 20 KGeN to your wallet?", lambda: confirmed.append(True)
    )
    assert root.top is dialog and not view.active
    click(view.button.rect.center)  # the button under the dialog's dimmed layer
    feed(root)
    assert view.presses == []
    root.draw(screen)
    press_key(pygame.K_RETURN)  # the confirm button has focus
    feed(root)
    assert confirmed == [True]
    assert root.top is view and view.active


def test_dialog_escape_cancels(root: UIRoot) -> None:
    cancelled: list[bool] = []
    confirmed: list[bool] = []
    root.show_dialog(
        ConfirmDialog(
            "Leave?",
            "Progress is kept.",
            lambda: confirmed.append(True),
            on_cancel=lambda: cancelled.append(True),
            danger=True,
        )
    )
    post(pygame.CONTROLLERBUTTONDOWN, instance_id=0, button=pygame.CONTROLLER_BUTTON_B)
    feed(root)
    assert cancelled == [True] and confirmed == [] and not root.is_open


def test_danger_confirm_focuses_cancel(root: UIRoot) -> None:
    cancelled: list[bool] = []
    dialog = root.confirm(
        "Delete?", "Really?", lambda: None, on_cancel=lambda: cancelled.append(True), danger=True
    )
    assert dialog.focused is dialog.button_widgets[0]
    press_key(pygame.K_SPACE, unicode=" ")
    feed(root)
    assert cancelled == [True]


def test_alert_over_the_game_pauses_and_closes(root: UIRoot) -> None:
    dialog = root.alert("Offline", "Scores will sync when you are back online.")
    assert isinstance(dialog, ModalDialog) and root.wants_pause
    click(dialog.button_widgets[0].rect.center)
    feed(root)
    assert not root.is_open


def test_toasts_queue_and_dismiss_by_elapsed_time(root: UIRoot, screen: pygame.Surface) -> None:
    root.toasts.max_visible = 2
    first = root.toast("one", duration=1.0)
    root.toast("two", "success", duration=2.0)
    third = root.toast("three", "danger", duration=1.0)
    assert root.toasts.visible == [first, root.toasts.visible[1]]
    root.draw(screen)
    root.update(0.6)
    assert third.age == 0.0  # queued toasts do not age
    root.update(0.5)
    assert first not in root.toasts.visible
    assert third in root.toasts.visible
    root.update(1.0)
    root.update(1.0)
    assert len(root.toasts) == 0
    assert not root.is_open  # toasts never take input
    press_key(pygame.K_ESCAPE)
    assert feed(root) == [(pygame.KEYDOWN, False), (pygame.KEYUP, False)]


def test_toast_is_drawn(root: UIRoot, screen: pygame.Surface) -> None:
    screen.fill((0, 0, 0))
    before = pygame.image.tobytes(screen, "RGB")
    root.toast("Reward claimed", "success")
    root.update(0.5)
    root.draw(screen)
    assert pygame.image.tobytes(screen, "RGB") != before


@pytest.mark.parametrize("size", [(800, 600), (1280, 720), (1920, 1080), (640, 360)])
def test_layout_keeps_every_widget_inside_the_surface(size: tuple[int, int]) -> None:
    pygame.display.init()
    surface = pygame.Surface(size)
    root = UIRoot(size=size)
    view = EverythingView()
    root.open(view)
    root.draw(surface)
    bounds = surface.get_rect()
    assert view.content is not None
    for widget in view.content.walk():
        assert bounds.contains(widget.rect), (type(widget).__name__, widget.rect)
    frame = view.content
    assert isinstance(frame, Frame)
    assert bounds.contains(frame.panel)
    for widget in view.content.walk():
        if widget is not frame and widget.rect.width:
            assert frame.panel.contains(widget.rect), (type(widget).__name__, widget.rect)


def test_resize_relayouts_from_the_surface_size(root: UIRoot) -> None:
    view = EverythingView()
    root.open(view)
    big = pygame.Surface((1280, 720))
    root.draw(big)
    assert view.content is not None
    big_panel = view.content.rect.copy()
    small = pygame.Surface((800, 600))
    root.draw(small)
    assert root.size == (800, 600)
    assert small.get_rect().contains(view.table.rect)
    assert view.content.rect.size == (800, 600) != big_panel.size
    assert root.style.scale < 1.0


def test_videoresize_event_relayouts_and_passes_through(screen: pygame.Surface) -> None:
    root = UIRoot(size=(1280, 720))
    root.open(EverythingView())
    pygame.display.set_mode((800, 600))
    post(pygame.VIDEORESIZE, w=800, h=600, size=(800, 600))
    assert feed(root)[-1] == (pygame.VIDEORESIZE, False)
    assert root.size == (800, 600)


def test_theme_override_restyles(root: UIRoot, screen: pygame.Surface) -> None:
    view = SimpleView()
    root.open(view)
    root.draw(screen)
    root.theme = dataclasses.replace(root.theme, panel=(200, 30, 30), scale=1.25)
    screen.fill((0, 0, 0))
    root.draw(screen)
    assert view.content is not None and isinstance(view.content, Frame)
    assert tuple(screen.get_at(view.content.panel.center))[:3] == (200, 30, 30)
    assert root.style.scale == pytest.approx(1.25)


def test_theme_rejects_bad_values() -> None:
    with pytest.raises(ConfigurationError):
        Theme(accent=(300, 0, 0))
    with pytest.raises(ConfigurationError):
        Theme(backdrop=(0, 0, 0))  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError):
        Theme(font_body=0)
    with pytest.raises(ConfigurationError):
        Theme(scale=0)


def test_hud_badge_is_drawn_and_clickable_while_closed(
    root: UIRoot, screen: pygame.Surface
) -> None:
    opened: list[bool] = []
    badge = Badge("125.50 KGeN", tone="success", on_click=lambda: opened.append(True))
    root.set_hud(badge)
    screen.fill((0, 0, 0))
    root.draw(screen)
    assert screen.get_rect().contains(badge.rect) and badge.rect.width > 0
    assert badge.rect.right > screen.get_width() // 2  # top-right
    click(badge.rect.center)
    click((5, 700))
    results = feed(root)
    consumed = [flag for event_type, flag in results if event_type != pygame.MOUSEMOTION]
    assert consumed == [True, True, False, False]
    assert opened == [True]
    badge.set_text("130.00 KGeN")
    root.draw(screen)
    assert badge.text == "130.00 KGeN"


def test_closed_overlay_draw_cost_is_only_the_hud(root: UIRoot, screen: pygame.Surface) -> None:
    root.set_hud(Badge("KGeN"))
    root.draw(screen)
    misses = root.text.cache.misses
    for _ in range(10):
        root.update(1 / 60)
        root.draw(screen)
    assert root.text.cache.misses == misses


def test_a_failing_panel_callback_is_logged_not_raised(
    root: UIRoot, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> None:
        raise RuntimeError("panel bug")

    view = SimpleView()
    view.button.on_press = broken
    root.open(view)
    press_key(pygame.K_RETURN)  # the button has focus
    with caplog.at_level("ERROR", logger="kgen_pygame.ui.root"):
        results = feed(root)
    assert all(consumed for _, consumed in results)
    assert "panel bug" in caplog.text
    assert root.is_open
    press_key(pygame.K_ESCAPE)
    feed(root)
    assert not root.is_open
