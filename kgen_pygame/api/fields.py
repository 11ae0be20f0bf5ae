"""Tolerant field readers: one place that knows every shape a value may take.

The KGeN docs disagree on how values travel: numbers arrive as JSON numbers or
numeric strings, ids as strings or numbers, timestamps as ISO-8601 text, Go's
``time.Time`` text (``"2024-08-20 08:32:13.025599965 +0000 UTC"``) or epoch
seconds / milliseconds. :class:`WireObject` reads a field by one of several
names and converts it, and anything that fits no known shape becomes a
:class:`~kgen_pygame.errors.ProtocolError` naming the operation and the field.
Messages never quote the offending value (it might be a credential); they say
what kind of value arrived instead.

Readers also **reject what cannot be true**, so a broken or hostile server
cannot make the overlays show false content: an amount beyond
:data:`MAX_AMOUNT` KGeN, a negative balance, amount or count, a score beyond
:data:`~kgen_pygame.event_contract.MAX_SCORE`, or a list longer than
:data:`MAX_LIST_ITEMS` is a :class:`~kgen_pygame.errors.ProtocolError` naming
the operation and the field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Final, NoReturn, TypeVar

from kgen_pygame.api.jsoncodec import all_values
from kgen_pygame.errors import ProtocolError
from kgen_pygame.event_contract import MAX_SCORE
from kgen_pygame.models import Score

__all__ = [
    "MAX_AMOUNT",
    "MAX_COUNT",
    "MAX_LIST_ITEMS",
    "MAX_SECONDS",
    "FieldValueError",
    "WireObject",
    "blank_to_none",
    "describe_value",
    "list_items",
    "parse_decimal",
    "parse_timestamp",
    "unexpected",
]

#: The largest amount of KGeN any reply may carry (a trillion). Far beyond any
#: balance, prize or stake; an amount past it is a broken or hostile server.
MAX_AMOUNT: Final = Decimal(10) ** 12
#: The largest count (players, participants, attempts) a reply may carry.
MAX_COUNT: Final = 10**12
#: The most items a list in a reply may have: far past any page the platform
#: serves (none documents a page size above a few hundred).
MAX_LIST_ITEMS: Final = 10_000
#: The longest duration in seconds a reply may carry (about 31 years).
MAX_SECONDS: Final = Decimal(10) ** 9

T = TypeVar("T")

_NUMBER_TEXT = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_INTEGER_TEXT = re.compile(r"^[+-]?\d+$")
# Go's time.Time.String(): "2006-01-02 15:04:05.999999999 -0700 MST", maybe
# followed by a monotonic clock reading " m=+0.000000001".
_GO_TIME = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2}) (?P<time>\d{2}:\d{2}:\d{2})(?P<frac>\.\d+)?"
    r" (?P<offset>[+-]\d{4})(?: [A-Za-z]{1,6})?(?: m=[+-]\d+(?:\.\d+)?)?$"
)
# Epoch values at or above these are milliseconds / microseconds, not seconds
# (1e11 seconds is the year 5138; 1e11 milliseconds is 1973).
_EPOCH_MS_FROM = Decimal(10) ** 11
_EPOCH_US_FROM = Decimal(10) ** 14
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Whole numbers beyond this many digits are not turned into int (that could be slow).
_MAX_DIGITS = 30


def describe_value(value: object) -> str:
    """Name the JSON kind of *value* without quoting it ("text", "an object", ...)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal | float):
        return "a number"
    if isinstance(value, str):
        return "empty text" if not value else "text"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    return f"a {type(value).__name__}"


def unexpected(operation: str, problem: str) -> NoReturn:
    """Raise the ProtocolError for a response of the wrong shape."""
    raise ProtocolError(f"{operation} returned an unexpected response: {problem}")


class FieldValueError(ValueError):
    """A value that fits no accepted shape; the text says which shape was expected."""


def parse_decimal(value: object) -> Decimal:
    """Read a JSON number or numeric text as an exact Decimal."""
    if isinstance(value, bool) or value is None:
        raise FieldValueError("must be a number")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))
    elif isinstance(value, str) and _NUMBER_TEXT.match(value.strip()):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise FieldValueError("must be a number") from None
    else:
        raise FieldValueError("must be a number")
    if not result.is_finite():
        raise FieldValueError("must be a finite number")
    return result


def _checked_items(value: list[object], what: str, operation: str) -> list[object]:
    if len(value) > MAX_LIST_ITEMS:
        unexpected(
            operation,
            f"{what} has {len(value):,} items, more than the {MAX_LIST_ITEMS:,} "
            "any reply can hold",
        )
    return value


