"""The outbox's error, and how SQLite errors are classified and turned into it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kgen_pygame.errors import OutboxError

# SQLite primary result codes we act on.
_SQLITE_PERM = 3
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_READONLY = 8
_SQLITE_CORRUPT = 11
_SQLITE_CANTOPEN = 14
_SQLITE_NOTADB = 26


__all__ = ["OutboxError"]


def _primary_code(error: sqlite3.Error) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def _is_busy(error: sqlite3.Error) -> bool:
    code = _primary_code(error)
    if code is not None:
        return code in (_SQLITE_BUSY, _SQLITE_LOCKED)
    return "locked" in str(error) or "busy" in str(error)


def _is_corruption(error: sqlite3.Error) -> bool:
    code = _primary_code(error)
    if code is not None:
        return code in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    text = str(error)
    return "not a database" in text or "malformed" in text


def _storage_error(error: sqlite3.Error, path: Path) -> OutboxError:
    code = _primary_code(error)
    if _is_busy(error):
        what = "is locked by another process"
    elif code in (_SQLITE_READONLY, _SQLITE_PERM, _SQLITE_CANTOPEN):
        what = "cannot be written (check the permissions of its folder)"
    else:
        what = f"failed ({type(error).__name__}: {error})"
    return OutboxError(f"the event outbox {path.name} {what}")


class _Unusable(Exception):  # noqa: N818 - internal signal, not an error for callers
    """The file at the path is not an outbox we can use; move it aside."""

    def __init__(self, label: str, detail: str) -> None:
        super().__init__(detail)
        self.label = label
