"""Small type checks for parsed JSON request bodies; each failure is a 400 VALIDATION_ERROR.

JSON is parsed with ``parse_float=Decimal``, so numbers arrive as ``int`` or ``Decimal``.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .errors import validation_error

_MISSING = object()
CENT = Decimal("0.01")
MAX_MONEY = Decimal(10) ** 12


def is_number(value: Any) -> bool:
    """True for a JSON number (int or finite Decimal), never for a boolean."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, Decimal) and value.is_finite()


def require_object(value: Any, what: str = "request body") -> dict[str, Any]:
    """The value must be a JSON object."""
    if not isinstance(value, dict):
        raise validation_error(f"{what} must be a JSON object")
    return value


def optional_str(
    obj: dict[str, Any], key: str, *, where: str = "", max_len: int = 1024
) -> str | None:
    """A string field that may be absent or null."""
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise validation_error(f"{where}{key} must be a string")
    if len(value) > max_len:
        raise validation_error(f"{where}{key} must be at most {max_len} characters")
    return value


def required_str(
    obj: dict[str, Any], key: str, *, where: str = "", min_len: int = 1, max_len: int = 1024
) -> str:
    """A string field that must be present, with a length in ``[min_len, max_len]``."""
    value = obj.get(key, _MISSING)
    if value is _MISSING or value is None:
        raise validation_error(f"{where}{key} is required")
    if not isinstance(value, str):
        raise validation_error(f"{where}{key} must be a string")
    if not min_len <= len(value) <= max_len:
        raise validation_error(f"{where}{key} must be {min_len} to {max_len} characters long")
    return value


def optional_number(obj: dict[str, Any], key: str, *, where: str = "") -> int | Decimal | None:
    """A number field that may be absent or null."""
    value = obj.get(key)
    if value is None:
        return None
    if not is_number(value):
        raise validation_error(f"{where}{key} must be a number")
    return value  # type: ignore[no-any-return]


def as_money(value: Any, field_name: str) -> Decimal:
    """A JSON number holding an amount of money: finite, at most two decimal places."""
    if not is_number(value):
        raise validation_error(f"{field_name} must be a number")
    amount = Decimal(value)
    if abs(amount) >= MAX_MONEY:
        raise validation_error(f"{field_name} is too large")
    if amount != amount.quantize(CENT):
        raise validation_error(f"{field_name} must have at most two decimal places")
    return amount


def string_list(value: Any, what: str, *, max_items: int = 1000, max_len: int = 1024) -> list[str]:
    """A JSON array of strings."""
    if not isinstance(value, list):
        raise validation_error(f"{what} must be an array of strings")
    if len(value) > max_items:
        raise validation_error(f"{what} must have at most {max_items} items")
    for item in value:
        if not isinstance(item, str):
            raise validation_error(f"{what} must be an array of strings")
        if len(item) > max_len:
            raise validation_error(f"{what} items must be at most {max_len} characters")
    return value


def player_id(obj: dict[str, Any], key: str) -> str:
    """The game's id for a player (``gamer_id``, ``user_id``): 1 to 128 characters, not blank."""
    value = required_str(obj, key, max_len=128)
    if not value.strip():
        raise validation_error(f"{key} must not be blank")
    return value


def present_fields(
    obj: dict[str, Any], keys: tuple[str, ...], accepts: Callable[[Any], bool], what: str
) -> dict[str, Any]:
    """The fields among ``keys`` that are present and not null; each must pass ``accepts``
    (400 "``key`` must be ``what``" otherwise)."""
    found: dict[str, Any] = {}
    for key in keys:
        value = obj.get(key)
        if value is None:
            continue
        if not accepts(value):
            raise validation_error(f"{key} must be {what}")
        found[key] = value
    return found


def short_text(value: Any, limit: int = 256) -> bool:
    """A string of at most ``limit`` characters."""
    return isinstance(value, str) and len(value) <= limit


def whole_number(value: Any) -> bool:
    """A JSON integer (never a boolean)."""
    return isinstance(value, int) and not isinstance(value, bool)
