"""JSON in and out without floats for money.

Incoming fractions parse as :class:`~decimal.Decimal`; outgoing Decimals are written as exact
JSON numbers (``12.5``, ``50``), which :func:`json.dumps` cannot do by itself.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from json.encoder import encode_basestring_ascii
from typing import Any


class JSONDecodeError(ValueError):
    """The bytes are not a JSON document we accept."""


def _reject_constant(name: str) -> Any:
    raise JSONDecodeError(f"{name} is not valid JSON")


def loads(data: bytes) -> Any:
    """Parse UTF-8 JSON; fractions become Decimal, NaN/Infinity are rejected."""
    try:
        text = data.decode("utf-8")
        return json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
    except UnicodeDecodeError as exc:
        raise JSONDecodeError("body is not UTF-8") from exc
    except RecursionError as exc:
        raise JSONDecodeError("JSON nested too deeply") from exc
    except json.JSONDecodeError as exc:
        raise JSONDecodeError(f"malformed JSON at line {exc.lineno} column {exc.colno}") from exc


def decimal_text(value: Decimal) -> str:
    """Shortest plain (no exponent) text of a finite Decimal: 50.00 -> "50", 12.50 -> "12.5"."""
    if not value.is_finite():
        raise ValueError("cannot encode a non-finite Decimal")
    if value == 0:
        return "0"
    return format(value.normalize(), "f")


def _encode(obj: Any, out: list[str]) -> None:
    if obj is None:
        out.append("null")
    elif obj is True:
        out.append("true")
    elif obj is False:
        out.append("false")
    elif isinstance(obj, str):
        out.append(encode_basestring_ascii(obj))
    elif isinstance(obj, int):
        out.append(str(int(obj)))
    elif isinstance(obj, Decimal):
        out.append(decimal_text(obj))
    elif isinstance(obj, float):
        if not math.isfinite(obj):
            raise ValueError("cannot encode a non-finite float")
        out.append(int(obj).__str__() if obj.is_integer() and abs(obj) < 2**53 else repr(obj))
    elif isinstance(obj, dict):
        out.append("{")
        first = True
        for key, value in obj.items():
            if not first:
                out.append(",")
            first = False
            out.append(encode_basestring_ascii(str(key)))
            out.append(":")
            _encode(value, out)
        out.append("}")
    elif isinstance(obj, list | tuple):
        out.append("[")
        for index, value in enumerate(obj):
            if index:
                out.append(",")
            _encode(value, out)
        out.append("]")
    else:
        raise TypeError(f"cannot encode {type(obj).__name__} as JSON")


def dumps(obj: Any) -> bytes:
    """Encode ``obj`` (dict/list/str/int/Decimal/float/bool/None) as compact ASCII JSON bytes."""
    out: list[str] = []
    _encode(obj, out)
    return "".join(out).encode("ascii")
