"""Which tournaments are live, worked out once per list instead of once per question.

A list of tournaments is asked "which are live now?" by the HUD, the menu and the
Tournaments panel, and "when does the next one start, lock or end?" by the panel
that shows the time left. Walking 5,000 tournaments for each question costs
milliseconds of the game's frame, so :class:`TournamentSchedule` indexes a list when
it arrives: the call worker builds it on its own thread, next to the reader that
parsed the answer, and the game thread then asks in O(log n). The live set itself is
rebuilt only when one of the tournaments ends.

The rule stays :meth:`kgen_pygame.models.Tournament.live_until`; this module only
indexes it.
"""

from __future__ import annotations

import math
import time
from bisect import bisect_right
from collections.abc import Iterable

from kgen_pygame.models import Tournament

__all__ = ["TournamentSchedule"]


class TournamentSchedule:
    """An immutable list of tournaments, indexed by when each starts, locks and ends.

    Build it off the game thread (it costs O(n log n)); :meth:`live` and
    :meth:`seconds_to_next_change` are then cheap. ``now`` arguments are POSIX times
    (``time.time()``), and time is expected to move forward: :meth:`live` keeps its
    answer until the next tournament ends.
    """

    __slots__ = ("_computed_at", "_ends", "_live", "_live_ids", "_moments", "_sorted_ends",
                 "_valid_until", "by_players", "by_uid", "tournaments", "uids")

    def __init__(self, tournaments: Iterable[Tournament] = (), *, now: float | None = None) -> None:
        items = tuple(tournaments)
        #: The tournaments, in the order the server sent them.
        self.tournaments: tuple[Tournament, ...] = items
        #: Each tournament by uid (the first one, should a uid repeat).
        self.by_uid: dict[str, Tournament] = {}
        for tournament in items:
            self.by_uid.setdefault(tournament.uid, tournament)
        #: The tournaments, most players first (then by title): the leaderboard's order.
        self.by_players: tuple[Tournament, ...] = tuple(
            sorted(items, key=lambda t: (-(t.participants_count or 0), t.title))
        )
        #: Their uids, in the same order.
        self.uids: tuple[str, ...] = tuple(tournament.uid for tournament in items)
        self._ends = [tournament.live_until() for tournament in items]
        self._sorted_ends = sorted(self._ends)
        self._moments = sorted(moment for t in items for moment in t.change_times())
        self._live: tuple[Tournament, ...] = ()
        self._live_ids: frozenset[str] = frozenset()
        self._valid_until = -math.inf  # worked out just below
        self._computed_at = math.inf
        self._refresh(time.time() if now is None else now)

    def __len__(self) -> int:
        return len(self.tournaments)

    def live(self, now: float | None = None) -> tuple[Tournament, ...]:
        """The tournaments that have not ended at ``now``, in the server's order."""
        self._refresh(time.time() if now is None else now)
        return self._live

    def live_ids(self, now: float | None = None) -> frozenset[str]:
        """The uids of :meth:`live`."""
        self._refresh(time.time() if now is None else now)
        return self._live_ids

    def seconds_to_next_change(self, now: float | None = None) -> float | None:
        """Seconds until the next start, registration lock or end (None: nothing ahead)."""
        current = time.time() if now is None else now
        index = bisect_right(self._moments, current)
        return self._moments[index] - current if index < len(self._moments) else None

    def same_tournaments(self, other: TournamentSchedule) -> bool:
        """True when ``other`` lists the same uids in the same order."""
        return self.uids == other.uids

    def _refresh(self, now: float) -> None:
        if self._computed_at <= now < self._valid_until:
            return  # no tournament ended since (and the clock did not go back)
        ended = bisect_right(self._sorted_ends, now)
        self._valid_until = (
            self._sorted_ends[ended] if ended < len(self._sorted_ends) else math.inf
        )
        self._computed_at = now
        self._live = tuple(t for t, end in zip(self.tournaments, self._ends, strict=True)
                           if now < end)
        self._live_ids = frozenset(t.uid for t in self._live)

