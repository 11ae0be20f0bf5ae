"""docs/integration.md's game-loop snippet, copied literally, runs and draws cleanly.

The snippet runs in a fresh process against the embedded sandbox (what a new developer
gets). A recorder wrapped around ``pygame.display.flip`` keeps two frames once the
session is ready and then posts ``QUIT``; after the first it paints the whole screen
red, as a stand-in for last frame's moving sprites. A loop that clears the screen shows
no red in the second frame and the same HUD badge in both; one that does not leaves
last frame's pixels behind (and lets the translucent badge smear).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pygame

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "integration.md"

RECORDER = '''
import sys
import pygame

SNIPPET, OUT = sys.argv[1], sys.argv[2]
namespace: dict = {"__name__": "__main__"}
seen = {"frames": 0, "ready": 0}
real_flip = pygame.display.flip


def flip() -> None:
    real_flip()
    seen["frames"] += 1
    kgen = namespace.get("kgen")
    if kgen is not None and kgen.ready:
        seen["ready"] += 1
        if seen["ready"] in (30, 90):
            pygame.image.save(pygame.display.get_surface(), f"{OUT}-{seen['ready']}.png")
        if seen["ready"] == 30:
            pygame.display.get_surface().fill((255, 0, 0))
        if seen["ready"] == 90:
            pygame.event.post(pygame.event.Event(pygame.QUIT))
    if seen["frames"] > 3000:
        pygame.event.post(pygame.event.Event(pygame.QUIT))


pygame.display.flip = flip
exec(compile(open(SNIPPET, encoding="utf-8").read(), "integration.md", "exec"), namespace)
print("frames", seen["frames"], "ready", seen["ready"])
'''


def game_loop_snippet() -> str:
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("## 2. "):]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, "no python block in section 2 of docs/integration.md"
    return match.group(1)


def test_the_snippet_runs_as_written_and_never_smears(tmp_path: Path) -> None:
    snippet = tmp_path / "snippet.py"
    snippet.write_text(game_loop_snippet(), encoding="utf-8")
    recorder = tmp_path / "recorder.py"
    recorder.write_text(RECORDER, encoding="utf-8")
    out = tmp_path / "frame"
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy",
               KGEN_DATA_DIR=str(tmp_path / "data"))
    done = subprocess.run(
        [sys.executable, str(recorder), str(snippet), str(out)],
        env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert Path(f"{out}-90.png").exists(), done.stdout + done.stderr[-2000:]
    early = pygame.image.load(f"{out}-30.png")
    late = pygame.image.load(f"{out}-90.png")
    assert early.get_size() == late.get_size()
    red = sum(
        1
        for x in range(late.get_width())
        for y in range(late.get_height())
        if late.get_at((x, y))[:3] == (255, 0, 0)
    )
    assert red == 0, f"{red} pixels of an earlier frame left on screen: the loop never clears"
    changed = sum(
        1
        for x in range(early.get_width())
        for y in range(early.get_height())
        if early.get_at((x, y)) != late.get_at((x, y))
    )
    assert changed == 0, f"{changed} sampled pixels changed between two idle frames: smear"
