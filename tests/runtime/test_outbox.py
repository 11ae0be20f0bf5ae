"""The durable outbox on real SQLite files: capture, deliver, retry, dead-letter, bounds."""

from __future__ import annotations

import logging
import sqlite3
import time
import uuid
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from kgen_pygame.errors import UsageError
from kgen_pygame.runtime.outbox import (
    DROPPED_DEAD_LETTER_OVERFLOW,
    DROPPED_MAX_AGE,
    DROPPED_MAX_EVENTS,
    SCHEMA_VERSION,
    CaptureHandle,
    DelivererLock,
    DeliveryHandle,
    PendingEvent,
)

FAR_FUTURE_MS = 2**62


def now_ms() -> int:
    return time.time_ns() // 1_000_000


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "outbox.sqlite3"


@pytest.fixture
def capture(path: Path):
    handle = CaptureHandle(path)
    yield handle
    handle.close()


@pytest.fixture
def delivery(path: Path, capture: CaptureHandle):
    handle = DeliveryHandle(path)
    yield handle
    handle.close()


def raw_rows(path: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


# -- capture ---------------------------------------------------------------------


def test_add_commits_before_returning(path: Path, capture: CaptureHandle) -> None:
    event_id = capture.add("score", 120, {"playerId": "p1"})

    assert len(event_id) == 32 and int(event_id, 16) >= 0  # uuid4 hex
    # A separate connection sees the row at once: it is committed, not buffered.
    rows = raw_rows(path, "SELECT event_id, kind, attempts FROM events")
    assert rows == [(event_id, "score", 0)]


def test_file_is_wal_with_current_schema(path: Path, capture: CaptureHandle) -> None:
    assert raw_rows(path, "PRAGMA journal_mode") == [("wal",)]
    assert raw_rows(path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    tables = {row[0] for row in raw_rows(path, "SELECT name FROM sqlite_master")}
    assert {"events", "dead_letters", "counters"} <= tables


def test_generated_ids_are_unique_time_ordered_uuids(capture: CaptureHandle) -> None:
    before_ms = now_ms()
    ids = [capture.add("score", n) for n in range(600)]  # more than one random pool
    after_ms = now_ms()

    assert len(set(ids)) == 600
    for event_id in ids:
        parsed = uuid.UUID(hex=event_id)
        assert parsed.hex == event_id  # 32 lower-case hex digits
        assert parsed.version == 7 and parsed.variant == uuid.RFC_4122
        assert before_ms <= int(event_id[:12], 16) <= after_ms  # the time prefix
    assert [i[:12] for i in ids] == sorted(i[:12] for i in ids)


def test_explicit_event_id_is_kept_and_adding_it_again_is_a_no_op(
    capture: CaptureHandle, delivery: DeliveryHandle
) -> None:
    assert capture.add("score", 1, event_id="game-chosen-id-1") == "game-chosen-id-1"
    assert capture.add("score", 2, event_id="game-chosen-id-1") == "game-chosen-id-1"

    (event,) = delivery.due(FAR_FUTURE_MS, 10)
    assert (event.event_id, event.value) == ("game-chosen-id-1", 1)


def test_timestamp_is_kept_as_created_ms(capture: CaptureHandle, delivery: DeliveryHandle) -> None:
    capture.add("score", 5, timestamp_ms=1_700_000_000_123)
    (event,) = delivery.due(FAR_FUTURE_MS, 10)
    assert event.created_ms == 1_700_000_000_123


def test_decimal_metadata_round_trips_exactly(
    capture: CaptureHandle, delivery: DeliveryHandle
) -> None:
    amount = Decimal("12345678901234567890.123456789012345678")
    capture.add("score", Decimal("7.50"), {"stake": amount, "nested": {"fee": Decimal("0.1")}})

    (event,) = delivery.due(FAR_FUTURE_MS, 10)
    assert event.value == "7.50"
    assert Decimal(event.metadata["stake"]) == amount
    assert event.metadata["nested"] == {"fee": "0.1"}


def test_json_native_values_round_trip(capture: CaptureHandle, delivery: DeliveryHandle) -> None:
    metadata = {"level": 3, "ratio": 0.25, "ok": True, "none": None, "tags": ["a", "b"]}
    capture.add("matchResult", ["won", "mvp"], metadata)
    (event,) = delivery.due(FAR_FUTURE_MS, 10)
    assert event.value == ["won", "mvp"]
    assert event.metadata == metadata


@pytest.mark.parametrize(
    ("value", "metadata", "error", "names"),
    [
        (1, {"when": datetime(2024, 1, 1)}, TypeError, "'when'"),
        (1, {"obj": object()}, TypeError, "'obj'"),
        (1, {"tags": {"a", "b"}}, TypeError, "'tags'"),
        (1, {"ratio": float("nan")}, ValueError, "'ratio'"),
        (1, {"ratio": float("inf")}, ValueError, "'ratio'"),
        (1, {"stake": Decimal("NaN")}, ValueError, "'stake'"),
        (object(), {}, TypeError, "event value"),
        (1, {3: "x"}, TypeError, "keys must be strings"),
        (1, ["not", "a", "mapping"], TypeError, "must be a mapping"),
    ],
)
def test_bad_values_raise_a_clear_error_and_store_nothing(
    path: Path, capture: CaptureHandle, value: object, metadata: object, error: type, names: str
) -> None:
    capture.add("score", 1)
    with pytest.raises(error) as raised:
        capture.add("score", value, metadata)  # type: ignore[arg-type]

    assert names in str(raised.value)
    assert raw_rows(path, "SELECT count(*) FROM events") == [(1,)]
    # The handle still works after the bad call.
    capture.add("score", 2)
    assert raw_rows(path, "SELECT count(*) FROM events") == [(2,)]


def test_circular_metadata_is_refused(capture: CaptureHandle) -> None:
    loop: dict[str, object] = {}
    loop["self"] = loop
    with pytest.raises(ValueError, match=r"'loop'.*refers to itself"):
        capture.add("score", 1, {"loop": loop})


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": ""}, "event kind"),
        ({"kind": 5}, "event kind"),
        ({"kind": "x" * 65}, "event kind"),
        ({"event_id": ""}, "event_id"),
        ({"event_id": "has space"}, "event_id"),
        ({"event_id": "line\nbreak"}, "event_id"),
        ({"event_id": "x" * 129}, "event_id"),
        ({"timestamp_ms": -1}, "timestamp_ms"),
        ({"timestamp_ms": 1.5}, "timestamp_ms"),
        ({"timestamp_ms": True}, "timestamp_ms"),
    ],
)
def test_bad_arguments_raise_value_error(
    path: Path, capture: CaptureHandle, kwargs: dict[str, object], message: str
) -> None:
    call: dict[str, object] = {"kind": "score", "value": 1, **kwargs}
    kind = call.pop("kind")
    value = call.pop("value")
    with pytest.raises(ValueError, match=message):
        capture.add(kind, value, **call)  # type: ignore[arg-type]
    assert raw_rows(path, "SELECT count(*) FROM events") == [(0,)]


