"""Helpers of the broker tests: configs, request bodies, sandbox look-ups."""

from __future__ import annotations

import time
from typing import Any

import requests

from kgen_pygame.broker import BrokerConfig, BrokerServer
from kgen_pygame.broker.wire import new_device_key, new_nonce
from kgen_pygame.sandbox import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, SandboxServer

BROKER_KEY = b"broker-key-for-tests-0123456789-abcdefghijklmnop"
TICKET_SECRET = "ticket-secret-for-tests-0123456789-abcdef"
TIMEOUT = 30.0


def broker_config(platform_url: str, **overrides: Any) -> BrokerConfig:
    values: dict[str, Any] = {
        "platform_url": platform_url,
        "client_id": DEFAULT_CLIENT_ID,
        "client_secret": DEFAULT_CLIENT_SECRET,
        "broker_key": BROKER_KEY,
        "port": 0,
        "threads": 4,
    }
    values.update(overrides)
    return BrokerConfig(**values)


def session_body(device_key: str | None = None, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "device_key": device_key or new_device_key(),
        "timestamp": int(time.time()),
        "nonce": new_nonce(),
    }
    body.update(fields)
    return {key: value for key, value in body.items() if value is not None}


def post_session(broker: BrokerServer, body: Any, **kwargs: Any) -> requests.Response:
    kwargs.setdefault("timeout", TIMEOUT)
    if isinstance(body, bytes):
        kwargs.setdefault("headers", {"Content-Type": "application/json"})
        return requests.post(broker.url + "/v1/session", data=body, **kwargs)
    return requests.post(broker.url + "/v1/session", json=body, **kwargs)


def sandbox_records(sandbox: SandboxServer, gamer_id: str) -> dict[str, Any]:
    reply = requests.get(
        f"{sandbox.url}/_sandbox/records", params={"gamer_id": gamer_id}, timeout=TIMEOUT
    )
    reply.raise_for_status()
    body: dict[str, Any] = reply.json()
    return body
