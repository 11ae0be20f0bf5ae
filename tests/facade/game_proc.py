"""A tiny headless "game" run as a subprocess by the durability tests.

modes:
  track  - track scores as fast as possible (or one every --every-s), printing each
           returned event id (the parent SIGKILLs it at some moment);
  drain  - start, wait until the outbox is empty, close, print "drained";
  reward - start, print "ready" once the session is, then for each line read on stdin call
           reward_event(<that line>) and print the returned event id (the parent SIGKILLs it).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

import pygame

from kgen_pygame import KGen
from kgen_pygame.sandbox import DEFAULT_CLIENT_ID as SANDBOX_CLIENT_ID
from kgen_pygame.sandbox import DEFAULT_CLIENT_SECRET as SANDBOX_CLIENT_SECRET


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["track", "drain", "reward"])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--gamer-id", required=True)
    parser.add_argument("--api", default="current")
    parser.add_argument("--tournament-id", help="the tournament the scores go to")
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--limit-s", type=float, default=60.0)
    parser.add_argument("--every-s", type=float, default=0.0,
                        help="track: wait this long between events (running frames)")
    args = parser.parse_args()
    pygame.init()
    kgen = KGen(
        api=args.api,
        base_url=args.base_url,
        client_id=SANDBOX_CLIENT_ID,
        client_secret=SANDBOX_CLIENT_SECRET,
        data_dir=args.data_dir,
        gamer_id=args.gamer_id,
        game_id="durability",
        overlays=False,
        connect_timeout_s=1.0,
        read_timeout_s=2.0,
    )
    if args.mode == "track":
        for value in range(args.count):
            print(kgen.track_score(value, tournament_id=args.tournament_id), flush=True)
            if args.every_s > 0:
                kgen.update(1 / 60)
                time.sleep(args.every_s)
            elif value % 50 == 0:
                kgen.update(1 / 60)
        kgen.close(timeout=args.limit_s)
        return 0
    if args.mode == "reward":
        return reward(kgen, args.limit_s)
    deadline = time.monotonic() + args.limit_s
    while time.monotonic() < deadline:
        kgen.update(1 / 60)
        if kgen.ready and kgen.pending_events == 0:
            kgen.close(timeout=5)
            print("drained", flush=True)
            return 0
        time.sleep(0.02)
    print(f"not drained: {kgen.pending_events} pending", flush=True)
    kgen.close(timeout=1)
    return 1


def reward(kgen: KGen, limit_s: float) -> int:
    deadline = time.monotonic() + limit_s
    while not kgen.ready:
        if time.monotonic() > deadline:
            print("no session", flush=True)
            return 1
        kgen.update(1 / 60)
        time.sleep(0.02)
    print("ready", flush=True)
    for line in sys.stdin:
        print(kgen.reward_event(line.strip()), flush=True)
        while True:  # keep the game loop going until the parent kills the process
            kgen.update(1 / 60)
            time.sleep(0.02)
    return 0


if __name__ == "__main__":
    sys.exit(main())
