"""`python -m demo_game --script full-flow`: the whole KGeN flow, headless, then the sandbox's
own records.

The demo runs as a real subprocess against its embedded sandbox (a fresh database in a temp
KGEN_DATA_DIR; the SMS notice needs the embedded sandbox, see demo_game/full_flow.py). After it
exits, a sandbox server is started on the database file it left behind, and the test reads
GET /_sandbox/records and /_sandbox/events over HTTP: session, scores, claim, link, withdraw.
"""

from __future__ import annotations

import subprocess
import sys
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import pygame
import pytest
import requests

from tests.demo.helpers import REPO, summary_value

FLOW_SHOTS = ("choice", "play", "reward_hud", "rewards", "sms", "linked", "withdraw",
              "leaderboard", "history", "stats")
PANELS = {"menu", "rewards", "link", "withdraw", "leaderboard", "history", "stats"}


def _get(url: str, **params: str) -> Any:
    reply = requests.get(url, params=params, timeout=10)
    reply.raise_for_status()
    return reply.json(parse_float=Decimal)


def _looks_like_a_frame(path: Path) -> None:
    image = pygame.image.load(str(path))
    assert image.get_size() == (1280, 720), path
    colors = {image.get_at((x, y))[:3] for x in range(0, 1280, 16) for y in range(0, 720, 16)}
    assert len(colors) > 50, f"{path.name} looks blank"


@pytest.mark.timeout(240)
def test_full_flow_plays_through_and_the_sandbox_records_it(
        tmp_path: Path, subprocess_env: dict[str, str]) -> None:
    sandbox_module = pytest.importorskip("kgen_pygame.sandbox")
    env = dict(subprocess_env)
    for name in ("KGEN_BASE_URL", "KGEN_CLIENT_ID", "KGEN_CLIENT_SECRET"):
        env.pop(name, None)  # the embedded sandbox, never a developer's endpoint
    gamer_id = f"flow-test-{uuid.uuid4().hex[:10]}"
    env["KGEN_GAMER_ID"] = gamer_id
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    final = tmp_path / "tmp.png"
    shots = tmp_path / "shots"

    result = subprocess.run(
        [sys.executable, "-m", "demo_game", "--script", "full-flow", "--screenshot",
         str(final), "--flow-shots", str(shots)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=200,
    )

    output = f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert result.returncode == 0, output
    assert "Traceback" not in result.stderr, output
    out = result.stdout
    assert summary_value(out, "script").startswith("full-flow: finished"), output
    assert summary_value(out, "scene") == "game_over"
    assert summary_value(out, "rounds") == "1"
    assert summary_value(out, "kgen") == "KGeN online"
    score = int(summary_value(out, "score"))
    tracked = int(summary_value(out, "events tracked"))
    assert tracked >= 3  # matchJoined, score, matchResult at least
    assert int(summary_value(out, "events delivered")) == tracked
    assert set(summary_value(out, "panels visited").split(", ")) >= PANELS
    _looks_like_a_frame(final)
    for step in FLOW_SHOTS:
        _looks_like_a_frame(shots / f"demo_flow_{step}.png")
    _looks_like_a_frame(shots / "readme_flow.png")

    database = Path(env["KGEN_DATA_DIR"]) / "sandbox.sqlite3"
    assert database.exists(), "the embedded sandbox kept no database in KGEN_DATA_DIR"
    config = sandbox_module.SandboxConfig(db_path=database)
    with sandbox_module.SandboxServer(config) as sandbox:
        records = _get(f"{sandbox.url}/_sandbox/records", gamer_id=gamer_id)
        events = _get(f"{sandbox.url}/_sandbox/events", gamer_id=gamer_id)
        tournaments = _get(f"{sandbox.url}/_sandbox/tournaments")

    assert records["exists"], records
    assert records["sessions"] >= 1
    assert records["events"] == tracked  # each tracked event arrived exactly once
    assert records["score_events"] >= 1
    assert records["best_score"] == score
    assert records["participations"] == 1
    assert records["claims"] >= 1 and records["rewards_unclaimed"] == 0
    assert records["otp_requests"] == 1 and records["links"] == 1 and records["linked"]
    assert records["withdrawals"] == 1
    assert records["earned_balance"] == 0  # everything won was withdrawn
    assert records["bonus_balance"] == 50  # a free tournament: the welcome bonus is untouched

    scores = [e for e in events if "score" in e["kinds"]]
    played = {e["metadata"].get("tournamentId") for e in scores}
    assert len(played) == 1 and None not in played, played
    uid = played.pop()
    assert {"matchJoined", "score", "matchResult"} <= {k for e in events for k in e["kinds"]}
    ended = [t for t in tournaments if t["tournament_uid"] == uid]
    assert ended and ended[0]["tournament_status"] == "COMPLETED", ended
