"""Check real responses against docs/openapi.yaml (v1) and docs/openapi-current.yaml.

``Contract.check(response)`` finds the operation for the request's method and path, the
documented response for its status, and validates the JSON body against that schema
(OpenAPI 3.0 schemas are turned into JSON Schema: ``$ref`` inlined, ``nullable`` honoured).
Unknown routes and wrong methods must answer the generic ``Error`` body.

Two more rules for the current contract:

- ``documented_only=True`` checks a sandbox started in documented-only mode: whatever is
  marked ``x-sandbox-extension: true`` (a response, a schema, a property) is then *not* in the
  contract, so an extension field or status showing up is a violation.
- An error response may list its codes under ``x-codes``: ``documented`` (in the sources),
  ``fallback`` (our minimal answer, in both modes) and ``extension`` (default mode only). The
  body's code must be one of those in force.
- ``closed=True`` treats every object schema that does not say otherwise as
  ``additionalProperties: false``: the sandbox must send exactly the listed fields.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
import yaml
from jsonschema import Draft4Validator, FormatChecker

DOCS = Path(__file__).resolve().parents[2] / "docs"
OPENAPI_PATH = DOCS / "openapi.yaml"
CURRENT_OPENAPI_PATH = DOCS / "openapi-current.yaml"
_EXTENSION = "x-sandbox-extension"

FORMATS = FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _is_datetime(value: object) -> bool:
    # jsonschema only checks date-time with an optional package; Python 3.11 parses RFC 3339.
    if not isinstance(value, str):
        return True
    if "T" not in value or not (value.endswith("Z") or re.search(r"[+-]\d\d:\d\d$", value)):
        raise ValueError("not an RFC 3339 date-time")
    datetime.fromisoformat(value)
    return True


class ContractViolationError(AssertionError):
    """A response that docs/openapi.yaml does not describe."""


class Contract:
    """The documented operations, with resolved response schemas."""

    def __init__(
        self, path: Path = OPENAPI_PATH, *, documented_only: bool = False, closed: bool = False
    ) -> None:
        self.documented_only = documented_only
        self.closed = closed
        self.document: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
        self._operations: list[tuple[re.Pattern[str], str, dict[str, Any]]] = []
        for template, item in self.document["paths"].items():
            parts = re.split(r"(\{[^/}]+\})", template)
            pattern = re.compile(
                "^"
                + "".join("[^/]+" if part.startswith("{") else re.escape(part) for part in parts)
                + "/?$"
            )
            for method, operation in item.items():
                if method in {"get", "post", "put", "patch", "delete", "head", "options"}:
                    self._operations.append((pattern, method.upper(), operation))
        self.checked = 0

    # -- OpenAPI -> JSON Schema ------------------------------------------------------------

    def resolve(self, node: Any) -> Any:
        """Inline ``$ref``s and turn OpenAPI 3.0 ``nullable`` into JSON Schema.

        In documented-only mode an extension schema becomes one nothing matches.
        """
        if isinstance(node, list):
            return [self.resolve(item) for item in node]
        if not isinstance(node, dict):
            return node
        if self.documented_only and node.get(_EXTENSION) is True:
            return {"not": {}}
        if "$ref" in node:
            target: Any = self.document
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            return self.resolve(target)
        converted = {
            key: self.resolve(value)
            for key, value in node.items()
            if key not in {"nullable", "example", "examples"} and not key.startswith("x-")
        }
        if self.closed and "properties" in node and "additionalProperties" not in node:
            converted["additionalProperties"] = False
        if node.get("nullable"):
            return {"anyOf": [converted, {"type": "null"}]}
        return converted

    def operation(self, method: str, path: str) -> dict[str, Any] | None:
        """The operation object documented for ``method path``, if any."""
        for pattern, op_method, operation in self._operations:
            if op_method == method and pattern.match(path):
                return operation
        return None

    def path_known(self, path: str) -> bool:
        """True when some operation is documented on this path."""
        return any(pattern.match(path) for pattern, _, _ in self._operations)

    def response_spec(self, method: str, path: str, status: int) -> dict[str, Any]:
        """The resolved response object for an operation and status (raises if undocumented)."""
        operation = self.operation(method, path)
        if operation is None:
            if status in (404, 405) and (status == 405) == self.path_known(path):
                return self.resolve(
                    {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        }
                    }
                )
            raise ContractViolationError(f"{method} {path} is not documented (status {status})")
        responses = operation["responses"]
        spec = responses.get(str(status)) or responses.get("default")
        if spec is not None and self.documented_only and self._is_extension(spec):
            spec = None
        if spec is None:
            raise ContractViolationError(
                f"{method} {path}: status {status} not documented (has {sorted(responses)})"
            )
        codes = self._codes(spec)
        resolved: dict[str, Any] = self.resolve(spec)
        if codes is not None:
            resolved["x-allowed-codes"] = codes
        return resolved

    def _target(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            target: Any = self.document
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            node = target
        return node

    def _is_extension(self, spec: dict[str, Any]) -> bool:
        return spec.get(_EXTENSION) is True or self._target(spec).get(_EXTENSION) is True

    def _codes(self, spec: dict[str, Any]) -> list[str] | None:
        """The error codes a response allows (None when it does not list them)."""
        codes = spec.get("x-codes") or self._target(spec).get("x-codes")
        if codes is None:
            return None
        allowed = list(codes.get("documented", [])) + list(codes.get("fallback", []))
        if not self.documented_only:
            allowed += codes.get("extension", [])
        return allowed

    # -- checking --------------------------------------------------------------------------

    def check(self, response: requests.Response) -> None:
        """Validate one response; raises :class:`ContractViolationError`."""
        request = response.request
        method = str(request.method)
        path = urlsplit(str(request.url)).path
        spec = self.response_spec(method, path, response.status_code)
        for name, header in (spec.get("headers") or {}).items():
            if header.get("required") and name not in response.headers:
                raise ContractViolationError(f"{method} {path}: header {name} missing")
        content = spec.get("content")
        if method == "HEAD":
            self.checked += 1
            return
        if not content:
            if response.content:
                raise ContractViolationError(f"{method} {path}: undocumented body")
            self.checked += 1
            return
        media = content.get("application/json")
        content_type = response.headers.get("Content-Type", "")
        if media is None:
            if not any(content_type.startswith(kind) for kind in content):
                raise ContractViolationError(
                    f"{method} {path}: Content-Type {content_type!r} not documented"
                )
            self.checked += 1
            return
        if not content_type.startswith("application/json"):
            raise ContractViolationError(
                f"{method} {path}: Content-Type {content_type!r} is not JSON"
            )
        try:
            body = json.loads(response.content, parse_float=Decimal)
        except ValueError as exc:
            raise ContractViolationError(f"{method} {path}: body is not JSON ({exc})") from None
        validator = Draft4Validator(media["schema"], format_checker=FORMATS)
        errors = sorted(validator.iter_errors(body), key=lambda error: list(error.path))
        if errors:
            details = "; ".join(
                f"{'/'.join(map(str, error.path)) or '<root>'}: {error.message}"
                for error in errors[:5]
            )
            raise ContractViolationError(f"{method} {path} {response.status_code}: {details}")
        allowed = spec.get("x-allowed-codes")
        if allowed is not None:
            code = body if isinstance(body, str) else (body or {}).get("error")
            if code not in allowed:
                raise ContractViolationError(
                    f"{method} {path} {response.status_code}: code {code!r} not in {allowed}"
                )
        self.checked += 1
