"""The player's local record: best score, kept in a small JSON file (or only in memory)."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)


class Profile:
    """Best score; `path` None keeps it in memory (scripted and test runs stay reproducible)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.best = 0
        if path is not None:
            self._load(path)

    def _load(self, path: Path) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            self.best = max(0, int(data.get("best", 0)))
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

    def _save(self) -> None:
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps({"best": self.best}), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError as exc:
            log.warning("profile: cannot save best score (%s)", exc)
