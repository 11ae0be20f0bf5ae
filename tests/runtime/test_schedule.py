"""TournamentSchedule: the live set and the next change, indexed once per list.

Checked against the rule it indexes (``Tournament.has_ended`` and the start, lock and
end times) at many moments, including a clock that goes back.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from kgen_pygame.models import Tournament
from kgen_pygame.runtime.state import PlayerState
from kgen_pygame.schedule import TournamentSchedule

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def tournament(uid: str, *, ends_in: float | None, starts_in: float | None = None,
               locks_in: float | None = None, status: str | None = "ACTIVE",
               naive: bool = False, base: datetime = NOW) -> Tournament:
    def at(seconds: float | None) -> datetime | None:
        if seconds is None:
            return None
        moment = base + timedelta(seconds=seconds)
        return moment.replace(tzinfo=None) if naive else moment

    return Tournament(
        uid=uid, title=f"Cup {uid}", description="", status=status, buy_in=Decimal(0),
        prize_pool=None, participants_count=int(uid) % 7, max_players=None,
        starts_at=at(starts_in), ends_at=at(ends_in), locks_at=at(locks_in),
    )


def mixed(count: int) -> list[Tournament]:
    rng = random.Random(7)
    items = []
    for index in range(count):
        items.append(tournament(
            str(index),
            ends_in=rng.choice([None, rng.uniform(-100, 100)]),
            starts_in=rng.choice([None, rng.uniform(-100, 100)]),
            locks_in=rng.choice([None, rng.uniform(-100, 100)]),
            status=rng.choice(["ACTIVE", "COMPLETED", None, "ended"]),
            naive=rng.random() < 0.3,
        ))
    return items


def test_live_and_next_change_agree_with_the_model_at_every_moment() -> None:
    items = mixed(300)
    schedule = TournamentSchedule(items, now=(NOW - timedelta(seconds=200)).timestamp())
    offsets = sorted(random.Random(3).uniform(-150, 150) for _ in range(200))
    offsets += [-120.0, 40.0, -10.0]  # and back in time: the answer is worked out again
    for offset in offsets:
        moment = NOW + timedelta(seconds=offset)
        now = moment.timestamp()
        expected = tuple(t for t in items if not t.has_ended(moment))
        assert schedule.live(now) == expected
        assert schedule.live_ids(now) == frozenset(t.uid for t in expected)
        ahead = [m for t in items for m in t.change_times() if m > now]
        wanted = min(ahead) - now if ahead else None
        got = schedule.seconds_to_next_change(now)
        assert (got is None) == (wanted is None)
        if got is not None and wanted is not None:
            assert abs(got - wanted) < 1e-6


def test_the_live_set_is_kept_until_a_tournament_ends() -> None:
    items = [tournament("1", ends_in=10), tournament("2", ends_in=20),
             tournament("3", ends_in=None)]
    schedule = TournamentSchedule(items, now=NOW.timestamp())
    first = schedule.live(NOW.timestamp())
    assert schedule.live(NOW.timestamp() + 9) is first  # nothing ended: the same tuple
    assert [t.uid for t in schedule.live(NOW.timestamp() + 10)] == ["2", "3"]
    assert [t.uid for t in schedule.live(NOW.timestamp() + 25)] == ["3"]


def test_the_player_state_counts_joined_live_ones_from_the_schedule() -> None:
    state = PlayerState()  # asks with the real time
    now = datetime.now(UTC)
    items = [tournament("1", ends_in=-5, base=now), tournament("2", ends_in=600, base=now),
             tournament("3", ends_in=None, base=now)]
    assert state.apply_tournaments(items)  # a plain list is indexed too
    assert not state.apply_tournaments(TournamentSchedule(list(items)))  # same uids: no change
    state.apply_joined(["1", "2", "9"])
    assert state.joined_live_ids == frozenset({"2"})
    assert state.joined_ended_ids == frozenset({"1", "9"})
    assert [t.uid for t in state.live_tournaments] == ["2", "3"]
    assert state.schedule.by_uid["3"].title == "Cup 3"
    assert [t.uid for t in state.schedule.by_players][:1] == ["3"]  # 3 players, the most
