"""Current-generation operations: the error codes their docs give, and the answer for the rest.

Route code raises :class:`ApiError` with the sandbox's specific codes (some shared with
``/api/v1``). :func:`shape` turns them into the current generation's conventions: 400 where
v1 says 422, ``BAD_REQUEST`` for malformed input, ``UN_AUTHORIZED`` for every credential
problem. In documented-only mode a code the operation's docs do not list becomes the
operation's documented *fallback* (the ``error-codes`` extension is off).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import ApiError
from .routing import Request, Response, RouteFunction

# (status, code) as the docs list them; code None means "no body" (the session's bare 500).
StatusCode = tuple[int, str | None]

BAD_REQUEST: StatusCode = (400, "BAD_REQUEST")
UN_AUTHORIZED: StatusCode = (401, "UN_AUTHORIZED")
BARE_500: StatusCode = (500, None)

_CODE_ALIASES = {
    "VALIDATION_ERROR": "BAD_REQUEST",
    "TOKEN_EXPIRED": "UN_AUTHORIZED",
    "UNAUTHORIZED": "UN_AUTHORIZED",
}


@dataclass(frozen=True, slots=True)
class Operation:
    """One documented operation: method, path template, documented failures, fallback.

    ``user`` operations (player token) all document 401 UN_AUTHORIZED: the docs list it for
    most of them and the token is checked the same way on every one (C25).
    """

    method: str
    path: str
    documented: frozenset[StatusCode] = field(default_factory=frozenset)
    fallback: StatusCode = BAD_REQUEST
    user: bool = True

    @property
    def failures(self) -> frozenset[StatusCode]:
        """Every failure this operation may answer in documented-only mode."""
        extra = {UN_AUTHORIZED} if self.user else set()
        return self.documented | extra | {self.fallback}

    @property
    def label(self) -> str:
        """``POST /fe/...``, as the contract names operations."""
        return f"{self.method} {self.path}"


def operation(
    method: str,
    path: str,
    *documented: StatusCode,
    fallback: StatusCode = BAD_REQUEST,
    user: bool = True,
) -> Operation:
    """Shorthand for building an :class:`Operation`."""
    return Operation(method, path, frozenset(documented), fallback, user)


def shape(error: ApiError, op: Operation, *, documented_only: bool) -> ApiError:
    """The error in the current generation's terms (see the module docstring)."""
    code = _CODE_ALIASES.get(error.code, error.code)
    status = 400 if error.status == 422 else error.status
    if documented_only and (status, code) not in op.failures:
        status, fallback_code = op.fallback
        if fallback_code is None:
            return ApiError(status, "", "", bodyless=True)
        code = fallback_code
    if (status, code) == (error.status, error.code):
        return error
    return ApiError(status, code, error.message, extras=error.extras, headers=error.headers)


def guarded(op: Operation, route: RouteFunction, *, documented_only: bool) -> RouteFunction:
    """``route`` with its errors shaped for ``op``."""

    def guarded_route(request: Request) -> Response:
        try:
            return route(request)
        except ApiError as error:
            raise shape(error, op, documented_only=documented_only) from None

    return guarded_route
