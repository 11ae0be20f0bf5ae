"""Fixtures for the facade tests: a real sandbox on loopback and a real pygame display."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pygame
import pytest
import requests

from kgen_pygame.sandbox import DEFAULT_CLIENT_ID as SANDBOX_CLIENT_ID
from kgen_pygame.sandbox import DEFAULT_CLIENT_SECRET as SANDBOX_CLIENT_SECRET


@pytest.fixture
def display() -> Iterator[pygame.Surface]:
    pygame.init()
    surface = pygame.display.set_mode((1280, 720))
    yield surface
    pygame.quit()


@pytest.fixture(params=["current", "v1"])
def generation(request: pytest.FixtureRequest) -> str:
    """The API generation a facade test speaks: each runs on the current one and on v1."""
    return str(request.param)


@pytest.fixture
def make_kgen(
    tmp_path: Path, display: pygame.Surface, sandbox: Any, generation: str
) -> Iterator[Callable[..., Any]]:
    """Build KGen instances against the sandbox fixture; all are closed at teardown."""
    from kgen_pygame import KGen

    made: list[Any] = []

    def factory(**options: Any) -> Any:
        options.setdefault("api", generation)
        options.setdefault("base_url", sandbox.url)
        options.setdefault("client_id", SANDBOX_CLIENT_ID)
        options.setdefault("client_secret", SANDBOX_CLIENT_SECRET)
        options.setdefault("data_dir", tmp_path / "game")
        options.setdefault("game_id", "test-game")
        options.setdefault("overlays", False)
        kgen = KGen(**options)
        made.append(kgen)
        return kgen

    yield factory
    for kgen in made:
        kgen.close(timeout=3)


def pump(kgen: Any, until: Callable[[], bool], what: str, limit_s: float = 30.0) -> list[Any]:
    """Run frames (update + event queue) until ``until()``; returns the posted events."""
    seen: list[Any] = []
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        kgen.update(1 / 60)
        seen.extend(pygame.event.get())
        if until():
            return seen
        time.sleep(0.01)
    raise AssertionError(f"gave up waiting for {what}")


def sandbox_get(sandbox: Any, path: str, **params: Any) -> Any:
    reply = requests.get(f"{sandbox.url}{path}", params=params, timeout=10)
    reply.raise_for_status()
    return reply.json()


def sandbox_post(sandbox: Any, path: str, body: Any = None) -> Any:
    reply = requests.post(
        f"{sandbox.url}{path}", data=json.dumps(body or {}),
        headers={"Content-Type": "application/json"}, timeout=10,
    )
    reply.raise_for_status()
    return reply.json()


def join_free_tournament(kgen: Any) -> str:
    """Join the sandbox's free daily tournament (scores on the current API need one)."""
    pump(kgen, lambda: bool(kgen.active_tournaments), "live tournaments")
    free = next(t for t in kgen.active_tournaments if t.buy_in == 0)
    joined = kgen.join_tournament(free.uid)
    pump(kgen, lambda: joined.done, "joining the free tournament")
    assert joined.ok, joined.error
    return str(free.uid)


def event_keys(sandbox: Any, gamer_id: str) -> list[str]:
    """The Idempotency-Keys the sandbox stored for ``gamer_id``, each an event id.

    A score fanned out to several tournaments is stored once per tournament under
    ``<event id>:<tournament>``; this gives the event id back.
    """
    received = sandbox_get(sandbox, "/_sandbox/events", gamer_id=gamer_id, limit=10_000)
    items = received["events"] if isinstance(received, dict) else received
    return [str(item["idempotency_key"]).split(":")[0] for item in items]
