"""Token storage: keyring detection with keyring's real backends, the 0600 file, memory."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import keyring
import keyring.backend
import keyring.backends.fail
import keyring.backends.null
import pytest
from keyring.backends.chainer import ChainerBackend
from keyring.errors import PasswordDeleteError

from kgen_pygame.runtime import credentials
from kgen_pygame.runtime.credentials import (
    CredentialStore,
    CredentialStoreError,
    FileStore,
    KeyringStore,
    MemoryStore,
    TokenRecord,
    find_keyring_backend,
    is_usable_backend,
    open_credential_store,
    store_key,
)

TOKEN = "tok-3f9c2a77d1e84b0c9a6e5d4c3b2a1f00-very-secret"
LOGGER = "kgen_pygame.runtime.credentials"
posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


class DesktopKeyring(keyring.backend.KeyringBackend):
    """Stands in for a desktop keyring (Secret Service, Keychain), which cannot run here.

    ``viable = False`` keeps keyring's own auto-detection from ever picking it
    for other tests in this process.
    """

    priority = 1  # type: ignore[assignment]
    viable = False  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.entries:
            raise PasswordDeleteError("not found")
        del self.entries[(service, username)]


class LockedKeyring(DesktopKeyring):
    """A desktop keyring whose every call fails (locked, D-Bus gone)."""

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked(f"cannot unlock for {username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError(f"refused {password}")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.KeyringLocked("locked")


class PlaintextKeyring(DesktopKeyring):
    """Named like keyrings.alt's plaintext file backend, with a tempting priority."""

    priority = 5  # type: ignore[assignment]


class LowPriorityKeyring(DesktopKeyring):
    priority = 0  # type: ignore[assignment]


class BrokenPriorityKeyring(DesktopKeyring):
    @property
    def priority(self) -> float:  # type: ignore[override]
        raise RuntimeError("backend not supported here")


def make_chainer(*members: keyring.backend.KeyringBackend) -> ChainerBackend:
    chainer_type = type(
        "TestChainer", (ChainerBackend,), {"backends": list(members), "viable": False}
    )
    return chainer_type()


def record(*, expires_in: timedelta | None = timedelta(hours=1)) -> TokenRecord:
    return TokenRecord(
        token=TOKEN,
        expires_at=None if expires_in is None else datetime.now(UTC) + expires_in,
        gamer_id="gamer-1",
        session_id="session-1",
        wallet_address="0xabc",
    )


@pytest.fixture
def process_keyring():
    """Whatever a test sets with keyring.set_keyring is undone afterwards."""
    original = keyring.get_keyring()
    yield
    keyring.set_keyring(original)


@pytest.fixture
def fresh_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(credentials, "_warned_dirs", set())


@pytest.fixture
def log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG, logger="kgen_pygame")
    return caplog


# -- records and keys --------------------------------------------------------------------


def test_record_repr_hides_the_token() -> None:
    assert TOKEN not in repr(record())
    assert "gamer-1" in repr(record())


def test_record_expiry_uses_a_skew_margin() -> None:
    assert not record(expires_in=timedelta(hours=1)).is_expired()
    assert record(expires_in=timedelta(seconds=10)).is_expired()  # inside the 30 s skew
    assert record(expires_in=timedelta(seconds=-5)).is_expired()
    assert not record(expires_in=None).is_expired()
    naive = TokenRecord(TOKEN, datetime.now(UTC).replace(tzinfo=None) + timedelta(hours=1), "g")
    assert not naive.is_expired()


def test_record_round_trips_through_its_dict() -> None:
    original = record()
    assert TokenRecord.from_dict(json.loads(json.dumps(original.to_dict()))) == original
    with pytest.raises(ValueError):
        TokenRecord.from_dict({"gamer_id": "g"})


def test_store_key_is_a_hash_of_origin_client_and_gamer() -> None:
    key = store_key("https://api.kgen.io/", "client-1", "gamer-1")

    assert key.startswith("session-") and len(key) == len("session-") + 40
    for secret_part in ("kgen", "client-1", "gamer-1"):
        assert secret_part not in key
    assert key == store_key("https://API.kgen.io:443/api", "client-1", "gamer-1")
    different = {
        store_key("https://api.kgen.io", "client-2", "gamer-1"),
        store_key("https://api.kgen.io", "client-1", "gamer-2"),
        store_key("https://other.kgen.io", "client-1", "gamer-1"),
        store_key("https://api.kgen.io:8443", "client-1", "gamer-1"),
        store_key("http://api.kgen.io", "client-1", "gamer-1"),
        store_key("https://api.kgen.io", None, "gamer-1"),
    }
    assert key not in different and len(different) == 6


