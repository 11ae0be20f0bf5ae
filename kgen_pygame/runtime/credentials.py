"""Where session tokens are kept between launches.

Three stores share one small protocol (:class:`CredentialStore`):

:class:`KeyringStore`
    The operating system's keyring (macOS Keychain, Windows Credential
    Locker, Secret Service / KWallet) through ``keyring``, used when a real
    backend exists. keyring's ``fail`` and ``null`` backends, plaintext and
    prompt-for-a-password file backends (``keyrings.alt``) and any backend
    of priority <= 0 count as none: they either do not store, store in the
    clear, or would block the game on a terminal prompt.
:class:`FileStore`
    A JSON file created with mode 0600 under
    ``platformdirs.user_state_dir("kgen-pygame")``, written atomically (temp
    file, fsync, ``os.replace``). The fallback when no keyring exists; a
    WARNING says so once per process, with the way to opt out.
:class:`MemoryStore`
    Nothing survives the process: the opt-out (players then get a new session
    on every launch).

:func:`open_credential_store` picks one. Keyring calls can take long (D-Bus,
an unlock dialog): call every method here from a worker thread, never from
the game loop.

Besides session records, each store keeps small long-lived secrets by key
(:meth:`~CredentialStore.load_secret` / :meth:`~CredentialStore.save_secret`):
the device key of :mod:`kgen_pygame.broker_client` lives there.

Tokens never reach a log line, an exception message or a ``repr()``: records
hide the token in their repr, keys are hashes (no host, client or gamer id in
a key name), and errors name only the exception type of the backend.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import secrets
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final, Protocol, runtime_checkable
from urllib.parse import urlsplit

from kgen_pygame.errors import CredentialStoreError

try:  # POSIX only; serialises read-modify-write of the token file between processes.
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "DEFAULT_EXPIRY_SKEW",
    "DEFAULT_SERVICE",
    "TOKEN_FILENAME",
    "CredentialStore",
    "CredentialStoreError",
    "FileStore",
    "KeyringStore",
    "MemoryStore",
    "TokenRecord",
    "find_keyring_backend",
    "is_usable_backend",
    "open_credential_store",
    "store_key",
]

logger = logging.getLogger(__name__)

DEFAULT_SERVICE: Final = "kgen-pygame"
TOKEN_FILENAME: Final = "credentials.json"  # noqa: S105 - a file name
#: A record that expires within this margin is treated as absent.
DEFAULT_EXPIRY_SKEW: Final = timedelta(seconds=30)
_FILE_VERSION = 1
_SECRET_FIELD = "secret"  # noqa: S105 - a field name
_OPT_OUT_HINT = "KGEN_PLAINTEXT_TOKEN_FALLBACK=0 keeps them in memory only"
#: Beside the token file: the plaintext warning was shown for this folder already.
_WARNED_MARKER = ".plaintext-warning-shown"


@dataclass(frozen=True, slots=True)
class TokenRecord:
    """A stored session: the token and what identifies it. The repr hides the token."""

    token: str = field(repr=False)
    expires_at: datetime | None
    gamer_id: str
    session_id: str | None = None
    wallet_address: str | None = None
    #: The current generation's refresh token: kept, never sent (no endpoint takes it, C1).
    refresh_token: str | None = field(default=None, repr=False)

    def is_expired(
        self, now: datetime | None = None, skew: timedelta = DEFAULT_EXPIRY_SKEW
    ) -> bool:
        """True when the token expires within ``skew`` of ``now`` (naive times are UTC)."""
        if self.expires_at is None:
            return False
        current = _aware(now or datetime.now(UTC))
        return _aware(self.expires_at) - skew <= current

    def to_dict(self) -> dict[str, str | None]:
        """The JSON form stored by the keyring and file stores."""
        return {
            "token": self.token,
            "expires_at": None if self.expires_at is None else _aware(self.expires_at).isoformat(),
            "gamer_id": self.gamer_id,
            "session_id": self.session_id,
            "wallet_address": self.wallet_address,
            "refresh_token": self.refresh_token,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TokenRecord:
        """Rebuild a record from :meth:`to_dict` output; ``ValueError`` when malformed."""
        token = data.get("token")
        gamer_id = data.get("gamer_id")
        if not isinstance(token, str) or not token or not isinstance(gamer_id, str):
            raise ValueError("stored session record lacks a token or gamer id")
        raw_expiry = data.get("expires_at")
        expires_at = None
        if raw_expiry is not None:
            if not isinstance(raw_expiry, str):
                raise ValueError("stored session expiry is not a date")
            expires_at = _aware(datetime.fromisoformat(raw_expiry))
        return cls(
            token=token,
            expires_at=expires_at,
            gamer_id=gamer_id,
            session_id=_optional_text(data.get("session_id")),
            wallet_address=_optional_text(data.get("wallet_address")),
            refresh_token=_optional_text(data.get("refresh_token")),
        )


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _optional_text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _usable(record: TokenRecord | None, skew: timedelta) -> TokenRecord | None:
    return None if record is None or record.is_expired(skew=skew) else record


def _decode(text: str) -> TokenRecord | None:
    try:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("not an object")
        return TokenRecord.from_dict(data)
    except ValueError:
        logger.warning("ignoring a stored KGeN session that could not be read")
        return None


def store_key(
    base_url: str, client_id: str | None, gamer_id: str, generation: str = "v1"
) -> str:
    """The key a session is stored under: a hash, so no name reveals who or where.

    It combines the server's origin (scheme, host and port: a token goes back
    only to the server that issued it), the API generation (their tokens differ),
    the client id and the gamer id.
    """
    parts = urlsplit(base_url.strip())
    scheme = (parts.scheme or "https").lower()
    host = (parts.hostname or "").lower()
    try:
        port = parts.port or {"http": 80, "https": 443}.get(scheme, 0)
    except ValueError:
        port = 0
    origin = f"{scheme}://{host}:{port}"
    parts_of_key = ["kgen-session-v1", origin, client_id or "", gamer_id]
    if generation != "v1":  # v1 keys stay what earlier releases stored
        parts_of_key.append(generation)
    material = "\0".join(parts_of_key)
    return "session-" + hashlib.sha256(material.encode("utf-8")).hexdigest()[:40]


@runtime_checkable
class CredentialStore(Protocol):
    """Keeps one :class:`TokenRecord` (or one secret string) per key. Worker threads only.

    ``load`` returns None for an absent, unreadable or expired record;
    ``save`` and ``delete`` raise :class:`CredentialStoreError` on failure.
    ``load_secret`` / ``save_secret`` do the same for a plain secret string
    (a device key), which never expires; ``delete`` removes either kind.
    """

    kind: str

    def load(self, key: str) -> TokenRecord | None: ...

    def save(self, key: str, record: TokenRecord) -> None: ...

    def delete(self, key: str) -> None: ...

    def load_secret(self, key: str) -> str | None: ...

    def save_secret(self, key: str, value: str) -> None: ...


def _check_secret(value: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError("a stored secret must be a non-empty string")
    return value


# -- keyring --------------------------------------------------------------------------

_UNUSABLE_NAME_PARTS = ("Fail", "Null", "Plaintext")
# keyrings.alt's file backends store in the clear or prompt on a terminal.
_UNUSABLE_MODULES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt.file")


def is_usable_backend(backend: Any) -> bool:
    """True for a keyring backend that really stores secrets without a terminal prompt.

    Fail, null and plaintext backends, ``keyrings.alt`` file backends, the
    chainer itself and anything of priority <= 0 (or whose priority raises)
    are not usable.
    """
    cls = type(backend)
    if any(part in cls.__name__ for part in _UNUSABLE_NAME_PARTS):
        return False
    if cls.__module__.startswith(_UNUSABLE_MODULES) or _is_chainer(backend):
        return False
    try:
        priority = float(cls.priority)
    except Exception:
        return False
    return priority > 0


def _is_chainer(backend: Any) -> bool:
    try:
        from keyring.backends.chainer import ChainerBackend
    except Exception:  # pragma: no cover - keyring broken
        return False
    return isinstance(backend, ChainerBackend)


def find_keyring_backend(backend: Any = None) -> Any:
    """The keyring backend to use, or None when no usable one exists.

    Looks at ``backend`` or, by default, ``keyring.get_keyring()`` (which may
    probe D-Bus: slow, call from a worker). A chainer counts through its best
    usable member, which is then used directly.
    """
    if backend is None:
        try:
            import keyring

            backend = keyring.get_keyring()
        except Exception as error:
            logger.info("no system keyring (%s)", type(error).__name__)
            return None
    if _is_chainer(backend):
        try:
            members = list(type(backend).backends)
        except Exception:
            return None
        usable = [member for member in members if is_usable_backend(member)]
        usable.sort(key=lambda member: float(type(member).priority), reverse=True)
        return usable[0] if usable else None
    return backend if is_usable_backend(backend) else None


class KeyringStore:
    """Tokens in the system keyring, one entry per key under ``service``.

    Every call may block (D-Bus, an unlock prompt): worker threads only.
    """

    kind = "keyring"

    def __init__(
        self,
        backend: Any,
        service: str = DEFAULT_SERVICE,
        *,
        expiry_skew: timedelta = DEFAULT_EXPIRY_SKEW,
    ) -> None:
        self._backend = backend
        self._service = service
        self._skew = expiry_skew

    def __repr__(self) -> str:
        return f"<KeyringStore {type(self._backend).__name__} service={self._service!r}>"

    def load(self, key: str) -> TokenRecord | None:
        """The record under ``key``, or None (absent, unreadable or expired)."""
        try:
            text = self._backend.get_password(self._service, key)
        except Exception as error:
            raise CredentialStoreError(
                f"the system keyring could not be read ({type(error).__name__})"
            ) from None
        if not text:
            return None
        return _usable(_decode(text), self._skew)

    def save(self, key: str, record: TokenRecord) -> None:
        """Store ``record`` under ``key`` (replacing any previous one)."""
        text = json.dumps(record.to_dict(), separators=(",", ":"))
        try:
            self._backend.set_password(self._service, key, text)
        except Exception as error:
            raise CredentialStoreError(
                f"the system keyring could not store the session ({type(error).__name__})"
            ) from None

    def load_secret(self, key: str) -> str | None:
        """The secret under ``key``, or None; CredentialStoreError if the keyring fails."""
        try:
            value = self._backend.get_password(self._service, key)
        except Exception as error:
            raise CredentialStoreError(
                f"the system keyring could not be read ({type(error).__name__})"
            ) from None
        return value if isinstance(value, str) and value else None

    def save_secret(self, key: str, value: str) -> None:
        """Store the secret ``value`` under ``key``."""
        _check_secret(value)
        try:
            self._backend.set_password(self._service, key, value)
        except Exception as error:
            raise CredentialStoreError(
                f"the system keyring could not store a secret ({type(error).__name__})"
            ) from None

    def delete(self, key: str) -> None:
        """Remove the record under ``key``; absent is fine."""
        try:
            from keyring.errors import PasswordDeleteError
        except Exception:  # pragma: no cover - keyring broken
            PasswordDeleteError = LookupError  # type: ignore[misc,assignment]  # noqa: N806
        try:
            self._backend.delete_password(self._service, key)
        except PasswordDeleteError:
            return
        except Exception as error:
            raise CredentialStoreError(
                f"the system keyring could not delete the session ({type(error).__name__})"
            ) from None


# -- file ---------------------------------------------------------------------------------


def default_state_dir() -> Path:
    """``platformdirs.user_state_dir("kgen-pygame")``."""
    import platformdirs

    return Path(platformdirs.user_state_dir("kgen-pygame", appauthor=False))


class FileStore:
    """Tokens in a JSON file readable only by the user (mode 0600).

    Writes go to a temp file created 0600, are fsynced and then renamed over
    the old file, so a crash leaves the old or the new file, never half of
    one. A file found with wider permissions is narrowed back to 0600. On
    Windows the mode bits mean little; the file relies on the ACL of the
    user's profile folder. Holds several records (one per key).
    """

    kind = "file"

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        expiry_skew: timedelta = DEFAULT_EXPIRY_SKEW,
    ) -> None:
        self.path = Path(path) if path is not None else default_state_dir() / TOKEN_FILENAME
        self._skew = expiry_skew
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<FileStore {self.path}>"

    def load(self, key: str) -> TokenRecord | None:
        """The record under ``key``, or None (absent, unreadable or expired)."""
        with self._lock:
            records = self._read()
        raw = records.get(key)
        if not isinstance(raw, dict):
            return None
        try:
            record = TokenRecord.from_dict(raw)
        except ValueError:
            logger.warning("ignoring a stored KGeN session that could not be read")
            return None
        return _usable(record, self._skew)

    def save(self, key: str, record: TokenRecord) -> None:
        """Store ``record`` under ``key`` (replacing any previous one)."""
        with self._lock, self._file_lock():
            records = self._read()
            records[key] = record.to_dict()
            self._write(records)

    def delete(self, key: str) -> None:
        """Remove the record under ``key``; absent is fine."""
        with self._lock, self._file_lock():
            records = self._read()
            if records.pop(key, None) is not None:
                self._write(records)

    def load_secret(self, key: str) -> str | None:
        """The secret under ``key``, or None."""
        with self._lock:
            raw = self._read().get(key)
        value = raw.get(_SECRET_FIELD) if isinstance(raw, dict) else None
        return value if isinstance(value, str) and value else None

    def save_secret(self, key: str, value: str) -> None:
        """Store the secret ``value`` under ``key`` (same file, same 0600 and atomic write)."""
        _check_secret(value)
        with self._lock, self._file_lock():
            records = self._read()
            records[key] = {_SECRET_FIELD: value}
            self._write(records)

    def _read(self) -> dict[str, Any]:
        try:
            with open(self.path, encoding="utf-8") as handle:
                self._narrow_mode(handle.fileno())
                data = json.load(handle)
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as error:
            logger.warning(
                "the KGeN token file %s could not be read (%s); starting without stored sessions",
                self.path,
                type(error).__name__,
            )
            return {}
        records = data.get("records") if isinstance(data, dict) else None
        return dict(records) if isinstance(records, dict) else {}

    def _narrow_mode(self, fd: int) -> None:
        if os.name != "posix":
            return
        mode = os.fstat(fd).st_mode & 0o777
        if mode & 0o077:
            logger.warning(
                "the KGeN token file %s was readable by others (mode %o); set it to 0600",
                self.path,
                mode,
            )
            with contextlib.suppress(OSError):
                os.fchmod(fd, 0o600)

    def _write(self, records: Mapping[str, Any]) -> None:
        payload = json.dumps(
            {"version": _FILE_VERSION, "records": dict(records)}, indent=1, sort_keys=True
        ).encode("utf-8")
        directory = self.path.parent
        temp = directory / f".{self.path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        try:
            directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
            fd = os.open(temp, flags, 0o600)
            try:
                if hasattr(os, "fchmod"):
                    os.fchmod(fd, 0o600)  # exactly 0600, whatever the umask
                view = memoryview(payload)
                while view:
                    view = view[os.write(fd, view) :]
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(temp, self.path)
        except OSError as error:
            with contextlib.suppress(OSError):
                temp.unlink()
            raise CredentialStoreError(
                f"the KGeN token file could not be written ({type(error).__name__})"
            ) from None
        _fsync_directory(directory)

    @contextlib.contextmanager
    def _file_lock(self) -> Iterator[None]:
        if fcntl is None:  # pragma: no cover - Windows
            yield
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(str(self.path) + ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as error:
            raise CredentialStoreError(
                f"the KGeN token file could not be locked ({type(error).__name__})"
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable (POSIX; a no-op where directories cannot be opened)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# -- memory ---------------------------------------------------------------------------------


class MemoryStore:
    """Tokens kept only for the life of the process (the opt-out)."""

    kind = "memory"

    def __init__(self, *, expiry_skew: timedelta = DEFAULT_EXPIRY_SKEW) -> None:
        self._records: dict[str, TokenRecord] = {}
        self._secrets: dict[str, str] = {}
        self._lock = threading.Lock()
        self._skew = expiry_skew

    def __repr__(self) -> str:
        return f"<MemoryStore {len(self._records)} record(s)>"

    def load(self, key: str) -> TokenRecord | None:
        """The record under ``key``, or None (absent or expired)."""
        with self._lock:
            record = self._records.get(key)
        return _usable(record, self._skew)

    def save(self, key: str, record: TokenRecord) -> None:
        """Keep ``record`` under ``key``."""
        with self._lock:
            self._records[key] = record

    def delete(self, key: str) -> None:
        """Forget the record (or secret) under ``key``."""
        with self._lock:
            self._records.pop(key, None)
            self._secrets.pop(key, None)

    def load_secret(self, key: str) -> str | None:
        """The secret under ``key``, or None."""
        with self._lock:
            return self._secrets.get(key)

    def save_secret(self, key: str, value: str) -> None:
        """Keep the secret ``value`` under ``key`` for the life of the process."""
        _check_secret(value)
        with self._lock:
            self._secrets[key] = value


# -- choosing ---------------------------------------------------------------------------------

_warning_lock = threading.Lock()
_warned_dirs: set[Path] = set()


def _warn_plaintext_once(path: Path) -> None:
    """One short warning per data folder, ever (a marker file remembers it)."""
    folder = path.parent
    with _warning_lock:
        if folder in _warned_dirs:
            return
        _warned_dirs.add(folder)
    marker = folder / _WARNED_MARKER
    if marker.exists():
        logger.debug("KGeN session tokens are kept in %s (no system keyring)", path)
        return
    logger.warning("no system keyring: KGeN tokens go to %s (mode 0600); %s", path, _OPT_OUT_HINT)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:
        logger.debug("could not remember that the token-file warning was shown", exc_info=True)


def open_credential_store(
    service: str = DEFAULT_SERVICE,
    state_dir: str | os.PathLike[str] | None = None,
    allow_plaintext_fallback: bool = True,
    *,
    backend: Any = None,
) -> CredentialStore:
    """Pick where tokens live: keyring, else a 0600 file (warned once), else memory.

    ``state_dir`` is the folder of the token file (default
    ``platformdirs.user_state_dir("kgen-pygame")``). ``backend`` overrides the
    keyring backend to consider (default ``keyring.get_keyring()``). May be
    slow (keyring discovery): call from a worker thread.
    """
    found = find_keyring_backend(backend)
    if found is not None:
        logger.debug("KGeN session tokens go to the system keyring (%s)", type(found).__name__)
        return KeyringStore(found, service)
    if not allow_plaintext_fallback:
        logger.info(
            "no system keyring is available and the token file is switched off: KGeN "
            "sessions are kept in memory only"
        )
        return MemoryStore()
    directory = Path(state_dir) if state_dir is not None else default_state_dir()
    store = FileStore(directory / TOKEN_FILENAME)
    _warn_plaintext_once(store.path)
    return store
