"""JSON encoding and decoding that keeps money exact.

Decoding uses ``parse_float=Decimal`` so ``12.30`` arrives as ``Decimal("12.30")``
and never passes through a binary float; ``NaN``/``Infinity`` are refused.

Objects decode to plain ``dict``; an object with a repeated key decodes to
:class:`JsonObject`, a ``dict`` that also remembers it: the dict holds the last
value (as every JSON parser does), and :attr:`JsonObject.duplicates` every
earlier one. :func:`all_values` reads both kinds. The documented wallet
transactions show ``toTransactions`` twice (C10), and a reader that takes the
union needs both.
Encoding writes ``Decimal`` values as JSON numbers with exactly their digits
(``json.dumps`` cannot: it would need a float).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from decimal import Decimal

__all__ = ["InvalidJSONError", "JsonObject", "all_values", "dumps", "loads"]


class InvalidJSONError(ValueError):
    """The text is not JSON this codec accepts."""


class JsonObject(dict[str, object]):
    """A decoded JSON object; :attr:`duplicates` maps a repeated key to its earlier values."""

    __slots__ = ("duplicates",)

    def __init__(self, pairs: list[tuple[str, object]]) -> None:
        super().__init__(pairs)
        self.duplicates: dict[str, list[object]] = {}
        if len(self) != len(pairs):
            seen: dict[str, object] = {}
            for key, value in pairs:
                if key in seen:
                    self.duplicates.setdefault(key, []).append(seen[key])
                seen[key] = value



def all_values(obj: dict[str, object], key: str) -> list[object]:
    """Every value ``key`` had in the decoded object, first to last (empty when absent)."""
    if key not in obj:
        return []
    earlier = obj.duplicates.get(key, []) if isinstance(obj, JsonObject) else []
    return [*earlier, obj[key]]


def _object(pairs: list[tuple[str, object]]) -> dict[str, object]:
    # The common case stays a plain dict (the hook runs for every object decoded).
    obj = dict(pairs)
    return obj if len(obj) == len(pairs) else JsonObject(pairs)


def loads(text: str) -> object:
    """Parse *text*; floats become Decimal. Raises :class:`InvalidJSONError`."""
    try:
        return json.loads(
            text,
            parse_float=Decimal,
            parse_constant=_refuse_constant,
            object_pairs_hook=_object,
        )
    except InvalidJSONError:
        raise
    except (ValueError, RecursionError) as error:
        raise InvalidJSONError(_describe(error)) from None


def _refuse_constant(name: str) -> object:
    raise InvalidJSONError(f"{name} is not a number JSON allows")


def _describe(error: Exception) -> str:
    if isinstance(error, json.JSONDecodeError):
        return f"{error.msg} at line {error.lineno} column {error.colno}"
    return type(error).__name__


def dumps(value: object) -> bytes:
    """Encode *value* as compact UTF-8 JSON; Decimal is written exactly.

    Accepts dict (string keys), list, tuple, str, int, bool, None and finite
    Decimal. Anything else raises TypeError (floats included: the contract has
    no float fields, and a float near money is a bug).
    """
    parts: list[str] = []
    _encode(value, parts)
    return "".join(parts).encode("utf-8")


def _encode(value: object, out: list[str]) -> None:
    if value is None or isinstance(value, bool | int | str):
        out.append(json.dumps(value, ensure_ascii=False))
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise TypeError("only finite Decimal values can be sent as JSON numbers")
        out.append(_decimal_text(value))
    elif isinstance(value, Mapping):
        out.append("{")
        for index, (key, item) in enumerate(value.items()):
            if not isinstance(key, str):
                raise TypeError("JSON object keys must be strings")
            if index:
                out.append(",")
            out.append(json.dumps(key, ensure_ascii=False))
            out.append(":")
            _encode(item, out)
        out.append("}")
    elif isinstance(value, Sequence) and not isinstance(value, bytes | bytearray):
        out.append("[")
        for index, item in enumerate(value):
            if index:
                out.append(",")
            _encode(item, out)
        out.append("]")
    else:
        raise TypeError(f"cannot send a {type(value).__name__} as JSON")


def _decimal_text(value: Decimal) -> str:
    # Whole values are written as plain integers so a server that wants an
    # integer ("joiningStake": 50) gets one; others keep their exact digits
    # (str() may give "1E-7", which is valid JSON).
    if value == value.to_integral_value() and value.adjusted() < 64:
        return str(int(value))
    return str(value)
