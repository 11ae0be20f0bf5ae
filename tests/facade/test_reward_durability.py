"""An achievement reaches the wallet exactly once across a SIGKILL of the game.

The sandbox and the game are separate processes (the harness of test_durability.py). The
game calls ``reward_event()`` and is SIGKILLed right after it returns, while the grant is
on the wire: the sandbox (holding the request on an injected latency) still pays it. The
restarted game finds the grant in its outbox and sends it again with the same
Idempotency-Key; the sandbox answers the replay from its record instead of paying again.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import requests

from kgen_pygame.api import KGenClient
from kgen_pygame.loyalty import apply_event_file
from kgen_pygame.sandbox import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET
from tests.facade.test_durability import ENV, GAME, ROOT, SandboxProcess

ACHIEVEMENTS = ROOT / "demo_game" / "achievements.toml"
LATENCY_MS = 3000


def _game(sandbox: SandboxProcess, data_dir: Path, gamer: str, mode: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(GAME), mode, "--base-url", sandbox.url, "--data-dir", str(data_dir),
         "--gamer-id", gamer, "--limit-s", "90"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=ENV, cwd=ROOT,
    )


def _grants(sandbox: SandboxProcess, gamer: str) -> tuple[int, int, Decimal]:
    """(loyalty rewards recorded, grant POSTs handled, earned balance) of the player."""
    records = sandbox.records(gamer)
    handled = int(records["deliveries"].get("loyalty_grant", 0))
    return int(records["loyalty_rewards"]), handled, Decimal(str(records["earned_balance"]))


def test_an_achievement_is_paid_exactly_once_across_a_sigkill(tmp_path: Path) -> None:
    sandbox = SandboxProcess(tmp_path / "sandbox.sqlite3")
    sandbox.start()
    try:
        with KGenClient(sandbox.url, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET) as client:
            result = apply_event_file(client, ACHIEVEMENTS)
            assert result.complete, result.error
            event_id = result.event_ids["comet-first-1000"]
            reward = client.get_rewardable_event(event_id).reward_amount
        gamer, data_dir = "sigkill-achiever", tmp_path / "game"

        game = _game(sandbox, data_dir, gamer, "reward")
        assert game.stdin is not None and game.stdout is not None
        assert game.stdout.readline().strip() == "ready", game.stderr.read()
        _, _, before = _grants(sandbox, gamer)
        sandbox.faults(latency_ms=LATENCY_MS)  # the grant will be held on the wire
        game.stdin.write(event_id + "\n")
        game.stdin.flush()
        returned = game.stdout.readline().strip()
        assert len(returned) >= 16, returned  # reward_event() returned: the grant is durable
        time.sleep(LATENCY_MS / 3000)  # pacing only: let the worker put it on the wire
        os.kill(game.pid, signal.SIGKILL)
        game.wait()

        # The sandbox finishes the held request (the game is gone): paid once.
        deadline = time.monotonic() + 30
        while _grants(sandbox, gamer)[1] < 1 and time.monotonic() < deadline:
            time.sleep(0.2)
        sandbox.faults(latency_ms=0)

        drain = _game(sandbox, data_dir, gamer, "drain")
        out, err = drain.communicate(timeout=120)
        assert drain.returncode == 0, f"{out} {err[-2000:]}"

        rewards, handled, after = _grants(sandbox, gamer)
        assert handled == 2, "the restarted game did not send the grant again: proves nothing"
        assert rewards == 1
        assert after - before == reward
        replays = requests.get(f"{sandbox.url}/_sandbox/deliveries",
                               params={"gamer_id": gamer}, timeout=10).json()
        grants = [d for d in _items(replays) if d["operation"] == "loyalty_grant"]
        assert [d["idempotency_key"] for d in grants] == [returned, returned]
        assert [bool(d["replayed"]) for d in grants] == [False, True]
    finally:
        sandbox.stop()


def _items(data: object) -> list[dict[str, object]]:
    if isinstance(data, dict):
        return list(data.get("deliveries", []))
    assert isinstance(data, list)
    return data
