"""The one exception the sandbox's route code raises to answer with a JSON error body."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """An error answer: ``{"statusCode": status, "error": code, "message": message, **extras}``.

    ``headers`` are added to the response (for example ``Retry-After`` or ``Allow``).
    ``bodyless`` errors answer the status alone (the documented 500 of ``POST /s2s/session``).
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        extras: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        bodyless: bool = False,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.extras = extras or {}
        self.headers = headers or {}
        self.bodyless = bodyless

    def body(self) -> dict[str, Any]:
        """The JSON body of this error."""
        return {
            "statusCode": self.status,
            "error": self.code,
            "message": self.message,
            **self.extras,
        }


def validation_error(message: str) -> ApiError:
    """400 VALIDATION_ERROR: the request body or a parameter has the wrong shape."""
    return ApiError(400, "VALIDATION_ERROR", message)


def invalid_client() -> ApiError:
    """401 UNAUTHORIZED: unknown client id or wrong client secret."""
    return ApiError(401, "UNAUTHORIZED", "Invalid client credentials")


def missing_or_bad_token() -> ApiError:
    """401 UN_AUTHORIZED: no session token, or one the sandbox never issued."""
    return ApiError(401, "UN_AUTHORIZED", "Missing or invalid session token")


def token_expired() -> ApiError:
    """401 TOKEN_EXPIRED: the session token was valid once but has expired."""
    return ApiError(401, "TOKEN_EXPIRED", "Session token has expired")


def bad_request(message: str) -> ApiError:
    """400 BAD_REQUEST: the current generation's one code for malformed input."""
    return ApiError(400, "BAD_REQUEST", message)


def tournament_not_found() -> ApiError:
    """404 TOURNAMENT_NOT_FOUND."""
    return ApiError(404, "TOURNAMENT_NOT_FOUND", "Tournament not found")

