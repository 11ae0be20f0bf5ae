"""Focus movement and activation from keyboard, mouse and both gamepad APIs."""

from __future__ import annotations

import pygame
from ui_events import click, feed, move_mouse, post, press_key

from kgen_pygame.ui import Button, Column, Frame, Row, Tabs, UIRoot, View, Widget


class ButtonsView(View):
    """Two rows of buttons:  [a] [b]  /  [c] [d]."""

    def __init__(self) -> None:
        super().__init__()
        self.pressed: list[str] = []
        self.a, self.b, self.c, self.d = (
            Button(name, lambda name=name: self.pressed.append(name)) for name in "abcd"
        )
        self.closed = False

    def build(self) -> Widget:
        return Frame("Buttons", Column(Row(self.a, self.b), Row(self.c, self.d)))

    def on_close(self) -> None:
        self.closed = True


def open_buttons(root: UIRoot) -> ButtonsView:
    view = ButtonsView()
    root.open(view)
    return view


def test_first_focusable_gets_focus(root: UIRoot) -> None:
    view = open_buttons(root)
    assert view.focused is view.a
    assert view.a.focused


def test_tab_and_shift_tab_cycle_in_order(root: UIRoot) -> None:
    view = open_buttons(root)
    seen = []
    for _ in range(4):
        press_key(pygame.K_TAB)
        feed(root)
        seen.append(view.focused)
    assert seen == [view.b, view.c, view.d, view.a]
    press_key(pygame.K_TAB, mod=pygame.KMOD_LSHIFT)
    feed(root)
    assert view.focused is view.d


def test_arrows_move_by_geometry(root: UIRoot) -> None:
    view = open_buttons(root)
    press_key(pygame.K_RIGHT)
    feed(root)
    assert view.focused is view.b
    press_key(pygame.K_DOWN)
    feed(root)
    assert view.focused is view.d
    press_key(pygame.K_LEFT)
    feed(root)
    assert view.focused is view.c
    press_key(pygame.K_UP)
    feed(root)
    assert view.focused is view.a
    press_key(pygame.K_UP)  # nothing above: focus stays
    feed(root)
    assert view.focused is view.a


def test_enter_and_space_activate_the_focused_button(root: UIRoot) -> None:
    view = open_buttons(root)
    press_key(pygame.K_RETURN)
    press_key(pygame.K_TAB)
    press_key(pygame.K_SPACE, unicode=" ")
    post(pygame.TEXTINPUT, text=" ")  # SDL also sends the space as text; a button ignores it
    feed(root)
    assert view.pressed == ["a", "b"]


def test_disabled_button_is_skipped_and_inert(root: UIRoot) -> None:
    view = open_buttons(root)
    view.b.enabled = False
    view.b.press()
    press_key(pygame.K_RIGHT)
    feed(root)
    assert view.focused is not view.b
    assert view.pressed == []


def test_mouse_click_down_and_up_on_the_same_button(root: UIRoot) -> None:
    view = open_buttons(root)
    click(view.c.rect.center)
    feed(root)
    assert view.pressed == ["c"]
    assert view.focused is view.c


def test_mouse_press_and_release_on_different_widgets_is_no_click(root: UIRoot) -> None:
    view = open_buttons(root)
    click(view.c.rect.center, up_pos=view.d.rect.center)
    click(view.a.rect.center, up_pos=(5, 5))
    feed(root)
    assert view.pressed == []


def test_mouse_hover_tracks_the_widget_under_the_pointer(root: UIRoot) -> None:
    view = open_buttons(root)
    move_mouse(view.b.rect.center)
    feed(root)
    assert view.b.hovered and not view.a.hovered
    move_mouse((3, 3))
    feed(root)
    assert not view.b.hovered


