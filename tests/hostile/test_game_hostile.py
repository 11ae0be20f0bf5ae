"""A real game against the hostile server: what the player sees, what happens to scores.

Each test runs a real :class:`~kgen_pygame.KGen` (client id and secret given, its data
dir under ``tmp_path``) inside a real game loop (posted pygame events,
``handle_event``/``update``/``draw`` on a dummy-display surface) whose base URL is a
:class:`~tests.hostile.server.HostileServer`. The server first proxies to a real
sandbox, so the game gets a session; then it turns hostile, the game tracks scores
and the player opens the Rewards panel. For every misbehaviour the test asserts:

- no exception reaches the game loop and the plugin logged no error of its own;
- the panel says the plain sentence of :mod:`kgen_pygame.panels.messages` for that
  failure (read from the drawn text), with a Retry button exactly when
  :func:`~kgen_pygame.panels.messages.retry_helps`;
- the HUD badge shows the offline (or unavailable) state;
- the scores tracked meanwhile are pending in the outbox, none dead-lettered
  (``KGen.delivery_report()``), and the sender really tried to deliver them;
- Retry works once the server is healthy again;
- no token or secret reached a log line, a drawn text or a stored reason.

Loops are bounded in game-loop time; nothing asserts on a timer.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pygame
import pytest

from kgen_pygame import KGen, errors
from kgen_pygame.panels import messages
from kgen_pygame.sandbox import DEFAULT_CLIENT_ID as SANDBOX_CLIENT_ID
from kgen_pygame.sandbox import DEFAULT_CLIENT_SECRET as SANDBOX_CLIENT_SECRET
from tests.hostile.conftest import HostileFactory, LeakWatch
from tests.hostile.server import (
    Behaviour,
    HostileServer,
    RecordedRequest,
    echo_query,
    huge_body,
    json_reply,
    never_answer,
    never_read,
    proxy_to,
    redirect,
    reset_on_accept,
    response_head,
    scripted,
    trickle,
)
from tests.panels.driver import Driver

#: The issue's promise: the player hears within this much game-loop time.
PLAYER_HEARS_S = 10.0
#: Loops give up (and fail) only after a generous multiple of it: no timed assert.
LOOP_BOUND_S = 3 * PLAYER_HEARS_S
SCORES = 3


@dataclass(frozen=True)
class Case:
    """One misbehaviour, the error class it stands for and the sentence the player reads."""

    name: str
    behaviour: Callable[[], Behaviour]
    error: type[errors.KGenError]
    sentence: str


CASES = [
    Case(
        "html 200",
        lambda: json_reply("200 OK", b"<html><body>Wi-Fi login</body></html>",
                           content_type="text/html"),
        errors.UnexpectedAnswerError,
        messages.PROTOCOL,
    ),
    Case(
        "truncated json",
        lambda: json_reply("200 OK", b'{"claimable_rewards_info": [{"amount": 1',
                           content_length=900),
        errors.DamagedAnswerError,
        messages.PROTOCOL,
    ),
    Case(
        "wrong types",
        lambda: json_reply("200 OK", {"total_claimable_rewards": "lots",
                                      "claimable_rewards_info": [{"amount": [1]}],
                                      "leaderboard": "everyone", "tournaments": 7}),
        errors.ProtocolError,
        messages.PROTOCOL,
    ),
    Case(
        "absurd numbers",
        lambda: json_reply("200 OK", b'{"total_claimable_rewards": 1e26,'
                           b' "claimable_rewards_info": [{"uid": "r1", "amount": 1e26}],'
                           b' "earned_balance": 1e400, "bonus_balance": -5}'),
        errors.ProtocolError,
        messages.PROTOCOL,
    ),
    Case("huge body", lambda: huge_body(50 * 1024 * 1024, announce=False),
         errors.AnswerTooLargeError, messages.TOO_LARGE),
    Case(
        "slowloris",
        lambda: trickle(response_head("200 OK", content_length=40) + b"[" + b" " * 38 + b"]",
                        interval=0.2),
        errors.RequestTimeout,
        messages.TIMEOUT,
    ),
    Case("accept, never answer", never_answer, errors.RequestTimeout, messages.TIMEOUT),
    Case("accept, never read", never_read, errors.RequestTimeout, messages.TIMEOUT),
    Case("reset on accept", reset_on_accept, errors.NetworkError, messages.NETWORK),
    Case(
        "500 huge retry-after",
        lambda: json_reply("500 Internal Server Error", {"error": "INTERNAL"},
                           headers={"Retry-After": "99999999999"}),
        errors.ServerError,
        messages.SERVER,
    ),
    Case(
        "429 with Retry-After",
        lambda: json_reply("429 Too Many Requests", {"error": "TOO_MANY_REQUESTS"},
                           headers={"Retry-After": "5"}),
        errors.RateLimitError,
        "Too many requests. Please wait 5 s and try again.",
    ),
    Case(
        "redirect on-host",
        lambda: redirect("302 Found", "/login?token=tok_LOCATION_onhost"),
        errors.UnexpectedAnswerError,
        messages.PROTOCOL,
    ),
    Case(
        "redirect off-host",
        lambda: redirect("307 Temporary Redirect",
                         "https://portal.example/?token=tok_LOCATION_offhost"),
        errors.UnexpectedAnswerError,
        messages.PROTOCOL,
    ),
    Case(
        "error echoing the query",
        lambda: echo_query("503 Service Unavailable"),
        errors.ServerError,
        messages.SERVER,
    ),
]


class Game:
    """The game under test: a KGen on the hostile server, its loop and its sandbox."""

    def __init__(self, kgen: KGen, server: HostileServer, sandbox: Any, watch: LeakWatch) -> None:
        self.kgen = kgen
        self.server = server
        self.sandbox = sandbox
        self.watch = watch
        self.drive = Driver(kgen, server.url)
        self.loop_s = 0.0  # game-loop time, as the frames measured it

    def frames_until(self, predicate: Callable[[], object], what: str) -> float:
        """Run game frames of real time until ``predicate()``; the game-loop seconds taken."""
        started = self.loop_s
        last = time.monotonic()
        while not predicate():
            if self.loop_s - started > LOOP_BOUND_S:
                raise AssertionError(f"gave up waiting for {what}: {self.drawn()}")
            time.sleep(1 / 120)
            now = time.monotonic()
            self.drive.frame(now - last)
            self.loop_s += now - last
            last = now
            self.watch.texts.extend(self.drawn())
        return self.loop_s - started

    def drawn(self) -> list[str]:
        return self.drive.drawn()

    def shown(self) -> str:
        """Everything drawn, as one text (a wrapped sentence is drawn line by line)."""
        return " ".join(self.drawn())

    def hud(self) -> str:
        hud = self.kgen.overlay.hud  # type: ignore[union-attr]
        assert hud is not None
        return str(hud.text)

    def settle(self, call: Any, what: str) -> Any:
        self.frames_until(lambda: call.done, what)
        assert call.ok, call.error
        return call.result

    def report(self) -> Any:
        return self.settle(self.kgen.delivery_report(), "the delivery report")

    def heal(self) -> None:
        self.server.behaviour = proxy_to(self.sandbox.url)


@pytest.fixture
def display() -> Iterator[pygame.Surface]:
    pygame.init()
    surface = pygame.display.set_mode((1280, 720))
    pygame.event.clear()
    yield surface
    pygame.quit()


@pytest.fixture(params=["current", "v1"])
def generation(request: pytest.FixtureRequest) -> str:
    """Each test runs on the current generation and on v1 (whose token is in the query)."""
    return str(request.param)


@pytest.fixture
def game(
    generation: str,
    tmp_path: Path,
    display: pygame.Surface,
    sandbox: Any,
    hostile_server: HostileFactory,
    leak_watch: LeakWatch,
) -> Iterator[Game]:
    """A game with a session, made through a hostile server that still proxies."""
    server = hostile_server(proxy_to(sandbox.url))
    kgen = KGen(
        api=generation,  # type: ignore[arg-type]
        base_url=server.url,
        client_id=SANDBOX_CLIENT_ID,
        client_secret=SANDBOX_CLIENT_SECRET,
        data_dir=tmp_path / "game",
        game_id="hostile-game",
        gamer_id="hostile-player",
    )
    leak_watch.secrets.append(SANDBOX_CLIENT_SECRET)
    playing = Game(kgen, server, sandbox, leak_watch)
    try:
        playing.frames_until(
            lambda: kgen.ready and kgen.state.balance is not None, "the first session"
        )
        assert kgen.session is not None
        leak_watch.secrets.append(kgen.session.token)
        yield playing
    finally:
        kgen.close(timeout=1)


def own_errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Errors the plugin logged about itself (an exception it caught in the loop)."""
    return [
        record.getMessage() for record in caplog.records
        if record.name.startswith("kgen_pygame") and record.levelno >= logging.ERROR
    ]


