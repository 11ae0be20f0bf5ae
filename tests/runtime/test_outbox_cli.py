"""kgen-outbox: status, dead letters and requeue on a real outbox file, as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from kgen_pygame.runtime.outbox import OUTBOX_FILENAME, CaptureHandle, DeliveryHandle

FAR_FUTURE_MS = 2**60


def run(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KGEN_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "kgen_pygame.runtime.outbox.cli", *args],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )


def make_outbox(data_dir: Path) -> list[str]:
    path = data_dir / OUTBOX_FILENAME
    with CaptureHandle(path) as capture:
        ids = [capture.add("reward", f"event-{n}") for n in range(3)]
        capture.add("score", 10)
    with DeliveryHandle(path) as delivery:
        delivery.dead_letter(ids[0], 404, "404 EVENT_NOT_FOUND: no such rewardable event")
        delivery.dead_letter(ids[1], 422, "422 VALIDATION_ERROR: inactive")
    return ids


def test_status_and_dead_letters_say_what_the_outbox_holds(tmp_path: Path) -> None:
    ids = make_outbox(tmp_path)
    status = run("--json", "status", data_dir=tmp_path)
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout) | {"oldest_pending_ms": None} == {
        "pending": 2, "oldest_pending_ms": None, "dead_letters": 2, "dropped": {},
    }
    dead = run("dead", data_dir=tmp_path)
    assert dead.returncode == 0
    assert ids[0] in dead.stdout and "EVENT_NOT_FOUND" in dead.stdout and " 404 " in dead.stdout
    assert json.loads(run("--json", "dead", "--limit", "1", data_dir=tmp_path).stdout)[0][
        "event_id"
    ] == ids[1]


def test_requeue_puts_dead_letters_back_with_their_ids(tmp_path: Path) -> None:
    ids = make_outbox(tmp_path)
    one = run("requeue", ids[0], data_dir=tmp_path)
    assert one.returncode == 0 and "requeued 1 event(s)" in one.stdout
    every = run("--json", "requeue", "--all", data_dir=tmp_path)
    assert json.loads(every.stdout) == {"requeued": 1}
    with DeliveryHandle(tmp_path / OUTBOX_FILENAME) as delivery:
        pending = {event.event_id for event in delivery.due(FAR_FUTURE_MS, 10)}
        assert set(ids) <= pending
        assert delivery.report().dead_letter_count == 0


def test_wrong_usage_and_a_missing_outbox_have_their_own_exit_codes(tmp_path: Path) -> None:
    assert run("status", data_dir=tmp_path / "nowhere").returncode == 1
    both = run("requeue", "--all", "some-id", data_dir=tmp_path)
    assert both.returncode == 2 and "not both" in both.stderr
    assert run("requeue", data_dir=tmp_path).returncode == 2
