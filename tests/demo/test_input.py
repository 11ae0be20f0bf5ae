"""Window resizing, letterboxed mouse mapping, mouse steering and gamepads."""

from __future__ import annotations

import pygame
import pytest

from demo_game.controls import Action, InputState
from demo_game.scenes import PlayScene, TitleScene
from demo_game.viewport import Viewport
from tests.demo.helpers import AppFactory, key, steps


def test_resize_event_relays_out(make_app: AppFactory) -> None:
    app = make_app()
    app.step()
    assert app.viewport.rect == pygame.Rect(0, 0, 1280, 720)
    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=800, h=600, size=(800, 600)))
    app.step()
    assert pygame.display.get_surface().get_size() == (800, 600)
    assert app.viewport.rect == pygame.Rect(0, 75, 800, 450)  # bars above and below
    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=1000, h=400, size=(1000, 400)))
    app.step()
    rect = app.viewport.rect
    assert rect.height == 400 and abs(rect.centerx - 500) <= 1  # bars left and right now
    assert app.window.get_at((2, 200))[:3] != app.window.get_at((500, 200))[:3]


@pytest.mark.parametrize("size", [(1280, 720), (800, 600), (1000, 400), (1920, 1080)])
def test_viewport_round_trip(size: tuple[int, int]) -> None:
    view = Viewport(size)
    for point in [(0.0, 0.0), (640.0, 360.0), (1279.0, 719.0), (100.5, 600.25)]:
        back = view.to_canvas(view.to_window(point))
        assert back is not None
        assert abs(back[0] - point[0]) < 2.5 and abs(back[1] - point[1]) < 2.5


def test_viewport_bars_are_not_canvas() -> None:
    view = Viewport((800, 600))
    assert view.to_canvas((400, 10)) is None
    assert view.to_canvas((400, 590)) is None
    assert view.to_canvas((400, 300)) == pytest.approx((640.0, 360.0))


def test_mouse_click_under_letterbox_hits_the_button(make_app: AppFactory) -> None:
    app = make_app(window_size=(800, 600))
    app.step()
    scene = app.scene
    assert isinstance(scene, TitleScene)
    play_rect = scene.menu.rects()[0]
    quit_rect = scene.menu.rects()[-1]
    # A click on the bar straight above the button does nothing.
    bar_pos = (app.viewport.to_window(play_rect.center)[0], 30)
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=bar_pos, button=1))
    app.step()
    assert app.scene_name == "title"
    # Hovering QUIT focuses it; clicking PLAY (mapped through the letterbox) starts the game.
    hover = app.viewport.to_window(quit_rect.center)
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=hover, rel=(0, 0), buttons=(0,)))
    app.step()
    assert scene.menu.focused is not None and scene.menu.focused.label == "QUIT"
    target = app.viewport.to_window(play_rect.center)
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=target, rel=(0, 0),
                                         buttons=(0,)))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=target, button=1))
    app.step()
    assert app.scene_name == "tournament_choice"


def test_ship_follows_the_mouse(make_app: AppFactory) -> None:
    app = make_app(window_size=(800, 600))
    key(app, pygame.K_RETURN, "\r")
    key(app, pygame.K_RETURN, "\r")
    scene = app.scene
    assert isinstance(scene, PlayScene)
    start = pygame.Vector2(scene.world.ship.pos)
    goal_canvas = (start.x - 400, start.y + 200)
    pos = app.viewport.to_window(goal_canvas)
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(1, 1), buttons=(0,)))
    steps(app, 90)
    assert scene.world.ship.pos.distance_to(goal_canvas) < 30
    # A key press hands control back to the keyboard.
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RIGHT, mod=0, unicode="",
                                         scancode=0))
    steps(app, 30)
    assert scene.mouse_target is None
    assert scene.world.ship.vel.x > 100


