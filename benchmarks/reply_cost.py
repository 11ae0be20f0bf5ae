"""Game-thread cost of large replies: a 60 fps loop while a worker fetches 5,000-row answers.

A paced 60 fps loop (1280x720, 150 sprites) runs while a worker thread of the
same process fetches and decodes a 5,000-row leaderboard (about 0.4 MB of
JSON) from a plain HTTP server in another process, one reply after the other
(the worst case: the worker never rests). The worker and the game share the
GIL, so what the worker does between two of its own GIL releases is added to
the game's frame. Scenarios:

  floor               the loop alone, no worker
  one call            Transport(yield_point=None): one json.loads-like call per reply
  steps, sleep(0)     stepwise decoding, yielding with time.sleep(0)
  steps, pause        stepwise decoding with the default yield point (a 50 us sleep)
  client, pause       KGenClient.leaderboard: the same, plus the readers building models
  ..., gc.freeze()    the same two after gc.freeze() (what the game had allocated is moved
                      out of the collector's sight, so a full collection is short)

A frame is measured from the moment it was due (after the pacing sleep) to the
end of ``display.flip()``: that includes waiting for the GIL when the game
thread wakes up, which "work time" alone (start to flip) would miss. Gen-2
garbage collections (any thread) are counted, since a full collection runs in
whichever thread allocates and holds the GIL throughout.

    python benchmarks/reply_cost.py [--seconds 5] [--rounds 3] [--rows 5000]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from _harness import GameScene, machine_line, percentile, write_section

FRAME_S = 1 / 60


def leaderboard_body(rows: int) -> bytes:
    rng = random.Random(11)
    entries = [
        {
            "rank": index + 1,
            "user_id": f"player-{index:05d}",
            "score": rng.randint(0, 10**6),
            "name": f"Player {index}",
        }
        for index in range(rows)
    ]
    winners = [{"user_id": f"player-{i:05d}", "reward": "12.50"} for i in range(10)]
    return json.dumps({"leaderboard": entries, "price_pool": 100, "winners": winners}).encode()


@contextmanager
def static_server(folder: Path) -> Iterator[str]:
    """``python -m http.server`` on loopback in its own process (not in our GIL)."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-u",
            "-m",
            "http.server",
            "0",
            "--bind",
            "127.0.0.1",
            "--directory",
            str(folder),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # one log line per request: a full pipe would stall it
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    match = re.search(r"port (\d+)", line)
    if not match:
        proc.kill()
        raise RuntimeError(f"http.server did not start: {line!r}")
    try:
        yield f"http://127.0.0.1:{match.group(1)}"
    finally:
        proc.terminate()
        proc.wait(10)


class Worker:
    """Fetches the answer again and again on its own thread; records each reply's cost."""

    def __init__(self, fetch: Callable[[], object]) -> None:
        self.fetch = fetch
        self.reply_ms: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            started = time.perf_counter()
            self.fetch()
            self.reply_ms.append((time.perf_counter() - started) * 1000)

    def __enter__(self) -> Worker:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(30)


def play(seconds: float, scene: GameScene) -> tuple[list[float], list[float]]:
    """Run the paced loop; return (frame cost from due time to flip, work time) in ms."""
    import pygame

    costs: list[float] = []
    work: list[float] = []
    due = time.perf_counter()
    for _ in range(int(seconds * 60)):
        delay = due - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        start = time.perf_counter()
        pygame.event.get()
        scene.step()
        pygame.display.flip()
        end = time.perf_counter()
        costs.append((end - due) * 1000)
        work.append((end - start) * 1000)
        due += FRAME_S
        if due < end:
            due = end  # overran: the next frame is due now
    return costs, work


class Gen2Counter:
    def __init__(self) -> None:
        self.count = 0
        self.ms: list[float] = []
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if info.get("generation") != 2:
            return
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.count += 1
            self.ms.append((time.perf_counter() - self._started) * 1000)


