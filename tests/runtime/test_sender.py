"""The event sender's own tests: retry, backoff and dead-letter decisions, one key per event.

The decision table (:mod:`kgen_pygame.runtime.delivery_policy`) is checked with the
errors the real client raises for each answer of the hostile server. The sender is
checked inside a real :class:`~kgen_pygame.KGen` (api ``v1``) whose base URL is a
:class:`~tests.hostile.server.HostileServer` in front of a real sandbox: the server
replaces the answer to the first score POSTs (after the sandbox processed them, for
the lost-answer cases) and proxies everything else. What happened is read where it
happened: the outbox's SQLite file (attempts, the next try), the requests the hostile
server recorded (their ``Idempotency-Key``) and the sandbox's raw deliveries
(``/_sandbox/deliveries``: every POST it handled, repeats included), so a duplicate
or a lost retry is seen, not deduplicated away.

A retry scheduled seconds away is made due by writing ``next_attempt_ms`` in the
outbox file (the test's stand-in for the clock moving on); the sender finds it
within its idle wait.
"""

from __future__ import annotations

import json
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pygame
import pytest
import requests

from kgen_pygame import KGen, errors
from kgen_pygame.api import KGenClient
from kgen_pygame.runtime import delivery_policy
from kgen_pygame.runtime.backoff import DEFAULT_RETRY_AFTER_CAP_S
from kgen_pygame.runtime.delivery_policy import SLOW_BACKOFF, TRANSIENT_BACKOFF, Decision
from kgen_pygame.runtime.outbox import OUTBOX_FILENAME
from kgen_pygame.sandbox import DEFAULT_CLIENT_ID as SANDBOX_CLIENT_ID
from kgen_pygame.sandbox import DEFAULT_CLIENT_SECRET as SANDBOX_CLIENT_SECRET
from tests.hostile.conftest import HostileFactory
from tests.hostile.conftest import hostile_server as hostile_server  # a fixture
from tests.hostile.server import (
    HostileServer,
    RecordedRequest,
    json_reply,
    proxy_to,
    redirect,
    response_head,
    scripted,
)

LOOP_BOUND_S = 30.0


