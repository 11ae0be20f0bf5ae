"""The KGeN session broker: the game's client secret stays on a server.

A small WSGI service the game developer deploys (``pip install
'kgen-pygame[broker]'``, then ``kgen-broker``). It holds the client id and
secret, and mints player sessions on the platform for games that carry no
secret at all. Each player is bound to a *device key* made on first launch:
the broker derives the platform ``user_id`` from it with an HMAC under the
broker key, so nobody obtains another player's session without that
player's key, and no database is needed. Games with their own login plug in
a verifier instead. See ``docs/broker.md``.

Modules, one job each:

- :mod:`~kgen_pygame.broker.wire`: the request and reply format (shared with the game);
- :mod:`~kgen_pygame.broker.config`: settings from ``KGEN_BROKER_*`` environment variables;
- :mod:`~kgen_pygame.broker.identity`: device key or verified ticket -> ``user_id``;
- :mod:`~kgen_pygame.broker.verifier` and :mod:`~kgen_pygame.broker.hmac_ticket`: the
  verifier hook and its worked example;
- :mod:`~kgen_pygame.broker.replay`: timestamp window and nonce cache;
- :mod:`~kgen_pygame.broker.ratelimit`: token buckets per client address;
- :mod:`~kgen_pygame.broker.platform`: session minting with deadline, retries, slots;
- :mod:`~kgen_pygame.broker.wsgi`: request reading and JSON replies;
- :mod:`~kgen_pygame.broker.app`: the WSGI application (routes, access log);
- :mod:`~kgen_pygame.broker.logs`: one JSON line per log record;
- :mod:`~kgen_pygame.broker.server`: waitress, in the foreground or on a thread;
- :mod:`~kgen_pygame.broker.cli`: the ``kgen-broker`` command.

Importing this package is cheap; waitress loads only when a server starts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kgen_pygame.broker.app import BrokerApp
    from kgen_pygame.broker.config import BrokerConfig
    from kgen_pygame.broker.server import BrokerServer
    from kgen_pygame.broker.verifier import VerificationFailed

__all__ = ["BrokerApp", "BrokerConfig", "BrokerServer", "VerificationFailed"]

_LAZY = {
    "BrokerApp": "kgen_pygame.broker.app",
    "BrokerConfig": "kgen_pygame.broker.config",
    "BrokerServer": "kgen_pygame.broker.server",
    "VerificationFailed": "kgen_pygame.broker.verifier",
}


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value
