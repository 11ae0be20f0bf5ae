"""Modal dialogs: a title, a wrapped message and a row of buttons over a dimmed view."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kgen_pygame.ui.button import Button, ButtonKind
from kgen_pygame.ui.frame import Frame
from kgen_pygame.ui.label import Label
from kgen_pygame.ui.layout import Column, Row
from kgen_pygame.ui.view import View
from kgen_pygame.ui.widget import Widget


@dataclass(frozen=True, slots=True)
class DialogButton:
    """A dialog button. Pressing it closes the dialog first, then calls ``on_press``."""

    label: str
    on_press: Callable[[], None] | None = None
    kind: ButtonKind = "secondary"


class ModalDialog(View):
    """A message with buttons, drawn over (and blocking) whatever is below it.

    Esc / B dismisses it (calling ``on_dismiss``) unless ``dismissible`` is False.
    ``focus`` is the index of the initially focused button (default: the last one).
    """

    is_dialog = True

    def __init__(
        self,
        title: str,
        message: str,
        buttons: Sequence[DialogButton] = (DialogButton("OK", kind="primary"),),
        *,
        on_dismiss: Callable[[], None] | None = None,
        dismissible: bool = True,
        focus: int | None = None,
        width: float = 560,
    ) -> None:
        super().__init__()
        if not buttons:
            raise ValueError("a dialog needs at least one button")
        self.title = title
        self._message = message
        self.buttons = tuple(buttons)
        self.on_dismiss = on_dismiss
        self.dismissible = dismissible
        self.focus_index = len(self.buttons) - 1 if focus is None else focus
        self.width = width
        self.message_label = Label(message, wrap=True, tone="muted")
        self.button_widgets: list[Button] = []

    @property
    def message(self) -> str:
        """The dialog's message."""
        return self._message

    @message.setter
    def message(self, value: str) -> None:
        self._message = value
        self.message_label.set_text(value)

    def build(self) -> Widget:
        self.button_widgets = [
            Button(spec.label, self._presser(spec), kind=spec.kind, min_width=120)
            for spec in self.buttons
        ]
        index = max(0, min(len(self.button_widgets) - 1, self.focus_index))
        self.initial_focus = self.button_widgets[index]
        body = Column(
            self.message_label,
            Row(*self.button_widgets, justify="end"),
            spacing=28,
        )
        return Frame(
            self.title,
            body,
            width=self.width,
            height=None,
            max_width=self.width,
            close_hint=None,
        )

    def _presser(self, spec: DialogButton) -> Callable[[], None]:
        def press() -> None:
            self.close()
            if spec.on_press is not None:
                spec.on_press()

        return press

    def on_back(self) -> None:
        if not self.dismissible:
            return
        self.close()
        if self.on_dismiss is not None:
            self.on_dismiss()


class ConfirmDialog(ModalDialog):
    """A yes/no question. With ``danger=True`` the confirm button is red and Cancel is focused."""

    def __init__(
        self,
        title: str,
        message: str,
        on_confirm: Callable[[], None],
        *,
        on_cancel: Callable[[], None] | None = None,
        confirm_label: str = "Confirm",
        cancel_label: str = "Cancel",
        danger: bool = False,
    ) -> None:
        super().__init__(
            title,
            message,
            (
                DialogButton(cancel_label, on_cancel),
                DialogButton(confirm_label, on_confirm, kind="danger" if danger else "primary"),
            ),
            on_dismiss=on_cancel,
            focus=0 if danger else 1,
        )
