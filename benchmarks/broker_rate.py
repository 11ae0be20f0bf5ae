"""Sessions minted per second through kgen-broker, and the broker's own cost per request.

Starts the sandbox (``python -m kgen_pygame.sandbox``) and the broker
(``python -m kgen_pygame.broker``, waitress, rate limit off) as their own
processes, then in the same run:

1. baseline: ``POST /api/v1/session`` straight to the sandbox with the client
   credentials, one after another over a keep-alive ``requests.Session``;
2. the same number of ``POST /v1/session`` through the broker (device key,
   timestamp, nonce), one after another;
3. through the broker again from several client threads at once.

Every request mints a session for a new player in both paths, so the platform
does the same work; the difference in median latency is the broker's own
overhead (HTTP hop, JSON, HMAC, replay and rate checks, the platform client).

    python benchmarks/broker_rate.py [--sessions 1000] [--threads 4] [--no-write]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import (
    ROOT,
    SANDBOX_CLIENT,
    machine_line,
    percentile,
    sandbox_process,
    write_section,
)

from kgen_pygame.broker.wire import new_device_key, new_nonce

BROKER_KEY = "benchmark-broker-key-" + "x" * 32


@contextmanager
def broker_process(platform_url: str, threads: int) -> Iterator[str]:
    """kgen-broker in its own process in front of *platform_url*; yields its URL."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("KGEN_")},
        "PYTHONPATH": str(ROOT),
        "KGEN_BROKER_PLATFORM_URL": platform_url,
        "KGEN_BROKER_CLIENT_ID": SANDBOX_CLIENT[0],
        "KGEN_BROKER_CLIENT_SECRET": SANDBOX_CLIENT[1],
        "KGEN_BROKER_KEY": BROKER_KEY,
        "KGEN_BROKER_PORT": "0",
        "KGEN_BROKER_THREADS": str(max(threads + 2, 4)),
        "KGEN_BROKER_RATE_PER_MINUTE": "0",
        "KGEN_BROKER_LOG_LEVEL": "WARNING",
    }
    with url_process([sys.executable, "-m", "kgen_pygame.broker"], env) as url:
        yield url


@contextmanager
def url_process(command: list[str], env: dict[str, str] | None = None) -> Iterator[str]:
    """Run *command* until it prints its ``http://127.0.0.1:PORT`` on stdout; yield that URL."""
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    url = ""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not url:
        line = proc.stdout.readline()
        if not line:
            break
        match = re.search(r"http://127\.0\.0\.1:\d+", line)
        url = match.group(0) if match else ""
    if not url:
        proc.kill()
        raise RuntimeError(f"{command[-1]} did not start")
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


_BARE_APP = """
import waitress
def app(environ, start_response):
    environ["wsgi.input"].read()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", "2")])
    return [b"{}"]
server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
print(f"listening on http://127.0.0.1:{server.effective_port}", flush=True)
server.run()
"""


@contextmanager
def bare_waitress_process() -> Iterator[str]:
    """A WSGI app that only answers ``{}``, under waitress in its own process: the hop alone."""
    with url_process([sys.executable, "-c", _BARE_APP]) as url:
        yield url


def hop_round(url: str, count: int) -> list[float]:
    """Seconds per POST of a session-sized body to the bare app."""
    session = requests.Session()
    body = {"device_key": new_device_key(), "timestamp": int(time.time()), "nonce": new_nonce()}
    times: list[float] = []
    for _ in range(count):
        start = time.perf_counter()
        session.post(url + "/v1/session", json=body, timeout=10).raise_for_status()
        times.append(time.perf_counter() - start)
    return times


def direct_round(url: str, count: int) -> list[float]:
    """Seconds per ``POST /api/v1/session`` straight to the platform."""
    session = requests.Session()
    headers = {"x-clientID": SANDBOX_CLIENT[0], "x-clientSecret": SANDBOX_CLIENT[1]}
    times: list[float] = []
    for _ in range(count):
        start = time.perf_counter()
        reply = session.post(
            f"{url}/api/v1/session",
            json={"gamer_id": "direct-" + uuid.uuid4().hex},
            headers=headers,
            timeout=10,
        )
        reply.raise_for_status()
        times.append(time.perf_counter() - start)
    return times


