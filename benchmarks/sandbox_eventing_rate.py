"""Score POSTs per second against the sandbox running as a separate process.

Starts ``python -m kgen_pygame.sandbox --port 0 --db <tmp>`` (once per mode: default, and
``--documented-only``), opens a session, then sends score updates one after another through
one ``requests.Session`` (keep-alive), each with its own ``Idempotency-Key``: v1's
``POST /api/v1/eventing`` and the current generation's
``POST /fe/esports/tournaments/{uid}/score``. This is the single-connection ceiling an outbox
drain can reach; the project needs >= 1,000 events/s. Writes its section of
docs/performance.md.

    python benchmarks/sandbox_eventing_rate.py [--events 3000] [--rounds 3] [--no-write]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import machine_line, median, sandbox_process, write_section

V1_CLIENT = {"x-clientID": "kgen-sandbox-client", "x-clientSecret": "kgen-sandbox-secret"}
S2S_CLIENT = {"x-client-id": "kgen-sandbox-client", "x-client-secret": "kgen-sandbox-secret"}

Poster = Callable[[int], requests.Response]


def v1_poster(url: str, session: requests.Session) -> Poster:
    token = session.post(
        f"{url}/api/v1/session", json={"gamer_id": "bench-v1"}, headers=V1_CLIENT, timeout=10
    ).json()["token"]

    def post(value: int) -> requests.Response:
        return session.post(
            f"{url}/api/v1/eventing",
            params={"token": token},
            json={
                "timestamp": int(time.time() * 1000),
                "metadata": {"playerId": "bench-v1", "gameId": "bench"},
                "payload": {"score": {"value": value}},
            },
            headers={"Idempotency-Key": uuid.uuid4().hex},
            timeout=10,
        )

    return post


def current_poster(url: str, session: requests.Session) -> Poster:
    token = session.post(
        f"{url}/s2s/session", json={"user_id": "bench-current"}, headers=S2S_CLIENT, timeout=10
    ).json()["access_token"]
    uid = session.post(
        f"{url}/_sandbox/tournaments", json={"title": "Bench", "duration_s": 86400}, timeout=10
    ).json()["tournament_uid"]
    headers = {"user-jwt-token": token}
    session.post(
        f"{url}/fe/esports/tournaments/{uid}/join",
        json={"joiningStake": 0},
        headers=headers,
        timeout=10,
    ).raise_for_status()

    def post(value: int) -> requests.Response:
        return session.post(
            f"{url}/fe/esports/tournaments/{uid}/score",
            json={"metadata": {"tournamentUID": uid}, "payload": {"score": {"value": value}}},
            headers={**headers, "Idempotency-Key": uuid.uuid4().hex},
            timeout=10,
        )

    return post


def run_round(post: Poster, events: int) -> float:
    """Send ``events`` score posts; returns posts per second."""
    start = time.perf_counter()
    for value in range(events):
        post(value).raise_for_status()
    return events / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=3000, help="posts per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    rows = []
    for mode, flags in (("default", ()), ("documented-only", ("--documented-only",))):
        with (
            tempfile.TemporaryDirectory() as tmp,
            sandbox_process(Path(tmp) / "s.sqlite3", "--log-level", "WARNING", *flags) as url,
            requests.Session() as session,
        ):
            for label, make in (
                ("`POST /api/v1/eventing`", v1_poster),
                ("`POST /fe/esports/tournaments/{uid}/score`", current_poster),
            ):
                post = make(url, session)
                run_round(post, 200)  # warm-up
                rates = [run_round(post, args.events) for _ in range(args.rounds)]
                rows.append((label, mode, rates))
    lines = [
        "### Sandbox: score posts per second",
        "",
        f"Command: `python benchmarks/sandbox_eventing_rate.py --events {args.events} "
        f"--rounds {args.rounds}`  ",
        f"Machine: {machine_line()}; 1-minute load average {load_before:.1f} at the start,",
        f"{os.getloadavg()[0]:.1f} at the end (the machine is shared: compare against a",
        "baseline run at the same time, not against another day's figure).",
        "",
        "The sandbox CLI in its own process; one keep-alive `requests.Session` sends score",
        "updates one after another, each with its own `Idempotency-Key` (every post is stored,",
        "replay-checked and counted as a raw delivery). Budget: the outbox drain needs",
        ">= 1,000 events/s.",
        "",
        "| operation | mode | rounds (posts/s) | median |",
        "|---|---|---|---|",
    ]
    for label, mode, rates in rows:
        rounds = ", ".join(f"{rate:,.0f}" for rate in rates)
        lines.append(f"| {label} | {mode} | {rounds} | {median(rates):,.0f} |")
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        write_section("sandbox_eventing_rate", text)


if __name__ == "__main__":
    main()
