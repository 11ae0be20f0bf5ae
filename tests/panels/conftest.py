"""Fixtures for the overlay tests: a real sandbox on loopback, a real display, real KGen.

Each test gets its own sandbox (SQLite file under ``tmp_path``) and drives the
overlays with posted pygame events through :class:`driver.Driver`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pygame
import pytest
from driver import Driver

from kgen_pygame.sandbox import DEFAULT_CLIENT_ID as SANDBOX_CLIENT_ID
from kgen_pygame.sandbox import DEFAULT_CLIENT_SECRET as SANDBOX_CLIENT_SECRET

#: The resend cooldown stays at 30 s (the resend tests need one): tests move the
#: sandbox clock and feed the overlay a long frame instead of waiting.
SANDBOX_OPTIONS: dict[str, Any] = {
    "otp_resend_cooldown_s": 30.0,
    "min_withdraw": Decimal("20"),
    "chain_sync_delay_s": 0.0,
}


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Any]:
    from kgen_pygame.sandbox import SandboxConfig, SandboxServer

    server = SandboxServer(SandboxConfig(db_path=tmp_path / "sandbox.sqlite3", **SANDBOX_OPTIONS))
    server.start()
    yield server
    server.stop(5)


@pytest.fixture
def display() -> Iterator[pygame.Surface]:
    pygame.init()
    surface = pygame.display.set_mode((1280, 720))
    pygame.event.clear()
    yield surface
    pygame.quit()


@pytest.fixture
def make_driver(
    tmp_path: Path, display: pygame.Surface, sandbox: Any
) -> Iterator[Callable[..., Driver]]:
    """Build a KGen against the sandbox and a Driver for it; closed at teardown."""
    from kgen_pygame import KGen

    made: list[Any] = []

    def factory(gamer_id: str = "player-one", **options: Any) -> Driver:
        options.setdefault("base_url", sandbox.url)
        options.setdefault("client_id", SANDBOX_CLIENT_ID)
        options.setdefault("client_secret", SANDBOX_CLIENT_SECRET)
        options.setdefault("data_dir", tmp_path / f"game-{gamer_id}")
        options.setdefault("game_id", "panel-tests")
        kgen = KGen(gamer_id=gamer_id, **options)
        made.append(kgen)
        return Driver(kgen, sandbox.url)

    yield factory
    for kgen in made:
        kgen.close(timeout=2)


@pytest.fixture
def drive(make_driver: Callable[..., Driver]) -> Driver:
    """A Driver whose session and balance are ready."""
    driver = make_driver()
    driver.ready()
    return driver


@pytest.fixture
def embedded(tmp_path: Path, display: pygame.Surface) -> Iterator[Driver]:
    """A KGen on its embedded sandbox (no KGeN address given), ready: ``state.sandbox`` is
    True and the sandbox "texts" its codes as SANDBOX_SMS events."""
    from kgen_pygame import KGen

    kgen = KGen(gamer_id="player-one", data_dir=tmp_path / "game", game_id="panel-tests")
    driver = Driver(kgen)
    driver.ready()
    yield driver
    kgen.close(timeout=2)
