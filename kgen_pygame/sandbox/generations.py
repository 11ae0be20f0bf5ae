"""Which API generation a request path belongs to (for error bodies, faults and records)."""

from __future__ import annotations

from typing import Literal

Generation = Literal["v1", "current", "legacy", "sandbox", "unknown"]

_LEGACY_PREFIXES = ("/api/proxy/", "/api/event-reward-user-claims/")


def of_path(path: str) -> Generation:
    """``/api/v1`` -> v1, ``/s2s`` and ``/fe`` -> current, seed 000's two paths -> legacy."""
    if path.startswith("/_sandbox/") or path == "/_sandbox":
        return "sandbox"
    if path.startswith(("/s2s/", "/fe/")):
        return "current"
    if path.startswith(_LEGACY_PREFIXES):
        return "legacy"
    if path.startswith("/api/"):
        return "v1"
    return "unknown"


def faultable(path: str) -> bool:
    """Faults apply to every API path, never to the sandbox's own routes."""
    return of_path(path) != "sandbox"


def speaks_current_errors(path: str) -> bool:
    """Current and legacy paths share the current generation's error conventions."""
    return of_path(path) in ("current", "legacy")
