"""What every piece of route logic gets: the open transaction, the time, the configuration."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from .config import SandboxConfig


@dataclass(slots=True)
class Ctx:
    """One request's view of the world (``now`` is fixed for the whole request)."""

    conn: sqlite3.Connection
    now: float
    config: SandboxConfig
