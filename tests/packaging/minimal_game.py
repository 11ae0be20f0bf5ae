"""The smallest integrated game: what CI runs from a fresh venv with only the built wheel.

It integrates KGeN with the documented lines only, plays a few hundred frames against the
embedded sandbox, tracks scores and exits 0 once the sandbox acknowledged them.
Run: ``python minimal_game.py DATA_DIR`` (SDL_VIDEODRIVER=dummy works).
"""

from __future__ import annotations

import sys
import time

import pygame

import kgen_pygame


def main(data_dir: str) -> int:
    pygame.init()
    screen = pygame.display.set_mode((640, 480))
    clock = pygame.time.Clock()
    kgen = kgen_pygame.KGen(game_id="minimal-game", data_dir=data_dir)  # embedded sandbox
    score, deadline = 0, time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            for event in pygame.event.get():
                if kgen.handle_event(event):
                    continue
                if event.type == pygame.QUIT:
                    return 1
            kgen.update(clock.tick(60) / 1000)
            if not kgen.should_pause:
                score += 1
                if score % 60 == 0:
                    kgen.track_score(score)
            screen.fill((20, 24, 40))
            kgen.draw(screen)
            pygame.display.flip()
            if score >= 300 and kgen.ready and kgen.pending_events == 0:
                print(f"delivered every score up to {score}; sandbox={kgen.sandbox}")
                return 0
        print(f"gave up: ready={kgen.ready} pending={kgen.pending_events}", file=sys.stderr)
        return 1
    finally:
        kgen.close(timeout=3)
        pygame.quit()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1] if len(sys.argv) > 1 else "minimal-game-data"))
