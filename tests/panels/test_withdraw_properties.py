"""Property test of the withdraw amount through the real panel: what the confirm shows.

A player of the API with partial withdrawals (v1) types arbitrary text into the real
withdraw panel (posted ``TEXTINPUT`` events, real frames) and presses Withdraw. Either
the confirm dialog opens and its title is exactly the typed number, parsed (never a
cleaned-up copy: "1,5" is never 15, "-5" is never 5), or no dialog opens, the field
still shows exactly what was typed and says what is wrong (a character the field does
not take at all, such as a no-break space, is refused with a message). Nothing is
withdrawn.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

import pygame
from driver import Driver
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kgen_pygame.panels.fields import AMOUNT_MAX
from kgen_pygame.panels.formatting import money

EARNED = 30
#: The sandbox's minimum withdrawal in the panel tests (tests/panels/conftest.py).
MINIMUM = 20
#: Digits, separators, signs, exponents, spaces, and digits of other scripts.
CHARACTERS = "0123456789..,,-+eE \u0663\u0665\uff11\u00a0a"
TYPED = st.text(alphabet=st.sampled_from(CHARACTERS), min_size=1, max_size=AMOUNT_MAX) | (
    st.sampled_from(["1,5", "-5", "+5", "25.5", "1e1", "20.", ".5", "020", "2,5", "-25",
                     "25.555", " 25 "])
)


def test_the_confirm_shows_exactly_the_typed_number(make_driver: Callable[..., Driver]) -> None:
    drive = make_driver(api="v1")  # the API with an amount to withdraw (partial_withdraw)
    drive.ready()
    drive.earn(EARNED)
    drive.link()
    drive.kgen.open_menu("withdraw")
    drive.settle()
    withdraw = drive.panel
    confirmed: list[str] = []

    @settings(max_examples=60, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(typed=TYPED)
    @example(typed="25.5")
    @example(typed="1,5")
    @example(typed="-5")
    @example(typed="2,5")  # would be 25, within the limits, if the comma were dropped
    @example(typed="-25")
    def check(typed: str) -> None:
        drive.fill(withdraw.amount, typed)
        kept = withdraw.amount.text
        if kept != typed:
            # A character the field does not take (not printable) is refused, and said so.
            assert withdraw.amount.refusal, typed
            assert not typed.isprintable()
        drive.click(withdraw.withdraw)
        written = kept.strip()
        if drive.top is withdraw:
            # Refused: the text stays as typed, with a reason.
            assert withdraw.amount.error or not kept, typed
            assert withdraw.amount.text == kept
            if kept:
                assert kept in withdraw.amount.drawn_texts()
            return
        # Accepted: a plain number of at most 2 decimals, and the dialog shows just it.
        assert re.fullmatch(r"[0-9]*\.?[0-9]{0,2}", written), typed
        value = Decimal(written)
        assert MINIMUM <= value <= EARNED
        assert drive.top.title == f"Withdraw {money(value)}?"
        confirmed.append(kept)
        drive.key(pygame.K_ESCAPE)
        assert drive.top is withdraw

    check()
    assert "25.5" in confirmed
    assert not {"1,5", "-5", "2,5", "-25"} & set(confirmed)
    assert drive.records()["withdrawals"] == 0
