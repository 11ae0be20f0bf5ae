"""Path building shared by the adapters: one rule for path parameters."""

from __future__ import annotations

from urllib.parse import quote

__all__ = ["segment"]


def segment(value: str) -> str:
    """Quote a path parameter so "/" or "?" in an id cannot change the route."""
    return quote(value, safe="")
