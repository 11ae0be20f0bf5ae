"""JSON encoding and decoding that keeps money exact and never holds the GIL for long.

Decoding guarantees, whichever path a body takes:

- non-integer numbers arrive as ``Decimal`` (``12.30`` -> ``Decimal("12.30")``),
  never through a binary float; ``NaN``, ``Infinity`` and ``-Infinity`` are
  refused, and so is an integer too long for Python to convert;
- objects decode to plain ``dict``; an object with a repeated key decodes to
  :class:`JsonObject`, a ``dict`` that also remembers it: the dict holds the
  last value (as every JSON parser does), and :attr:`JsonObject.duplicates`
  every earlier one. :func:`all_values` reads both kinds. The documented wallet
  transactions show ``toTransactions`` twice (C10), and a reader that takes
  the union needs both;
- invalid text raises :class:`InvalidJSONError` with the position, never a bare
  ``ValueError``, ``RecursionError`` or ``StopIteration``.

:func:`loads` with a ``yield_point`` decodes a big body in small steps: it
walks the outer containers itself (top-level array or object, and the
containers inside them, up to a few levels) and hands each element to the C
scanner, calling ``yield_point()`` whenever about ``step_s`` of work has passed
since the last call. The game thread shares the GIL with the worker that
decodes; one ``json.loads`` of a 2 MB body would hold it for tens of
milliseconds, while a step holds it for a fraction of one. An element is handed
to the C scanner only as a bounded slice of the text (:data:`SMALL_ELEMENT_CHARS`),
so no single C call does more than a few microseconds of work whatever a
hostile server nests; a bigger element is walked like its parent. Bodies
shorter than :data:`STEP_THRESHOLD_CHARS` are decoded in one call.

Encoding writes ``Decimal`` values as JSON numbers with exactly their digits
(``json.dumps`` cannot: it would need a float).
"""

from __future__ import annotations

import json
import json.scanner
import re
import time
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Final

__all__ = [
    "SMALL_ELEMENT_CHARS",
    "STEP_THRESHOLD_CHARS",
    "InvalidJSONError",
    "JsonObject",
    "all_values",
    "dumps",
    "loads",
    "pause",
]

#: Bodies shorter than this (characters) are decoded in one C call even when a
#: ``yield_point`` is given: about 0.3 ms of work at most.
STEP_THRESHOLD_CHARS: Final = 32 * 1024
#: An element is handed to the C scanner as a slice of at most this many
#: characters; one that does not fit is walked by the stepping decoder.
SMALL_ELEMENT_CHARS: Final = 4 * 1024
#: Runs of small array elements are decoded in one C call per window of this
#: many characters (about 0.05 ms of work).
BATCH_CHARS: Final = 8 * 1024
#: Containers deeper than this are no longer walked step by step (the C
#: scanner takes the rest whole); JSON this deep is not something KGeN sends.
_MAX_WALK_DEPTH: Final = 32
_DEFAULT_STEP_S: Final = 0.0002


#: How long :func:`pause` leaves the GIL. Measured on 2 cores: ``time.sleep(0)``
#: gives the GIL back before a waiting thread wakes up, so that thread keeps
#: waiting for the interpreter's 5 ms switch interval; 50 microseconds is enough
#: for it to take over (``benchmarks/reply_cost.py``).
PAUSE_S: Final = 0.00005


def pause() -> None:
    """The default ``yield_point``: leave the GIL long enough for a waiting thread to take it."""
    time.sleep(PAUSE_S)


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


def _refuse_constant(name: str) -> object:
    raise InvalidJSONError(f"{name} is not a number JSON allows")


_DECODER: Final = json.JSONDecoder(
    parse_float=Decimal,
    parse_constant=_refuse_constant,
    object_pairs_hook=_object,
)
# typeshed types make_scanner's argument as the scanner class itself.
_scan_once: Final[Callable[[str, int], tuple[object, int]]] = json.scanner.make_scanner(
    _DECODER  # type: ignore[arg-type]
)
_WHITESPACE: Final = re.compile(r"[ \t\n\r]*")


def _skip(text: str, index: int) -> int:
    """The index of the first non-whitespace character at or after *index*."""
    match = _WHITESPACE.match(text, index)
    return match.end() if match is not None else index


def loads(
    text: str,
    *,
    yield_point: Callable[[], None] | None = None,
    step_s: float = _DEFAULT_STEP_S,
) -> object:
    """Parse *text*; floats become Decimal. Raises :class:`InvalidJSONError`.

    With *yield_point*, a body of :data:`STEP_THRESHOLD_CHARS` or more is
    decoded in steps of about *step_s* seconds, calling ``yield_point()``
    between them (``time.sleep(0)`` lets a waiting game thread take the GIL).
    The result is the same either way.
    """
    try:
        if yield_point is None or len(text) < STEP_THRESHOLD_CHARS:
            return _DECODER.decode(text)
        return _StepDecoder(text, yield_point, step_s).decode()
    except InvalidJSONError:
        raise
    except (ValueError, RecursionError) as error:
        raise InvalidJSONError(_describe(error)) from None


def _describe(error: Exception) -> str:
    if isinstance(error, json.JSONDecodeError):
        return f"{error.msg} at line {error.lineno} column {error.colno}"
    if isinstance(error, RecursionError):
        return "the JSON is nested too deeply"
    if "digits" in str(error):
        return "an integer has too many digits"
    return type(error).__name__