def test_oversized_event_is_refused(capture: CaptureHandle) -> None:
    with pytest.raises(ValueError, match="limited to"):
        capture.add("progress", "x" * 70_000)


def test_capture_pending_count(capture: CaptureHandle) -> None:
    for score in range(3):
        capture.add("score", score)
    assert capture.pending_count() == 3


def test_closed_handles_refuse_with_usage_error(path: Path) -> None:
    capture = CaptureHandle(path)
    delivery = DeliveryHandle(path)
    delivery.pending_count()
    capture.close()
    delivery.close()
    capture.close()  # idempotent

    with pytest.raises(UsageError):
        capture.add("score", 1)
    with pytest.raises(UsageError):
        delivery.due(FAR_FUTURE_MS, 1)


# -- delivering -------------------------------------------------------


def test_due_returns_oldest_first_within_limit(
    capture: CaptureHandle, delivery: DeliveryHandle
) -> None:
    ids = [capture.add("score", score, {"playerId": "p1"}) for score in range(10)]

    first = delivery.due(FAR_FUTURE_MS, 4)
    delivery.mark_delivered(event.event_id for event in first)
    second = delivery.due(FAR_FUTURE_MS, 100)

    assert [event.event_id for event in first] == ids[:4]
    assert [event.event_id for event in second] == ids[4:]
    assert [event.value for event in first + second] == list(range(10))
    assert all(isinstance(event, PendingEvent) for event in first)
    assert delivery.due(FAR_FUTURE_MS, 0) == []