def list_items(
    data: object, operation: str, what: str, *, wrapper: str | None = None
) -> list[object]:
    """The items of a list reply: a bare JSON array, or an object wrapping one.

    The current esports docs print the active list as ``{ [ ... ] }`` (C12): read
    as an object holding exactly one list. ``wrapper`` names the documented key of
    a wrapped list (``"rewards"``, ``"rewardableEvents"``), which is then required.
    """
    if wrapper is not None:
        obj = WireObject.of(data, operation)
        found = obj.raw(wrapper)
        if found is None:
            obj.fail(f"field {wrapper!r} is missing")
        items = found[1]
        if not isinstance(items, list):
            obj.fail(f"field {wrapper!r} must be a list of {what}, got {describe_value(items)}")
        return _checked_items(items, f"field {wrapper!r}", operation)
    if isinstance(data, Mapping):
        lists = [value for value in data.values() if isinstance(value, list)]
        if len(data) == 1 and len(lists) == 1:
            return _checked_items(lists[0], "the list", operation)
    if not isinstance(data, list):
        unexpected(operation, f"the response must be a list of {what}, got {describe_value(data)}")
    return _checked_items(data, "the list", operation)


def _bounded_money(value: object) -> Decimal:
    number = parse_decimal(value)
    if abs(number) > MAX_AMOUNT:
        raise FieldValueError(f"is beyond {MAX_AMOUNT:,} in magnitude, which cannot be true")
    return number


def _amount(value: object) -> Decimal:
    number = _bounded_money(value)
    if number < 0:
        raise FieldValueError("must not be negative")
    return number


def _count(value: object) -> int:
    number = _parse_integer(value)
    if number < 0:
        raise FieldValueError("must not be negative")
    if number > MAX_COUNT:
        raise FieldValueError(f"is beyond {MAX_COUNT:,}, which cannot be true")
    return number


def _rank(value: object) -> int:
    number = _count(value)
    if number < 1:
        raise FieldValueError("must be 1 or more")
    return number


def _duration(value: object) -> Decimal:
    number = parse_decimal(value)
    if number < 0:
        raise FieldValueError("must not be negative")
    if number > MAX_SECONDS:
        raise FieldValueError(f"is beyond {MAX_SECONDS:,} seconds, which cannot be true")
    return number


