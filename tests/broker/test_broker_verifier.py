"""Games with their own login: the verifier hook, with the HMAC ticket worked example."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from kgen_pygame.broker import BrokerServer
from kgen_pygame.broker.hmac_ticket import SECRET_ENV, issue_ticket, verify_ticket
from kgen_pygame.broker.verifier import VerificationFailed, load_verifier
from kgen_pygame.broker.wire import new_device_key, new_nonce
from kgen_pygame.errors import ConfigurationError
from kgen_pygame.sandbox import SandboxServer
from tests.broker.helpers import TICKET_SECRET, post_session, sandbox_records

SECRET = TICKET_SECRET.encode()


@pytest.fixture
def ticket_broker(
    make_broker: Callable[..., BrokerServer], monkeypatch: pytest.MonkeyPatch
) -> Iterator[BrokerServer]:
    monkeypatch.setenv(SECRET_ENV, TICKET_SECRET)
    yield make_broker(verifier="kgen_pygame.broker.hmac_ticket:verify")


def ticket_body(ticket: str, **fields: Any) -> dict[str, Any]:
    return {"ticket": ticket, "timestamp": int(time.time()), "nonce": new_nonce(), **fields}


def test_a_valid_ticket_gets_the_session_of_the_user_it_names(
    ticket_broker: BrokerServer, sandbox: SandboxServer
) -> None:
    reply = post_session(ticket_broker, ticket_body(issue_ticket(SECRET, "player-1234")))
    assert reply.status_code == 200, reply.text
    assert reply.json()["user_id"] == "player-1234"
    assert sandbox_records(sandbox, "player-1234")["sessions"] == 1


@pytest.mark.parametrize(
    "ticket",
    [
        issue_ticket(b"some-other-login-server-secret-0123456789", "player-1234"),
        issue_ticket(SECRET, "player-1234", ttl_s=60, now=time.time() - 120),  # expired
        issue_ticket(SECRET, "player-1234")[:-4] + "AAAA",  # signature changed
        "v1.eyJzdWIiOiJwbGF5ZXItMTIzNCIsImV4cCI6OTk5OTk5OTk5OX0.c2lnbmF0dXJl",  # forged
        "not a ticket",
    ],
    ids=["other server's key", "expired", "signature changed", "forged", "not a ticket"],
)
def test_a_refused_ticket_is_401(
    ticket_broker: BrokerServer, sandbox: SandboxServer, ticket: str
) -> None:
    reply = post_session(ticket_broker, ticket_body(ticket))
    assert reply.status_code == 401
    assert reply.json()["error"] == "TICKET_REJECTED"
    assert sandbox_records(sandbox, "player-1234")["exists"] is False


def test_a_ticket_broker_takes_no_device_keys(ticket_broker: BrokerServer) -> None:
    body = {"device_key": new_device_key(), "timestamp": int(time.time()), "nonce": new_nonce()}
    reply = post_session(ticket_broker, body)
    assert reply.status_code == 400
    assert "ticket" in reply.json()["message"]
    assert post_session(ticket_broker, ticket_body("")).status_code == 400


def test_replays_are_refused_with_tickets_too(ticket_broker: BrokerServer) -> None:
    body = ticket_body(issue_ticket(SECRET, "player-77"))
    assert post_session(ticket_broker, body).status_code == 200
    assert post_session(ticket_broker, body).status_code == 409


def test_a_broken_verifier_is_500_and_the_ticket_stays_out_of_the_logs(
    make_broker: Callable[..., BrokerServer], json_logs: Any
) -> None:
    broker = make_broker(verifier="tests.broker.verifiers:broken")
    ticket = "ticket-" + new_nonce()
    reply = post_session(broker, ticket_body(ticket))
    assert reply.status_code == 500 and reply.json()["error"] == "INTERNAL"
    text = json_logs.getvalue()
    assert "KeyError" in text
    assert ticket not in text


@pytest.mark.parametrize(
    "verifier", ["tests.broker.verifiers:returns_device_namespace"]
)
def test_a_verifier_cannot_hand_out_device_key_user_ids(
    make_broker: Callable[..., BrokerServer], verifier: str
) -> None:
    reply = post_session(make_broker(verifier=verifier), ticket_body("anything"))
    assert reply.status_code == 500


def test_a_verifier_returning_nothing_is_a_refusal(
    make_broker: Callable[..., BrokerServer],
) -> None:
    broker = make_broker(verifier="tests.broker.verifiers:returns_nothing")
    assert post_session(broker, ticket_body("anything")).status_code == 401


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("tests.broker.no_such_module:verify", "cannot import"),
        ("tests.broker.verifiers:missing", "no callable named missing"),
        ("tests.broker.verifiers:not_callable", "no callable named not_callable"),
    ],
)
def test_a_verifier_that_cannot_be_loaded_is_a_configuration_error(
    spec: str, message: str
) -> None:
    with pytest.raises(ConfigurationError, match=message):
        load_verifier(spec)


def test_hmac_ticket_round_trip_and_limits() -> None:
    now = 1_760_000_000
    ticket = issue_ticket(SECRET, "a@b", ttl_s=300, now=now)
    assert verify_ticket(SECRET, ticket, now=now + 299) == "a@b"
    with pytest.raises(VerificationFailed, match="expired"):
        verify_ticket(SECRET, ticket, now=now + 300)
    with pytest.raises(VerificationFailed, match="signature"):
        verify_ticket(b"x" * 32, ticket, now=now)
    with pytest.raises(ValueError, match="ttl_s"):
        issue_ticket(SECRET, "a@b", ttl_s=7200)
