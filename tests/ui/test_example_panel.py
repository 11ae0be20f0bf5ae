"""The panel example from kgen_pygame.ui's docstring, driven through real events."""

from __future__ import annotations

import pygame
from ui_events import feed, press_key

from kgen_pygame.ui import (
    Button,
    Cell,
    Column,
    Frame,
    Label,
    Row,
    Spinner,
    Table,
    TableColumn,
    UIRoot,
    View,
    Widget,
)


class RewardsView(View):
    def __init__(self) -> None:
        super().__init__()
        self.claims = 0

    def on_claim(self) -> None:
        self.claims += 1

    # --- as in the docstring ---------------------------------------------------
    def build(self) -> Widget:
        self.total = Label("...", role="title", tone="accent")
        self.spinner = Spinner("Loading rewards...")
        self.table = Table(
            [TableColumn("REWARD", 3), TableColumn("AMOUNT", 1, "right")],
            empty_text="No rewards yet - win a tournament!",
        )
        self.claim = Button("Claim all", self.ask, kind="primary", enabled=False)
        return Frame(
            "Rewards",
            Column(
                Row(Label("Claimable", tone="muted"), self.total),
                self.spinner,
                self.table,
                Row(Button("Close", self.close), self.claim, justify="end"),
            ),
        )

    def show(self, total: str, rows: list[tuple[str, str]]) -> None:
        self.spinner.visible = False
        self.total.set_text(total)
        self.table.set_rows([[title, Cell(amount, "success")] for title, amount in rows])
        self.claim.enabled = bool(rows)

    def ask(self) -> None:
        assert self.root is not None
        self.root.confirm("Claim all?", "Rewards go to your balance.", self.on_claim)


def test_docstring_panel_loads_claims_and_closes(root: UIRoot, screen: pygame.Surface) -> None:
    view = RewardsView()
    root.open(view)
    root.update(0.1)
    root.draw(screen)
    assert view.focused is not view.claim  # disabled while loading
    view.show("30.00 KGeN", [("Weekend Cup - 3rd", "+25.00"), ("Milestone", "+5.00")])
    root.draw(screen)
    assert view.table.row_count == 2
    assert view.spinner.rect.height == 0 or not view.spinner.visible
    view.claim.focus()
    press_key(pygame.K_RETURN)  # opens the confirm dialog
    press_key(pygame.K_RETURN)  # confirms
    feed(root)
    assert view.claims == 1
    assert root.top is view
    press_key(pygame.K_ESCAPE)
    feed(root)
    assert not root.is_open
