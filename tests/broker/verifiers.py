"""Verifier hooks for the tests, loaded by name as KGEN_BROKER_VERIFIER would load them."""

from __future__ import annotations


def broken(ticket: str) -> str:
    """A verifier with a bug; its message carries the ticket, which must not reach a log."""
    raise KeyError(f"no such login session: {ticket}")


def returns_device_namespace(ticket: str) -> str:
    return "dk_" + "a" * 32


def returns_nothing(ticket: str) -> None:
    return None


not_callable = "verify"
