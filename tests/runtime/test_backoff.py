"""Exponential backoff with full jitter and a capped Retry-After."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kgen_pygame.runtime.backoff import DEFAULT_RETRY_AFTER_CAP_S, Backoff


def test_ceiling_grows_by_the_factor_up_to_the_maximum() -> None:
    backoff = Backoff(base_s=0.5, factor=2.0, max_s=60.0)
    assert [backoff.ceiling(n) for n in range(1, 10)] == [
        0.5,
        1.0,
        2.0,
        4.0,
        8.0,
        16.0,
        32.0,
        60.0,
        60.0,
    ]


def test_huge_attempt_numbers_stay_at_the_maximum() -> None:
    backoff = Backoff(jitter=False)
    assert backoff.delay(10_000) == 60.0
    assert backoff.delay(10**9) == 60.0


def test_without_jitter_the_delay_is_the_ceiling() -> None:
    backoff = Backoff(base_s=1.0, factor=3.0, max_s=100.0, jitter=False)
    assert [backoff.delay(n) for n in (1, 2, 3, 4, 5, 6)] == [1.0, 3.0, 9.0, 27.0, 81.0, 100.0]


def test_full_jitter_spreads_over_zero_to_the_ceiling() -> None:
    backoff = Backoff(base_s=1.0, factor=2.0, max_s=60.0)
    rng = random.Random(1234)
    delays = [backoff.delay(4, rng=rng) for _ in range(2000)]  # ceiling 8 s

    assert all(0.0 <= d <= 8.0 for d in delays)
    assert min(delays) < 0.5 and max(delays) > 7.5  # really spread, not clustered
    assert 3.5 < sum(delays) / len(delays) < 4.5


def test_seeded_rng_makes_delays_reproducible() -> None:
    backoff = Backoff()
    first = [backoff.delay(n, rng=random.Random(7)) for n in range(1, 8)]
    second = [backoff.delay(n, rng=random.Random(7)) for n in range(1, 8)]
    assert first == second


def test_retry_after_is_a_floor() -> None:
    backoff = Backoff(base_s=0.5, max_s=60.0)
    rng = random.Random(3)
    assert all(backoff.delay(1, retry_after=12.0, rng=rng) >= 12.0 for _ in range(200))
    # A short Retry-After does not shorten a longer backoff.
    assert Backoff(jitter=False).delay(7, retry_after=1.0) == 32.0


def test_retry_after_is_capped() -> None:
    backoff = Backoff(jitter=False)
    assert backoff.delay(1, retry_after=86_400.0) == DEFAULT_RETRY_AFTER_CAP_S
    assert backoff.delay(1, retry_after=86_400.0, retry_after_cap_s=30.0) == 30.0
    assert backoff.delay(1, retry_after=math.inf) == DEFAULT_RETRY_AFTER_CAP_S


@pytest.mark.parametrize("bad", [-5.0, math.nan])
def test_nonsense_retry_after_is_ignored(bad: float) -> None:
    assert Backoff(jitter=False).delay(2, retry_after=bad) == 1.0


def test_attempts_start_at_one() -> None:
    with pytest.raises(ValueError, match="starts at 1"):
        Backoff().delay(0)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"base_s": 0.0},
        {"base_s": -1.0},
        {"base_s": math.nan},
        {"factor": 0.5},
        {"factor": math.inf},
        {"max_s": 0.1, "base_s": 1.0},
        {"max_s": math.inf},
    ],
)
def test_invalid_settings_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        Backoff(**kwargs)


@given(
    attempt=st.integers(min_value=1, max_value=5000),
    base=st.floats(min_value=0.001, max_value=10.0),
    factor=st.floats(min_value=1.0, max_value=10.0),
    extra=st.floats(min_value=0.0, max_value=1000.0),
    retry_after=st.none() | st.floats(min_value=0.0, max_value=1e6),
    seed=st.integers(min_value=0, max_value=2**32),
)
def test_delay_always_stays_within_its_bounds(
    attempt: int, base: float, factor: float, extra: float, retry_after: float | None, seed: int
) -> None:
    backoff = Backoff(base_s=base, factor=factor, max_s=base + extra)
    delay = backoff.delay(attempt, retry_after=retry_after, rng=random.Random(seed))

    assert 0.0 <= delay <= max(backoff.max_s, DEFAULT_RETRY_AFTER_CAP_S)
    assert delay <= backoff.ceiling(attempt) or retry_after is not None
    if retry_after is not None:
        assert delay >= min(retry_after, DEFAULT_RETRY_AFTER_CAP_S)
