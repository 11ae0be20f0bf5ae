"""Crash, outage and retry behaviour, with real processes.

The sandbox runs as its own process (``python -m kgen_pygame.sandbox``), the
game as another; the test kills and restarts them.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
GAME = Path(__file__).with_name("game_proc.py")
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}


class SandboxProcess:
    """The sandbox CLI in a subprocess, restartable on the same port and file."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.port = 0
        self.proc: subprocess.Popen[str] | None = None
        self.url = ""

    def start(self, *flags: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kgen_pygame.sandbox", "--port", str(self.port),
             "--db", str(self.db), *flags],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=ENV, cwd=ROOT,
        )
        assert self.proc.stdout is not None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            match = re.search(r"(http://127\.0\.0\.1:(\d+))", line)
            if match:
                self.url, self.port = match.group(1), int(match.group(2))
                return
            if not line and self.proc.poll() is not None:
                break
        raise AssertionError("the sandbox did not print its URL")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def keys(self, gamer_id: str) -> list[str]:
        data: Any = requests.get(
            f"{self.url}/_sandbox/events", params={"gamer_id": gamer_id, "limit": 10_000},
            timeout=10,
        ).json()
        items = data["events"] if isinstance(data, dict) else data
        return [item["idempotency_key"] for item in items]

    def faults(self, **faults: Any) -> None:
        requests.post(f"{self.url}/_sandbox/faults", json=faults, timeout=10).raise_for_status()


@pytest.fixture
def sandbox_proc(tmp_path: Path) -> Iterator[SandboxProcess]:
    proc = SandboxProcess(tmp_path / "sandbox.sqlite3")
    proc.start()
    yield proc
    proc.stop()


def _game(mode: str, sandbox: SandboxProcess, data_dir: Path, gamer: str, *extra: str
          ) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(GAME), mode, "--base-url", sandbox.url, "--data-dir", str(data_dir),
         "--gamer-id", gamer, *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV, cwd=ROOT,
    )


def _drain(sandbox: SandboxProcess, data_dir: Path, gamer: str, limit_s: int = 90) -> None:
    proc = _game("drain", sandbox, data_dir, gamer, "--limit-s", str(limit_s))
    out, err = proc.communicate(timeout=limit_s + 30)
    assert proc.returncode == 0, f"drain failed: {out} {err[-2000:]}"


def test_sigkill_during_heavy_tracking_loses_nothing(
    sandbox_proc: SandboxProcess, tmp_path: Path
) -> None:
    data_dir = tmp_path / "game"
    proc = _game("track", sandbox_proc, data_dir, "crash-1")
    assert proc.stdout is not None
    returned: list[str] = []
    while len(returned) < 3000:
        line = proc.stdout.readline()
        assert line, f"the game died early: {proc.stderr.read() if proc.stderr else ''}"
        returned.append(line.strip())
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    _drain(sandbox_proc, data_dir, "crash-1")
    keys = sandbox_proc.keys("crash-1")
    assert len(keys) == len(set(keys)), "an event was counted twice"
    missing = set(returned) - set(keys)
    assert not missing, f"{len(missing)} events returned by track_score were lost"


def test_outage_of_many_seconds_then_recovery_loses_nothing(
    sandbox_proc: SandboxProcess, tmp_path: Path
) -> None:
    data_dir = tmp_path / "game"
    proc = _game("track", sandbox_proc, data_dir, "outage-1", "--count", "400", "--limit-s", "1")
    out, _ = proc.communicate(timeout=120)
    first = out.split()
    sandbox_proc.stop()  # the server is gone for a while
    proc = _game("track", sandbox_proc, data_dir, "outage-1", "--count", "400", "--limit-s", "3")
    out, _ = proc.communicate(timeout=120)
    second = out.split()
    time.sleep(5)
    sandbox_proc.start()
    _drain(sandbox_proc, data_dir, "outage-1")
    keys = sandbox_proc.keys("outage-1")
    assert sorted(keys) == sorted(first + second)


def test_401_mid_stream_rebootstraps(tmp_path: Path) -> None:
    sandbox = SandboxProcess(tmp_path / "sandbox.sqlite3")
    sandbox.start("--token-ttl", "4")
    try:
        data_dir = tmp_path / "game"
        sent: list[str] = []
        for _ in range(3):
            proc = _game("track", sandbox, data_dir, "expiry-1", "--count", "50", "--limit-s", "10")
            out, err = proc.communicate(timeout=60)
            assert proc.returncode == 0, err[-2000:]
            sent += out.split()
            time.sleep(4.5)  # the stored token expires between launches / mid-stream
        _drain(sandbox, data_dir, "expiry-1")
        assert sorted(sandbox.keys("expiry-1")) == sorted(sent)
    finally:
        sandbox.stop()


def test_retry_after_a_server_side_success_does_not_double_count(
    sandbox_proc: SandboxProcess, tmp_path: Path
) -> None:
    # The server processes the event, then the reply is cut short: the client
    # retries with the same Idempotency-Key and the sandbox counts it once.
    sandbox_proc.faults(truncate_rate=0.5)
    data_dir = tmp_path / "game"
    proc = _game("track", sandbox_proc, data_dir, "retry-1", "--count", "60", "--limit-s", "20")
    out, _ = proc.communicate(timeout=120)
    sent = out.split()
    sandbox_proc.faults(truncate_rate=0.0)
    _drain(sandbox_proc, data_dir, "retry-1")
    keys = sandbox_proc.keys("retry-1")
    assert sorted(keys) == sorted(sent)
    stats = requests.get(f"{sandbox_proc.url}/_sandbox/records",
                         params={"gamer_id": "retry-1"}, timeout=10).json()
    assert stats["repeated_deliveries"] > 0, "the fault never caused a retry: test proves nothing"
