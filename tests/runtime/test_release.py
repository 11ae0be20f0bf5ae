"""GradualRelease: replaced big lists are freed a few hundred objects a frame."""

from __future__ import annotations

import weakref
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from kgen_pygame.models import Tournament
from kgen_pygame.release import PER_FRAME, SMALL, GradualRelease
from kgen_pygame.runtime.notifier import Notifier, Refreshed


class Item:
    pass


def test_big_lists_are_freed_over_steps_and_small_ones_at_once() -> None:
    release = GradualRelease()
    items = [Item() for _ in range(2 * PER_FRAME + 10)]
    alive = [weakref.ref(item) for item in items]
    release.hold(items)
    del items
    assert all(ref() is not None for ref in alive)  # nothing freed in the call
    steps = 0
    while len(release):
        release.step()
        steps += 1
    assert steps == 3 and all(ref() is None for ref in alive)

    few = [Item() for _ in range(SMALL - 1)]
    refs = [weakref.ref(item) for item in few]
    release.hold(few)
    del few
    assert len(release) == 0 and all(ref() is None for ref in refs)


def test_a_refresh_hands_the_replaced_tournaments_to_the_release() -> None:
    now = datetime.now(UTC)

    def cup(uid: int) -> Tournament:
        return Tournament(uid=str(uid), title="Cup", description="", status="ACTIVE",
                          buy_in=Decimal(0), prize_pool=None, participants_count=None,
                          max_players=None, starts_at=None, ends_at=now + timedelta(hours=1))

    notifier = Notifier()
    notifier.send(Refreshed("tournaments", [cup(i) for i in range(3000)]))
    notifier.dispatch()
    assert len(notifier.released) == 0  # nothing was replaced
    notifier.send(Refreshed("tournaments", [cup(i) for i in range(3000, 6000)]))
    notifier.dispatch()
    assert len(notifier.released) == 3000  # the old list, not freed in that frame
    assert notifier.state.tournaments[0].uid == "3000"
    for left in range(3000 - PER_FRAME, -1, -PER_FRAME):
        notifier.dispatch()
        assert len(notifier.released) == left
