"""Requests, responses and the table that maps (method, path) to a route function."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from . import jsonutil
from .errors import ApiError, validation_error

JSON_TYPE = "application/json; charset=utf-8"


@dataclass(slots=True)
class Request:
    """One parsed HTTP request. ``query`` keeps the first value of each parameter."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    body: bytes
    params: dict[str, str] = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        """A request header by (case-insensitive) name."""
        return self.headers.get(name.lower())

    def json(self) -> Any:
        """The JSON body; 400 VALIDATION_ERROR when missing or malformed."""
        if not self.body.strip():
            raise validation_error("request body is required (JSON)")
        return self._parse()

    def optional_json(self) -> Any | None:
        """The JSON body, or None when there is no body at all."""
        if not self.body.strip():
            return None
        return self._parse()

    def _parse(self) -> Any:
        try:
            return jsonutil.loads(self.body)
        except jsonutil.JSONDecodeError as exc:
            raise validation_error(f"request body is not valid JSON: {exc}") from None


@dataclass(slots=True)
class Response:
    """What a route answers."""

    status: int
    body: bytes
    content_type: str = JSON_TYPE  # "" for an answer without a body
    headers: dict[str, str] = field(default_factory=dict)
    # Set when an Idempotency-Key replayed an earlier answer (counted as a repeated delivery).
    replayed: bool = False


def json_response(status: int, obj: Any, headers: dict[str, str] | None = None) -> Response:
    """A JSON response (Decimals written exactly)."""
    return Response(status, jsonutil.dumps(obj), JSON_TYPE, headers or {})


def error_response(error: ApiError, *, bare_code: bool = False) -> Response:
    """The answer for an :class:`ApiError`: its JSON object, or only its code as a JSON string
    (``bare_code``, the form the current generation's docs show), or no body at all."""
    if error.bodyless:
        return Response(error.status, b"", "", dict(error.headers))
    body: Any = error.code if bare_code else error.body()
    return json_response(error.status, body, error.headers)


def empty_response(status: int = 204) -> Response:
    """An answer without a body (204 No Content)."""
    return Response(status, b"", "")


RouteFunction = Callable[[Request], Response]

_PARAM_RE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


class Router:
    """Static paths are a dict lookup; templated paths (``{name}`` segments) a short scan."""

    def __init__(self) -> None:
        self._static: dict[str, dict[str, RouteFunction]] = {}
        self._templated: list[tuple[re.Pattern[str], dict[str, RouteFunction]]] = []

    def add(self, method: str, template: str, route: RouteFunction) -> None:
        """Register ``route`` for ``method`` on ``template`` (e.g. ``/api/v1/tournaments/{id}``)."""
        if "{" not in template:
            self._static.setdefault(template, {})[method] = route
            return
        pattern = re.compile(
            "^" + _PARAM_RE.sub(lambda m: f"(?P<{m.group(1)}>[^/]+)", template) + "$"
        )
        for existing, methods in self._templated:
            if existing.pattern == pattern.pattern:
                methods[method] = route
                return
        self._templated.append((pattern, {method: route}))

    def resolve(self, method: str, path: str) -> tuple[RouteFunction, dict[str, str]]:
        """Find the route; 404 NOT_FOUND for an unknown path, 405 for a wrong method."""
        if len(path) > 1 and path.endswith("/"):
            path = path[:-1]
        methods = self._static.get(path)
        params: dict[str, str] = {}
        if methods is None:
            for pattern, candidates in self._templated:
                match = pattern.match(path)
                if match is not None:
                    methods = candidates
                    params = {key: unquote(value) for key, value in match.groupdict().items()}
                    break
        if methods is None:
            raise ApiError(404, "NOT_FOUND", "Route not found")
        route = methods.get(method)
        if route is None:
            allowed = ", ".join(sorted(methods))
            raise ApiError(
                405,
                "METHOD_NOT_ALLOWED",
                f"Method {method} is not allowed here (allowed: {allowed})",
                headers={"Allow": allowed},
            )
        return route, params
