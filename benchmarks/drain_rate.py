"""Drain rate of a 10,000-event outbox backlog over loopback.

The sandbox runs in its own process. The backlog is captured into a real
outbox file first; then a KGen on that data dir delivers it, and we time from
session-ready to an empty outbox. The baseline in the same run is a bare
``requests.Session().post`` loop sending the same number of events to the same
server, one after another: the single-connection ceiling.
Budget: >= 1,000 events/s.

    python benchmarks/drain_rate.py [--events 10000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from pathlib import Path

import requests
from _harness import SANDBOX_CLIENT, machine_line, sandbox_process, write_section


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    import pygame

    from kgen_pygame import KGen
    from kgen_pygame.runtime.outbox import CaptureHandle

    pygame.init()
    with tempfile.TemporaryDirectory() as tmp, sandbox_process(Path(tmp) / "s.sqlite3") as url:
        data_dir = Path(tmp) / "game"
        data_dir.mkdir()
        capture = CaptureHandle(data_dir / "outbox.sqlite3")
        for value in range(args.events):
            capture.add("score", value, {"playerId": "drain", "gameId": "bench"})
        capture.close()

        # Baseline: the bare requests loop against the same server.
        session = requests.Session()
        token = session.post(
            f"{url}/api/v1/session", json={"gamer_id": "baseline"},
            headers={"x-clientID": SANDBOX_CLIENT[0], "x-clientSecret": SANDBOX_CLIENT[1]},
            timeout=10,
        ).json()["token"]
        start = time.perf_counter()
        for value in range(args.events):
            session.post(
                f"{url}/api/v1/eventing", params={"token": token},
                json={"timestamp": int(time.time() * 1000),
                      "metadata": {"playerId": "baseline", "gameId": "bench"},
                      "payload": {"score": {"value": value}}},
                headers={"Idempotency-Key": uuid.uuid4().hex}, timeout=10,
            ).raise_for_status()
        baseline_s = time.perf_counter() - start

        kgen = KGen(base_url=url, client_id=SANDBOX_CLIENT[0], client_secret=SANDBOX_CLIENT[1],
                    data_dir=data_dir, game_id="bench", gamer_id="drain", overlays=False)
        while not kgen.ready:
            kgen.update(1 / 60)
            time.sleep(0.001)
        start = time.perf_counter()
        while kgen.pending_events:
            kgen.update(1 / 60)
            time.sleep(0.005)
        plugin_s = time.perf_counter() - start
        kgen.close(timeout=2)
    pygame.quit()

    plugin_rate = args.events / plugin_s
    baseline_rate = args.events / baseline_s
    lines = [
        "### Outbox drain rate",
        "",
        f"Command: `python benchmarks/drain_rate.py --events {args.events}`  ",
        f"Machine: {machine_line()}",
        "",
        "| sender | events | seconds | events/s | vs bare requests loop | budget |",
        "|---|---|---|---|---|---|",
        f"| bare `requests.Session().post` loop (baseline) | {args.events} | {baseline_s:.2f} | "
        f"{baseline_rate:,.0f} | 1.00 | - |",
        f"| KGen outbox drain (durable, idempotent, acked) | {args.events} | {plugin_s:.2f} | "
        f"{plugin_rate:,.0f} | {plugin_rate / baseline_rate:.2f} | >= 1,000/s |",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        write_section("drain_rate", text)


if __name__ == "__main__":
    main()
