"""Real posted events drive the game through every scene, in-process."""

from __future__ import annotations

import pygame

from demo_game import config
from demo_game.scenes import PlayScene
from tests.demo.helpers import AppFactory, key, steps


def _finish_round_now(app: object) -> None:
    """Jump the clock to the end of the round (the rest happens through normal frames)."""
    scene = app.scene  # type: ignore[attr-defined]
    assert isinstance(scene, PlayScene)
    scene.world.elapsed = config.ROUND_SECONDS - 0.01


def test_keyboard_drives_title_choice_play_game_over_and_restart(make_app: AppFactory) -> None:
    app = make_app()
    app.step()
    assert app.scene_name == "title"
    key(app, pygame.K_RETURN, "\r")
    assert app.scene_name == "tournament_choice"
    key(app, pygame.K_RETURN, "\r")  # Practice is the first card
    assert app.scene_name == "play"
    assert app.ctx.rounds_started == 1
    _finish_round_now(app)
    steps(app, 200)  # slow motion, "TIME UP!" banner, then the results
    assert app.scene_name == "game_over"
    assert app.ctx.last_result is not None
    assert app.ctx.last_result.reason == "time up"
    key(app, pygame.K_RETURN, "\r")  # play again
    assert app.scene_name == "play"
    assert app.ctx.rounds_started == 2


def test_escape_walks_back_to_title_and_quits(make_app: AppFactory) -> None:
    app = make_app()
    key(app, pygame.K_RETURN, "\r")
    key(app, pygame.K_ESCAPE)
    assert app.scene_name == "title"
    key(app, pygame.K_ESCAPE)
    assert not app.running
    assert app.step() is False


def test_pause_menu_freezes_play_and_can_quit_to_title(make_app: AppFactory) -> None:
    app = make_app()
    key(app, pygame.K_RETURN, "\r")
    key(app, pygame.K_RETURN, "\r")
    steps(app, 10)
    scene = app.scene
    assert isinstance(scene, PlayScene)
    key(app, pygame.K_p, "p")
    assert scene.paused
    frozen = scene.world.elapsed
    steps(app, 30)
    assert scene.world.elapsed == frozen
    key(app, pygame.K_p, "p")
    assert not scene.paused
    steps(app, 5)
    assert scene.world.elapsed > frozen
    key(app, pygame.K_ESCAPE)  # Esc pauses too
    assert scene.paused
    for _ in range(2):
        key(app, pygame.K_DOWN)  # RESUME -> RESTART -> QUIT TO TITLE
    key(app, pygame.K_RETURN, "\r")
    assert app.scene_name == "title"


def test_game_over_after_last_life(make_app: AppFactory) -> None:
    app = make_app()
    key(app, pygame.K_RETURN, "\r")
    key(app, pygame.K_RETURN, "\r")
    scene = app.scene
    assert isinstance(scene, PlayScene)
    scene.world.lives = 1
    for _ in range(2000):
        if scene.world.over:
            break
        # Park the ship on the nearest comet that is on screen.
        comets = [c for c in scene.world.comets if scene.world.bounds.collidepoint(c.pos)]
        if comets:
            scene.world.ship.pos.update(comets[0].pos)
        app.step()
    assert scene.world.end_reason == "out of lives"
    steps(app, 200)
    assert app.scene_name == "game_over"
    key(app, pygame.K_ESCAPE)
    assert app.scene_name == "title"


def test_autoplay_bot_scores(make_app: AppFactory) -> None:
    app = make_app(autoplay=True, frames=600)
    while app.step():
        pass
    summary = app.shutdown()
    assert summary.frames == 600
    assert summary.scene == "play"
    assert summary.score > 0
    assert "Comet Catcher - run summary" in summary.format()


def test_new_best_is_remembered_between_rounds(make_app: AppFactory) -> None:
    app = make_app(autoplay=True)
    for _ in range(3000):
        app.step()
        if app.scene_name == "play" and app.ctx.current_score > 0:
            break
    _finish_round_now(app)
    for _ in range(300):
        app.step()
        if app.scene_name == "game_over":
            break
    result = app.ctx.last_result
    assert result is not None and result.score > 0
    assert result.new_best
    assert app.ctx.profile.best == result.score


def test_menu_tour_script_visits_pause(make_app: AppFactory) -> None:
    app = make_app(script="menu-tour")
    seen: list[tuple[str, bool]] = []
    for _ in range(520):
        app.step()
        scene = app.scene
        state = (scene.name, isinstance(scene, PlayScene) and scene.paused)
        if not seen or seen[-1] != state:
            seen.append(state)
    assert seen[0] == ("title", False)
    assert ("tournament_choice", False) in seen
    assert ("play", True) in seen
    assert seen[-1] == ("play", False)
    assert app.script is not None and app.script.done


def test_losing_window_focus_pauses_play(make_app: AppFactory) -> None:
    app = make_app()
    key(app, pygame.K_RETURN, "\r")
    key(app, pygame.K_RETURN, "\r")
    scene = app.scene
    assert isinstance(scene, PlayScene) and not scene.paused
    pygame.event.post(pygame.event.Event(pygame.WINDOWFOCUSLOST, window=None))
    app.step()
    assert scene.paused


def test_flow_script_waits_for_scenes(make_app: AppFactory) -> None:
    from demo_game import scripts

    app = make_app()
    flow = scripts.Flow([
        scripts.until_scene("title"),
        scripts.wait(5),
        scripts.press(pygame.K_RETURN, "\r"),
        scripts.until_scene("tournament_choice"),
        scripts.click_canvas((640, 208)),  # the Practice card
        scripts.until_scene("play"),
        scripts.press(pygame.K_p, "p"),
    ], timeout_frames=300)
    app.script = flow
    for _ in range(60):
        app.step()
        if flow.done:
            break
    app.step()
    assert flow.done and not flow.failed
    scene = app.scene
    assert isinstance(scene, PlayScene) and scene.paused
