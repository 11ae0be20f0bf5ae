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
