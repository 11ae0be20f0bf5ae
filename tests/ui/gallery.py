"""Render every widget in realistic overlay scenes to PNG files for a visual check.

    SDL_VIDEODRIVER=dummy PYTHONPATH=. python tests/ui/gallery.py [OUT_DIR]

Writes ``<scene>_<w>x<h>.png`` for 1280x720 and 800x600 into ``/tmp/ui_gallery``
(or OUT_DIR). The scenes are the shapes the real panels will take: a leaderboard,
OTP wallet linking, a confirm dialog over rewards, the widget sampler with HUD
badge and toasts, and the loading/empty states.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame

from kgen_pygame.ui import (
    Badge,
    Button,
    Cell,
    Column,
    Device,
    Frame,
    Label,
    Row,
    Spacer,
    Spinner,
    Table,
    TableColumn,
    Tabs,
    TextField,
    UIRoot,
    View,
    Widget,
    digits_only,
    phone_chars,
)

SIZES = ((1280, 720), (800, 600))
DEFAULT_OUT = Path("/tmp/ui_gallery")


def leaderboard_rows(count: int = 100) -> list[list[str | Cell]]:
    """A leaderboard with ``count`` players (player 42 is "you")."""
    rows: list[list[str | Cell]] = []
    for rank in range(1, count + 1):
        name = "You (gamer_42)" if rank == 42 else f"player_{rank * 7919 % 10007:05d}"
        score = f"{(count + 1 - rank) * 137 + 50:,}"
        reward = (
            Cell(f"{max(0, 60 - rank * 5)} KGeN", "success") if rank <= 10 else Cell("-", "muted")
        )
        rows.append([f"#{rank}", name, score, reward])
    return rows


class LeaderboardView(View):
    """The heaviest overlay: a 100-row table with the player's own row highlighted."""

    def build(self) -> Widget:
        self.table = Table(
            [
                TableColumn("RANK", 0.8),
                TableColumn("PLAYER", 3.0),
                TableColumn("SCORE", 1.4, "right"),
                TableColumn("REWARD", 1.4, "right"),
            ],
            leaderboard_rows(),
            highlight=41,
        )
        self.initial_focus = self.table
        self.table.ensure_visible(41, centre=True)
        return Frame(
            "Weekend Cup - Leaderboard",
            Column(
                Row(
                    Label("Prize pool", tone="muted"),
                    Label("2,500 KGeN", tone="accent"),
                    Spacer(grow=1),
                    Label("Ends in 2d 4h", role="small", tone="muted"),
                ),
                self.table,
                Row(
                    Button("Refresh"),
                    Button("Join tournament", kind="primary"),
                    justify="end",
                ),
            ),
            subtitle="Quick mode - 100 players",
        )


class OtpView(View):
    """Wallet linking: phone number, then the code, with a server error shown."""

    def build(self) -> Widget:
        self.country = TextField(
            "+91", label="Country", max_length=5, allowed=phone_chars, min_width=110
        )
        self.phone = TextField(
            "98765 4321",
            label="Phone number",
            placeholder="Digits only",
            max_length=15,
            allowed=digits_only,
            grow=1,
        )
        self.code = TextField(
            "12345",
            label="6-digit code",
            max_length=6,
            allowed=digits_only,
            masked=True,
        )
        self.code.error = "Wrong code - 2 attempts left"
        self.initial_focus = self.phone
        return Frame(
            "Link your KGeN wallet",
            Column(
                Label(
                    "We will text you a 6-digit code. Linking lets you withdraw your "
                    "earnings to your KGeN wallet.",
                    wrap=True,
                    tone="muted",
                ),
                Row(self.country, self.phone, align="start"),
                self.code,
                Spacer(grow=1),
                Row(
                    Button("Resend code (24s)", enabled=False),
                    Button("Verify", kind="primary"),
                    justify="end",
                ),
            ),
            width=640,
            height=None,
        )


class RewardsView(View):
    """Unclaimed rewards (a short table) with claim / withdraw actions."""

    def build(self) -> Widget:
        table = Table(
            [
                TableColumn("REWARD", 3),
                TableColumn("SOURCE", 1.5),
                TableColumn("AMOUNT", 1.2, "right"),
            ],
            [
                ["Weekend Cup - 3rd place", "Tournament", Cell("+25.00", "success")],
                ["1,000 points milestone", "Milestone", Cell("+5.00", "success")],
                ["Daily Sprint - winner", "Tournament", Cell("+40.00", "success")],
            ],
        )
        return Frame(
            "Rewards",
            Column(
                Row(Label("Claimable", tone="muted"), Label("70.00 KGeN", role="title")),
                table,
                Row(
                    Button("Withdraw", kind="danger"),
                    Button("Claim all", kind="primary"),
                    justify="end",
                ),
            ),
        )


class SamplerView(View):
    """Every basic widget state on one panel."""

    def build(self) -> Widget:
        self.hover_button = Button("Hovered")
        self.focus_button = Button("Focused", kind="primary")
        self.initial_focus = self.focus_button
        return Frame(
            "Widget sampler",
            Column(
                Label("Huge 1,234.50", role="huge", tone="accent"),
                Label("Title text", role="title"),
                Label("Body text reads like this, with muted and coloured variants below."),
                Row(
                    Label("Muted", tone="muted"),
                    Label("Success", tone="success"),
                    Label("Warning", tone="warning"),
                    Label("Danger", tone="danger"),
                    spacing=24,
                ),
                Row(
                    Button("Primary", kind="primary"),
                    Button("Secondary"),
                    Button("Danger", kind="danger"),
                    Button("Ghost", kind="ghost"),
                    Button("Disabled", enabled=False),
                ),
                Row(self.focus_button, self.hover_button),
                TextField(placeholder="Placeholder text", label="Empty field"),
                Row(Spinner("Loading tournaments..."), Spacer(grow=1), align="center"),
            ),
            height=None,
        )