def test_due_only_returns_events_whose_time_has_come(
    capture: CaptureHandle, delivery: DeliveryHandle
) -> None:
    capture.add("score", 1)
    assert delivery.due(0, 10) == []
    assert len(delivery.due(FAR_FUTURE_MS, 10)) == 1


def test_due_events_stay_due_until_settled(
    capture: CaptureHandle, delivery: DeliveryHandle
) -> None:
    # One deliverer per file (DelivererLock): nothing is leased, a batch handed out
    # and never settled (a crash) is simply due again.
    event_id = capture.add("score", 1)
    start = now_ms() + 1000
    assert [e.event_id for e in delivery.due(start, 10)] == [event_id]
    assert [e.event_id for e in delivery.due(start, 10)] == [event_id]


def test_the_longest_due_events_come_first(
    capture: CaptureHandle, delivery: DeliveryHandle
) -> None:
    first, second, third = (capture.add("score", n) for n in range(3))
    now = now_ms() + 1000
    delivery.schedule_retry(first, 1, now + 500, "503")

    # At now + 500, `second` and `third` have been due since capture: they go first.
    assert [e.event_id for e in delivery.due(now + 500, 2)] == [second, third]
    delivery.mark_delivered([second, third])
    assert [e.event_id for e in delivery.due(now + 500, 2)] == [first]


def test_defer_holds_events_back_without_counting_a_failure(
    capture: CaptureHandle, delivery: DeliveryHandle
) -> None:
    first, second = capture.add("score", 1), capture.add("score", 2)
    later = now_ms() + 60_000
    delivery.defer([first, second], later)
    assert delivery.due(later - 1, 10) == []
    assert [(e.event_id, e.attempts) for e in delivery.due(later, 10)] == [(first, 0), (second, 0)]


def test_only_one_deliverer_holds_the_lock(path: Path, capture: CaptureHandle) -> None:
    first, second = DelivererLock(path), DelivererLock(path)
    try:
        assert first.try_acquire() and first.held
        assert not second.try_acquire() and not second.held
        first.release()
        assert second.try_acquire()
    finally:
        first.release()
        second.release()


def test_mark_delivered_deletes_the_batch(capture: CaptureHandle, delivery: DeliveryHandle) -> None:
    ids = [capture.add("score", score) for score in range(5)]

    assert delivery.mark_delivered([*ids[:3], "never-existed"]) == 3
    assert delivery.mark_delivered([]) == 0
    assert delivery.pending_count() == 2
    assert [e.event_id for e in delivery.due(FAR_FUTURE_MS, 10)] == ids[3:]


def test_schedule_retry_records_the_failure_and_delays_the_event(
    capture: CaptureHandle, delivery: DeliveryHandle
) -> None:
    event_id = capture.add("score", 1)
    (event,) = delivery.due(now_ms(), 10)
    retry_at = now_ms() + 60_000

    assert delivery.schedule_retry(
        event_id,
        event.attempts + 1,
        retry_at,
        "503 from https://kgen.example/api/v1/eventing?token=sekret-token-value",
    )

    assert delivery.due(retry_at - 1, 10) == []
    assert delivery.next_due_ms() == retry_at
    (again,) = delivery.due(retry_at, 10)
    assert again.attempts == 1
    assert again.last_error is not None and "503" in again.last_error
    assert "sekret-token-value" not in again.last_error
    assert not delivery.schedule_retry("never-existed", 1, retry_at, None)


