"""The stepwise JSON decoder gives exactly what the one-call decoder gives.

The step sizes are shrunk to a few characters (module constants, read at call
time), so small generated documents go through every path: the walk of outer
containers, the bounded-slice scan of one element, and the batch scan of a run
of elements (whose cut may fall inside a string or a nested container).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kgen_pygame.api import jsoncodec

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.decimals(allow_nan=False, allow_infinity=False, places=4),
    # Strings full of the characters a cut could be fooled by.
    st.text(alphabet=st.sampled_from('ab"\\{}[],: \n\u00e9\U0001f600'), max_size=12),
)
documents = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=6)
        | st.dictionaries(st.text(alphabet="ab},[", max_size=3), inner, max_size=5)
    ),
    max_leaves=40,
)


@contextmanager
def tiny_steps() -> Iterator[None]:
    """Step through every document, with slices and batches of a few characters."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jsoncodec, "STEP_THRESHOLD_CHARS", 0)
        patch.setattr(jsoncodec, "SMALL_ELEMENT_CHARS", 12)
        patch.setattr(jsoncodec, "BATCH_CHARS", 40)
        yield


@settings(max_examples=400, deadline=None)
@given(document=documents, indent=st.sampled_from([None, 2]))
def test_steps_decode_exactly_like_one_call(document: object, indent: int | None) -> None:
    text = jsoncodec.dumps(document).decode() if indent is None else _pretty(document)
    assert jsoncodec.loads(text) == document
    yields: list[int] = []
    with tiny_steps():
        stepped = jsoncodec.loads(text, yield_point=lambda: yields.append(1), step_s=0.0)
    assert stepped == jsoncodec.loads(text)
    assert _types(stepped) == _types(jsoncodec.loads(text))


def _pretty(value: object, depth: int = 0) -> str:
    """*value* as indented JSON (numbers exact), with spaces a parser must skip."""
    pad, inner = "\n" + "  " * depth, "\n" + "  " * (depth + 1)
    if isinstance(value, list) and value:
        return "[" + ",".join(inner + _pretty(item, depth + 1) for item in value) + pad + "]"
    if isinstance(value, dict) and value:
        members = (
            inner + jsoncodec.dumps(key).decode() + " : " + _pretty(item, depth + 1)
            for key, item in value.items()
        )
        return "{" + " ,".join(members) + pad + "}"
    return jsoncodec.dumps(value).decode()


def _types(value: object) -> object:
    if isinstance(value, dict):
        return {key: _types(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_types(item) for item in value]
    return type(value)


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.sampled_from('[]{}",:0123 aeNI-.\\'), max_size=30))
def test_steps_refuse_exactly_what_one_call_refuses(text: str) -> None:
    try:
        expected: object = jsoncodec.loads(text)
    except jsoncodec.InvalidJSONError:
        with tiny_steps(), pytest.raises(jsoncodec.InvalidJSONError):
            jsoncodec.loads(text, yield_point=lambda: None)
    else:
        with tiny_steps():
            assert jsoncodec.loads(text, yield_point=lambda: None) == expected


def test_errors_name_the_same_position() -> None:
    text = '{"rows": [{"a": 1}, {"b": 2}, {"c": 3} {"d": 4}]}'
    with pytest.raises(jsoncodec.InvalidJSONError) as one_call:
        jsoncodec.loads(text)
    with tiny_steps(), pytest.raises(jsoncodec.InvalidJSONError) as stepped:
        jsoncodec.loads(text, yield_point=lambda: None)
    assert "column 40" in str(one_call.value)
    assert "column 40" in str(stepped.value)


@pytest.mark.parametrize("steps", [False, True])
def test_nan_infinity_and_long_integers_are_refused(
    monkeypatch: pytest.MonkeyPatch, steps: bool
) -> None:
    if steps:
        monkeypatch.setattr(jsoncodec, "STEP_THRESHOLD_CHARS", 0)
    hook = (lambda: None) if steps else None
    for text in ("[1, NaN]", '{"a": [Infinity]}', "[-Infinity]"):
        with pytest.raises(jsoncodec.InvalidJSONError, match="is not a number JSON allows"):
            jsoncodec.loads(text, yield_point=hook)
    with pytest.raises(jsoncodec.InvalidJSONError, match="too many digits"):
        jsoncodec.loads("[" + "7" * 5000 + "]", yield_point=hook)
    with pytest.raises(jsoncodec.InvalidJSONError, match="nested too deeply"):
        jsoncodec.loads("[" * 100_000 + "]" * 100_000, yield_point=hook)


def test_repeated_keys_are_kept_in_document_order() -> None:
    text = (
        '{"last_evaluated_key": "", "toTransactions": [{"uid": "a"}],'
        ' "fromTransactions": [], "toTransactions": [{"uid": "b"}, {"uid": "c"}]}'
    )
    for hook in (None, lambda: None):
        with tiny_steps():
            data = jsoncodec.loads(text, yield_point=hook)
        assert isinstance(data, jsoncodec.JsonObject)
        # Indexing sees the last value, as any JSON parser would; equal to the plain dict.
        assert data["toTransactions"] == [{"uid": "b"}, {"uid": "c"}]
        assert data == json.loads(text)
        assert jsoncodec.all_values(data, "toTransactions") == [
            [{"uid": "a"}],
            [{"uid": "b"}, {"uid": "c"}],
        ]
        assert jsoncodec.all_values(data, "fromTransactions") == [[]]
        assert jsoncodec.all_values(data, "transactions") == []
    plain = jsoncodec.loads('{"a": 1}')
    assert type(plain) is dict and jsoncodec.all_values(plain, "a") == [1]


def test_big_bodies_yield_between_short_steps() -> None:
    rows = ",".join(
        f'{{"rank": {i}, "user_id": "u{i}", "score": {i * 3}, "reward": 1.50}}' for i in range(5000)
    )
    text = '{"leaderboard": [' + rows + '], "price_pool": 100}'
    calls: list[int] = []
    data = jsoncodec.loads(text, yield_point=lambda: calls.append(1))
    assert data == jsoncodec.loads(text)
    assert isinstance(data, dict) and data["leaderboard"][4999]["reward"] == Decimal("1.50")
    assert len(calls) >= 5  # a few hundred microseconds of work between calls
    # Small bodies are decoded in one call: no yield at all.
    calls.clear()
    jsoncodec.loads('{"a": [1, 2, 3]}', yield_point=lambda: calls.append(1))
    assert calls == []
