"""Fixtures for the demo game tests: headless SDL, an App that always shuts down, helpers."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pytest

from demo_game.app import App, RunOptions
from tests.demo.helpers import REPO, AppFactory


@pytest.fixture
def make_app() -> Iterator[AppFactory]:
    """Build and start an App (KGeN off, no sound unless asked); shut it down after the test."""
    apps: list[App] = []

    def factory(**overrides: object) -> App:
        options = RunOptions(kgen=False, sound=False, seed=1)
        for key, value in overrides.items():
            setattr(options, key, value)
        app = App(options)
        app.start()
        apps.append(app)
        return app

    yield factory
    for app in apps:
        app.shutdown()


@pytest.fixture
def subprocess_env(tmp_path: Path) -> dict[str, str]:
    """Environment for running `python -m demo_game` headless, writing only under tmp_path."""
    env = dict(os.environ)
    env.update({
        "SDL_VIDEODRIVER": "dummy",
        "SDL_AUDIODRIVER": "dummy",
        "PYTHONPATH": str(REPO),
        "KGEN_DATA_DIR": str(tmp_path / "kgen-data"),
        "COMET_CATCHER_DATA_DIR": str(tmp_path / "game-data"),
        "KGEN_PLAINTEXT_TOKEN_FALLBACK": "1",
    })
    return env