class _Container:
    """An array or object being walked: its items so far and, for objects, the next key."""

    __slots__ = ("closer", "items", "key", "no_batch_until")

    def __init__(self, closer: str) -> None:
        self.closer = closer
        self.items: list[object] = []
        self.key: str = ""
        self.no_batch_until = 0  # after a failed batch, element by element up to here

    def finish(self) -> object:
        if self.closer == "]":
            return self.items
        return _object(self.items)  # type: ignore[arg-type]


_SPACE: Final = frozenset(" \t\n\r")


class _StepDecoder:
    """Decodes one text, walking its outer containers and yielding between steps."""

    def __init__(self, text: str, yield_point: Callable[[], None], step_s: float) -> None:
        self.text = text
        self.yield_point = yield_point
        self.step_s = step_s

    def decode(self) -> object:  # one tight loop, kept together for speed
        text = self.text
        yield_point = self.yield_point
        step_s = self.step_s
        clock = time.perf_counter
        last_yield = clock()
        stack: list[_Container] = []
        index = _skip(text, 0)
        while True:
            # -- one value at index: scanned whole, or a big container opened --
            char = text[index : index + 1]
            batch: list[object] | None = None
            if char in ("[", "{") and len(stack) < _MAX_WALK_DEPTH:
                container = stack[-1] if stack else None
                if (
                    container is not None
                    and container.closer == "]"
                    and index >= container.no_batch_until
                ):
                    batch, after = _scan_batch(text, index)
                    if batch is None:
                        container.no_batch_until = after
                    else:
                        index = after
                small = None if batch is not None else _scan_small(text, index)
                if batch is not None:
                    value = None
                elif small is None:
                    container = _Container("]" if char == "[" else "}")
                    index = _skip(text, index + 1)
                    if text[index : index + 1] != container.closer:
                        if char == "{":
                            index = _key(text, container, index)
                        stack.append(container)
                        continue
                    value, index = container.finish(), index + 1
                else:
                    value, index = small
            else:
                value, index = _scan(text, index)
            # -- attach it; close every container that ends right after it --
            while True:
                if not stack:
                    index = _skip(text, index)
                    if index != len(text):
                        raise json.JSONDecodeError("Extra data", text, index)
                    return value
                container = stack[-1]
                if batch is not None:
                    container.items.extend(batch)
                    batch = None
                elif container.closer == "]":
                    container.items.append(value)
                else:
                    container.items.append((container.key, value))
                now = clock()
                if now - last_yield >= step_s:
                    yield_point()
                    last_yield = clock()
                if text[index : index + 1] in _SPACE:
                    index = _skip(text, index)
                char = text[index : index + 1]
                if char == ",":
                    index += 1
                    if text[index : index + 1] in _SPACE:
                        index = _skip(text, index)
                    if container.closer == "}":
                        index = _key(text, container, index)
                    break
                if char == container.closer:
                    stack.pop()
                    value, index = container.finish(), index + 1
                    continue
                expected = "','" if container.closer == "]" else "',' or '}'"
                raise json.JSONDecodeError(f"Expecting {expected} delimiter", text, index)


def _key(text: str, container: _Container, index: int) -> int:
    """Read the key of the next member at *index*; return where its value starts."""
    if text[index : index + 1] != '"':
        raise json.JSONDecodeError("Expecting property name enclosed in double quotes", text, index)
    key, index = _scan(text, index)
    container.key = key  # type: ignore[assignment]
    index = _skip(text, index)
    if text[index : index + 1] != ":":
        raise json.JSONDecodeError("Expecting ':' delimiter", text, index)
    return _skip(text, index + 1)


def _scan(text: str, index: int) -> tuple[object, int]:
    try:
        value, end = _scan_once(text, index)
    except StopIteration as stop:
        raise json.JSONDecodeError("Expecting value", text, stop.value) from None
    return value, end


def _scan_batch(text: str, index: int) -> tuple[list[object] | None, int]:
    """Decode, in one C call, the run of array elements that starts at *index*.

    The run is cut after the last ``},`` or ``],`` inside a window of
    :data:`BATCH_CHARS` and decoded as ``"[" + run + "]"``. That array decodes
    and ends exactly at its last character only if the cut is a real element
    boundary (a cut inside a string or a nested container leaves it unclosed),
    so the elements are exactly those of the real text. Returns the elements
    and the index just after the run, or ``(None, end of window)`` when the
    window has no usable cut.
    """
    window = text[index : index + BATCH_CHARS]
    cut = max(window.rfind("},"), window.rfind("],"))
    if cut > 0:
        candidate = "[" + window[: cut + 1] + "]"
        try:
            values, end = _scan_once(candidate, 0)
        except (StopIteration, json.JSONDecodeError, RecursionError):
            pass
        else:
            if end == len(candidate):
                assert isinstance(values, list)
                return values, index + cut + 1
    return None, index + len(window)


def _scan_small(text: str, index: int) -> tuple[object, int] | None:
    """Decode the container at *index* if it ends within a bounded slice; else None.

    A JSON array or object ends with its own closing bracket, so decoding a
    prefix that holds all of it gives exactly the same value.
    """
    piece = text[index : index + SMALL_ELEMENT_CHARS]
    try:
        value, end = _scan_once(piece, 0)
    except (StopIteration, json.JSONDecodeError, RecursionError):
        if len(piece) < SMALL_ELEMENT_CHARS:
            return _scan(text, index)  # it was all there: report the real error
        return None
    return value, index + end


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