def answer(status: str, body: object | bytes = b"", *, content_type: str = "application/json",
           headers: dict[str, str] | None = None, content_length: int | None = None) -> bytes:
    """The bytes of one whole answer (the length may lie)."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    length = len(data) if content_length is None else content_length
    return response_head(status, content_type=content_type, content_length=length,
                         headers=headers) + data


REDIRECT = answer("302 Found", headers={"Location": "https://portal.example/login"})
TIMEOUT_408 = answer("408 Request Timeout", b"", content_type="text/plain")
RATE_LIMITED = answer("429 Too Many Requests", {"error": "TOO_MANY_REQUESTS"},
                      headers={"Retry-After": "2"})
RATE_LIMITED_FOR_AGES = answer("429 Too Many Requests", {"error": "TOO_MANY_REQUESTS"},
                               headers={"Retry-After": "1e12"})
SERVER_ERROR = answer("503 Service Unavailable", {"error": "SERVICE_UNAVAILABLE"})
HTML_200 = answer("200 OK", b"<html><body>Sign in to the Wi-Fi</body></html>",
                  content_type="text/html")
TRUNCATED = answer("200 OK", b'{"status": "succ', content_length=400)
REFUSED_422 = answer("422 Unprocessable Entity",
                     {"statusCode": 422, "error": "VALIDATION_ERROR", "message": "bad score"})
REFUSED_400 = answer("400 Bad Request",
                     {"statusCode": 400, "error": "BAD_REQUEST", "message": "score refused"})
PROXY_404 = answer("404 Not Found", b"<html>no such page</html>", content_type="text/html")
UNKNOWN_404 = answer("404 Not Found", {"statusCode": 404, "error": "NOT_FOUND"})
EXPIRED_401 = answer("401 Unauthorized", {"error": "UN_AUTHORIZED"})


# -- the decision table, on the errors the real client raises --------------------------------


def error_for(server: HostileServer) -> errors.KGenError:
    with (KGenClient(server.url, "sender-tests", deadline=2.0) as client,
          pytest.raises(errors.KGenError) as caught):
        client.send_event("tok_sender_tests", "score", 10,
                          metadata={"playerId": "p1", "tournamentId": "t1"},
                          idempotency_key="evt-1", timestamp_ms=1_724_142_733_025)
    return caught.value


@pytest.mark.parametrize(
    ("reply", "decision"),
    [
        (redirect("302 Found", "https://portal.example/login"), Decision.RETRY_SLOWLY),
        (redirect("301 Moved Permanently", "/elsewhere"), Decision.RETRY_SLOWLY),
        (json_reply("408 Request Timeout", b"", content_type="text/plain"), Decision.RETRY),
        (json_reply("429 Too Many Requests", {"error": "X"}), Decision.RETRY),
        (json_reply("500 Internal Server Error", {"error": "X"}), Decision.RETRY),
        (json_reply("503 Service Unavailable", b"<html>down</html>", content_type="text/html"),
         Decision.RETRY),
        (json_reply("200 OK", b"<html>portal</html>", content_type="text/html"),
         Decision.RETRY_SLOWLY),
        (json_reply("200 OK", b'{"status": "succ', content_length=400), Decision.RETRY_SLOWLY),
        (json_reply("200 OK", {"unexpected": ["shape"]}), Decision.RETRY_SLOWLY),
        (json_reply("404 Not Found", b"<html>proxy</html>", content_type="text/html"),
         Decision.RETRY_SLOWLY),
        (json_reply("404 Not Found", {"error": "NOT_FOUND"}), Decision.RETRY_SLOWLY),
        (json_reply("401 Unauthorized", {"error": "UN_AUTHORIZED"}), Decision.REAUTH),
        (json_reply("400 Bad Request", {"error": "BAD_REQUEST", "message": "no"}),
         Decision.DEAD_LETTER),
        (json_reply("422 Unprocessable Entity", {"error": "VALIDATION_ERROR"}),
         Decision.DEAD_LETTER),
        (json_reply("404 Not Found", {"error": "TOURNAMENT_NOT_FOUND"}), Decision.DEAD_LETTER),
    ],
    ids=lambda value: getattr(value, "name", str(value)),
)
def test_each_answer_to_a_delivery_gets_its_decision(
    hostile_server: HostileFactory, reply: Any, decision: Decision
) -> None:
    error = error_for(hostile_server(reply))
    assert delivery_policy.decide(error) is decision, repr(error)


def test_a_refused_lookup_is_not_a_refusal_of_the_event() -> None:
    lookup = errors.RequestRefusedError(
        "GET /fe/esports/tournaments/active failed: 400", status=400,
        operation="GET /fe/esports/tournaments/active", code="BAD_REQUEST")
    post = errors.RequestRefusedError(
        "POST /fe/esports/tournaments/t1/score failed: 400", status=400,
        operation="POST /fe/esports/tournaments/t1/score", code="BAD_REQUEST")
    assert delivery_policy.decide(lookup) is Decision.RETRY_SLOWLY
    assert delivery_policy.decide(post) is Decision.DEAD_LETTER


def test_backoff_grows_is_slower_for_odd_answers_and_honours_retry_after() -> None:
    def draws(decision: Decision, attempts: int, retry_after: float | None = None) -> list[float]:
        return [delivery_policy.retry_delay(decision, attempts, retry_after) for _ in range(400)]

    for attempts in (1, 2, 5, 40):
        assert max(draws(Decision.RETRY, attempts)) <= TRANSIENT_BACKOFF.ceiling(attempts)
        assert max(draws(Decision.RETRY_SLOWLY, attempts)) <= SLOW_BACKOFF.ceiling(attempts)
    # A repeat waits longer: the later tries reach far past the first try's ceiling.
    assert max(draws(Decision.RETRY, 5)) > TRANSIENT_BACKOFF.ceiling(1)
    assert max(draws(Decision.RETRY_SLOWLY, 3)) > SLOW_BACKOFF.ceiling(1)
    # An answer that should not happen (a redirect, HTML) backs off far more than a 5xx.
    assert max(draws(Decision.RETRY_SLOWLY, 1)) > TRANSIENT_BACKOFF.ceiling(1)
    # Retry-After is a floor, capped so a wrong header cannot park events for ages.
    assert min(draws(Decision.RETRY, 1, 7.0)) >= 7.0
    assert max(draws(Decision.RETRY, 1, 1e12)) == DEFAULT_RETRY_AFTER_CAP_S
    assert min(draws(Decision.RETRY, 1, float("nan"))) >= 0.0
    # The same seedless jitter never exceeds the ceiling even for huge attempt counts.
    assert TRANSIENT_BACKOFF.delay(10_000, rng=random.Random(1)) <= TRANSIENT_BACKOFF.max_s


# -- the sender inside a real game -----------------------------------------------------------


def is_score_post(request: RecordedRequest) -> bool:
    return request.method == "POST" and "eventing" in request.target


def is_session_post(request: RecordedRequest) -> bool:
    return request.method == "POST" and "session" in request.target.lower()


@dataclass
class Row:
    attempts: int
    next_attempt_ms: int
    last_error: str | None


class Rig:
    """One game (api v1) on a hostile server in front of a real sandbox."""

    def __init__(self, kgen: KGen, server: HostileServer, sandbox: Any, outbox: Path) -> None:
        self.kgen, self.server, self.sandbox, self.outbox = kgen, server, sandbox, outbox
        self.posted: list[pygame.event.Event] = []
        self.refused: list[pygame.event.Event] = []
        self.tournament_id = ""  # the free tournament joined, where the scores go
        kgen.on("event_refused", self.refused.append)

    def pump(self, until: Callable[[], object], what: str) -> None:
        deadline = time.monotonic() + LOOP_BOUND_S
        while not until():
            if time.monotonic() > deadline:
                raise AssertionError(f"gave up waiting for {what}")
            self.kgen.update(1 / 60)
            self.posted.extend(pygame.event.get())
            time.sleep(0.01)

    def settle(self, call: Any) -> Any:
        self.pump(lambda: call.done, call.label)
        assert call.ok, call.error
        return call.result

    def row(self, event_id: str) -> Row | None:
        with sqlite3.connect(f"file:{self.outbox}?mode=ro", uri=True, timeout=5) as conn:
            found = conn.execute(
                "SELECT attempts, next_attempt_ms, last_error FROM events WHERE event_id = ?",
                (event_id,),
            ).fetchone()
        return None if found is None else Row(*found)

    def failed_tries(self, event_id: str, count: int) -> Row:
        """Wait until the outbox shows ``count`` failed tries of the event; its row."""
        self.pump(lambda: (row := self.row(event_id)) is not None and row.attempts >= count,
                  f"{count} failed tries")
        row = self.row(event_id)
        assert row is not None and row.attempts == count, row
        return row

    def make_due(self, event_id: str) -> None:
        """The clock moves on: the scheduled retry is due now."""
        conn = sqlite3.connect(self.outbox, timeout=5)
        try:
            with conn:
                conn.execute("UPDATE events SET next_attempt_ms = 0 WHERE event_id = ?",
                             (event_id,))
        finally:
            conn.close()

    def deliveries(self, key: str) -> list[dict[str, Any]]:
        """The sandbox's raw deliveries of ``key`` (repeats and failures included)."""
        reply = requests.get(f"{self.sandbox.url}/_sandbox/deliveries",
                             params={"gamer_id": self.kgen.gamer_id}, timeout=10)
        reply.raise_for_status()
        return [entry for entry in reply.json() if entry["idempotency_key"] == key]

    def stored_keys(self) -> list[str]:
        reply = requests.get(f"{self.sandbox.url}/_sandbox/events",
                             params={"gamer_id": self.kgen.gamer_id, "limit": 1000}, timeout=10)
        reply.raise_for_status()
        data = reply.json()
        items = data["events"] if isinstance(data, dict) else data
        return [str(item["idempotency_key"]) for item in items]

    def keys_sent(self) -> list[str | None]:
        return [r.headers.get("idempotency-key") for r in self.server.requests if is_score_post(r)]

    def sessions_made(self) -> int:
        return sum(1 for request in self.server.requests if is_session_post(request))

    def report(self) -> Any:
        return self.settle(self.kgen.delivery_report())


