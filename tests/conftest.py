"""Shared test setup: headless SDL, no test touches the real keyring or data dirs, and
the plain sandbox fixture."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
# A developer's desktop keyring must never receive test tokens.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
# Under pytest-xdist each worker keeps its own data folders: two workers' games with one
# game_id must never share an outbox.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER")
if _WORKER:
    for _name in ("KGEN_DATA_DIR", "COMET_CATCHER_DATA_DIR"):
        _base = os.environ.get(_name) or tempfile.mkdtemp(prefix=f"{_name.lower()}-")
        os.environ[_name] = os.path.join(_base, _WORKER)


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Any]:
    """A real sandbox on a free loopback port, with its own store (suites may override)."""
    from kgen_pygame.sandbox import SandboxConfig, SandboxServer

    server = SandboxServer(SandboxConfig(db_path=tmp_path / "sandbox.sqlite3"))
    server.start()
    yield server
    server.stop(5)