def refused(game: Game) -> bool:
    return bool(game.report().dead_letter_count)


def turn_hostile_and_open_rewards(game: Game, case: Case) -> Any:
    """Turn the server hostile, track scores, open Rewards; wait for the failure drawn."""
    game.server.behaviour = case.behaviour()
    for value in range(SCORES):
        game.kgen.track_score(1000 + value)
    game.kgen.open_menu("rewards")
    panel = game.drive.panel
    assert panel.name == "rewards"
    game.frames_until(lambda: panel.status.failed, f"the player's message ({case.name})")
    return panel


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_player_hears_and_no_score_is_lost(
    game: Game, case: Case, caplog: pytest.LogCaptureFixture
) -> None:
    served_before = len(game.server.requests) + game.server.connections
    panel = turn_hostile_and_open_rewards(game, case)

    drawn = game.drawn()
    assert case.sentence in game.shown(), drawn
    assert messages.retry_helps(case.error)
    assert "Retry" in drawn  # offered: asking again can help
    assert not any("No rewards" in text for text in drawn)  # never "nothing" for a failure

    # The sender met the same server: the HUD says so, and the scores wait.
    game.frames_until(lambda: "offline" in game.hud(), "the HUD's offline state")
    assert any("offline" in text for text in game.drawn())
    report = game.report()
    assert report.pending == SCORES
    assert report.dead_letter_count == 0 and report.dead_letters == ()
    assert len(game.server.requests) + game.server.connections > served_before

    # Healthy again: Retry (a real click) loads the panel.
    game.heal()
    game.drive.click(panel.status.retry)
    game.frames_until(lambda: not panel.status.visible, "the panel after Retry")
    drawn = game.drawn()
    assert case.sentence not in game.shown() and "Retry" not in drawn
    assert own_errors(caplog) == []