@pytest.fixture
def rig(tmp_path: Path, sandbox: Any, hostile_server: HostileFactory) -> Iterator[Rig]:
    pygame.init()
    pygame.display.set_mode((320, 200))
    server = hostile_server(proxy_to(sandbox.url))
    kgen = KGen(api="v1", base_url=server.url, client_id=SANDBOX_CLIENT_ID,
                client_secret=SANDBOX_CLIENT_SECRET, data_dir=tmp_path / "game",
                game_id="sender-tests", gamer_id="sender-player", overlays=False)
    made = Rig(kgen, server, sandbox, tmp_path / "game" / OUTBOX_FILENAME)
    try:
        made.pump(lambda: bool(kgen.active_tournaments), "live tournaments")
        free = next(t for t in kgen.active_tournaments if t.buy_in == 0)
        made.settle(kgen.join_tournament(free.uid))
        made.tournament_id = free.uid
        yield made
    finally:
        kgen.close(timeout=1)
        pygame.quit()


def track(rig: Rig, answers: list[bytes], *, forward: bool) -> str:
    rig.server.behaviour = scripted(rig.sandbox.url, is_score_post, answers, forward=forward)
    return str(rig.kgen.track_score(4321, tournament_id=rig.tournament_id))


@pytest.mark.parametrize(
    ("answers", "backoff"),
    [
        ([REDIRECT], SLOW_BACKOFF),
        ([TIMEOUT_408], TRANSIENT_BACKOFF),
        ([RATE_LIMITED], TRANSIENT_BACKOFF),
        ([SERVER_ERROR, SERVER_ERROR], TRANSIENT_BACKOFF),
        ([HTML_200], SLOW_BACKOFF),
        ([TRUNCATED, HTML_200], SLOW_BACKOFF),
    ],
    ids=["302", "408", "429", "503 twice", "html 200", "truncated then html"],
)
def test_a_lost_answer_is_retried_with_backoff_and_the_same_key(
    rig: Rig, answers: list[bytes], backoff: Any
) -> None:
    """The sandbox processed each try but the answer was replaced: the sender retries
    with backoff, with the same Idempotency-Key every time; the sandbox saw every try
    (its raw deliveries) and stored the event once."""
    started_ms = int(time.time() * 1000)
    event_id = track(rig, answers, forward=True)
    for tries in range(1, len(answers) + 1):
        row = rig.failed_tries(event_id, tries)
        now_ms = int(time.time() * 1000)
        ceiling_s = backoff.ceiling(tries)
        if answers[tries - 1] is RATE_LIMITED:
            assert row.next_attempt_ms >= started_ms + 2000  # Retry-After: 2 is a floor
            ceiling_s = max(ceiling_s, 2.0)
        assert row.next_attempt_ms <= now_ms + ceiling_s * 1000, row
        assert row.last_error and "tok_" not in row.last_error
        rig.make_due(event_id)
    rig.pump(lambda: rig.row(event_id) is None, "the delivery")

    tries = len(answers) + 1
    assert rig.keys_sent() == [event_id] * tries  # one key, identical on every try
    raw = rig.deliveries(event_id)
    assert [entry["replayed"] for entry in raw] == [False] + [True] * len(answers), raw
    assert all(entry["status"] == 200 for entry in raw)
    assert rig.stored_keys().count(event_id) == 1
    report = rig.report()
    assert report.pending == 0 and report.dead_letter_count == 0


