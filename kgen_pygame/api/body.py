"""Reading a response body with bounded work: a size cap, streamed, decoded as it comes.

:func:`read_body` reads a streamed ``requests`` response chunk by chunk. It
refuses a body over the cap before reading a byte when ``Content-Length``
announces it, and as soon as the bytes received pass the cap otherwise (the
cap counts decompressed bytes, so a small gzip bomb is refused too). UTF-8 is
decoded chunk by chunk while reading, so no whole-body decode holds the GIL;
only the first bytes are kept raw, to recognise an HTML page.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    import requests

    from kgen_pygame.api.deadline import RequestDeadline

__all__ = [
    "DEFAULT_MAX_BODY_BYTES",
    "BodyTooLarge",
    "DeadlinePassed",
    "ReceivedBody",
    "announced_length",
    "read_body",
]

#: The default body size cap: above 5,000 rows of any list (5,000 tournaments with
#: their descriptions are about 5 MB), far below what could stall the game or fill its
#: memory (the body is decoded stepwise, see jsoncodec).
DEFAULT_MAX_BODY_BYTES: Final = 8 * 1024 * 1024
#: Bytes read from the socket per step.
CHUNK_BYTES: Final = 64 * 1024
_HEAD_BYTES: Final = 512


class BodyTooLarge(Exception):  # noqa: N818 - an internal signal, mapped by the transport
    """The body is (or was announced as) bigger than the cap."""

    def __init__(self, limit: int, announced: int | None) -> None:
        super().__init__(limit, announced)
        self.limit = limit
        self.announced = announced


class DeadlinePassed(Exception):  # noqa: N818 - an internal signal, mapped by the transport
    """The request's deadline passed while the body was still arriving."""


@dataclass(frozen=True, slots=True)
class ReceivedBody:
    """A whole response body.

    ``text`` is the body decoded as UTF-8 (a leading BOM dropped), or None when
    it is not UTF-8; ``head`` holds its first bytes, raw; ``size`` counts bytes.
    """

    text: str | None
    head: bytes
    size: int

    @property
    def blank(self) -> bool:
        """True for an empty (or whitespace-only) body."""
        return self.text is not None and not self.text.strip()


def announced_length(response: requests.Response) -> int | None:
    """The ``Content-Length`` of *response* when it is a plain non-negative number."""
    value = response.headers.get("Content-Length", "").strip()
    return int(value) if value.isdigit() else None


def read_body(
    response: requests.Response, *, max_bytes: int, deadline: RequestDeadline
) -> ReceivedBody:
    """Read all of *response*'s body; at most *max_bytes*, before *deadline*.

    Raises :class:`BodyTooLarge`, :class:`DeadlinePassed`, or whatever
    ``requests`` raises when the connection fails mid-body (the transport maps
    those).
    """
    announced = announced_length(response)
    if announced is not None and announced > max_bytes:
        raise BodyTooLarge(max_bytes, announced)
    decoder = codecs.getincrementaldecoder("utf-8-sig")("strict")
    pieces: list[str] = []
    head = b""
    size = 0
    utf8 = True
    for chunk in response.iter_content(CHUNK_BYTES):
        if deadline.expired:
            raise DeadlinePassed
        size += len(chunk)
        if size > max_bytes:
            raise BodyTooLarge(max_bytes, announced)
        if len(head) < _HEAD_BYTES:
            head += chunk[: _HEAD_BYTES - len(head)]
        if utf8:
            try:
                pieces.append(decoder.decode(chunk))
            except UnicodeDecodeError:
                utf8 = False
                pieces.clear()
    if deadline.fired:
        raise DeadlinePassed  # a body cut short by the watchdog can look complete
    if utf8:
        try:
            pieces.append(decoder.decode(b"", final=True))
        except UnicodeDecodeError:
            utf8 = False
    return ReceivedBody("".join(pieces) if utf8 else None, head, size)
