"""Configuration of the KGeN sandbox: who may call it, how it behaves, which faults it injects."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

DEFAULT_CLIENT_ID = "kgen-sandbox-client"
DEFAULT_CLIENT_SECRET = "kgen-sandbox-secret"  # noqa: S105 - public development credential
# The game's name in current-generation session answers (third_party_client_name).
DEFAULT_CLIENT_NAME = "KGEN_SANDBOX_GAME"

# The longest a fault may delay one request; keeps a typo from hanging a test for hours.
MAX_LATENCY_MS = 60_000


@dataclass(frozen=True, slots=True)
class Faults:
    """Faults injected into API answers: ``/api``, ``/s2s``, ``/fe`` (never ``/_sandbox``).

    Rates are probabilities in ``[0, 1]`` drawn once per request; their sum must not exceed 1.

    - ``latency_ms``: delay before every API request is handled.
    - ``error_rate``: answer 503 with a JSON error body, without handling the request.
    - ``drop_rate``: close the connection without any reply, without handling the request.
    - ``html_rate``: answer 502 with an HTML page (a misbehaving proxy), without handling it.
    - ``truncate_rate``: handle the request, then send only half of the JSON body although
      ``Content-Length`` announces all of it, and close the connection.
    - ``blackhole``: accept requests and never answer until the fault is cleared.
    """

    latency_ms: int = 0
    error_rate: float = 0.0
    drop_rate: float = 0.0
    html_rate: float = 0.0
    truncate_rate: float = 0.0
    blackhole: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.latency_ms, bool) or not isinstance(self.latency_ms, int):
            raise ValueError("latency_ms must be an integer")
        if not 0 <= self.latency_ms <= MAX_LATENCY_MS:
            raise ValueError(f"latency_ms must be between 0 and {MAX_LATENCY_MS}")
        for name in ("error_rate", "drop_rate", "html_rate", "truncate_rate"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"{name} must be a number")
            if not 0.0 <= float(value) <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1")
            object.__setattr__(self, name, float(value))
        if not isinstance(self.blackhole, bool):
            raise ValueError("blackhole must be a boolean")
        if self.total_rate > 1.0 + 1e-9:
            raise ValueError("error_rate + drop_rate + html_rate + truncate_rate must not exceed 1")

    @property
    def total_rate(self) -> float:
        """Probability that some per-request fault fires."""
        return self.error_rate + self.drop_rate + self.html_rate + self.truncate_rate

    @property
    def active(self) -> bool:
        """True when any fault is switched on."""
        return self.latency_ms > 0 or self.blackhole or self.total_rate > 0.0

    def replace(self, **changes: Any) -> Faults:
        """Return a copy with ``changes`` applied (validated)."""
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            raise ValueError(f"unknown fault setting(s): {', '.join(sorted(unknown))}")
        return dataclasses.replace(self, **changes)

    def as_dict(self) -> dict[str, Any]:
        """Plain-JSON form, as served by ``GET /_sandbox/faults``."""
        return dataclasses.asdict(self)


@dataclass(frozen=True, slots=True)
class Milestone:
    """A best-score threshold that grants an (unclaimed) reward the first time it is reached."""

    score: int
    reward: Decimal


def _default_milestones() -> tuple[Milestone, ...]:
    return (Milestone(1000, Decimal("5")), Milestone(5000, Decimal("20")))


@dataclass(frozen=True, slots=True)
class SandboxConfig:
    """Everything the sandbox needs to know.

    ``db_path`` is a SQLite file (created if missing, reused if present so state survives a
    restart) or ``None`` / ``":memory:"`` for a throw-away in-memory database.

    ``documented_only`` switches off every sandbox extension (see :mod:`.extensions`): the
    current generation then does only what its sources document.
    """

    host: str = "127.0.0.1"
    port: int = 0
    db_path: Path | str | None = None
    client_id: str = DEFAULT_CLIENT_ID
    client_secret: str = dataclasses.field(default=DEFAULT_CLIENT_SECRET, repr=False)
    client_name: str = DEFAULT_CLIENT_NAME
    documented_only: bool = False
    token_ttl_s: float = 86_400.0
    otp_ttl_s: float = 300.0
    otp_resend_cooldown_s: float = 30.0
    otp_max_attempts: int = 3
    # Length of the OTP "sent by SMS": the esports docs show 4 digits, the loyalty docs 6.
    otp_digits: int = 6
    min_withdraw: Decimal = Decimal("20")
    welcome_bonus: Decimal = Decimal("50")
    score_milestones: tuple[Milestone, ...] = field(default_factory=_default_milestones)
    faults: Faults = field(default_factory=Faults)
    seed: bool = True
    # Seconds until a wallet transaction counts as synced on chain (PENDING -> COMPLETED).
    chain_sync_delay_s: float = 5.0
    # Live tournaments kept available: when fewer are live, "Sprint" tournaments are created.
    min_live_tournaments: int = 3
    sprint_duration_s: float = 900.0
    max_body_bytes: int = 1_048_576
    # Rows one listing answers at most; None keeps the sandbox's own pages (a leaderboard
    # 1,000, wallet history 500 each way). Benchmarks of big lists raise it.
    list_rows: int | None = None
    # Idle keep-alive connections are closed after this many seconds.
    idle_timeout_s: float = 120.0

    def __post_init__(self) -> None:
        if not self.client_id or not self.client_secret:
            raise ValueError("client_id and client_secret must not be empty")
        if not self.client_name:
            raise ValueError("client_name must not be empty")
        if not 0 <= self.port <= 65535:
            raise ValueError("port must be between 0 and 65535")
        for name in ("token_ttl_s", "otp_ttl_s", "sprint_duration_s", "idle_timeout_s"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")
        if self.otp_resend_cooldown_s < 0 or self.chain_sync_delay_s < 0:
            raise ValueError("otp_resend_cooldown_s and chain_sync_delay_s must not be negative")
        if self.list_rows is not None and not 1 <= self.list_rows <= 100_000:
            raise ValueError("list_rows must be between 1 and 100000")
        if self.otp_max_attempts < 1:
            raise ValueError("otp_max_attempts must be at least 1")
        if self.otp_digits not in (4, 6):
            raise ValueError("otp_digits must be 4 or 6")
        if not isinstance(self.documented_only, bool):
            raise ValueError("documented_only must be a boolean")
        for name in ("min_withdraw", "welcome_bonus"):
            value = getattr(self, name)
            if not isinstance(value, Decimal):
                object.__setattr__(self, name, Decimal(str(value)))
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        for milestone in self.score_milestones:
            if not isinstance(milestone, Milestone):
                raise ValueError("score_milestones must be Milestone(score, reward) items")
        if self.min_live_tournaments < 0:
            raise ValueError("min_live_tournaments must not be negative")

    @property
    def in_memory(self) -> bool:
        """True when the database lives only in memory."""
        return self.db_path is None or str(self.db_path) == ":memory:"