def test_a_refused_connection_says_so_and_retry_works_once_it_listens(
    game: Game, caplog: pytest.LogCaptureFixture
) -> None:
    game.server.refuse()  # nothing listens on the port any more
    for value in range(SCORES):
        game.kgen.track_score(2000 + value)
    game.kgen.open_menu("rewards")
    panel = game.drive.panel
    game.frames_until(lambda: panel.status.failed, "the player's message (refused)")
    assert messages.NETWORK in game.shown() and "Retry" in game.drawn(), game.drawn()
    game.frames_until(lambda: "offline" in game.hud(), "the HUD's offline state")
    report = game.report()
    assert report.pending == SCORES and report.dead_letter_count == 0

    game.server.reopen()
    game.heal()
    game.drive.click(panel.status.retry)
    game.frames_until(lambda: not panel.status.visible, "the panel after Retry")
    assert messages.NETWORK not in game.shown()
    game.frames_until(lambda: game.kgen.pending_events == 0, "the scores' delivery")
    assert own_errors(caplog) == []


def test_an_expired_session_is_made_again_silently(
    game: Game, caplog: pytest.LogCaptureFixture
) -> None:
    """One 401 to the panel's call (the token died on the server): the player sees the
    rewards, not a message; a new session was really made (counted at the server)."""
    sessions = sum(1 for request in game.server.requests if is_session_post(request))
    body = b'{"error": "UN_AUTHORIZED"}'
    expired = response_head("401 Unauthorized", content_length=len(body)) + body
    game.server.behaviour = scripted(
        game.sandbox.url,
        lambda request: request.method == "GET" and "rewards" in request.target,
        [expired],
    )
    game.kgen.open_menu("rewards")
    panel = game.drive.panel
    game.frames_until(lambda: not game.kgen.overlay.busy, "the panel's calls")  # type: ignore[union-attr]
    assert not panel.status.failed and messages.SESSION not in game.shown(), game.drawn()
    assert "Retry" not in game.drawn()
    assert sum(1 for request in game.server.requests if is_session_post(request)) == sessions + 1
    assert own_errors(caplog) == []