def test_joystick_button_a_activates_and_hat_moves(root: UIRoot) -> None:
    view = open_buttons(root)
    post(pygame.JOYHATMOTION, joy=0, instance_id=0, hat=0, value=(1, 0))
    post(pygame.JOYHATMOTION, joy=0, instance_id=0, hat=0, value=(0, 0))
    post(pygame.JOYBUTTONDOWN, joy=0, instance_id=0, button=0)
    post(pygame.JOYBUTTONUP, joy=0, instance_id=0, button=0)
    results = feed(root)
    assert view.focused is view.b
    assert view.pressed == ["b"]
    assert all(consumed for _, consumed in results)


def test_joystick_stick_moves_once_per_push_with_dead_zone(root: UIRoot) -> None:
    view = open_buttons(root)
    for value in (0.2, 0.6, 0.8, 0.95, 0.4):  # small drift, then one push held
        post(pygame.JOYAXISMOTION, joy=0, instance_id=0, axis=1, value=value)
    feed(root)
    assert view.focused is view.c
    post(pygame.JOYAXISMOTION, joy=0, instance_id=0, axis=1, value=0.0)
    post(pygame.JOYAXISMOTION, joy=0, instance_id=0, axis=1, value=-0.9)
    feed(root)
    assert view.focused is view.a


def test_held_stick_auto_repeats_through_update(root: UIRoot) -> None:
    view = open_buttons(root)
    post(pygame.JOYAXISMOTION, joy=0, instance_id=0, axis=0, value=1.0)
    feed(root)
    assert view.focused is view.b
    press_key(pygame.K_LEFT)
    feed(root)
    assert view.focused is view.a
    root.update(0.2)  # still within the repeat delay
    assert view.focused is view.a
    root.update(0.3)  # repeat fires
    assert view.focused is view.b


def test_controller_buttons_and_axis(root: UIRoot) -> None:
    view = open_buttons(root)
    post(pygame.CONTROLLERBUTTONDOWN, instance_id=3, button=pygame.CONTROLLER_BUTTON_DPAD_RIGHT)
    post(pygame.CONTROLLERBUTTONUP, instance_id=3, button=pygame.CONTROLLER_BUTTON_DPAD_RIGHT)
    post(pygame.CONTROLLERAXISMOTION, instance_id=3, axis=pygame.CONTROLLER_AXIS_LEFTY, value=32000)
    post(pygame.CONTROLLERAXISMOTION, instance_id=3, axis=pygame.CONTROLLER_AXIS_LEFTY, value=0)
    post(pygame.CONTROLLERBUTTONDOWN, instance_id=3, button=pygame.CONTROLLER_BUTTON_A)
    feed(root)
    assert view.focused is view.d
    assert view.pressed == ["d"]


def test_controller_and_joystick_events_for_one_pad_count_once(root: UIRoot) -> None:
    view = open_buttons(root)
    # A pad opened as a game controller reports every press twice.
    post(pygame.JOYBUTTONDOWN, joy=0, instance_id=5, button=0)
    post(pygame.CONTROLLERBUTTONDOWN, instance_id=5, button=pygame.CONTROLLER_BUTTON_A)
    feed(root)
    root.update(0.016)
    post(pygame.JOYBUTTONDOWN, joy=0, instance_id=5, button=0)
    post(pygame.CONTROLLERBUTTONDOWN, instance_id=5, button=pygame.CONTROLLER_BUTTON_A)
    feed(root)
    assert view.pressed == ["a", "a"]


def test_shoulder_buttons_tab_between_widgets(root: UIRoot) -> None:
    view = open_buttons(root)
    post(pygame.JOYBUTTONDOWN, joy=0, instance_id=0, button=5)
    post(pygame.CONTROLLERBUTTONDOWN, instance_id=1, button=pygame.CONTROLLER_BUTTON_LEFTSHOULDER)
    post(pygame.CONTROLLERBUTTONDOWN, instance_id=1, button=pygame.CONTROLLER_BUTTON_LEFTSHOULDER)
    feed(root)
    assert view.focused is view.d


