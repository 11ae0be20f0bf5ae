"""Drain rate of the outbox over loopback, against a plain ``requests`` loop, per API
generation, with no game and while a 60 fps game loop runs.

The sandbox runs in its own process. Each round, alternating:

  ceiling  a warm ``requests.Session`` (connection open, session made) posting the
           same score payloads to the same sandbox, one after another: what a bare
           client gets from this server on this machine;
  drain    ``--events`` scores tracked by a KGen, then timed from the last capture
           to an empty outbox (durable, idempotent, acknowledged), the game thread
           only polling ``pending_events`` every 10 ms; on the current API once with
           each score naming its tournament and once naming none (as the README
           writes it: the sender then looks up the joined live tournaments per event);
  game     the same drain while a 60 fps game loop runs on the game thread
           (1280x720, 150 sprites, plus ``--game-ms`` of the game's own Python work a
           frame): ``update()``, the scene, ``draw()``, flip, sleep to the next
           frame. The loop keeps its budget when its frames start on time: the
           table counts frames whose work ended after the next frame was due.

Budget: >= 1,000 events/s, with no game and while the game loop runs, the game loop
missing no more frames than the same loop with nothing to deliver (measured in the
same round).

    python benchmarks/drain_rate.py [--api current,v1] [--events 2000] [--rounds 3]
        [--game-ms 6] [--no-write]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import requests
from _harness import (
    SANDBOX_CLIENT,
    GameScene,
    load_line,
    machine_line,
    percentile,
    ready_kgen,
    sandbox_process,
    score_tournament,
    write_section,
)

BUDGET_RATE = 1000.0
FRAME_S = 1 / 60


class Ceiling:
    """A warm, plain ``requests`` client posting scores the way the API wants them."""

    def __init__(self, url: str, api: str, uid: str | None) -> None:
        self.url, self.api, self.uid = url, api, uid
        self.http = requests.Session()
        if api == "v1":
            reply = self.http.post(
                f"{url}/api/v1/session", json={"gamer_id": "ceiling-v1"},
                headers={"x-clientID": SANDBOX_CLIENT[0], "x-clientSecret": SANDBOX_CLIENT[1]},
                timeout=10,
            )
            reply.raise_for_status()
            self.token = str(reply.json()["token"])
        else:
            reply = self.http.post(
                f"{url}/s2s/session", json={"user_id": "ceiling-current"},
                headers={"x-client-id": SANDBOX_CLIENT[0], "x-client-secret": SANDBOX_CLIENT[1]},
                timeout=10,
            )
            reply.raise_for_status()
            self.token = str(reply.json()["access_token"])
            self.http.post(
                f"{url}/fe/esports/tournaments/{uid}/join", json={"joiningStake": 0},
                headers={"user-jwt-token": self.token}, timeout=10,
            ).raise_for_status()

    def post(self, value: int) -> None:
        key = {"Idempotency-Key": uuid.uuid4().hex}
        if self.api == "v1":
            reply = self.http.post(
                f"{self.url}/api/v1/eventing", params={"token": self.token},
                json={"timestamp": int(time.time() * 1000),
                      "metadata": {"playerId": "ceiling-v1", "gameId": "bench"},
                      "payload": {"score": {"value": value}}},
                headers=key, timeout=10,
            )
        else:
            reply = self.http.post(
                f"{self.url}/fe/esports/tournaments/{self.uid}/score",
                json={"metadata": {"tournamentUID": self.uid},
                      "payload": {"score": {"value": value}}},
                headers={**key, "user-jwt-token": self.token}, timeout=10,
            )
        reply.raise_for_status()

    def round(self, events: int) -> float:
        start = time.perf_counter()
        for value in range(events):
            self.post(value)
        return events / (time.perf_counter() - start)


class GameLoop:
    """A 60 fps loop on the game thread; records each frame's lateness."""

    def __init__(self, game_ms: float) -> None:
        import pygame

        self.pygame = pygame
        self.screen = pygame.display.set_mode((1280, 720))
        self.scene = GameScene(self.screen)
        self.game_s = game_ms / 1000

    def frame(self, kgen: Any | None) -> float:
        """One frame; returns its work time (update to flip) in seconds."""
        start = time.perf_counter()
        if kgen is not None:
            kgen.update(FRAME_S)
        self.scene.step()
        spin_until = time.perf_counter() + self.game_s
        while time.perf_counter() < spin_until:  # the game's own logic: pure Python
            pass
        if kgen is not None:
            kgen.draw(self.screen)
        self.pygame.display.flip()
        return time.perf_counter() - start

    def run(self, kgen: Any | None, until: Any, frames: int | None = None) -> list[float]:
        """Frames until ``until()`` (or ``frames`` of them); their work times."""
        works: list[float] = []
        next_frame = time.perf_counter()
        while (frames is None and not until()) or (frames is not None and len(works) < frames):
            works.append(self.frame(kgen))
            next_frame += FRAME_S
            delay = next_frame - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            else:
                next_frame = time.perf_counter()  # late: the loop does not catch up
            if len(works) > 60 * 120:
                raise RuntimeError("the outbox did not drain in 2 minutes")
        return works


def late(works: list[float]) -> int:
    return sum(1 for work in works if work > FRAME_S)