def test_joystick_and_controller_buttons_confirm_menus(make_app: AppFactory) -> None:
    app = make_app()
    app.step()
    for event_type in (pygame.JOYBUTTONDOWN, pygame.JOYBUTTONUP):
        pygame.event.post(pygame.event.Event(event_type, instance_id=0, joy=0, button=0))
    app.step()
    assert app.scene_name == "tournament_choice"
    for event_type in (pygame.CONTROLLERBUTTONDOWN, pygame.CONTROLLERBUTTONUP):
        pygame.event.post(pygame.event.Event(event_type, instance_id=1,
                                             button=pygame.CONTROLLER_BUTTON_A))
    app.step()
    assert app.scene_name == "play"
    pygame.event.post(pygame.event.Event(pygame.CONTROLLERBUTTONDOWN, instance_id=1,
                                         button=pygame.CONTROLLER_BUTTON_START))
    app.step()
    scene = app.scene
    assert isinstance(scene, PlayScene) and scene.paused
    pygame.event.post(pygame.event.Event(pygame.JOYBUTTONDOWN, instance_id=0, joy=0, button=1))
    app.step()  # B on the pause menu resumes
    assert not scene.paused


def test_gamepad_b_goes_back_and_dpad_moves_focus(make_app: AppFactory) -> None:
    app = make_app()
    key(app, pygame.K_RETURN, "\r")
    assert app.scene_name == "tournament_choice"
    pygame.event.post(pygame.event.Event(pygame.CONTROLLERBUTTONDOWN, instance_id=2,
                                         button=pygame.CONTROLLER_BUTTON_B))
    app.step()
    assert app.scene_name == "title"
    scene = app.scene
    assert isinstance(scene, TitleScene)
    pygame.event.post(pygame.event.Event(pygame.JOYHATMOTION, instance_id=0, joy=0, hat=0,
                                         value=(0, -1)))
    app.step()
    assert scene.menu.focus == 1


def test_stick_moves_the_ship(make_app: AppFactory) -> None:
    app = make_app()
    key(app, pygame.K_RETURN, "\r")
    key(app, pygame.K_RETURN, "\r")
    scene = app.scene
    assert isinstance(scene, PlayScene)
    x0 = scene.world.ship.pos.x
    pygame.event.post(pygame.event.Event(pygame.CONTROLLERAXISMOTION, instance_id=3,
                                         axis=pygame.CONTROLLER_AXIS_LEFTX, value=-32767))
    steps(app, 30)
    assert scene.world.ship.pos.x < x0 - 100


def test_controller_events_win_over_duplicate_joystick_events() -> None:
    state = InputState()
    down = pygame.event.Event(pygame.CONTROLLERBUTTONDOWN, instance_id=4,
                              button=pygame.CONTROLLER_BUTTON_A)
    assert state.handle_event(down) == [Action.CONFIRM]
    duplicate = pygame.event.Event(pygame.JOYBUTTONDOWN, instance_id=4, joy=4, button=0)
    assert state.handle_event(duplicate) == []
    other_pad = pygame.event.Event(pygame.JOYBUTTONDOWN, instance_id=5, joy=5, button=0)
    assert state.handle_event(other_pad) == [Action.CONFIRM]


def test_stick_gives_one_menu_step_per_push() -> None:
    state = InputState()

    def axis(value: float) -> list[Action]:
        return state.handle_event(pygame.event.Event(pygame.JOYAXISMOTION, instance_id=0, joy=0,
                                                     axis=1, value=value))

    assert axis(0.9) == [Action.DOWN]
    assert axis(0.95) == []
    assert axis(0.5) == []  # still pushed (hysteresis)
    assert axis(0.0) == []
    assert axis(-0.8) == [Action.UP]
    assert state.movement().y == pytest.approx(-0.8)


def test_held_keys_come_from_events() -> None:
    state = InputState()
    state.handle_event(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_d, mod=0, unicode="d",
                                          scancode=0))
    state.handle_event(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_UP, mod=0, unicode="",
                                          scancode=0))
    move = state.movement()
    assert move.x > 0 and move.y < 0 and move.length() == pytest.approx(1.0)
    state.handle_event(pygame.event.Event(pygame.KEYUP, key=pygame.K_d, mod=0, unicode="",
                                          scancode=0))
    assert state.movement() == pygame.Vector2(0, -1)
    state.clear()
    assert state.movement() == pygame.Vector2(0, 0)