def test_dead_letter_moves_the_event_with_status_and_reason(
    path: Path, capture: CaptureHandle, delivery: DeliveryHandle
) -> None:
    event_id = capture.add("score", 42, {"playerId": "p1"}, timestamp_ms=1_700_000_000_000)
    keep = capture.add("score", 43)

    assert delivery.dead_letter(event_id, 400, "400 VALIDATION_ERROR: score must be a number")
    assert not delivery.dead_letter(event_id, 400, "again")

    assert [e.event_id for e in delivery.due(FAR_FUTURE_MS, 10)] == [keep]
    (letter,) = delivery.report(10).dead_letters
    assert letter.event_id == event_id
    assert (letter.kind, letter.value, letter.metadata) == ("score", 42, {"playerId": "p1"})
    assert (letter.status, letter.created_ms) == (400, 1_700_000_000_000)
    assert "VALIDATION_ERROR" in letter.reason
    assert letter.failed_ms > 0
    assert delivery.report().dead_letter_count == 1
    assert raw_rows(path, "SELECT count(*) FROM events WHERE event_id = ?", (event_id,)) == [(0,)]


def test_dead_letters_can_be_requeued_with_their_ids(
    capture: CaptureHandle, delivery: DeliveryHandle
) -> None:
    ids = [capture.add("reward", f"event-{n}") for n in range(3)]
    for event_id in ids:
        delivery.dead_letter(event_id, 404, "404 EVENT_NOT_FOUND")
    assert delivery.requeue_dead_letters([ids[1]]) == 1
    assert [e.event_id for e in delivery.due(FAR_FUTURE_MS, 10)] == [ids[1]]
    assert delivery.requeue_dead_letters() == 2
    assert sorted((e.event_id, e.attempts) for e in delivery.due(FAR_FUTURE_MS, 10)) == sorted(
        (event_id, 0) for event_id in ids
    )
    assert delivery.report().dead_letter_count == 0
    assert delivery.requeue_dead_letters([]) == 0


def test_dead_letters_are_listed_newest_first(
    capture: CaptureHandle, delivery: DeliveryHandle
) -> None:
    ids = [capture.add("score", score) for score in range(3)]
    for event_id in ids:
        delivery.dead_letter(event_id, None, "refused")
    assert [letter.event_id for letter in list(delivery.report().dead_letters)] == ids[::-1]
    assert [letter.event_id for letter in delivery.report(2).dead_letters] == ids[:0:-1]


def test_next_due_and_counts_on_an_empty_outbox(delivery: DeliveryHandle) -> None:
    assert delivery.next_due_ms() is None
    assert delivery.pending_count() == 0
    assert list(delivery.report().dead_letters) == []
    assert delivery.report().dropped == {}


def test_checkpoint_moves_the_wal_into_the_file(
    path: Path, capture: CaptureHandle, delivery: DeliveryHandle
) -> None:
    for score in range(20):
        capture.add("score", score)
    frames, done = delivery.checkpoint()
    assert frames > 0 and done == frames
    assert delivery.pending_count() == 20


def test_checkpoint_starts_the_wal_over(path: Path, capture: CaptureHandle) -> None:
    delivery = DeliveryHandle(path)
    try:
        for score in range(200):
            capture.add("score", score)
        first_frames, _ = delivery.checkpoint()
        for score in range(10):
            capture.add("score", score)
        later_frames, done = delivery.checkpoint()
        # Counted from the start of a fresh WAL, not on top of the first 200.
        assert 0 < later_frames == done < first_frames
    finally:
        delivery.close()


# -- bounds ------------------------------------------------------------------------------


def test_enforce_bounds_drops_the_oldest_beyond_max_events(
    path: Path, capture: CaptureHandle, caplog: pytest.LogCaptureFixture
) -> None:
    ids = [capture.add("score", score) for score in range(15)]
    delivery = DeliveryHandle(path, max_events=10)
    try:
        with caplog.at_level(logging.WARNING, logger="kgen_pygame.runtime.outbox"):
            dropped = delivery.enforce_bounds(now_ms())

        assert dropped == {DROPPED_MAX_EVENTS: 5}
        assert delivery.report().dropped == {DROPPED_MAX_EVENTS: 5}
        assert [e.event_id for e in delivery.due(FAR_FUTURE_MS, 100)] == ids[5:]
        assert "dropped 5 event(s)" in caplog.text
        assert DROPPED_MAX_EVENTS in caplog.text
    finally:
        delivery.close()