def test_escape_and_gamepad_b_go_back(root: UIRoot) -> None:
    view = open_buttons(root)
    press_key(pygame.K_ESCAPE)
    feed(root)
    assert view.closed and not root.is_open
    view = open_buttons(root)
    post(pygame.JOYBUTTONDOWN, joy=0, instance_id=0, button=1)
    feed(root)
    assert view.closed
    view = open_buttons(root)
    post(pygame.CONTROLLERBUTTONDOWN, instance_id=9, button=pygame.CONTROLLER_BUTTON_B)
    feed(root)
    assert view.closed


def test_clicking_the_close_hint_closes_the_view(root: UIRoot) -> None:
    view = open_buttons(root)
    frame = view.content
    assert isinstance(frame, Frame)
    click(frame._close_rect.center)
    feed(root)
    assert view.closed


def test_focus_ring_drawn_for_keyboard_hidden_after_mouse(
    root: UIRoot, screen: pygame.Surface
) -> None:
    view = open_buttons(root)
    ring_pixel = view.a.rect.inflate(8, 8).midtop
    screen.fill((0, 0, 0))
    root.draw(screen)
    assert tuple(screen.get_at(ring_pixel))[:3] == root.theme.focus_ring
    click(view.b.rect.center)
    feed(root)
    screen.fill((0, 0, 0))
    root.draw(screen)
    assert tuple(screen.get_at(view.b.rect.inflate(8, 8).midtop))[:3] != root.theme.focus_ring
    press_key(pygame.K_TAB)
    feed(root)
    screen.fill((0, 0, 0))
    root.draw(screen)
    assert tuple(screen.get_at(view.c.rect.inflate(8, 8).midtop))[:3] == root.theme.focus_ring


class TabsView(View):
    def __init__(self) -> None:
        super().__init__()
        self.changes: list[int] = []
        self.tabs = Tabs(["All", "Received", "Sent"], self.changes.append)
        self.below = Button("Below")

    def build(self) -> Widget:
        return Frame("Tabs", Column(self.tabs, self.below))


def test_tabs_switch_with_arrows_gamepad_and_clicks(root: UIRoot) -> None:
    view = TabsView()
    root.open(view)
    press_key(pygame.K_RIGHT)
    press_key(pygame.K_RIGHT)
    press_key(pygame.K_RIGHT)  # already last: nothing changes
    feed(root)
    assert view.tabs.selected == 2 and view.changes == [1, 2]
    post(pygame.CONTROLLERBUTTONDOWN, instance_id=0, button=pygame.CONTROLLER_BUTTON_A)
    feed(root)
    assert view.tabs.selected == 0  # A steps through the options, wrapping
    click(view.tabs._segments[1].center)
    feed(root)
    assert view.tabs.selected == 1
    press_key(pygame.K_DOWN)
    feed(root)
    assert view.focused is view.below


def test_close_hint_follows_the_last_device(root: UIRoot, screen: pygame.Surface) -> None:
    view = open_buttons(root)
    frame = view.content
    assert isinstance(frame, Frame)
    screen.fill((0, 0, 0))
    root.draw(screen)
    keyboard = screen.subsurface(frame._keycap).copy()
    post(pygame.JOYHATMOTION, joy=0, instance_id=0, hat=0, value=(0, -1))
    feed(root)
    screen.fill((0, 0, 0))
    root.draw(screen)
    gamepad = screen.subsurface(frame._keycap).copy()
    assert pygame.image.tobytes(keyboard, "RGB") != pygame.image.tobytes(gamepad, "RGB")


def test_widgets_inside_a_hidden_row_take_no_focus(root: UIRoot) -> None:
    view = open_buttons(root)
    frame = view.content
    assert isinstance(frame, Frame) and isinstance(frame.content, Column)
    frame.content.children()[1].visible = False  # the row holding c and d
    for _ in range(3):
        press_key(pygame.K_TAB)
    feed(root)
    assert view.focused in (view.a, view.b)
    click(view.c.rect.center)  # hidden: not clickable either
    feed(root)
    assert view.pressed == []
