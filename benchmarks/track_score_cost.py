"""What ``KGen.track_score()`` costs the game thread, against a bare SQLite commit.

A real KGen runs against the sandbox in its own process, so the event sender is
delivering over HTTP on its worker thread while the game thread captures. The floor,
measured in the same run on the same disk, is a bare ``INSERT`` + commit of the same
JSON body on a plain ``sqlite3`` connection with the outbox's settings (WAL,
``synchronous=NORMAL``, 1 KiB pages, no automatic checkpoint: see
``kgen_pygame/runtime/outbox/sqlite_file.py``), with no other thread alive doing work.
Two loads, each run in alternating rounds (floor, plugin, floor, plugin, ...) so a
change in the machine's load hits both:

  paced   a 60 fps game loop: ``update()``, ``--per-frame`` captures, ``draw()``,
          then sleep to the next frame, as a game does in ``Clock.tick``; and the
          same loop calling neither ``update()`` nor ``draw()`` (the pacer then sees
          only the captures); and on the current API the first loop with scores
          naming no tournament (the sender then looks up the joined tournaments
          for each event);
  burst   ``--burst`` calls back to back per round: every capture colliding with
          the sender's writes and its Python work.

Budget: p99 <= 2x the floor's p99 (the machine's disk decides the floor).

    python benchmarks/track_score_cost.py [--api current,v1] [--seconds 10]
        [--per-frame 10] [--burst 20000] [--rounds 4] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _harness import (
    load_line,
    machine_line,
    percentile,
    pump,
    ready_kgen,
    sandbox_process,
    score_tournament,
    write_section,
)

BUDGET_RATIO = 2.0
FRAME_S = 1 / 60


class Floor:
    """A bare SQLite insert + commit with the outbox's settings: the best a durable
    capture could do on this disk."""

    def __init__(self, path: Path, page_size: int) -> None:
        self.conn = sqlite3.connect(str(path), isolation_level=None)
        self.conn.execute(f"PRAGMA page_size={page_size}")
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA wal_autocheckpoint=0")
        self.conn.execute(
            "CREATE TABLE rows (seq INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, body TEXT)"
        )

    def insert(self, score: int, tournament_id: str | None = None) -> str:
        body = json.dumps({"value": score, "metadata": {
            "tournamentId": tournament_id, "playerId": "track-cost", "gameId": "bench"}})
        key = uuid.uuid4().hex
        self.conn.execute("INSERT INTO rows (id, body) VALUES (?, ?)", (key, body))
        return key


def paced_round(
    call: Callable[[int], object], frames: int, per_frame: int,
    before: Callable[[], None], after: Callable[[], None],
) -> list[float]:
    samples: list[float] = []
    clock = time.perf_counter
    next_frame = clock()
    for frame in range(frames):
        before()
        for i in range(per_frame):
            start = clock()
            call(frame * per_frame + i)
            samples.append((clock() - start) * 1e6)
        after()
        next_frame += FRAME_S
        delay = next_frame - clock()
        if delay > 0:
            time.sleep(delay)
        else:
            next_frame = clock()
    return samples


def burst_round(call: Callable[[int], object], count: int) -> list[float]:
    samples: list[float] = []
    clock = time.perf_counter
    for value in range(count):
        start = clock()
        call(value)
        samples.append((clock() - start) * 1e6)
    return samples


def row(name: str, samples: list[float], floor: list[float]) -> str:
    p50, p99 = percentile(samples, 50), percentile(samples, 99)
    ratio = p99 / percentile(floor, 99)
    verdict = "met" if ratio <= BUDGET_RATIO else "**not met**"
    return (
        f"| {name} | {len(samples)} | {p50:.1f} | {p99:.1f} | {max(samples):,.0f} | "
        f"{p50 / percentile(floor, 50):.2f}x | {ratio:.2f}x | {verdict} |"
    )


def floor_row(name: str, samples: list[float]) -> str:
    return (
        f"| {name} | {len(samples)} | {percentile(samples, 50):.1f} | "
        f"{percentile(samples, 99):.1f} | {max(samples):,.0f} | 1x | 1x | - |"
    )


def measure(api: str, args: argparse.Namespace, tmp: Path, url: str) -> dict[str, Any]:
    import pygame

    kgen: Any = ready_kgen(url, tmp / f"game-{api}", api, f"track-cost-{api}")
    uid = score_tournament(kgen, api)
    outbox = tmp / f"game-{api}" / "outbox.sqlite3"
    page_size = sqlite3.connect(str(outbox)).execute("PRAGMA page_size").fetchone()[0]
    floor = Floor(tmp / f"floor-{api}.sqlite3", int(page_size))
    surface = pygame.Surface((64, 64))
    frames = max(1, int(args.seconds / args.rounds * 60))
    per_round_burst = max(1, args.burst // args.rounds)

    def track(value: int) -> object:
        return kgen.track_score(value, tournament_id=uid)

    def floor_insert(value: int) -> object:
        return floor.insert(value, uid)

    def frame_start() -> None:
        kgen.update(FRAME_S)

    def frame_end() -> None:
        kgen.draw(surface)

    def idle() -> None:
        pass

    def drained() -> None:
        # The floor runs with the sender idle: nothing it delivers may land in it.
        pump(kgen, lambda: kgen.pending_events == 0, limit_s=120)

    result: dict[str, Any] = {
        "paced": [], "paced_floor": [], "bare": [], "fanout": [], "burst": [],
        "burst_floor": [],
    }
    delivered = 0

    def plugin_round(samples: list[float]) -> None:
        nonlocal delivered
        result[samples_key] += samples
        delivered += len(samples) - kgen.pending_events

    for _ in range(args.rounds):
        drained()
        result["paced_floor"] += paced_round(floor_insert, frames, args.per_frame, idle, idle)
        samples_key = "paced"
        plugin_round(paced_round(track, frames, args.per_frame, frame_start, frame_end))
        drained()
        samples_key = "bare"
        plugin_round(paced_round(track, frames, args.per_frame, idle, idle))
        if uid is not None:
            # As the README writes it: no tournament named, so the sender looks up
            # the joined live tournaments for every event it delivers.
            drained()
            samples_key = "fanout"
            plugin_round(paced_round(kgen.track_score, frames, args.per_frame,
                                     frame_start, frame_end))
    for _ in range(args.rounds):
        drained()
        result["burst_floor"] += burst_round(floor_insert, per_round_burst)
        samples_key = "burst"
        plugin_round(burst_round(track, per_round_burst))
    result["delivered_during"] = delivered
    kgen.close(timeout=60)
    floor.conn.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--api", default="current,v1", help="generations, comma-separated")
    parser.add_argument("--seconds", type=float, default=10.0, help="paced seconds per variant")
    parser.add_argument("--per-frame", type=int, default=10)
    parser.add_argument("--burst", type=int, default=20_000, help="burst calls per variant")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    import pygame

    pygame.init()
    apis = [name.strip() for name in args.api.split(",") if name.strip()]
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp, sandbox_process(Path(tmp) / "s.sqlite3") as url:
        for api in apis:
            results[api] = measure(api, args, Path(tmp), url)
    pygame.quit()

    lines = [
        "### `track_score()` on the game thread",
        "",
        f"Command: `python benchmarks/track_score_cost.py --api {','.join(apis)} "
        f"--seconds {args.seconds:g} --per-frame {args.per_frame} --burst {args.burst} "
        f"--rounds {args.rounds}`  ",
        f"Machine: {machine_line()}",
        "",
        "Each call commits the event to the SQLite outbox before it returns, while the "
        "sender delivers to the sandbox (its own process) over HTTP. The floor is a bare "
        "`INSERT` + commit of the same body on a plain `sqlite3` connection with the "
        "outbox's settings (WAL, `synchronous=NORMAL`, 1 KiB pages, no automatic "
        "checkpoint) on the same disk, run in rounds alternating with the plugin's. "
        "Times in microseconds. Budget: p99 at most 2x the floor's p99.",
        "",
        "| load | calls | p50 µs | p99 µs | max µs | p50 vs floor | p99 vs floor | "
        "budget p99 <= 2x floor |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for api, res in results.items():
        lines += [
            floor_row(f"floor, paced {args.per_frame} a frame at 60 fps", res["paced_floor"]),
            row(f"{api}: paced {args.per_frame} a frame at 60 fps", res["paced"],
                res["paced_floor"]),
            row(f"{api}: paced, a loop calling neither update() nor draw()", res["bare"],
                res["paced_floor"]),
        ]
        if res["fanout"]:
            lines.append(row(f"{api}: paced, scores naming no tournament (one joined)",
                             res["fanout"], res["paced_floor"]))
        lines += [
            floor_row("floor, burst back to back", res["burst_floor"]),
            row(f"{api}: burst back to back", res["burst"], res["burst_floor"]),
        ]
    lines += [""] + [
        f"{api}: {res['delivered_during']:,} events delivered by the sender while the "
        "plugin's rounds ran."
        for api, res in results.items()
    ]
    text = "\n".join(lines)
    print(text)
    print(load_line())
    if not args.no_write:
        write_section("track_score_cost", text)


if __name__ == "__main__":
    main()
