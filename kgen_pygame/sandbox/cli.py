"""Command line: ``python -m kgen_pygame.sandbox --port 8765 --db sandbox.db``."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import FrameType
from typing import Any

from .config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, Faults, SandboxConfig

DEFAULT_PORT = 8765
ENV_CLIENT_ID = "KGEN_SANDBOX_CLIENT_ID"
ENV_CLIENT_SECRET = "KGEN_SANDBOX_CLIENT_SECRET"  # noqa: S105 - a variable name


def _decimal(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value.is_finite():
        raise argparse.ArgumentTypeError(f"not a finite number: {text!r}")
    return value


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError("a rate must be between 0 and 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also used to document the flags)."""
    parser = argparse.ArgumentParser(
        prog="python -m kgen_pygame.sandbox",
        description=(
            "Run the KGeN sandbox: the current KGeN API (/s2s, /fe), the legacy IndiGG paths "
            "and /api/v1 on a local port, one SQLite store for all three."
        ),
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"port (default {DEFAULT_PORT}; 0 = any free)",
    )
    parser.add_argument(
        "--db", type=Path, default=None, help="SQLite file to keep state in (default: in memory)"
    )
    parser.add_argument(
        "--client-id",
        default=os.environ.get(ENV_CLIENT_ID, DEFAULT_CLIENT_ID),
        help=f"accepted client id (env {ENV_CLIENT_ID}; default {DEFAULT_CLIENT_ID})",
    )
    parser.add_argument(
        "--client-secret",
        default=os.environ.get(ENV_CLIENT_SECRET, DEFAULT_CLIENT_SECRET),
        help=f"accepted client secret (env {ENV_CLIENT_SECRET}; default {DEFAULT_CLIENT_SECRET})",
    )
    parser.add_argument(
        "--token-ttl",
        type=float,
        default=86_400.0,
        help="session token lifetime, s (default 86400)",
    )
    parser.add_argument(
        "--otp-ttl", type=float, default=300.0, help="OTP lifetime, s (default 300)"
    )
    parser.add_argument(
        "--otp-cooldown", type=float, default=30.0, help="seconds between OTP requests (default 30)"
    )
    parser.add_argument(
        "--min-withdraw",
        type=_decimal,
        default=Decimal("20"),
        help="minimum withdrawal (default 20)",
    )
    parser.add_argument(
        "--welcome-bonus",
        type=_decimal,
        default=Decimal("50"),
        help="new wallet bonus (default 50)",
    )
    parser.add_argument(
        "--chain-sync-delay",
        type=float,
        default=5.0,
        help="seconds until a transaction shows as synced on chain (default 5)",
    )
    parser.add_argument("--no-seed", action="store_true", help="start without seeded tournaments")
    parser.add_argument(
        "--list-rows",
        type=int,
        default=None,
        help="rows one listing answers at most (default: leaderboards 1000, history 500)",
    )
    parser.add_argument(
        "--documented-only",
        action="store_true",
        help="switch off every sandbox extension: do only what the KGeN docs document",
    )
    parser.add_argument(
        "--otp-digits",
        type=int,
        choices=(4, 6),
        default=6,
        help="length of the OTP sent by 'SMS' (default 6)",
    )
    faults = parser.add_argument_group("fault injection (API paths only, never /_sandbox)")
    faults.add_argument("--latency-ms", type=int, default=0, help="delay every API request")
    faults.add_argument("--error-rate", type=_rate, default=0.0, help="share answered 503 JSON")
    faults.add_argument("--drop-rate", type=_rate, default=0.0, help="share closed without reply")
    faults.add_argument("--html-rate", type=_rate, default=0.0, help="share answered 502 HTML")
    faults.add_argument(
        "--truncate-rate", type=_rate, default=0.0, help="share with a cut-off JSON body"
    )
    faults.add_argument(
        "--blackhole", action="store_true", help="accept API requests and never answer"
    )
    parser.add_argument(
        "--log-level",
        default="INFO",
        choices=("DEBUG", "INFO", "WARNING", "ERROR"),
        help="logging level on stderr (default INFO)",
    )
    return parser


def config_from_args(args: argparse.Namespace) -> SandboxConfig:
    """Turn parsed flags into a :class:`SandboxConfig` (ValueError when inconsistent)."""
    return SandboxConfig(
        host=args.host,
        port=args.port,
        db_path=args.db,
        client_id=args.client_id,
        client_secret=args.client_secret,
        token_ttl_s=args.token_ttl,
        otp_ttl_s=args.otp_ttl,
        otp_resend_cooldown_s=args.otp_cooldown,
        min_withdraw=args.min_withdraw,
        welcome_bonus=args.welcome_bonus,
        chain_sync_delay_s=args.chain_sync_delay,
        seed=not args.no_seed,
        documented_only=args.documented_only,
        otp_digits=args.otp_digits,
        list_rows=args.list_rows,
        faults=Faults(
            latency_ms=args.latency_ms,
            error_rate=args.error_rate,
            drop_rate=args.drop_rate,
            html_rate=args.html_rate,
            truncate_rate=args.truncate_rate,
            blackhole=args.blackhole,
        ),
    )


def _install_stop_signals(stop: threading.Event) -> dict[int, Any]:
    """SIGINT and SIGTERM set ``stop``; returns the previous handlers to restore."""
    previous: dict[int, Any] = {}
    if threading.current_thread() is not threading.main_thread():
        return previous

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    for signum in (signal.SIGINT, signal.SIGTERM):
        previous[signum] = signal.signal(signum, request_stop)
    return previous


def main(argv: Sequence[str] | None = None) -> int:
    """Run the sandbox until interrupted; returns the process exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    logging.basicConfig(
        level=args.log_level,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        config = config_from_args(args)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    from .server import SandboxServer

    server = SandboxServer(config)
    stop = threading.Event()
    previous = _install_stop_signals(stop)
    try:
        try:
            url = server.start()
        except OSError as exc:
            print(f"error: cannot listen on {config.host}:{config.port}: {exc}", file=sys.stderr)
            return 1
        print(f"KGeN sandbox listening on {url}")
        print(f"KGEN_BASE_URL={url}")
        print(f"KGEN_CLIENT_ID={config.client_id}")
        print(f"KGEN_CLIENT_SECRET={config.client_secret}")
        sys.stdout.flush()
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
    finally:
        server.stop()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return 0