def test_a_huge_retry_after_is_capped(rig: Rig) -> None:
    event_id = track(rig, [RATE_LIMITED_FOR_AGES], forward=False)
    row = rig.failed_tries(event_id, 1)
    now_ms = int(time.time() * 1000)
    assert row.next_attempt_ms <= now_ms + DEFAULT_RETRY_AFTER_CAP_S * 1000
    assert row.next_attempt_ms >= now_ms + (DEFAULT_RETRY_AFTER_CAP_S - 30) * 1000
    assert rig.report().dead_letter_count == 0


@pytest.mark.parametrize("refusal", [REFUSED_422, REFUSED_400], ids=["422", "400"])
def test_only_a_definite_refusal_dead_letters(rig: Rig, refusal: bytes) -> None:
    event_id = track(rig, [refusal], forward=False)
    rig.pump(lambda: rig.refused, "the refusal")
    assert [event.event_id for event in rig.refused] == [event_id]
    report = rig.report()
    assert report.pending == 0 and report.dead_letter_count == 1
    (letter,) = report.dead_letters
    assert letter.event_id == event_id and letter.status in (400, 422)
    assert rig.keys_sent() == [event_id]  # tried once, never again
    assert rig.deliveries(event_id) == []  # the refusal came before the sandbox


@pytest.mark.parametrize("reply", [PROXY_404, UNKNOWN_404], ids=["html 404", "json 404"])
def test_a_404_that_names_nothing_is_retried_not_dead_lettered(rig: Rig, reply: bytes) -> None:
    event_id = track(rig, [reply], forward=False)
    row = rig.failed_tries(event_id, 1)
    assert row.next_attempt_ms <= int(time.time() * 1000) + SLOW_BACKOFF.ceiling(1) * 1000
    rig.make_due(event_id)
    rig.pump(lambda: rig.row(event_id) is None, "the delivery")
    assert rig.keys_sent() == [event_id, event_id]
    assert len(rig.deliveries(event_id)) == 1
    assert rig.report().dead_letter_count == 0


def test_a_401_mid_stream_makes_a_new_session_then_delivers(rig: Rig) -> None:
    sessions = rig.sessions_made()
    event_id = track(rig, [EXPIRED_401], forward=False)
    rig.pump(lambda: rig.row(event_id) is None, "the delivery")
    # The 401 happened (the server served it) and the plugin made a new session.
    assert rig.keys_sent() == [event_id, event_id]
    assert rig.sessions_made() == sessions + 1
    tokens = [parse_qs(urlsplit(r.target).query).get("token")
              for r in rig.server.requests if is_score_post(r)]
    assert len(tokens) == 2 and tokens[0] != tokens[1]  # the retry carried the new token
    assert [entry["status"] for entry in rig.deliveries(event_id)] == [200]
    assert rig.report().dead_letter_count == 0
