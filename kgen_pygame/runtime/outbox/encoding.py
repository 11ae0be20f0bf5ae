"""What goes into the file as text: event bodies as JSON, and scrubbed error texts."""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final

from kgen_pygame.redact import redact_text

MAX_BODY_CHARS: Final = 64 * 1024
_MAX_ERROR_CHARS = 1000


def _json_default(obj: object) -> object:
    if isinstance(obj, Decimal):
        if not obj.is_finite():
            raise ValueError(f"Decimal {obj} is not a finite number")
        return str(obj)
    raise TypeError(f"values of type {type(obj).__name__} cannot be stored")


_encoder = json.JSONEncoder(
    default=_json_default, allow_nan=False, separators=(",", ":"), ensure_ascii=False
)


def encode_body(value: Any, metadata: Mapping[str, Any] | None) -> str:
    """Serialise ``value`` and ``metadata`` to the JSON stored in ``events.body``.

    Decimals become their exact string form; NaN/infinity, non-string metadata
    keys and anything JSON cannot carry raise ``TypeError``/``ValueError``
    naming the offending part, so bad input fails on the developer's machine
    and nothing half-written is stored.
    """
    if metadata is None:
        metadata = {}
    elif not isinstance(metadata, Mapping):
        raise TypeError(f"event metadata must be a mapping, not {type(metadata).__name__}")
    else:
        for key in metadata:
            if not isinstance(key, str):
                raise TypeError(f"event metadata keys must be strings, got {key!r}")
    try:
        body = _encoder.encode({"value": value, "metadata": dict(metadata)})
    except (TypeError, ValueError) as error:
        raise _describe_encoding_error(value, metadata, error) from None
    if len(body) > MAX_BODY_CHARS:
        raise ValueError(
            f"an event is limited to {MAX_BODY_CHARS} characters of JSON (got {len(body)})"
        )
    return body


def _describe_encoding_error(
    value: Any, metadata: Mapping[str, Any], error: Exception
) -> Exception:
    """Name the value or metadata key that could not be encoded (slow path only)."""
    parts: list[tuple[str, Any]] = [("the event value", value)]
    parts.extend((f"event metadata {key!r}", item) for key, item in metadata.items())
    for label, item in parts:
        try:
            _encoder.encode(item)
        except (TypeError, ValueError) as inner:
            reason = str(inner)
            if "Out of range float" in reason:
                reason = "NaN and infinity cannot be stored"
            elif "Circular reference" in reason:
                reason = "it refers to itself"
            return type(inner)(
                f"{label} cannot be stored as JSON: {reason} "
                "(use str, int, float, bool, None, Decimal, lists and dicts)"
            )
    return type(error)(f"the event cannot be stored as JSON: {error}")


def _decode_body(body: str) -> tuple[Any, dict[str, Any]]:
    data = json.loads(body)
    if not isinstance(data, dict) or not isinstance(data.get("metadata", {}), dict):
        raise ValueError("event body is not an object with value and metadata")
    return data.get("value"), dict(data.get("metadata") or {})


def _clean_text(text: str | None) -> str | None:
    """Errors and reasons go into the file: scrub credentials and bound the size."""
    if text is None:
        return None
    return redact_text(str(text))[:_MAX_ERROR_CHARS]
