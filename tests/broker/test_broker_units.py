"""The broker's small parts on their own: identity derivation, replay guard, token buckets."""

from __future__ import annotations

import pytest

from kgen_pygame.broker.identity import derive_user_id, user_log_id
from kgen_pygame.broker.ratelimit import RateLimiter
from kgen_pygame.broker.replay import NonceCacheFull, Replayed, ReplayGuard, StaleTimestamp
from kgen_pygame.broker.wire import (
    WireFormatError,
    decode_device_key,
    encode_base64url,
    new_device_key,
)


class Clock:
    def __init__(self, now: float = 1_760_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_the_user_id_is_a_fixed_function_of_broker_key_and_device_key() -> None:
    # A fixed vector: changing the derivation would silently re-number every player.
    user_id = derive_user_id(b"k" * 32, bytes(range(32)))
    assert user_id == derive_user_id(b"k" * 32, bytes(range(32)))
    assert user_id == "dk_rms3rb676udj6e5sef4rlkgfwjlr2g2t"
    assert len(user_id) == 35 and user_id.isascii() and user_id == user_id.lower()
    assert derive_user_id(b"j" * 32, bytes(range(32))) != user_id
    assert user_log_id(user_id) != user_id and len(user_log_id(user_id)) == 12


def test_a_device_key_has_one_spelling() -> None:
    key = new_device_key()
    assert len(key) == 43 and encode_base64url(decode_device_key(key)) == key
    for bad in (key + "=", key[:-1], "/" + key[1:], key[:-1] + "B"):
        with pytest.raises(WireFormatError):
            decode_device_key(bad)


def test_replay_guard_window_and_nonces() -> None:
    clock = Clock()
    guard = ReplayGuard(window_s=60, capacity=1000, clock=clock)
    now = int(clock.now)
    guard.check_timestamp(now - 60)
    guard.check_timestamp(now + 60)
    with pytest.raises(StaleTimestamp) as stale:
        guard.check_timestamp(now - 61)
    assert stale.value.server_time == now
    guard.remember("n" * 16, now)
    with pytest.raises(Replayed):
        guard.remember("n" * 16, now)
    # Once the timestamp has left the window the nonce is forgotten (the window refuses it).
    clock.now += 61
    guard.remember("m" * 16, int(clock.now))
    assert len(guard) == 1


def test_a_full_nonce_cache_refuses_rather_than_forgets() -> None:
    clock = Clock()
    guard = ReplayGuard(window_s=60, capacity=2, clock=clock)
    guard.remember("a" * 16, int(clock.now))
    guard.remember("b" * 16, int(clock.now))
    with pytest.raises(NonceCacheFull):
        guard.remember("c" * 16, int(clock.now))
    with pytest.raises(Replayed):
        guard.remember("a" * 16, int(clock.now))
    clock.now += 61
    guard.remember("c" * 16, int(clock.now))


def test_token_bucket_per_client() -> None:
    clock = Clock(0.0)
    limiter = RateLimiter(per_minute=60, burst=2, max_clients=2, clock=clock)
    assert limiter.take("a") == 0 and limiter.take("a") == 0
    assert limiter.take("a") == pytest.approx(1.0)
    assert limiter.take("b") == 0  # another client has its own bucket
    clock.now += 1.0
    assert limiter.take("a") == 0
    limiter.take("c")  # pushes out the least recently seen client ("b")
    assert limiter.take("b") == 0 and limiter.take("b") == 0
    assert RateLimiter(per_minute=0, burst=1).take("a") == 0  # off
