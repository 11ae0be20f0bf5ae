"""`python -m demo_game --script full-flow --fast`: the whole KGeN flow, headless, then the
sandbox's own records.

The demo runs as a real subprocess against its embedded sandbox, on each API generation of
FLOW_GENERATIONS, and once more through the session broker (`--broker`: a local sandbox and
kgen-broker, the game given only their URLs). The flow always plays a fresh player, in the
fresh-run folder inside COMET_CATCHER_DATA_DIR (see demo_game/saved_data.py), so before it
runs, the developer's own player is made with a short ordinary run: the flow must leave it
alone. After the flow exits, a sandbox server is started on the database file it left behind,
and the test reads GET /_sandbox/records and /_sandbox/events over HTTP: session, scores,
claim, link, withdraw, and on the current generation each achievement's grant, exactly once.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pygame
import pytest
import requests

from kgen_pygame.api import KGenClient
from tests.demo.helpers import REPO, summary_value

FLOW_SHOTS = ("choice", "play", "reward_hud", "rewards", "sms", "linked", "withdraw",
              "leaderboard", "history", "stats")
PANELS = {"menu", "rewards", "link", "withdraw", "leaderboard", "history", "stats"}

#: The API generations the full flow runs on in CI (about 30 s each with --fast).
FLOW_GENERATIONS = ("current", "v1")
#: (generation, through the broker): each generation on the embedded sandbox, and the
#: default generation through a local kgen-broker.
FLOW_CASES = [*((api, False) for api in FLOW_GENERATIONS), ("current", True)]


def _get(url: str, **params: str) -> Any:
    reply = requests.get(url, params=params, timeout=10)
    reply.raise_for_status()
    return reply.json(parse_float=Decimal)


def _items(data: Any) -> list[dict[str, Any]]:
    return list(data.get("deliveries", [])) if isinstance(data, dict) else list(data)


def _looks_like_a_frame(path: Path) -> None:
    image = pygame.image.load(str(path))
    assert image.get_size() == (1280, 720), path
    colors = {image.get_at((x, y))[:3] for x in range(0, 1280, 16) for y in range(0, 720, 16)}
    assert len(colors) > 50, f"{path.name} looks blank"


def _fingerprint(folder: Path) -> dict[str, str]:
    """Every file under `folder` with a hash of its bytes."""
    return {str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.mark.timeout(300)
@pytest.mark.parametrize(("api", "broker"), FLOW_CASES,
                         ids=[f"{api}{'-broker' if broker else ''}" for api, broker in FLOW_CASES])
def test_full_flow_plays_through_and_the_sandbox_records_it(
        api: str, broker: bool, tmp_path: Path, subprocess_env: dict[str, str]) -> None:
    import kgen_pygame.sandbox as sandbox_module  # a broken import fails, never skips
    env = dict(subprocess_env)
    for name in ("KGEN_BASE_URL", "KGEN_CLIENT_ID", "KGEN_CLIENT_SECRET", "KGEN_GAMER_ID"):
        env.pop(name, None)  # the embedded sandbox, never a developer's endpoint
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    env["KGEN_API"] = api
    own_data = Path(env["KGEN_DATA_DIR"])

    # The developer's own player, as an ordinary run leaves it.
    own = subprocess.run([sys.executable, "-m", "demo_game", "--frames", "90"], cwd=REPO,
                         env=env, capture_output=True, text=True, timeout=60)
    assert own.returncode == 0, own.stderr
    own_player = summary_value(own.stdout, "player")
    assert summary_value(own.stdout, "kgen data") == str(own_data)
    before = _fingerprint(own_data)
    assert "gamer-id" in before and "sandbox.sqlite3" in before

    final = tmp_path / "tmp.png"
    shots = tmp_path / "shots"
    result = subprocess.run(
        [sys.executable, "-m", "demo_game", "--script", "full-flow", "--fast", "--screenshot",
         str(final), "--flow-shots", str(shots), *(["--broker"] if broker else [])],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=240,
    )

    output = f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert result.returncode == 0, output
    assert "Traceback" not in result.stderr, output
    out = result.stdout
    assert summary_value(out, "script").startswith("full-flow: finished"), output
    assert summary_value(out, "scene") == "game_over"
    assert summary_value(out, "rounds") == "1"
    via = ", through the broker" if broker else ""
    assert summary_value(out, "kgen") == f"KGeN online (api {api}{via})"
    score = int(summary_value(out, "score"))
    tracked = int(summary_value(out, "events tracked"))
    assert tracked >= 3  # matchJoined, score, matchResult at least
    assert int(summary_value(out, "events delivered")) == tracked
    assert set(summary_value(out, "panels visited").split(", ")) >= PANELS
    # One toast per action: the plugin's panels toast claim, link and withdraw, so the game's
    # own notices are the reward (the plugin shows none) and the sandbox SMS, nothing more.
    notices = summary_value(out, "notices").split(" | ")
    rewards = [n for n in notices if n.endswith("to claim!")]
    sms = [n for n in notices if n.startswith("SMS to ")]
    assert rewards and sms and len(rewards) + len(sms) == len(notices), notices
    _looks_like_a_frame(final)
    achievements = summary_value(out, "achievements")
    earned = [] if achievements == "none" else achievements.split(", ")
    if api == "current":  # loyalty exists only there
        assert "comet-first-1000" in earned, output  # the bot scores well over 1,000
        assert "earned" in summary_value(out, "panels visited").split(", ")
        _looks_like_a_frame(shots / "demo_flow_earned.png")
    else:
        assert earned == [], output
    for step in FLOW_SHOTS:
        _looks_like_a_frame(shots / f"demo_flow_{step}.png")
    _looks_like_a_frame(shots / "readme_flow.png")

    # A fresh player in the fresh-run folder; the developer's player is untouched.
    player = summary_value(out, "player")
    assert player != own_player
    fresh_data = Path(summary_value(out, "kgen data"))
    assert fresh_data == Path(env["COMET_CATCHER_DATA_DIR"]) / "fresh-player"
    if broker:  # the broker names the player from the fresh install's device key
        assert player.startswith("dk_") and "--broker: a local sandbox on" in result.stderr
        assert "client_secret" not in result.stderr + out
    else:
        assert f"new player {player}" in result.stderr
    assert _fingerprint(own_data) == before

    database = fresh_data / "sandbox.sqlite3"
    assert database.exists(), "the embedded sandbox kept no database in the fresh-run folder"
    config = sandbox_module.SandboxConfig(db_path=database)
    with sandbox_module.SandboxServer(config) as sandbox:
        records = _get(f"{sandbox.url}/_sandbox/records", gamer_id=player)
        events = _get(f"{sandbox.url}/_sandbox/events", gamer_id=player)
        tournaments = _get(f"{sandbox.url}/_sandbox/tournaments")
        deliveries = _get(f"{sandbox.url}/_sandbox/deliveries", gamer_id=player)
        if api == "current":
            with KGenClient(sandbox.url, config.client_id, config.client_secret) as client:
                token = client.create_session(player).token
                paid = client.earned_rewards(token)
                registered = {e.event_id: e for e in client.list_rewardable_events()}

    assert records["exists"], records
    assert records["sessions"] >= 1
    if api == "v1":
        assert records["events"] == tracked  # each tracked event arrived exactly once
    else:  # scores are score posts; match and level events px-tracker drops (C23); grants
        assert records["score_posts"] + records["px_drops"] + len(earned) == tracked
        assert records["px_drops"] >= 2  # matchJoined, matchResult at least
    assert records["score_events"] >= 1
    assert records["best_score"] == score
    assert records["participations"] == 1
    assert records["claims"] >= 1 and records["rewards_unclaimed"] == 0
    # Linked from scratch with the OTP (a fresh player), never "already linked".
    assert records["otp_requests"] == 1 and records["links"] == 1 and records["linked"]
    assert records["withdrawals"] == 1
    assert records["earned_balance"] == 0  # everything won was withdrawn
    assert records["bonus_balance"] == 50  # a free tournament: the welcome bonus is untouched

    scores = [e for e in events if "score" in e["kinds"]]
    named = "tournamentUID" if api == "current" else "tournamentId"  # C17
    played = {e["metadata"].get(named) for e in scores}
    assert len(played) == 1 and None not in played, played
    uid = played.pop()
    if api == "v1":
        assert {"matchJoined", "score", "matchResult"} <= {k for e in events for k in e["kinds"]}
    # Each achievement earned was paid exactly once: one reward, one grant delivery per key.
    assert records["loyalty_rewards"] == len(earned)
    grants = [d for d in _items(deliveries) if d["operation"] == "loyalty_grant"]
    assert len({d["idempotency_key"] for d in grants}) == len(earned)
    if api == "current":
        assert sorted(registered[r.event_id].event_type for r in paid) == sorted(earned)
        assert all(r.amount == registered[r.event_id].reward_amount for r in paid)
    ended = [t for t in tournaments if t["tournament_uid"] == uid]
    assert ended and ended[0]["tournament_status"] == "COMPLETED", ended