def measure(api: str, args: argparse.Namespace, tmp: Path, url: str) -> dict[str, Any]:
    kgen: Any = ready_kgen(url, tmp / f"game-{api}", api, f"drain-{api}")
    uid = score_tournament(kgen, api)
    ceiling = Ceiling(url, api, uid)
    loop = GameLoop(args.game_ms)
    result: dict[str, Any] = {
        "ceiling": [], "drain": [], "fanout": [], "game": [], "game_works": [],
        "base_works": [],
    }
    for _ in range(args.rounds):
        result["ceiling"].append(ceiling.round(args.events))

        for value in range(args.events):
            kgen.track_score(value, tournament_id=uid)
        start = time.perf_counter()
        while kgen.pending_events:
            time.sleep(0.01)
        result["drain"].append(args.events / (time.perf_counter() - start))

        if uid is not None:
            # As the README writes it, naming no tournament: each score goes to every
            # live tournament the player joined, which the sender looks up per event.
            for value in range(args.events):
                kgen.track_score(value)
            start = time.perf_counter()
            while kgen.pending_events:
                time.sleep(0.01)
            result["fanout"].append(args.events / (time.perf_counter() - start))

        # The same loop with nothing to deliver, then the drain under it.
        result["base_works"] += loop.run(kgen, None, frames=120)
        for value in range(args.events):
            kgen.track_score(value, tournament_id=uid)
        start = time.perf_counter()
        works = loop.run(kgen, lambda: kgen.pending_events == 0)
        result["game"].append(args.events / (time.perf_counter() - start))
        result["game_works"] += works
    kgen.close(timeout=30)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--api", default="current,v1", help="generations, comma-separated")
    parser.add_argument("--events", type=int, default=2000, help="events per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--game-ms", type=float, default=6.0,
                        help="the game's own Python work per frame, in ms")
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

    def rates(values: list[float]) -> str:
        return ", ".join(f"{value:,.0f}" for value in values)

    lines = [
        "### Outbox drain rate",
        "",
        f"Command: `python benchmarks/drain_rate.py --api {','.join(apis)} --events "
        f"{args.events} --rounds {args.rounds} --game-ms {args.game_ms:g}`  ",
        f"Machine: {machine_line()}",
        "",
        "Events per second, one figure per round (the median in bold); the rounds "
        "alternate ceiling, drain with no game, drain under a 60 fps game loop. The "
        "ceiling is a warm plain `requests.Session` posting the same payloads to the "
        "same sandbox. The game loop draws 150 sprites at 1280x720 and spends "
        f"{args.game_ms:g} ms a frame in its own Python logic; a late frame is one whose "
        "work ran past the next frame's start.",
        "",
        "| generation | sender | events/s per round | vs ceiling (medians) | budget | verdict |",
        "|---|---|---|---|---|---|",
    ]
    for api, res in results.items():
        ceiling = statistics.median(res["ceiling"])
        drain = statistics.median(res["drain"])
        game = statistics.median(res["game"])
        base_late, game_late = late(res["base_works"]), late(res["game_works"])
        keeps = game_late / len(res["game_works"]) <= base_late / len(res["base_works"])
        lines += [
            f"| {api} | ceiling: plain `requests` loop | {rates(res['ceiling'])} "
            f"(**{ceiling:,.0f}**) | 1.00 | - | - |",
            f"| {api} | KGen drain, no game | {rates(res['drain'])} (**{drain:,.0f}**) | "
            f"{drain / ceiling:.2f} | >= 1,000/s | "
            f"{'met' if drain >= BUDGET_RATE else '**not met**'} |",
        ]
        if res["fanout"]:
            fanout = statistics.median(res["fanout"])
            lines.append(
                f"| {api} | KGen drain, no game, scores naming no tournament (one joined) | "
                f"{rates(res['fanout'])} (**{fanout:,.0f}**) | {fanout / ceiling:.2f} | "
                f">= 1,000/s | {'met' if fanout >= BUDGET_RATE else '**not met**'} |"
            )
        lines += [
            f"| {api} | KGen drain under the game loop | {rates(res['game'])} "
            f"(**{game:,.0f}**) | {game / ceiling:.2f} | >= 1,000/s, frames on time | "
            f"{'met' if game >= BUDGET_RATE and keeps else '**not met**'} |",
        ]
    lines += ["", "| generation | game loop | frames | frame work p50 ms | p99 ms | late frames |",
              "|---|---|---|---|---|---|"]
    for api, res in results.items():
        for name, works in (("nothing to deliver", res["base_works"]),
                            ("while the outbox drains", res["game_works"])):
            ms = [work * 1000 for work in works]
            lines.append(
                f"| {api} | {name} | {len(ms)} | {percentile(ms, 50):.2f} | "
                f"{percentile(ms, 99):.2f} | {late(works)} ({late(works) / len(ms):.1%}) |"
            )
    lines.append("")
    for api, res in results.items():
        work_s = percentile(res["base_works"], 50)
        request_s = 1 / statistics.median(res["ceiling"])
        fits = int((FRAME_S - work_s) // request_s)
        lines.append(
            f"{api}: a frame's idle part ({FRAME_S * 1000:.1f} ms less {work_s * 1000:.1f} ms "
            f"of work) holds {fits} requests at the ceiling's pace ({request_s * 1000:.2f} ms "
            f"each): at most {60 * fits:,} events/s while the sender only sends between "
            "frames, one request per event."
        )
    text = "\n".join(lines)
    print(text)
    print(load_line())
    if not args.no_write:
        write_section("drain_rate", text)


if __name__ == "__main__":
    main()
