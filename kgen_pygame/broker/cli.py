"""``kgen-broker``: run the session broker, configured from ``KGEN_BROKER_*`` variables.

Prints ``kgen-broker listening on http://HOST:PORT`` on stdout once bound;
logs go to stderr as JSON lines. Exit status: 0 after a clean stop (SIGINT /
SIGTERM), 2 when the settings are wrong (each problem is printed by its
variable name), 1 when the socket cannot be bound.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from kgen_pygame.broker.config import BrokerConfig
from kgen_pygame.errors import ConfigurationError

__all__ = ["main"]

logger = logging.getLogger("kgen_pygame.broker")

_VARIABLES = """\
required:
  KGEN_BROKER_PLATFORM_URL      the KGeN platform (https://...; http only for loopback)
  KGEN_BROKER_CLIENT_ID         the game's client id
  KGEN_BROKER_CLIENT_SECRET     the client secret (or KGEN_BROKER_CLIENT_SECRET_FILE)
  KGEN_BROKER_KEY               >= 32 bytes; never change it (or KGEN_BROKER_KEY_FILE)
optional (default):
  KGEN_BROKER_API (v1)  KGEN_BROKER_HOST (127.0.0.1)  KGEN_BROKER_PORT (8790)
  KGEN_BROKER_THREADS (8)  KGEN_BROKER_PLATFORM_SLOTS (threads - 2)
  KGEN_BROKER_VERIFIER (module:function; replaces device keys)
  KGEN_BROKER_RATE_PER_MINUTE (30; 0 = off)  KGEN_BROKER_RATE_BURST (10)
  KGEN_BROKER_REPLAY_WINDOW_S (120)  KGEN_BROKER_NONCE_CACHE_SIZE (100000)
  KGEN_BROKER_CONNECT_TIMEOUT_S (2)  KGEN_BROKER_READ_TIMEOUT_S (5)
  KGEN_BROKER_DEADLINE_S (8)  KGEN_BROKER_PLATFORM_RETRIES (2)
  KGEN_BROKER_MAX_BODY_BYTES (4096)  KGEN_BROKER_TRUSTED_PROXY (unset)
  KGEN_BROKER_TRUSTED_PROXY_COUNT (1)  KGEN_BROKER_ALLOW_INSECURE_PLATFORM_HTTP (0)
  KGEN_BROKER_LOG_LEVEL (INFO)
See docs/broker.md."""


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    """Run the broker until interrupted; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="kgen-broker",
        description="KGeN session broker: mints player sessions; the client secret stays here.",
        epilog=_VARIABLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--check", action="store_true", help="check the settings and exit (0 when usable)"
    )
    args = parser.parse_args(argv)
    try:
        config = BrokerConfig.from_environ(environ)
    except ConfigurationError as error:
        print(error, file=sys.stderr)
        return 2
    from kgen_pygame.broker.server import BrokerServer

    try:
        server = BrokerServer(config)  # loads the verifier: may be a ConfigurationError
    except ConfigurationError as error:
        print(f"the KGeN broker cannot start:\n  - {error}", file=sys.stderr)
        return 2
    if args.check:
        print("kgen-broker: settings are usable", file=sys.stderr)
        return 0
    from kgen_pygame.broker.logs import configure_logging

    configure_logging(config.log_level)
    try:
        url = server.bind()
    except OSError as error:
        print(
            f"kgen-broker: cannot listen on {config.host}:{config.port} "
            f"({error.strerror or error})",
            file=sys.stderr,
        )
        return 1

    def request_stop(signum: int, _frame: Any) -> None:
        logger.info("kgen-broker got signal %d; stopping", signum)
        server.stop(timeout=0)

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    # Plain, on stdout, whatever the log level: scripts wait for this line.
    print(f"kgen-broker listening on {url}", flush=True)
    server.serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