# -- backend detection -----------------------------------------------------------------------


def test_keyrings_fail_and_null_backends_are_not_usable() -> None:
    assert not is_usable_backend(keyring.backends.fail.Keyring())
    assert not is_usable_backend(keyring.backends.null.Keyring())
    assert find_keyring_backend(keyring.backends.fail.Keyring()) is None
    assert find_keyring_backend(keyring.backends.null.Keyring()) is None


def test_a_desktop_keyring_is_usable() -> None:
    desktop = DesktopKeyring()
    assert is_usable_backend(desktop)
    assert find_keyring_backend(desktop) is desktop


@pytest.mark.parametrize(
    "backend_type", [PlaintextKeyring, LowPriorityKeyring, BrokenPriorityKeyring]
)
def test_plaintext_low_priority_and_broken_backends_are_not_usable(
    backend_type: type[keyring.backend.KeyringBackend],
) -> None:
    assert not is_usable_backend(backend_type())


def test_a_chainer_counts_through_its_best_usable_member() -> None:
    desktop = DesktopKeyring()
    assert find_keyring_backend(make_chainer(PlaintextKeyring(), desktop)) is desktop
    assert find_keyring_backend(make_chainer(keyring.backends.fail.Keyring())) is None
    assert find_keyring_backend(make_chainer()) is None


def test_process_keyring_set_to_fail_falls_back_to_the_file(
    process_keyring: None, fresh_warning: None, tmp_path: Path, log: pytest.LogCaptureFixture
) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())

    store = open_credential_store("kgen-pygame", tmp_path / "state")

    assert isinstance(store, FileStore) and store.kind == "file"
    assert store.path == tmp_path / "state" / "credentials.json"
    assert "0600" in log.text and "KGEN_PLAINTEXT_TOKEN_FALLBACK=0" in log.text


def test_process_keyring_set_to_null_falls_back_to_the_file(
    process_keyring: None, fresh_warning: None, tmp_path: Path
) -> None:
    keyring.set_keyring(keyring.backends.null.Keyring())
    assert isinstance(open_credential_store("kgen-pygame", tmp_path), FileStore)


def test_process_keyring_set_to_a_desktop_keyring_is_used(
    process_keyring: None, fresh_warning: None, tmp_path: Path, log: pytest.LogCaptureFixture
) -> None:
    desktop = DesktopKeyring()
    keyring.set_keyring(desktop)

    store = open_credential_store("kgen-pygame", tmp_path)
    saved = record()
    store.save("key-1", saved)

    assert isinstance(store, KeyringStore) and store.kind == "keyring"
    assert store.load("key-1") == saved
    assert list(desktop.entries) == [("kgen-pygame", "key-1")]
    assert not list(tmp_path.iterdir())  # no file written
    assert "0600" not in log.text


