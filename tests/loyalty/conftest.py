"""Fixtures for the kgen-events tests: a real sandbox on loopback, the CLI run in-process."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kgen_pygame.api.client import KGenClient
from kgen_pygame.loyalty.cli import main
from kgen_pygame.sandbox import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET

ENV = ("KGEN_BASE_URL", "KGEN_API", "KGEN_CLIENT_ID", "KGEN_CLIENT_SECRET",
       "KGEN_ALLOW_INSECURE_HTTP")


@dataclass
class Run:
    """One run of ``kgen-events``: exit code, stdout, stderr."""

    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def events_env(monkeypatch: pytest.MonkeyPatch, sandbox: Any) -> Callable[..., None]:
    """Point the tool at the sandbox (or elsewhere) through the environment only."""

    def point(url: str | None = None, **values: str | None) -> None:
        for name in ENV:
            monkeypatch.delenv(name, raising=False)
        values = {"KGEN_BASE_URL": url or sandbox.url, "KGEN_CLIENT_ID": DEFAULT_CLIENT_ID,
                  "KGEN_CLIENT_SECRET": DEFAULT_CLIENT_SECRET, **values}
        for name, value in values.items():
            if value is not None:
                monkeypatch.setenv(name, value)

    point()
    return point


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    def invoke(*argv: str, answer: str = "") -> Run:
        capsys.readouterr()
        code = main(list(argv), stdin=io.StringIO(answer))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return invoke


@pytest.fixture
def server_events(sandbox: Any) -> Callable[[], list[Any]]:
    """What the sandbox holds now, read with the plugin's own client."""

    def read() -> list[Any]:
        with KGenClient(sandbox.url, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET) as client:
            return client.list_rewardable_events()

    return read


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