def broker_round(url: str, count: int) -> list[float]:
    """Seconds per ``POST /v1/session`` through the broker, each for a new device key."""
    session = requests.Session()
    times: list[float] = []
    for _ in range(count):
        body = {"device_key": new_device_key(), "timestamp": int(time.time()), "nonce": new_nonce()}
        start = time.perf_counter()
        reply = session.post(f"{url}/v1/session", json=body, timeout=10)
        reply.raise_for_status()
        times.append(time.perf_counter() - start)
    return times


def concurrent_rate(url: str, count: int, threads: int) -> float:
    """Sessions per second through the broker with *threads* callers at once."""
    per_thread = count // threads
    start = time.perf_counter()
    workers = [
        threading.Thread(target=broker_round, args=(url, per_thread)) for _ in range(threads)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return per_thread * threads / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=1000, help="sessions per measurement")
    parser.add_argument("--threads", type=int, default=4, help="callers in the concurrent run")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as tmp,
        sandbox_process(Path(tmp) / "s.sqlite3", "--log-level", "WARNING") as platform,
        broker_process(platform, args.threads) as broker,
        bare_waitress_process() as bare,
    ):
        direct_round(platform, 50)  # warm-up every path
        broker_round(broker, 50)
        hop_round(bare, 50)
        direct = direct_round(platform, args.sessions)
        brokered = broker_round(broker, args.sessions)
        hop = hop_round(bare, args.sessions)
        parallel = concurrent_rate(broker, args.sessions, args.threads)

    def rate(times: list[float]) -> float:
        return len(times) / sum(times)

    direct_ms = statistics.median(direct) * 1000
    broker_ms = statistics.median(brokered) * 1000
    hop_ms = statistics.median(hop) * 1000
    lines = [
        "### Session broker: sessions minted per second",
        "",
        f"Command: `python benchmarks/broker_rate.py --sessions {args.sessions} "
        f"--threads {args.threads}`  ",
        f"Machine: {machine_line()}",
        "",
        "Sandbox and broker each in their own process on loopback; every request mints a "
        "session for a new player. The broker runs waitress with "
        f"{max(args.threads + 2, 4)} threads, rate limit off.",
        "",
        "| path | sessions | sessions/s | median ms | p99 ms |",
        "|---|---|---|---|---|",
        f"| direct `POST /api/v1/session` (baseline) | {len(direct)} | {rate(direct):,.0f} | "
        f"{direct_ms:.2f} | {percentile(direct, 99) * 1000:.2f} |",
        f"| through the broker, one caller | {len(brokered)} | {rate(brokered):,.0f} | "
        f"{broker_ms:.2f} | {percentile(brokered, 99) * 1000:.2f} |",
        f"| through the broker, {args.threads} callers at once | "
        f"{args.sessions // args.threads * args.threads} | {parallel:,.0f} | - | - |",
        f"| (for scale) a WSGI app answering `{{}}` under waitress: the extra hop alone | "
        f"{len(hop)} | {rate(hop):,.0f} | {hop_ms:.2f} | {percentile(hop, 99) * 1000:.2f} |",
        "",
        f"Broker overhead per request (median, same run): **{broker_ms - direct_ms:.2f} ms** "
        f"({broker_ms / direct_ms:.2f}x the direct call), of which the HTTP hop itself "
        f"(client, loopback, waitress) is about {hop_ms:.2f} ms; the rest is the broker's work "
        "(JSON, HMAC, replay and rate checks, the platform client) and three Python processes "
        "sharing two cores. A game asks for a session at launch and when its token expires "
        "(24 h on the platform), so one instance serves far more players than these rates "
        "suggest.",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        write_section("broker_rate", text)


if __name__ == "__main__":
    main()
