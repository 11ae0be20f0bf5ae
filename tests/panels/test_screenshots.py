"""The screenshot script runs end to end (into a temporary folder) and writes small PNGs,
at 1280x720, 800x600 and the smallest supported window, 640x480."""

from __future__ import annotations

from pathlib import Path

import pygame
import screenshots

EXPECTED = {
    "hud", "menu", "rewards", "rewards_confirm", "rewards_claimed", "link_form",
    "link_invalid", "link_code", "link_wrong_code", "link_linked", "withdraw",
    "withdraw_confirm", "withdraw_result", "tournaments", "tournament_details", "leaderboard",
    "history", "history_entry", "stats", "error_retry",
}


def test_screenshot_script_saves_every_panel_at_both_sizes(tmp_path: Path) -> None:
    written = screenshots.capture(tmp_path)
    names = {path.name for path in written}
    for name in EXPECTED:
        for width, height in screenshots.SIZES:
            assert f"panel_{name}_{width}x{height}.png" in names
    assert screenshots.SIZES[-1] == (640, 480)
    for path in written:
        assert path.stat().st_size < 250_000, path.name
        image = pygame.image.load(str(path))
        assert image.get_size() in screenshots.SIZES