def test_enforce_bounds_drops_events_older_than_max_age(
    path: Path, capture: CaptureHandle, caplog: pytest.LogCaptureFixture
) -> None:
    now = now_ms()
    for _ in range(2):
        capture.add("score", 1, timestamp_ms=now - 3 * 86_400_000)
    fresh = capture.add("score", 2, timestamp_ms=now - 1_000)
    delivery = DeliveryHandle(path, max_age_s=86_400)
    try:
        with caplog.at_level(logging.WARNING, logger="kgen_pygame.runtime.outbox"):
            assert delivery.enforce_bounds(now) == {DROPPED_MAX_AGE: 2}
        assert [e.event_id for e in delivery.due(FAR_FUTURE_MS, 10)] == [fresh]
        assert delivery.report().dropped == {DROPPED_MAX_AGE: 2}
        assert DROPPED_MAX_AGE in caplog.text
    finally:
        delivery.close()


def test_drop_counters_accumulate_and_survive_reopen(path: Path, capture: CaptureHandle) -> None:
    delivery = DeliveryHandle(path, max_events=2, max_dead_letters=1)
    try:
        for _ in range(2):
            for score in range(4):
                capture.add("score", score)
            delivery.enforce_bounds(now_ms())
        for event_id in [e.event_id for e in delivery.due(FAR_FUTURE_MS, 10)]:
            delivery.dead_letter(event_id, 422, "refused")
        assert delivery.enforce_bounds(now_ms()) == {DROPPED_DEAD_LETTER_OVERFLOW: 1}
    finally:
        delivery.close()

    reopened = DeliveryHandle(path)
    try:
        assert reopened.report().dropped == {DROPPED_MAX_EVENTS: 6, DROPPED_DEAD_LETTER_OVERFLOW: 1}
        assert reopened.report().dead_letter_count == 1
    finally:
        reopened.close()


def test_large_drops_go_in_chunks_and_are_all_counted(path: Path, capture: CaptureHandle) -> None:
    ids = [capture.add("score", n) for n in range(1234)]
    with DeliveryHandle(path, max_events=100) as delivery:
        assert delivery.enforce_bounds(now_ms()) == {DROPPED_MAX_EVENTS: 1134}
        assert delivery.report().dropped == {DROPPED_MAX_EVENTS: 1134}
        assert [e.event_id for e in delivery.due(FAR_FUTURE_MS, 1000)] == ids[-100:]


def test_enforce_bounds_within_bounds_changes_nothing(
    capture: CaptureHandle, delivery: DeliveryHandle
) -> None:
    capture.add("score", 1)
    assert delivery.enforce_bounds(now_ms()) == {}
    assert delivery.report().dropped == {}
    assert delivery.pending_count() == 1


# -- reopen --------------------------------------------------------------------------------


def test_event_ids_are_stable_across_reopen(path: Path) -> None:
    with CaptureHandle(path) as capture:
        ids = [capture.add("score", score) for score in range(5)]

    with CaptureHandle(path) as capture, DeliveryHandle(path) as delivery:
        assert capture.pending_count() == 5
        events = delivery.due(FAR_FUTURE_MS, 10)
        assert [e.event_id for e in events] == ids
        # Re-capturing a pending id (a game replaying its own log) adds nothing.
        capture.add("score", 99, event_id=ids[0])
        assert delivery.pending_count() == 5


def test_capture_reopens_when_its_file_disappears(path: Path) -> None:
    # Checked once a second by default (os.stat costs the game thread a GIL
    # hand-off); every add here, so the test needs no clock.
    capture = CaptureHandle(path, recheck_file_every_s=0)
    capture.add("score", 1)
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)

    event_id = capture.add("score", 2)
    capture.close()

    assert raw_rows(path, "SELECT event_id FROM events") == [(event_id,)]