def _parse_integer(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _INTEGER_TEXT.match(value.strip()):
        if len(value.strip()) > _MAX_DIGITS + 1:
            raise FieldValueError("is too large")
        return int(value.strip())
    try:
        number = parse_decimal(value)
    except FieldValueError:
        raise FieldValueError("must be a whole number") from None
    if number != number.to_integral_value():
        raise FieldValueError("must be a whole number")
    if number.adjusted() > _MAX_DIGITS:
        raise FieldValueError("is too large")
    return int(number)


def _parse_score(value: object) -> Score:
    number = parse_decimal(value)
    if abs(number) > MAX_SCORE:
        raise FieldValueError(f"is beyond {MAX_SCORE:,} in magnitude, which cannot be true")
    if number == number.to_integral_value():
        return int(number)
    return number


def parse_timestamp(value: object) -> datetime | None:
    """Read a timestamp in any documented form as an aware datetime (None if empty).

    Accepts ISO-8601 text (naive means UTC; "Z" and any number of fraction
    digits allowed), Go ``time.Time`` text, and epoch seconds, milliseconds or
    microseconds as numbers or numeric text.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise FieldValueError("must be a timestamp")
    if isinstance(value, int | Decimal | float):
        return _from_epoch(parse_decimal(value))
    if not isinstance(value, str):
        raise FieldValueError("must be a timestamp")
    text = value.strip()
    if not text:
        return None
    if _NUMBER_TEXT.match(text):
        return _from_epoch(parse_decimal(text))
    go = _GO_TIME.match(text)
    if go:
        offset = go.group("offset")
        frac = (go.group("frac") or "")[:7]
        text = f"{go.group('date')}T{go.group('time')}{frac}{offset[:3]}:{offset[3:]}"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise FieldValueError("must be an ISO-8601 timestamp or epoch time") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def _from_epoch(number: Decimal) -> datetime:
    magnitude = abs(number)
    if magnitude.adjusted() > _MAX_DIGITS:
        raise FieldValueError("is an epoch time out of range")
    if magnitude >= _EPOCH_US_FROM:
        seconds = number / 1_000_000
    elif magnitude >= _EPOCH_MS_FROM:
        seconds = number / 1000
    else:
        seconds = number
    try:
        whole = int(seconds)
        micros = int((seconds - whole) * 1_000_000)
        return _EPOCH + timedelta(seconds=whole, microseconds=micros)
    except (OverflowError, ValueError):
        raise FieldValueError("is an epoch time out of range") from None


@dataclass(frozen=True, slots=True)
class WireObject:
    """A JSON object from a response, read field by field with clear errors."""

    data: Mapping[str, object]
    operation: str
    where: str = "the response"

    @classmethod
    def of(cls, value: object, operation: str, where: str = "the response") -> WireObject:
        """Wrap *value*, which must be a JSON object."""
        if not isinstance(value, Mapping):
            unexpected(operation, f"{where} must be an object, got {describe_value(value)}")
        return cls(value, operation, where)

    def fail(self, problem: str) -> NoReturn:
        """Raise a ProtocolError about this object."""
        unexpected(self.operation, f"{problem} in {self.where}")

    def has(self, *names: str) -> bool:
        """True if any of *names* is present (even as null)."""
        return any(name in self.data for name in names)

    def raw(self, *names: str) -> tuple[str, object] | None:
        """The first of *names* present with a non-null value, with its name."""
        for name in names:
            value = self.data.get(name)
            if value is not None:
                return name, value
        return None

    def _convert(self, names: tuple[str, ...], convert: Callable[[object], T]) -> T | None:
        found = self.raw(*names)
        if found is None:
            return None
        name, value = found
        try:
            return convert(value)
        except FieldValueError as error:
            self.fail(f"field {name!r} {error}, got {describe_value(value)}")

    def _missing(self, names: tuple[str, ...]) -> NoReturn:
        if len(names) == 1:
            self.fail(f"field {names[0]!r} is missing")
        alternatives = " or ".join(repr(n) for n in names)
        self.fail(f"field {alternatives} is missing")

    def text(self, *names: str) -> str | None:
        """A string field; numbers are accepted and turned into their text."""
        return self._convert(names, _parse_text)

    def required_text(self, *names: str) -> str:
        value = self.text(*names)
        if value is None:
            self._missing(names)
        return value

    def money(self, *names: str) -> Decimal | None:
        """An amount of KGeN: not negative, at most :data:`MAX_AMOUNT`."""
        return self._convert(names, _amount)

    def required_money(self, *names: str) -> Decimal:
        value = self.money(*names)
        if value is None:
            self._missing(names)
        return value

    def signed_money(self, *names: str) -> Decimal | None:
        """A change of an amount (may be negative), at most :data:`MAX_AMOUNT` in size."""
        return self._convert(names, _bounded_money)

    def number(self, *names: str) -> Decimal | None:
        """Any finite number (not money, not a count), exactly."""
        return self._convert(names, parse_decimal)

    def integer(self, *names: str) -> int | None:
        """A count: a whole number from 0 to :data:`MAX_COUNT`."""
        return self._convert(names, _count)

    def rank(self, *names: str) -> int | None:
        """A rank: a whole number from 1 to :data:`MAX_COUNT`."""
        return self._convert(names, _rank)

    def score(self, *names: str) -> Score | None:
        return self._convert(names, _parse_score)

    def required_score(self, *names: str) -> Score:
        value = self.score(*names)
        if value is None:
            self._missing(names)
        return value

    def seconds(self, *names: str) -> float | None:
        """A duration in seconds (a float is fine here: it is not money)."""
        value = self._convert(names, _duration)
        return None if value is None else float(value)

    def timestamp(self, *names: str) -> datetime | None:
        return self._convert(names, parse_timestamp)

    def flag(self, *names: str) -> bool | None:
        return self._convert(names, _parse_flag)

    def objects(self, *names: str) -> list[WireObject] | None:
        """A list of objects (None if absent or null)."""
        found = self.raw(*names)
        if found is None:
            return None
        name, value = found
        return self._objects_of(name, value)

    def all_objects(self, name: str) -> list[WireObject]:
        """The objects of every list ``name`` had, a repeated key included (C10)."""
        items: list[WireObject] = []
        values = all_values(self.data, name) if isinstance(self.data, dict) else [
            self.data.get(name)
        ]
        for value in values:
            if value is not None:
                items.extend(self._objects_of(name, value))
        if len(items) > MAX_LIST_ITEMS:
            self.fail(f"field {name!r} has more than {MAX_LIST_ITEMS:,} items")
        return items

    def _objects_of(self, name: str, value: object) -> list[WireObject]:
        if not isinstance(value, list):
            self.fail(f"field {name!r} must be a list, got {describe_value(value)}")
        _checked_items(value, f"field {name!r} in {self.where}", self.operation)
        return [
            WireObject.of(item, self.operation, f"item {index} of {name!r} in {self.where}")
            for index, item in enumerate(value)
        ]

    def strings(self, *names: str) -> list[str] | None:
        """A list of strings (None if absent or null)."""
        found = self.raw(*names)
        if found is None:
            return None
        name, value = found
        if not isinstance(value, list):
            self.fail(f"field {name!r} must be a list, got {describe_value(value)}")
        _checked_items(value, f"field {name!r} in {self.where}", self.operation)
        result: list[str] = []
        for index, item in enumerate(value):
            try:
                result.append(_parse_text(item))
            except FieldValueError:
                self.fail(f"item {index} of {name!r} must be text, got {describe_value(item)}")
        return result

    def child(self, *names: str) -> WireObject | None:
        """A nested object (None if absent or null)."""
        found = self.raw(*names)
        if found is None:
            return None
        name, value = found
        return WireObject.of(value, self.operation, f"field {name!r} of {self.where}")


def _parse_text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return str(value)
    raise FieldValueError("must be text")


def _parse_flag(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"true", "false"}:
        return value.strip().lower() == "true"
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise FieldValueError("must be true or false")


def blank_to_none(value: str | None) -> str | None:
    """``""`` (the docs' way of saying "not set") as None."""
    return value if value else None
