"""The outbox under stress: crashes, corrupt files, fork, other processes, two threads."""

from __future__ import annotations

import logging
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from kgen_pygame.errors import UsageError
from kgen_pygame.runtime.outbox import SCHEMA_VERSION, CaptureHandle, DelivererLock, DeliveryHandle

REPO_ROOT = Path(__file__).resolve().parents[2]
CRASH_WRITER = Path(__file__).with_name("outbox_crash_writer.py")
FAR_FUTURE_MS = 2**60
LOGGER = "kgen_pygame.runtime.outbox"

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "outbox.sqlite3"


def event_ids(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [row[0] for row in conn.execute("SELECT event_id FROM events ORDER BY seq")]
    finally:
        conn.close()


def aside_files(path: Path) -> list[Path]:
    return sorted(
        p
        for p in path.parent.iterdir()
        if p.name.startswith(path.name + ".")
        and "-" in p.name
        and not p.name.endswith(("-wal", "-shm", ".lock"))
    )


def run_in_child(body: Callable[[], None]) -> int:
    """Fork, run ``body()`` in the child, return the child's exit code (0 = body returned)."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        code = 1
        try:
            body()
            code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


# -- crash -----------------------------------------------------------------------------


def test_every_id_printed_before_sigkill_is_in_the_outbox_exactly_once(path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    printed: list[str] = []
    for _round in range(3):
        proc = subprocess.Popen(
            [sys.executable, str(CRASH_WRITER), str(path)], stdout=subprocess.PIPE, env=env
        )
        assert proc.stdout is not None
        seen = 0
        while seen < 400:
            line = proc.stdout.readline()
            assert line, "the writer ended before it was killed"
            if line.endswith(b"\n"):
                printed.append(line.decode().strip())
                seen += 1
        os.kill(proc.pid, signal.SIGKILL)
        rest = proc.stdout.read()
        proc.stdout.close()
        assert proc.wait() == -signal.SIGKILL
        # Lines written before the kill are ids that add() had already returned.
        printed.extend(line.decode() for line in rest.split(b"\n")[:-1])

    with DeliveryHandle(path) as delivery:  # opens with quick_check: no corruption either
        stored = [event.event_id for event in delivery.due(FAR_FUTURE_MS, 10**6)]
    assert len(stored) == len(set(stored))
    missing = set(printed) - set(stored)
    assert not missing, f"{len(missing)} acknowledged events lost"
    assert len(printed) >= 1200


# -- corrupt and foreign files -------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [b"\0" * 8192, b"this is not a database, just some text\n" * 200, bytes(range(256)) * 40],
    ids=["zero-filled", "text", "garbage"],
)
def test_unusable_file_is_moved_aside_and_replaced(
    path: Path, content: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    path.write_bytes(content)

    with caplog.at_level(logging.WARNING, logger=LOGGER), CaptureHandle(path) as capture:
        event_id = capture.add("score", 1)

    (aside,) = aside_files(path)
    assert ".corrupt-" in aside.name
    assert aside.read_bytes() == content  # kept for inspection, untouched
    assert event_ids(path) == [event_id]
    assert "moved it aside" in caplog.text


def test_damaged_pages_are_found_at_delivery_open_and_readable_events_salvaged(
    path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with CaptureHandle(path) as capture:
        original = [capture.add("progress", "x" * 300) for _ in range(300)]
    size = path.stat().st_size
    with open(path, "r+b") as handle:  # trash pages in the middle, keep the header
        handle.seek(size // 2)
        handle.write(b"\xa5" * 8192)

    capture = CaptureHandle(path)
    delivery = DeliveryHandle(path)
    try:
        with caplog.at_level(logging.WARNING, logger=LOGGER):
            salvaged = [e.event_id for e in delivery.due(FAR_FUTURE_MS, 10**6)]
        delivery.mark_delivered(salvaged)
        new_id = capture.add("score", 2)  # the capture handle follows to the fresh file
        assert [e.event_id for e in delivery.due(FAR_FUTURE_MS, 10)] == [new_id]
    finally:
        capture.close()
        delivery.close()

    assert len(aside_files(path)) == 1
    assert "moved it aside" in caplog.text
    assert set(salvaged) <= set(original)
    assert salvaged == [i for i in original if i in set(salvaged)]  # order kept


def test_file_from_a_newer_version_is_moved_aside(
    path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 5}")
    conn.close()

    with caplog.at_level(logging.WARNING, logger=LOGGER), CaptureHandle(path) as capture:
        capture.add("score", 1)

    (aside,) = aside_files(path)
    assert f".newer-schema-v{SCHEMA_VERSION + 5}-" in aside.name
    assert "newer kgen_pygame" in caplog.text


# -- fork --------------------------------------------------------------------------------------


@needs_fork
def test_forked_child_captures_through_a_fresh_handle(path: Path) -> None:
    with CaptureHandle(path) as capture:
        before = capture.add("score", 1)

        def child() -> None:
            with CaptureHandle(path) as own:
                own.add("score", 2, event_id="from-child-fresh-handle")

        assert run_in_child(child) == 0
        after = capture.add("score", 3)

    assert event_ids(path) == [before, "from-child-fresh-handle", after]


@needs_fork
def test_inherited_capture_handle_reopens_in_the_child(path: Path) -> None:
    capture = CaptureHandle(path)
    delivery = DeliveryHandle(path)
    try:
        first = capture.add("score", 1)
        assert delivery.pending_count() == 1

        def child() -> None:
            capture.add("score", 2, event_id="from-child-inherited-handle")

        assert run_in_child(child) == 0
        last = capture.add("score", 3)
        # The parent's connections were not disturbed by the child.
        assert [e.event_id for e in delivery.due(FAR_FUTURE_MS, 10)] == [
            first,
            "from-child-inherited-handle",
            last,
        ]
    finally:
        capture.close()
        delivery.close()


@needs_fork
def test_child_and_parent_never_generate_the_same_id(path: Path, tmp_path: Path) -> None:
    with CaptureHandle(path) as capture:
        capture.add("score", 0)  # the id pool is filled before the fork
        child_ids = tmp_path / "child-ids.txt"

        def child() -> None:
            child_ids.write_text("\n".join(capture.add("score", n) for n in range(5)))

        assert run_in_child(child) == 0
        parent_ids = [capture.add("score", n) for n in range(5)]

    assert not set(child_ids.read_text().split("\n")) & set(parent_ids)
    assert len(set(event_ids(path))) == 11


@needs_fork
def test_forking_while_the_worker_thread_writes(path: Path) -> None:
    capture = CaptureHandle(path)
    delivery = DeliveryHandle(path)
    delivered: list[str] = []
    stop = threading.Event()

    def worker() -> None:
        while not stop.is_set():
            ids = [event.event_id for event in delivery.due(FAR_FUTURE_MS, 8)]
            delivery.mark_delivered(ids)
            delivered.extend(ids)

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        for child_number in range(5):
            for score in range(20):
                capture.add("score", score)

            def child(number: int = child_number) -> None:
                capture.add("score", -1, event_id=f"child-{number}")

            assert run_in_child(child) == 0
    finally:
        stop.set()
        thread.join(timeout=60)
    remaining = [event.event_id for event in delivery.due(FAR_FUTURE_MS, 1000)]
    capture.close()
    delivery.close()

    everything = delivered + remaining
    assert len(everything) == len(set(everything)) == 105
    assert {f"child-{n}" for n in range(5)} <= set(everything)


@needs_fork
def test_delivery_handle_refuses_to_run_in_a_forked_child(path: Path) -> None:
    with CaptureHandle(path) as capture, DeliveryHandle(path) as delivery:
        capture.add("score", 1)
        assert delivery.pending_count() == 1

        def child() -> None:
            try:
                delivery.due(FAR_FUTURE_MS, 10)
            except UsageError:
                return
            raise AssertionError("used a parent's connection in the child")

        assert run_in_child(child) == 0
        assert len(delivery.due(FAR_FUTURE_MS, 10)) == 1


@needs_fork
def test_a_second_process_does_not_deliver_while_the_first_one_does(
    path: Path, tmp_path: Path
) -> None:
    with CaptureHandle(path):
        pass
    started, finish = tmp_path / "holder-started", tmp_path / "holder-may-finish"

    def holder() -> None:
        lock = DelivererLock(path)
        assert lock.try_acquire()
        started.touch()
        while not finish.exists():
            threading.Event().wait(0.01)

    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        code = 1
        try:
            holder()
            code = 0
        finally:
            os._exit(code)
    try:
        while not started.exists():
            threading.Event().wait(0.01)
        assert not DelivererLock(path).try_acquire()
    finally:
        finish.touch()
        _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    # The holder ended: the OS released its lock, the next process takes over.
    taker = DelivererLock(path)
    assert taker.try_acquire()
    taker.release()


@needs_fork
def test_a_deliverer_that_died_mid_delivery_leaves_every_event_due(path: Path) -> None:
    with CaptureHandle(path) as capture:
        ids = [capture.add("score", n) for n in range(10)]

    def crashing_sender() -> None:
        lock = DelivererLock(path)
        assert lock.try_acquire()
        delivery = DeliveryHandle(path)
        assert len(delivery.due(FAR_FUTURE_MS - 10**9, 100)) == 10
        os._exit(0)  # dies mid-delivery, settling nothing, holding the lock

    assert run_in_child(crashing_sender) == 0
    lock = DelivererLock(path)
    assert lock.try_acquire()
    try:
        with DeliveryHandle(path) as delivery:
            assert [e.event_id for e in delivery.due(FAR_FUTURE_MS - 10**9, 100)] == ids
    finally:
        lock.release()


def test_a_retry_backoff_survives_a_restart(path: Path) -> None:
    with CaptureHandle(path) as capture:
        event_id = capture.add("score", 1)
    retry_at = FAR_FUTURE_MS - 10**6
    with DeliveryHandle(path) as delivery:
        delivery.schedule_retry(event_id, 3, retry_at, "429 Too Many Requests")

    with DeliveryHandle(path) as delivery:
        assert delivery.due(retry_at - 1, 10) == []
        assert delivery.next_due_ms() == retry_at
        (event,) = delivery.due(retry_at, 10)
        assert (event.event_id, event.attempts) == (event_id, 3)


def test_a_version_1_file_is_migrated_with_its_events(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(
        """
        CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id TEXT UNIQUE NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL,
            created_ms INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_ms INTEGER NOT NULL, last_error TEXT);
        CREATE INDEX events_next_attempt ON events (next_attempt_ms);
        CREATE TABLE dead_letters (event_id TEXT NOT NULL, kind TEXT NOT NULL,
            body TEXT NOT NULL, created_ms INTEGER NOT NULL, failed_ms INTEGER NOT NULL,
            status INTEGER, reason TEXT NOT NULL);
        CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
        INSERT INTO events (event_id, kind, body, created_ms, attempts, next_attempt_ms)
            VALUES ('old-1', 'score', '{"value":5,"metadata":{"playerId":"p"}}', 1, 2, 10);
        INSERT INTO counters VALUES ('dropped_max_age', 7);
        PRAGMA user_version = 1;
        """
    )
    conn.close()

    with CaptureHandle(path) as capture, DeliveryHandle(path) as delivery:
        new_id = capture.add("score", 6)
        events = delivery.due(FAR_FUTURE_MS, 10)
        assert [(e.event_id, e.value, e.attempts) for e in events] == [
            ("old-1", 5, 2),
            (new_id, 6, 0),
        ]
        assert delivery.report().dropped == {"dropped_max_age": 7}
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    finally:
        conn.close()
    assert aside_files(path) == []


# -- two threads ---------------------------------------------------------------------------


def test_game_thread_adds_while_worker_delivers_nothing_lost_or_duplicated(path: Path) -> None:
    capture = CaptureHandle(path)
    delivery = DeliveryHandle(path)
    delivered: list[str] = []
    capture_done = threading.Event()
    failures: list[BaseException] = []

    def worker() -> None:
        try:
            while True:
                batch = delivery.due(FAR_FUTURE_MS, 25)
                if batch:
                    ids = [event.event_id for event in batch]
                    assert delivery.mark_delivered(ids) == len(ids)
                    delivered.extend(ids)
                elif capture_done.is_set() and delivery.pending_count() == 0:
                    return
        except BaseException as error:  # surfaced by the assertion below
            failures.append(error)

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        added = [capture.add("score", score, {"playerId": "p1"}) for score in range(3000)]
    finally:
        capture_done.set()
        thread.join(timeout=60)
        capture.close()
    assert not thread.is_alive()
    delivery.close()

    assert failures == []
    assert len(delivered) == len(set(delivered)) == 3000
    assert set(delivered) == set(added)
    assert event_ids(path) == []
