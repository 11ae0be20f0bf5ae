"""The player's local record: best score and achievements earned, kept in a small JSON file
(or only in memory)."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)


class Profile:
    """Best score and the achievements earned (their eventTypes); `path` None keeps them in
    memory (scripted and test runs stay reproducible)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.best = 0
        self.earned: frozenset[str] = frozenset()
        if path is not None:
            self._load(path)

    def _load(self, path: Path) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            self.best = max(0, int(data.get("best", 0)))
            earned = data.get("earned", [])
            if isinstance(earned, list):
                self.earned = frozenset(str(item) for item in earned)
        except FileNotFoundError:
            return
        except (OSError, ValueError, TypeError, AttributeError) as exc:
            log.warning("profile: ignoring unreadable %s (%s)", path.name, exc)

    def record(self, score: int) -> bool:
        """Remember `score` if it beats the best; True when it did."""
        if score <= self.best:
            return False
        self.best = score
        self._save()
        return True

    def mark_earned(self, event_type: str) -> None:
        """Remember that the player earned the achievement `event_type` (saved at once)."""
        if event_type not in self.earned:
            self.earned = self.earned | {event_type}
            self._save()

    def _save(self) -> None:
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps({"best": self.best, "earned": sorted(self.earned)}),
                           encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError as exc:
            log.warning("profile: cannot save the best score and achievements (%s)", exc)