def test_plaintext_warning_is_short_and_logged_once_per_data_folder(
    fresh_warning: None,
    tmp_path: Path,
    log: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for _ in range(3):
        open_credential_store("kgen-pygame", tmp_path, backend=keyring.backends.fail.Keyring())
    # A later launch (a new process) with the same folder stays quiet too.
    monkeypatch.setattr(credentials, "_warned_dirs", set())
    open_credential_store("kgen-pygame", tmp_path, backend=keyring.backends.fail.Keyring())

    warnings = [r for r in log.records if r.levelno == logging.WARNING and "0600" in r.getMessage()]
    assert len(warnings) == 1
    text = warnings[0].getMessage()
    assert "KGEN_PLAINTEXT_TOKEN_FALLBACK=0" in text
    assert len(text) - len(str(tmp_path)) < 140  # one short line, whatever the path
    # Another data folder (another game) is told once too.
    other = tmp_path / "other"
    open_credential_store("kgen-pygame", other, backend=keyring.backends.fail.Keyring())
    assert len([r for r in log.records if "0600" in r.getMessage()]) == 2


def test_opting_out_keeps_tokens_in_memory(
    fresh_warning: None, tmp_path: Path, log: pytest.LogCaptureFixture
) -> None:
    store = open_credential_store(
        "kgen-pygame",
        tmp_path,
        allow_plaintext_fallback=False,
        backend=keyring.backends.fail.Keyring(),
    )
    saved = record()
    store.save("key-1", saved)

    assert isinstance(store, MemoryStore) and store.kind == "memory"
    assert store.load("key-1") == saved
    assert not list(tmp_path.iterdir())
    assert "0600" not in log.text


# -- the stores ---------------------------------------------------------------------------------


def all_stores(tmp_path: Path) -> list[CredentialStore]:
    return [
        FileStore(tmp_path / "state" / "credentials.json"),
        KeyringStore(DesktopKeyring(), "kgen-pygame"),
        MemoryStore(),
    ]


def test_every_store_round_trips_expires_and_deletes(tmp_path: Path) -> None:
    for store in all_stores(tmp_path):
        assert isinstance(store, CredentialStore)
        assert store.load("key-1") is None
        saved = record()
        store.save("key-1", saved)
        store.save("key-2", record(expires_in=None))
        loaded = store.load("key-1")
        assert loaded is not None and loaded.token == TOKEN and loaded.gamer_id == "gamer-1"
        assert loaded.expires_at == saved.expires_at
        assert (loaded.session_id, loaded.wallet_address) == ("session-1", "0xabc")

        store.save("key-1", record(expires_in=timedelta(seconds=5)))
        assert store.load("key-1") is None, f"{store.kind}: expired record returned"

        store.delete("key-1")
        store.delete("key-1")  # absent is fine
        assert store.load("key-1") is None
        assert store.load("key-2") is not None


@posix_only
def test_file_store_writes_mode_0600_atomically(tmp_path: Path) -> None:
    path = tmp_path / "state" / "credentials.json"
    store = FileStore(path)
    old_umask = os.umask(0)  # even a permissive umask must not widen the file
    try:
        store.save("key-1", record())
    finally:
        os.umask(old_umask)

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    first_inode = path.stat().st_ino
    store.save("key-2", record())
    assert path.stat().st_ino != first_inode  # replaced by rename, never rewritten in place
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data = json.loads(path.read_text())
    assert data["version"] == 1 and set(data["records"]) == {"key-1", "key-2"}
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_file_store_keeps_the_old_file_when_a_write_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, log: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "credentials.json"
    store = FileStore(path)
    store.save("key-1", record())
    before = path.read_bytes()

    def disk_full(fd: int) -> None:  # a full disk cannot be produced here
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(CredentialStoreError) as raised:
        store.save("key-2", record())
    monkeypatch.undo()

    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    assert TOKEN not in str(raised.value)
    assert store.load("key-1") is not None


@posix_only
def test_file_store_narrows_a_too_open_file(tmp_path: Path, log: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "credentials.json"
    FileStore(path).save("key-1", record())
    path.chmod(0o644)

    assert FileStore(path).load("key-1") is not None
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "readable by others" in log.text


def test_file_store_survives_a_garbled_file(tmp_path: Path, log: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "credentials.json"
    path.write_text('{"records": {"key-1": {"token": ')
    store = FileStore(path)

    assert store.load("key-1") is None
    store.save("key-1", record())
    assert store.load("key-1") is not None
    assert "could not be read" in log.text


def test_keyring_store_reports_backend_failures_without_the_token(
    log: pytest.LogCaptureFixture,
) -> None:
    store = KeyringStore(LockedKeyring(), "kgen-pygame")
    errors = []
    for call in (
        lambda: store.load("key-1"),
        lambda: store.save("key-1", record()),
        lambda: store.delete("key-1"),
    ):
        with pytest.raises(CredentialStoreError) as raised:
            call()
        errors.append(raised.value)

    for error in errors:
        assert TOKEN not in str(error) and TOKEN not in repr(error)
        assert error.__cause__ is None and error.__suppress_context__


def test_keyring_store_ignores_a_garbled_entry(log: pytest.LogCaptureFixture) -> None:
    desktop = DesktopKeyring()
    desktop.set_password("kgen-pygame", "key-1", "{not json")
    assert KeyringStore(desktop).load("key-1") is None
    assert "could not be read" in log.text


def test_the_token_never_reaches_the_logs(
    tmp_path: Path, fresh_warning: None, log: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "credentials.json"
    for store in [*all_stores(tmp_path), KeyringStore(LockedKeyring())]:
        for call in (
            lambda s=store: s.save("key-1", record()),
            lambda s=store: s.load("key-1"),
            lambda s=store: s.save("key-1", record(expires_in=timedelta(seconds=1))),
            lambda s=store: s.load("key-1"),
            lambda s=store: s.delete("key-1"),
        ):
            with contextlib.suppress(CredentialStoreError):
                call()
        assert TOKEN not in repr(store)
    path.write_text("garbage " + TOKEN)
    FileStore(path).load("key-1")
    open_credential_store("kgen-pygame", tmp_path, backend=keyring.backends.fail.Keyring())

    assert log.records, "expected some log output to inspect"
    assert TOKEN not in log.text
