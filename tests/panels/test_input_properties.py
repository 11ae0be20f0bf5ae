"""Property tests of the three fields players type into (phone, code, amount).

Each example builds the very field the panel builds (``panels.fields``), feeds it
arbitrary text through real posted pygame events - ``TEXTINPUT`` (keys and IME
commits), ``TEXTEDITING`` (IME composition) or Ctrl+V - and checks that the text
shown is exactly the text accepted, and that what the panel would send or confirm
is exactly what that text means. No character is ever dropped or converted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import Decimal

import pygame
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kgen_pygame.panels import fields, formatting, inputs
from kgen_pygame.ui import Column, Frame, TextField, UIRoot, View, Widget, clipboard
from kgen_pygame.ui.textfield import pasted_line

FIELDS: dict[str, Callable[[], TextField]] = {
    "amount": fields.amount_field,
    "otp": fields.otp_field,
    "phone": fields.phone_field,
}
#: Strings a player (or a keyboard layout, an IME, a clipboard) really produces.
TRICKY = [
    "1,5", "-5", "+5", "1.5", "25.50", "1e3", "12.345", "\u0663\u0660", "\uff11\uff12",
    "\u0661\u0662\u0663\u0664\u0665\u0666", "123 456", "123456", "98765 43210", "(987) 654-3210",
    "\n", "482913\n", "a\tb", "\u200b", "\u00a0", "\u4f60", "NaN", "Infinity", " 25 ",
]
INSERTION = st.text(max_size=10) | st.sampled_from(TRICKY)
HOW = st.sampled_from(["type", "paste", "compose"])


class Form(View):
    def __init__(self, field: TextField) -> None:
        super().__init__()
        self.field = field

    def build(self) -> Widget:
        self.initial_focus = self.field
        return Frame("Form", Column(self.field))


@pytest.fixture(scope="module")
def screen() -> Iterator[pygame.Surface]:
    pygame.init()
    yield pygame.display.set_mode((800, 600))
    pygame.event.clear()


def _accepts(current: str, text: str, limit: int | None) -> bool:
    """The rule, written out independently of the widget."""
    if not text or not text.isprintable():
        return False
    return limit is None or len(current) + len(text) <= limit


def _feed(root: UIRoot) -> None:
    for event in pygame.event.get():
        root.handle(event)


def _insert(root: UIRoot, how: str, text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if how == "type":
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=text))
    elif how == "compose":
        pygame.event.post(pygame.event.Event(pygame.TEXTEDITING, text=text, start=0,
                                             length=len(text)))
    else:
        # The dummy video driver of pygame 2.6 has no clipboard: stand in for the
        # clipboard read only; the key press and the paste path are the real ones.
        monkeypatch.setattr(clipboard, "get_clipboard_text", lambda: text or None)
        pygame.event.post(pygame.event.Event(
            pygame.KEYDOWN, key=pygame.K_v, mod=pygame.KMOD_LCTRL, unicode="", scancode=0))
    _feed(root)


def _check_meaning(kind: str, text: str) -> None:
    """What the panel would send or confirm is what the shown text means."""
    written = text.strip()
    if kind == "amount":
        value, _ = inputs.check_withdraw_amount(
            text, earned=Decimal("1e12"), minimum=Decimal(0))
        if value is not None:
            assert re.fullmatch(r"[0-9]*\.?[0-9]{0,2}", written)
            assert value == Decimal(written)
            assert formatting.money(value) == f"{value:,.2f} KGeN"  # the confirm dialog
        elif written and not re.fullmatch(r"[0-9]*\.?[0-9]*", written):
            assert inputs.amount_problem(text)  # refused with a reason, never read otherwise
    elif kind == "otp":
        code, problem = inputs.check_otp(text)
        assert (code is None) != (problem is None)
        if code is not None:
            assert code == written and re.fullmatch(r"[0-9]{6}", code)
    else:
        number, problem = inputs.check_phone(text)
        assert (number is None) != (problem is None)
        if number is not None:
            assert number == "".join(c for c in text if "0" <= c <= "9")
            assert all("0" <= c <= "9" or c in " \t-.()" or c.isspace() for c in text)


@settings(max_examples=250, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(sorted(FIELDS)), steps=st.lists(st.tuples(HOW, INSERTION),
                                                           max_size=6))
def test_the_field_shows_exactly_what_it_accepted(
    screen: pygame.Surface, kind: str, steps: list[tuple[str, str]]
) -> None:
    field = FIELDS[kind]()
    root = UIRoot(size=screen.get_size())
    root.open(Form(field))
    expected = ""
    with pytest.MonkeyPatch.context() as monkeypatch:
        for how, text in steps:
            _insert(root, how, text, monkeypatch)
            if how == "compose":
                assert field.text == expected  # a composition is not text yet
                pygame.event.post(pygame.event.Event(pygame.TEXTEDITING, text="", start=0,
                                                     length=0))
                _feed(root)
                continue
            offered = pasted_line(text) if how == "paste" else text
            if _accepts(expected, offered, field.max_length):
                expected += offered
            else:
                assert field.text == expected and (field.refusal or not offered)
            assert field.text == expected
    root.draw(screen)
    drawn = field.drawn_texts()
    if expected:
        assert expected in drawn  # the box shows the text itself, not a cleaned copy
    _check_meaning(kind, expected)


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=24) | st.sampled_from(TRICKY))
def test_checks_read_text_as_it_is(text: str) -> None:
    for kind in FIELDS:
        _check_meaning(kind, text)
