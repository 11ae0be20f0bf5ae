"""Play through every KGeN overlay against a real sandbox and save a PNG of each.

    PYTHONPATH=. python tests/panels/screenshots.py [OUT_DIR]

Writes ``panel_<name>_<w>x<h>.png`` at 1280x720, 800x600 and 640x480 (the
smallest supported window) into ``assets/screenshots`` (or OUT_DIR). Everything
on screen comes from real flows: the embedded sandbox on loopback (hence the
SANDBOX tags and the sandbox SMS), a KGen session, posted pygame events.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

import pygame

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from driver import Driver  # noqa: E402

#: The smallest supported window is the last one.
SIZES: tuple[tuple[int, int], ...] = ((1280, 720), (800, 600), (640, 480))
DEFAULT_OUT = ROOT / "assets" / "screenshots"
PHONE = ("+91", "9876543210")


class Camera:
    """Saves the current frame at every size."""

    def __init__(self, driver: Driver, out_dir: Path, sizes: Sequence[tuple[int, int]]) -> None:
        self.driver = driver
        self.out_dir = out_dir
        self.sizes = tuple(sizes)
        self.written: list[Path] = []

    def shot(self, name: str, *, keep_toasts: bool = False) -> None:
        driver = self.driver
        if keep_toasts:
            driver.frame(0.3)  # past the toasts' fade-in
        else:
            driver.overlay.ui.toasts.clear()
        first = pygame.display.get_surface().get_size()
        for size in self.sizes:
            pygame.display.set_mode(size)
            driver.post(pygame.VIDEORESIZE, w=size[0], h=size[1], size=size)
            driver.frame(0.0)
            driver.frame(0.0)
            path = self.out_dir / f"panel_{name}_{size[0]}x{size[1]}.png"
            pygame.image.save(driver.screen, str(path))
            self.written.append(path)
        pygame.display.set_mode(first)
        driver.frame(0.0)


def _stage(driver: Driver) -> None:
    """A player with history: a won cup, a joined 120-player cup, milestones to claim."""
    driver.ready()
    kgen = driver.kgen
    cup = driver.create_tournament(
        "Weekend Cup", guaranteed_prize=150, bots=12, total_players_rewarded=3
    )
    driver.wait_call(kgen.actions.join_tournament(cup, Decimal(0)), "join the cup")
    driver.score(cup, 99_000)
    driver.end_tournament(cup)
    for title in ("Night Sprint", "Rookie Rumble"):
        lost = driver.create_tournament(title, guaranteed_prize=40, bots=8,
                                        total_players_rewarded=2)
        driver.wait_call(kgen.actions.join_tournament(lost, Decimal(0)), f"join {title}")
        driver.end_tournament(lost)  # no score posted: a loss
    driver.wait_call(kgen.actions.active_tournaments(), "tournaments")
    bronze = next(t for t in kgen.active_tournaments if t.title.startswith("Bronze Cup"))
    driver.wait_call(kgen.actions.join_tournament(bronze.uid), "join the bronze cup")
    driver.score(bronze.uid, 5_400)
    driver.wait_call(kgen.actions.rewards(), "rewards")
    driver.wait_call(kgen.actions.joined_tournaments(), "joined")
    driver.wait_call(kgen.actions.wallet_balance(), "balance")


def capture(out_dir: Path = DEFAULT_OUT, sizes: Sequence[tuple[int, int]] = SIZES) -> list[Path]:
    """Run the flows and save every panel; returns the written paths."""
    from kgen_pygame import KGen

    out_dir.mkdir(parents=True, exist_ok=True)
    pygame.init()
    pygame.display.set_mode(sizes[0])
    with tempfile.TemporaryDirectory() as tmp:
        kgen = KGen(data_dir=Path(tmp) / "game", game_id="screenshots", gamer_id="nova-7")
        try:
            driver = Driver(kgen)
            camera = Camera(driver, out_dir, sizes)
            _stage(driver)
            _play(driver, camera)
        finally:
            kgen.close(timeout=2)
    pygame.quit()
    return camera.written


def _play(driver: Driver, camera: Camera) -> None:
    overlay = driver.overlay
    driver.frame()
    camera.shot("hud")

    driver.key(pygame.K_F1)
    driver.settle()
    camera.shot("menu")

    menu = driver.panel
    driver.click(menu.rewards)
    driver.settle()
    rewards = driver.panel
    driver.click_at(rewards.table.rect.move(0, rewards.table.header_height).midtop)
    driver.key(pygame.K_DOWN)
    camera.shot("rewards")
    driver.click(rewards.claim_all)
    camera.shot("rewards_confirm")
    driver.key(pygame.K_RETURN)
    driver.settle()
    camera.shot("rewards_claimed", keep_toasts=True)
    driver.key(pygame.K_ESCAPE)

    driver.click(driver.panel.link)
    link = driver.panel
    driver.fill(link.phone, "98765 43210")
    camera.shot("link_form")
    driver.fill(link.phone, "98765abc")
    driver.click(link.send)
    camera.shot("link_invalid")
    driver.fill(link.phone, PHONE[1])
    driver.click(link.send)
    driver.settle()
    driver.type("123")
    driver.frame(7.0)  # let the countdowns run a little
    camera.shot("link_code")
    driver.fill(link.code, "000000")
    driver.key(pygame.K_RETURN)
    driver.settle()
    camera.shot("link_wrong_code")
    driver.fill(link.code, driver.otp(*PHONE))
    driver.key(pygame.K_RETURN)
    driver.settle()
    camera.shot("link_linked")
    driver.key(pygame.K_ESCAPE)

    driver.click(driver.panel.withdraw)
    driver.settle()
    withdraw = driver.panel
    camera.shot("withdraw")
    driver.fill(withdraw.amount, "25")
    driver.click(withdraw.withdraw)
    camera.shot("withdraw_confirm")
    driver.key(pygame.K_RETURN)
    driver.settle()
    camera.shot("withdraw_result", keep_toasts=True)
    driver.key(pygame.K_ESCAPE)

    driver.click(driver.panel.tournaments)
    driver.settle()
    tournaments = driver.panel
    index = next(i for i, t in enumerate(tournaments.shown) if t.title.startswith("Bronze"))
    tournaments.table.select(index)
    driver.frame()
    camera.shot("tournaments")
    driver.click(tournaments.details)
    driver.settle()
    camera.shot("tournament_details")
    driver.click(driver.panel.leaderboard)
    driver.settle()
    camera.shot("leaderboard")
    overlay.close()
    driver.frame()

    overlay.open("history")
    driver.settle()
    camera.shot("history")
    history = driver.panel
    index = next(i for i, t in enumerate(history.shown) if (t.kind or "").upper() == "BONUS")
    history.open_entry(index)
    driver.frame()
    camera.shot("history_entry")
    overlay.open("stats")
    driver.settle()
    camera.shot("stats")

    driver.faults(error_rate=1.0)
    overlay.open("history")
    driver.settle()
    camera.shot("error_retry")
    driver.faults(reset=True)
    overlay.close()
    driver.frame()


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
    for written in capture(target):
        print(written)
