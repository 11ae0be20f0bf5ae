"""kgen_pygame's own widget layer for in-game overlays (pygame 2.6 and pygame-ce 2.5+).

Built on core pygame only (``pygame.draw``, ``pygame.font``, ``Surface`` blits), no
third-party UI library. The pieces:

* :class:`Theme` (data, override with ``dataclasses.replace``) resolved per window
  size into a :class:`Style`; the state colours of every widget kind are theme data
  too (:class:`StateLooks` of :class:`Look`, see :mod:`kgen_pygame.ui.looks`),
* :class:`UIRoot` - the overlay: a stack of :class:`View` screens, modal dialogs,
  toasts and the HUD badge; the game calls ``handle(event)``, ``update(dt)`` and
  ``draw(surface)``,
* widgets: :class:`Label`, :class:`Badge`, :class:`Button`, :class:`TextField`,
  :class:`Spinner`, :class:`Tabs`, :class:`ScrollList`, :class:`Table`; layout:
  :class:`Column`, :class:`Row`, :class:`Spacer`; panel chrome: :class:`Frame`,
* :mod:`kgen_pygame.ui.input` - raw events to device-independent :class:`Intent`.

A panel is a :class:`View` whose ``build()`` returns its widget tree::

    class RewardsView(View):
        def build(self) -> Widget:
            self.total = Label("...", role="title", tone="accent")
            self.spinner = Spinner("Loading rewards...")
            self.table = Table(
                [TableColumn("REWARD", 3), TableColumn("AMOUNT", 1, "right")],
                empty_text="No rewards yet - win a tournament!",
            )
            self.claim = Button("Claim all", self.ask, kind="primary", enabled=False)
            return Frame("Rewards", Column(
                Row(Label("Claimable", tone="muted"), self.total),
                self.spinner,
                self.table,
                Row(Button("Close", self.close), self.claim, justify="end"),
            ))

        def show(self, total: str, rows: list[tuple[str, str]]) -> None:
            self.spinner.visible = False
            self.total.set_text(total)
            self.table.set_rows([[title, Cell(amount, "success")] for title, amount in rows])
            self.claim.enabled = bool(rows)

        def ask(self) -> None:
            assert self.root is not None
            self.root.confirm("Claim all?", "Rewards go to your balance.", self.on_claim)

    ui = UIRoot()                 # once; then ui.open(RewardsView()) to show it
"""

from kgen_pygame.ui.button import Button, ButtonKind
from kgen_pygame.ui.clipboard import get_clipboard_text, set_clipboard_text
from kgen_pygame.ui.dialog import ConfirmDialog, DialogButton, ModalDialog
from kgen_pygame.ui.frame import Frame
from kgen_pygame.ui.input import Action, Device, InputMapper, Intent
from kgen_pygame.ui.label import Badge, Label
from kgen_pygame.ui.layout import Column, Container, Grid, Row, Spacer
from kgen_pygame.ui.looks import Look, LookKind, StateLooks, WidgetState
from kgen_pygame.ui.root import HudAnchor, UIRoot
from kgen_pygame.ui.scrolllist import RowPainter, RowState, ScrollList
from kgen_pygame.ui.spinner import Spinner
from kgen_pygame.ui.table import Cell, CellValue, Table, TableColumn
from kgen_pygame.ui.tabs import Tabs
from kgen_pygame.ui.text import FontCache, TextCache, TextRenderer
from kgen_pygame.ui.textfield import (
    CharFilter,
    TextField,
    Validator,
    decimal_chars,
    digits_only,
    phone_chars,
)
from kgen_pygame.ui.theme import DEFAULT_THEME, RGB, RGBA, Align, Style, TextRole, Theme, Tone
from kgen_pygame.ui.toast import Toast, ToastQueue, ToastTone
from kgen_pygame.ui.view import View
from kgen_pygame.ui.widget import Widget, WidgetHost

__all__ = [
    "DEFAULT_THEME",
    "RGB",
    "RGBA",
    "Action",
    "Align",
    "Badge",
    "Button",
    "ButtonKind",
    "Cell",
    "CellValue",
    "CharFilter",
    "Column",
    "ConfirmDialog",
    "Container",
    "Device",
    "DialogButton",
    "FontCache",
    "Frame",
    "Grid",
    "HudAnchor",
    "InputMapper",
    "Intent",
    "Label",
    "Look",
    "LookKind",
    "ModalDialog",
    "Row",
    "RowPainter",
    "RowState",
    "ScrollList",
    "Spacer",
    "Spinner",
    "StateLooks",
    "Style",
    "Table",
    "TableColumn",
    "Tabs",
    "TextCache",
    "TextField",
    "TextRenderer",
    "TextRole",
    "Theme",
    "Toast",
    "ToastQueue",
    "ToastTone",
    "Tone",
    "UIRoot",
    "Validator",
    "View",
    "Widget",
    "WidgetHost",
    "WidgetState",
    "decimal_chars",
    "digits_only",
    "get_clipboard_text",
    "phone_chars",
    "set_clipboard_text",
]