def decode_stretches(body: bytes, rounds: int) -> dict[str, tuple[float, float, float]]:
    """Worker-side: decode time and the longest stretch without a yield, per mode (ms).

    Measured on this thread alone (no game loop), with the collector off so a
    collection does not land inside one stretch by chance.
    """
    from kgen_pygame.api import jsoncodec

    text = body.decode()
    out: dict[str, tuple[float, float, float]] = {}
    for name, hook in (("one call", None), ("steps", jsoncodec.pause)):
        totals: list[float] = []
        stretches: list[float] = []
        for _ in range(rounds):
            marks = [time.perf_counter()]

            def mark(inner: Callable[[], None] | None = hook, marks: list[float] = marks) -> None:
                marks.append(time.perf_counter())
                if inner is not None:
                    inner()
                marks.append(time.perf_counter())

            gc.disable()
            try:
                jsoncodec.loads(text, yield_point=mark if hook is not None else None)
            finally:
                gc.enable()
            marks.append(time.perf_counter())
            totals.append((marks[-1] - marks[0]) * 1000)
            stretches += [(marks[i + 1] - marks[i]) * 1000 for i in range(0, len(marks) - 1, 2)]
        out[name] = (statistics.median(totals), percentile(stretches, 99), max(stretches))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds of play per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    import pygame

    from kgen_pygame.api import KGenClient
    from kgen_pygame.api.jsoncodec import PAUSE_S, pause
    from kgen_pygame.api.transport import Transport

    pygame.init()
    screen = pygame.display.set_mode((1280, 720))
    scene = GameScene(screen)
    body = leaderboard_body(args.rows)

    with tempfile.TemporaryDirectory() as tmp, static_server(Path(tmp)) as url:
        folder = Path(tmp)
        (folder / "api" / "v1" / "leaderboards" / "_byTournament").mkdir(parents=True)
        (folder / "api" / "v1" / "leaderboards" / "_byTournament" / "t1").write_bytes(body)
        path = "/api/v1/leaderboards/_byTournament/t1"

        def transport_fetch(yield_point: Callable[[], None] | None) -> Callable[[], object]:
            transport = Transport(url, yield_point=yield_point)
            return lambda: transport.request("GET", path, operation="GET board")

        client = KGenClient(url, "bench", api="v1")
        scenarios: dict[str, Callable[[], object] | None] = {
            "floor (no worker)": None,
            "one call (yield_point=None)": transport_fetch(None),
            "steps, time.sleep(0)": transport_fetch(lambda: time.sleep(0)),
            f"steps, pause ({PAUSE_S * 1e6:.0f} us, the default)": transport_fetch(pause),
            "KGenClient.leaderboard, pause (+ readers)": lambda: client.leaderboard("tok-1", "t1"),
        }
        frozen = {
            "steps, pause, gc.freeze()": scenarios[
                f"steps, pause ({PAUSE_S * 1e6:.0f} us, the default)"
            ],
            "KGenClient.leaderboard, pause, gc.freeze()": scenarios[
                "KGenClient.leaderboard, pause (+ readers)"
            ],
        }
        scenarios.update(frozen)
        results: dict[str, dict[str, list[float]]] = {
            name: {"cost": [], "work": [], "reply": [], "gc": [], "gc_ms": []} for name in scenarios
        }
        play(0.5, scene)  # warm-up
        for _ in range(args.rounds):
            for name, fetch in scenarios.items():
                counter = Gen2Counter()
                if name in frozen:
                    gc.collect()
                    gc.freeze()
                gc.callbacks.append(counter)
                try:
                    if fetch is None:
                        costs, work = play(args.seconds, scene)
                        replies: list[float] = []
                    else:
                        fetch()  # connect and warm up outside the measurement
                        with Worker(fetch) as worker:
                            costs, work = play(args.seconds, scene)
                        replies = worker.reply_ms
                finally:
                    gc.callbacks.remove(counter)
                    if name in frozen:
                        gc.unfreeze()
                row = results[name]
                row["cost"] += costs
                row["work"] += work
                row["reply"] += replies
                row["gc"].append(counter.count)
                row["gc_ms"] += counter.ms
        client.close()
    pygame.quit()

    lines = [
        "### Game-thread cost of large replies",
        "",
        f"Command: `python benchmarks/reply_cost.py --seconds {args.seconds:g} "
        f"--rounds {args.rounds} --rows {args.rows}`  ",
        f"Machine: {machine_line()}; load average at the end "
        f"{', '.join(f'{value:.1f}' for value in os.getloadavg())} (1, 5, 15 min)",
        "",
        f"A 60 fps loop (1280x720, 150 sprites) while a worker thread of the same process "
        f"fetches a {args.rows:,}-row leaderboard ({len(body) / 1e6:.2f} MB of JSON) from "
        "`python -m http.server` in another process, back to back. Frame = from the moment "
        "the frame was due to the end of `flip()` (so GIL waits on waking count). "
        f"{args.rounds} rounds of {args.seconds:g} s per scenario, interleaved. `reply ms` is "
        "the worker's time per fetch and decode; `gen-2 GCs` counts full collections in the "
        "process during the scenario (and their longest).",
        "",
        "| scenario | frames | p50 ms | p99 ms | worst ms | worst work ms | replies | "
        "reply ms (median) | gen-2 GCs (longest ms) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, row in results.items():
        replies = row["reply"]
        gcs = int(sum(row["gc"]))
        lines.append(
            f"| {name} | {len(row['cost'])} | {percentile(row['cost'], 50):.2f} | "
            f"{percentile(row['cost'], 99):.2f} | {max(row['cost']):.2f} | "
            f"{max(row['work']):.2f} | {len(replies)} | "
            f"{statistics.median(replies) if replies else 0:.1f} | "
            f"{gcs} ({max(row['gc_ms']) if row['gc_ms'] else 0:.1f}) |"
        )
    stretches = decode_stretches(body, 20)
    lines += [
        "",
        "Worker side, the same body decoded alone 20 times (collector off): the longest "
        "stretch without a yield is the longest the game thread can wait for the GIL "
        "because of our decoding (a full collection or an OS preemption of the worker "
        "adds to it).",
        "",
        "| decoding | total ms (median) | stretch without yield, p99 ms | longest ms |",
        "|---|---|---|---|",
    ]
    for name, (total, p99, longest) in stretches.items():
        lines.append(f"| {name} | {total:.1f} | {p99:.3f} | {longest:.3f} |")
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        write_section("reply_cost", text)


if __name__ == "__main__":
    main()