def is_session_post(request: RecordedRequest) -> bool:
    return request.method == "POST" and "session" in request.target.lower()


def test_401_for_ever_says_setup_and_offers_no_retry(
    game: Game, caplog: pytest.LogCaptureFixture
) -> None:
    sessions_before = sum(1 for request in game.server.requests if is_session_post(request))
    case = Case("401 for ever", lambda: json_reply("401 Unauthorized", {"error": "UN_AUTHORIZED"}),
                errors.CredentialsRejected, messages.SETUP)
    panel = turn_hostile_and_open_rewards(game, case)

    drawn = game.drawn()
    assert messages.SETUP in game.shown(), drawn
    assert not messages.retry_helps(errors.CredentialsRejected("refused", status=401,
                                                               operation="POST /session"))
    assert "Retry" not in drawn  # trying again cannot fix the game's configuration
    assert messages.SESSION not in game.shown()  # not "your session has expired"
    # The game really asked for a new session (and was refused), not just the panel call.
    sessions_after = sum(1 for request in game.server.requests if is_session_post(request))
    assert sessions_after > sessions_before

    game.frames_until(lambda: "unavailable" in game.hud(), "the HUD's setup state")
    assert "offline" not in game.hud()  # a refused setup is not an outage
    report = game.report()
    assert report.pending == SCORES and report.dead_letter_count == 0
    assert panel.status.failed
    assert own_errors(caplog) == []


def test_a_400_echoing_the_request_loses_no_score_and_leaks_nothing(
    game: Game, generation: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A 400 echoing the request (query and headers) to every call. On the current
    generation a score's delivery first looks up the live tournaments: a refused lookup
    is not a refusal of the event, so the scores wait (on main they were dead-lettered).
    On v1 the refusal answers the score's own POST: a definite refusal, so the scores
    are dead letters, kept with their reasons. Nothing drawn, logged or stored holds
    the token or the client secret."""
    case = Case("400 echo", lambda: echo_query("400 Bad Request"),
                errors.RequestRefusedError, messages.GENERIC)
    served_before = len(game.server.requests)
    turn_hostile_and_open_rewards(game, case)
    assert case.sentence in game.shown() and "Retry" in game.drawn(), game.drawn()
    game.frames_until(lambda: "offline" in game.hud() or refused(game), "the sender's try")
    tried = [r.target for r in game.server.requests[served_before:]]
    report = game.report()
    game.watch.texts.extend(letter.reason for letter in report.dead_letters)
    if generation == "current":
        assert any("tournaments" in target for target in tried), tried
        assert report.pending == SCORES and report.dead_letter_count == 0, report
    else:
        game.frames_until(lambda: game.report().dead_letter_count == SCORES, "the refusals")
        report = game.report()
        game.watch.texts.extend(letter.reason for letter in report.dead_letters)
        assert report.pending == 0 and all(letter.status == 400 for letter in report.dead_letters)
    assert own_errors(caplog) == []
