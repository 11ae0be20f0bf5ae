"""Eventing POSTs per second against the sandbox running as a separate process.

Starts ``python -m kgen_pygame.sandbox --port 0 --db <tmp>``, opens a session, then sends
score events one after another through one ``requests.Session`` (keep-alive), each with its
own ``Idempotency-Key``, and reports the rate. This is the single-connection ceiling the
outbox drain can reach; the project needs >= 1,000 events/s.

    python benchmarks/sandbox_eventing_rate.py [--events 5000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
CLIENT_HEADERS = {"x-clientID": "kgen-sandbox-client", "x-clientSecret": "kgen-sandbox-secret"}


@contextmanager
def sandbox_process(db: Path) -> Iterator[str]:
    """The sandbox CLI in its own process; yields its base URL."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kgen_pygame.sandbox",
            "--port",
            "0",
            "--db",
            str(db),
            "--log-level",
            "WARNING",
        ],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    url = ""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not url:
        line = proc.stdout.readline()
        if not line:
            break
        match = re.search(r"http://127\.0\.0\.1:\d+", line)
        if match:
            url = match.group(0)
    if not url:
        proc.kill()
        raise RuntimeError("the sandbox did not start")
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def run_round(url: str, token: str, events: int, session: requests.Session) -> float:
    """Send ``events`` score events; returns events per second."""
    start = time.perf_counter()
    for value in range(events):
        reply = session.post(
            f"{url}/api/v1/eventing",
            params={"token": token},
            json={
                "timestamp": int(time.time() * 1000),
                "metadata": {"playerId": "bench", "gameId": "bench"},
                "payload": {"score": {"value": value}},
            },
            headers={"Idempotency-Key": uuid.uuid4().hex},
            timeout=10,
        )
        reply.raise_for_status()
    return events / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=5000, help="events per round")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, sandbox_process(Path(tmp) / "s.sqlite3") as url:
        session = requests.Session()
        token = session.post(
            f"{url}/api/v1/session", json={"gamer_id": "bench"}, headers=CLIENT_HEADERS, timeout=10
        ).json()["token"]
        run_round(url, token, 200, session)  # warm-up
        rates = [run_round(url, token, args.events, session) for _ in range(args.rounds)]
        counted = session.get(f"{url}/_sandbox/records", params={"gamer_id": "bench"}, timeout=10)
        stored = counted.json()["events"]
    print(
        f"sandbox eventing: {args.rounds} rounds x {args.events} POSTs over one keep-alive "
        "requests.Session"
    )
    print("rates (events/s): " + ", ".join(f"{rate:,.0f}" for rate in rates))
    print(
        f"median: {statistics.median(rates):,.0f} events/s (budget >= 1,000); "
        f"events stored: {stored}"
    )


if __name__ == "__main__":
    main()
