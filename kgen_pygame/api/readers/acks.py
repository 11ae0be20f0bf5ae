"""Acknowledgements: event acceptance and the ``{"message"}`` / ``{"msg"}`` replies."""

from __future__ import annotations

from kgen_pygame.api.fields import WireObject, unexpected

__all__ = ["read_event_ack", "read_message"]


def read_event_ack(data: object, operation: str) -> None:
    """Accept ``true``, ``{"response": true}``, ``{"message"|"msg": ...}`` or an empty body."""
    if data is None or data is True:
        return
    if data is False:
        unexpected(operation, "the server answered false (event not accepted)")
    obj = WireObject.of(data, operation)
    if obj.has("response"):
        if obj.flag("response") is False:
            unexpected(operation, "the server answered response=false (event not accepted)")
        return
    if obj.has("message", "msg", "success", "status"):
        if obj.flag("success") is False:
            unexpected(operation, "the server answered success=false (event not accepted)")
        return
    obj.fail('expected true, {"response": true} or a message')


def read_message(data: object, operation: str) -> str:
    """Read ``{"message": "..."}`` (or ``{"msg": ...}``, C7, or a bare string)."""
    if isinstance(data, str):
        return data
    obj = WireObject.of(data, operation)
    return obj.required_text("message", "msg")
