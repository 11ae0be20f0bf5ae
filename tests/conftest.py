"""Shared test setup: headless SDL, no test touches the real keyring or data dirs, and
the plain sandbox fixture."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
# A developer's desktop keyring must never receive test tokens.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Any]:
    """A real sandbox on a free loopback port, with its own store (suites may override)."""
    from kgen_pygame.sandbox import SandboxConfig, SandboxServer

    server = SandboxServer(SandboxConfig(db_path=tmp_path / "sandbox.sqlite3"))
    server.start()
    yield server
    server.stop(5)
