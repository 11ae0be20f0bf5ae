"""docs/openapi-current.yaml and the sandbox agree: operations, documented errors, extensions."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from kgen_pygame.sandbox import (
    account_routes,
    current_routes,
    extensions,
    legacy_routes,
    loyalty_routes,
)
from kgen_pygame.sandbox.operations import Operation
from tests.sandbox.contract import CURRENT_OPENAPI_PATH

DOCUMENT: dict[str, Any] = yaml.safe_load(CURRENT_OPENAPI_PATH.read_text(encoding="utf-8"))
OPERATIONS: tuple[Operation, ...] = (
    current_routes.OPERATIONS
    + account_routes.OPERATIONS
    + loyalty_routes.OPERATIONS
    + legacy_routes.OPERATIONS
)
METHODS = {"get", "post", "put", "delete", "patch"}
# Answered by the HTTP layer for any operation, not by the operation itself.
INFRASTRUCTURE = {"PAYLOAD_TOO_LARGE", "SERVICE_UNAVAILABLE"}


def _target(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        found: Any = DOCUMENT
        for part in node["$ref"].lstrip("#/").split("/"):
            found = found[part]
        node = found
    return node


def _contract_operations() -> dict[str, dict[str, Any]]:
    return {
        f"{method.upper()} {path}": operation
        for path, item in DOCUMENT["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    }


def _documented_only_failures(operation: dict[str, Any]) -> set[tuple[int, str | None]]:
    """(status, code) the contract allows in documented-only mode (code None: no body)."""
    failures: set[tuple[int, str | None]] = set()
    for status, response in operation["responses"].items():
        if int(status) < 400:
            continue
        spec = _target(response)
        if response.get("x-sandbox-extension") or spec.get("x-sandbox-extension"):
            continue
        if "content" not in spec:
            failures.add((int(status), None))
            continue
        codes = spec.get("x-codes", {})
        for code in codes.get("documented", []) + codes.get("fallback", []):
            if code not in INFRASTRUCTURE:
                failures.add((int(status), code))
    return failures


def test_the_contract_has_every_operation_and_nothing_else() -> None:
    served = {op.label for op in OPERATIONS}
    assert len(served) == 28  # 26 current-generation operations and the two legacy paths
    assert set(_contract_operations()) == served


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.label)
def test_documented_failures_match_the_sandbox(op: Operation) -> None:
    """What the contract allows in documented-only mode is what the sandbox may answer there.

    The fallback may be missing from the contract only for an operation without input, where
    nothing can reach it.
    """
    contract = _documented_only_failures(_contract_operations()[op.label])
    assert contract <= set(op.failures)
    assert set(op.failures) - {op.fallback} <= contract


def test_the_extension_lists_are_the_same() -> None:
    listed = {entry["name"]: entry for entry in DOCUMENT["x-sandbox-extensions"]}
    assert list(listed) == [ext.name for ext in extensions.ALL]
    for ext in extensions.ALL:
        assert set(listed[ext.name]["conflicts"]) == set(ext.conflicts), ext.name
        assert listed[ext.name]["summary"].strip()


def test_every_conflict_of_the_catalogue_has_a_choice() -> None:
    ids = [entry["id"] for entry in DOCUMENT["x-conflicts"]]
    assert ids == [f"C{number}" for number in range(1, 31)]
    assert all(entry["choice"].strip() for entry in DOCUMENT["x-conflicts"])
    cited: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            cited.update(node.get("x-conflicts", []) if node is not DOCUMENT else [])
            for key, value in node.items():
                if key != "x-conflicts":
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(DOCUMENT["paths"])
    walk(DOCUMENT["components"])
    assert cited <= set(ids)
    for ext in DOCUMENT["x-sandbox-extensions"]:
        assert set(ext["conflicts"]) <= set(ids)


def test_every_extension_mark_says_what_it_is() -> None:
    marked: list[Any] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("x-sandbox-extension") is True:
                marked.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(DOCUMENT)
    assert len(marked) > 20
    for node in marked:
        assert node.get("description", "").strip(), node