class HistoryView(View):
    """Wallet history: tabs over a table with coloured amounts and statuses."""

    def build(self) -> Widget:
        rows: list[list[str | Cell]] = []
        kinds = [
            ("REWARD", "+25.00", "success"),
            ("JOIN", "-5.00", "danger"),
            ("BONUS", "+50.00", "success"),
            ("WITHDRAW", "-20.00", "danger"),
        ]
        for i in range(40):
            kind, amount, tone = kinds[i % 4]
            status = Cell("PENDING", "warning") if i == 1 else Cell("COMPLETED", "muted")
            rows.append(
                [f"2026-11-{21 - i // 3:02d} 14:{59 - i:02d}", kind, status, Cell(amount, tone)]
            )
        self.table = Table(
            [
                TableColumn("DATE", 2.2),
                TableColumn("TYPE", 1.4),
                TableColumn("STATUS", 1.6),
                TableColumn("AMOUNT", 1.2, "right"),
            ],
            rows,
            on_activate=lambda index: None,
        )
        self.table.select(1, notify=False)
        self.initial_focus = self.table
        return Frame(
            "Wallet history",
            Column(
                Row(
                    Tabs(["All", "Received", "Sent"]),
                    Spacer(grow=1),
                    Label("Balance 125.50 KGeN", tone="accent"),
                ),
                self.table,
            ),
            subtitle="0x7d*****f0a2",
        )


class LoadingView(View):
    """Loading and empty states."""

    def build(self) -> Widget:
        return Frame(
            "Wallet history",
            Column(
                Spinner("Fetching your transactions..."),
                Table(
                    [
                        TableColumn("DATE", 1.5),
                        TableColumn("TYPE", 1),
                        TableColumn("AMOUNT", 1, "right"),
                    ],
                    empty_text="No transactions yet",
                ),
            ),
        )


def game_background(surface: pygame.Surface) -> None:
    """A busy stand-in for a game frame, so translucency shows."""
    width, height = surface.get_size()
    for y in range(0, height, 4):
        shade = 40 + 60 * y // height
        pygame.draw.rect(surface, (shade // 2, shade, 90 + shade // 2), (0, y, width, 4))
    for i in range(14):
        x = (i * 197) % width
        y = (i * 131) % height
        pygame.draw.circle(surface, (230, 120 + i * 8, 60), (x, y), 30 + i * 3)
    pygame.draw.rect(surface, (40, 200, 120), (width // 8, height * 3 // 4, width // 3, 24))


def _scene(name: str, setup: Callable[[UIRoot], None]) -> tuple[str, Callable[[UIRoot], None]]:
    return name, setup


def _leaderboard(root: UIRoot) -> None:
    root.open(LeaderboardView())
    root.set_hud(Badge("125.50 KGeN", tone="success"))


def _otp(root: UIRoot) -> None:
    root.open(OtpView())
    root.handle(pygame.event.Event(pygame.TEXTEDITING, text="56", start=2, length=2))


def _dialog(root: UIRoot) -> None:
    root.open(RewardsView())
    root.confirm(
        "Withdraw 70.00 KGeN?",
        "Your earned balance goes to the KGeN wallet linked to +91 98*****321. "
        "This cannot be undone.",
        lambda: None,
        confirm_label="Withdraw",
        danger=True,
    )


def _sampler(root: UIRoot) -> None:
    view = SamplerView()
    root.open(view)
    view.hover_button.set_hovered(True)
    root.set_hud(Badge("KGeN  125.50", tone="accent"))
    root.toast("Reward claimed: +25.00 KGeN", "success")
    root.toast("Offline - scores will sync later", "warning")
    root.update(0.3)


def _history(root: UIRoot) -> None:
    root.open(HistoryView())
    root.input.last_device = Device.GAMEPAD  # the close hint shows the B button


def _loading(root: UIRoot) -> None:
    root.open(LoadingView())
    root.update(0.4)


def _hud_only(root: UIRoot) -> None:
    root.set_hud(Badge("KGeN  125.50", tone="success"))
    root.toast("Score synced", "info")
    root.update(0.3)


SCENES = [
    _scene("leaderboard", _leaderboard),
    _scene("otp", _otp),
    _scene("dialog", _dialog),
    _scene("sampler", _sampler),
    _scene("history", _history),
    _scene("loading", _loading),
    _scene("hud", _hud_only),
]


def render_gallery(out_dir: Path = DEFAULT_OUT) -> list[Path]:
    """Render every scene at every size; returns the written PNG paths."""
    pygame.init()
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for width, height in SIZES:
        screen = pygame.display.set_mode((width, height))
        for name, setup in SCENES:
            root = UIRoot(size=(width, height))
            setup(root)
            game_background(screen)
            root.draw(screen)
            path = out_dir / f"{name}_{width}x{height}.png"
            pygame.image.save(screen, str(path))
            written.append(path)
            root.close_all()
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
    for written_path in render_gallery(target):
        print(written_path)
