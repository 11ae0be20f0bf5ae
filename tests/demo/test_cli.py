"""`python -m demo_game` as a real subprocess: autoplay, screenshot, summary, exit codes."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path

import pygame
import pytest

from tests.demo.helpers import REPO


def _summary_value(stdout: str, name: str) -> str:
    match = re.search(rf"^\s*{re.escape(name)}:\s*(.*)$", stdout, re.MULTILINE)
    assert match, f"no {name!r} line in:\n{stdout}"
    return match.group(1).strip()


def test_autoplay_run_exits_0_with_summary_and_screenshot(
        tmp_path: Path, subprocess_env: dict[str, str]) -> None:
    shot = tmp_path / "tmp.png"
    result = subprocess.run(
        [sys.executable, "-m", "demo_game", "--autoplay", "--frames", "600", "--screenshot",
         str(shot), "--seed", "1"],
        cwd=REPO, env=subprocess_env, capture_output=True, text=True, timeout=110,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "run summary" in result.stdout
    assert _summary_value(result.stdout, "frames") == "600"
    assert int(_summary_value(result.stdout, "score")) > 0
    assert int(_summary_value(result.stdout, "best")) > 0
    assert _summary_value(result.stdout, "scene") == "play"
    image = pygame.image.load(str(shot))
    assert image.get_size() == (1280, 720)
    colors = {image.get_at((x, y))[:3] for x in range(0, 1280, 16) for y in range(0, 720, 16)}
    assert len(colors) > 100, "screenshot looks blank"


def test_same_seed_same_game(subprocess_env: dict[str, str]) -> None:
    def score() -> str:
        result = subprocess.run(
            [sys.executable, "-m", "demo_game", "--autoplay", "--frames", "400", "--seed", "7",
             "--no-kgen"],
            cwd=REPO, env=subprocess_env, capture_output=True, text=True, timeout=60,
        )
        assert result.returncode == 0, result.stderr
        return _summary_value(result.stdout, "score")

    assert score() == score()


def test_without_kgen_says_so(subprocess_env: dict[str, str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "demo_game", "--frames", "5", "--no-kgen"],
        cwd=REPO, env=subprocess_env, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "the game runs without KGeN" in result.stderr
    assert "not used: switched off" in _summary_value(result.stdout, "kgen")


def test_no_audio_device_is_not_fatal(subprocess_env: dict[str, str]) -> None:
    env = dict(subprocess_env, SDL_AUDIODRIVER="no-such-audio-driver")
    result = subprocess.run(
        [sys.executable, "-m", "demo_game", "--autoplay", "--frames", "120", "--no-kgen"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "playing without sound" in result.stderr
    assert "run summary" in result.stdout


@pytest.mark.parametrize("args", [["--windowed", "big"], ["--frames", "-3"],
                                  ["--script", "nope"]])
def test_bad_arguments_are_clear_errors(args: list[str], subprocess_env: dict[str, str]) -> None:
    result = subprocess.run([sys.executable, "-m", "demo_game", *args], cwd=REPO,
                            env=subprocess_env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "error" in result.stderr
    assert "Traceback" not in result.stderr


def test_menu_tour_script_runs(subprocess_env: dict[str, str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "demo_game", "--script", "menu-tour", "--frames", "520",
         "--no-kgen", "--seed", "3"],
        cwd=REPO, env=subprocess_env, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert _summary_value(result.stdout, "scene") == "play"
    assert _summary_value(result.stdout, "rounds") == "1"


def test_ctrl_c_exits_cleanly(subprocess_env: dict[str, str]) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "demo_game", "--no-kgen", "-v", "--fps", "30"],
        cwd=REPO, env=subprocess_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert process.stderr is not None
        for line in process.stderr:  # wait until the game loop is up
            if "Comet Catcher running" in line:
                break
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode in (0, 130)
    assert "Traceback" not in stderr
    assert "run summary" in stdout


def _no_display_env(subprocess_env: dict[str, str]) -> dict[str, str]:
    """As on a machine with no window system: no DISPLAY, no Wayland, no SDL driver asked."""
    env = dict(subprocess_env)
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER"):
        env.pop(name, None)
    return env


@pytest.mark.skipif(not sys.platform.startswith("linux"),
                    reason="SDL falls back to its offscreen driver where it needs DISPLAY")
def test_without_a_display_it_says_so_and_exits(subprocess_env: dict[str, str]) -> None:
    result = subprocess.run([sys.executable, "-m", "demo_game"], cwd=REPO,
                            env=_no_display_env(subprocess_env), capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 1, result.stderr
    assert "error: no display" in result.stderr
    assert "--frames" in result.stderr and "SDL_VIDEODRIVER=dummy" in result.stderr
    assert "Traceback" not in result.stderr
    assert "run summary" not in result.stdout  # it never started a game


@pytest.mark.skipif(not sys.platform.startswith("linux"),
                    reason="SDL falls back to its offscreen driver where it needs DISPLAY")
@pytest.mark.parametrize("args", [["--frames", "20"], ["--autoplay", "--frames", "20"],
                                  ["--script", "menu-tour", "--frames", "20"],
                                  ["--screenshot", "SHOT", "--frames", "20"]])
def test_headless_flags_run_without_a_display(args: list[str], tmp_path: Path,
                                              subprocess_env: dict[str, str]) -> None:
    args = [str(tmp_path / "shot.png") if arg == "SHOT" else arg for arg in args]
    result = subprocess.run([sys.executable, "-m", "demo_game", "--no-kgen", *args], cwd=REPO,
                            env=_no_display_env(subprocess_env), capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert _summary_value(result.stdout, "frames") == "20"


def test_help_lists_the_controls_and_where_the_data_is(subprocess_env: dict[str, str]) -> None:
    from demo_game.controls import CONTROLS

    result = subprocess.run([sys.executable, "-m", "demo_game", "--help"], cwd=REPO,
                            env=subprocess_env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    for control in CONTROLS:
        assert control.what in text and control.keys in text, control
    for words in ("F1", "P, Esc", "M", "gamepad Start", "click the KGeN badge"):
        assert words in text
    game_dir = Path(subprocess_env["COMET_CATCHER_DATA_DIR"])
    assert str(game_dir / "profile.json") in text
    assert str(Path(subprocess_env["KGEN_DATA_DIR"])) in text
    assert "sandbox.sqlite3" in text
    assert str(game_dir / "fresh-player") in text


@pytest.mark.parametrize("args,env_api", [(["--api", "nope"], None), ([], "nope"),
                                          (["--api", "V1"], None)])
def test_unknown_api_generation_is_refused(args: list[str], env_api: str | None,
                                           subprocess_env: dict[str, str]) -> None:
    env = dict(subprocess_env)
    if env_api is not None:
        env["KGEN_API"] = env_api
    result = subprocess.run([sys.executable, "-m", "demo_game", "--frames", "5", *args],
                            cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "unknown API generation" in result.stderr
    assert "current, v1, legacy" in result.stderr
    assert "Traceback" not in result.stderr


def test_api_flag_reaches_the_plugin(subprocess_env: dict[str, str]) -> None:
    result = subprocess.run([sys.executable, "-m", "demo_game", "--frames", "5", "--api", "v1"],
                            cwd=REPO, env=subprocess_env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert _summary_value(result.stdout, "kgen").endswith("(api v1)")


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, "-m", "demo_game", "--frames", "30", *args],
                            cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result


def test_state_persists_and_fresh_runs_never_touch_it(subprocess_env: dict[str, str]) -> None:
    own_data = Path(subprocess_env["KGEN_DATA_DIR"])
    first = _run(subprocess_env)
    second = _run(subprocess_env)
    player = _summary_value(first.stdout, "player")
    assert _summary_value(second.stdout, "player") == player  # the same player again
    assert _summary_value(first.stdout, "kgen data") == str(own_data)
    saved = {p: p.read_bytes() for p in own_data.rglob("*") if p.is_file()}
    assert own_data / "gamer-id" in saved

    fresh_one = _run(subprocess_env, "--fresh")
    fresh_two = _run(subprocess_env, "--fresh")
    one = _summary_value(fresh_one.stdout, "player")
    two = _summary_value(fresh_two.stdout, "player")
    assert len({player, one, two}) == 3  # a new player every fresh run
    fresh_dir = Path(subprocess_env["COMET_CATCHER_DATA_DIR"]) / "fresh-player"
    assert _summary_value(fresh_two.stdout, "kgen data") == str(fresh_dir)
    assert f"new player {one}, KGeN data in {fresh_dir}" in fresh_one.stderr
    assert "emptied it first" not in fresh_one.stderr  # nothing was there yet
    assert "emptied it first" in fresh_two.stderr  # says what it removed
    assert "not touched" in fresh_two.stderr
    assert {p: p.read_bytes() for p in own_data.rglob("*") if p.is_file()} == saved
    assert _summary_value(_run(subprocess_env).stdout, "player") == player


def test_fresh_run_leaves_a_folder_it_did_not_make_alone(subprocess_env: dict[str, str]) -> None:
    stranger = Path(subprocess_env["COMET_CATCHER_DATA_DIR"]) / "fresh-player"
    stranger.mkdir(parents=True)
    (stranger / "notes.txt").write_text("mine", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "demo_game", "--frames", "5", "--fresh"],
                            cwd=REPO, env=subprocess_env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 1
    assert "was not made by a fresh run" in result.stderr
    assert (stranger / "notes.txt").read_text(encoding="utf-8") == "mine"
