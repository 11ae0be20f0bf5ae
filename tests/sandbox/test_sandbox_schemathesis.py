"""Property-based run of schemathesis against the live sandbox, driven by docs/openapi.yaml.

For every /api operation, generated requests (valid ones, and invalid ones) are sent with a
real session token; the sandbox must never answer 5xx, and every answer must match the
documented status codes, content type and response schema. Bounded: a few examples per
operation and mode, no deadline.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis

from kgen_pygame.sandbox import SandboxConfig, SandboxServer
from tests.sandbox.conftest import CLIENT_HEADERS
from tests.sandbox.contract import OPENAPI_PATH
from tests.sandbox.fuzzing import conform

SCHEMA = schemathesis.openapi.from_path(OPENAPI_PATH).include(path_regex="^/api/")
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]
EXAMPLES_PER_MODE = 12


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, requests.Session]]:
    """One sandbox for the whole run, a gamer's token and a keep-alive session."""
    db = Path(tmp_path_factory.mktemp("fuzz")) / "sandbox.sqlite3"
    with SandboxServer(SandboxConfig(db_path=db)) as server:
        http = requests.Session()
        token = http.post(
            server.url + "/api/v1/session",
            json={"gamer_id": "fuzzer"},
            headers=CLIENT_HEADERS,
            timeout=10,
        ).json()["token"]
        yield server.url, token, http
        http.close()


def test_the_contract_has_the_sixteen_v1_operations() -> None:
    labels = {operation.label for operation in OPERATIONS}
    assert len(labels) == 16
    assert "POST /api/v1/tournaments/{tournamentId}/_join" in labels
    assert "GET /api/v1/session" in labels


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.label)
def test_generated_requests_conform(
    operation: Any, target: tuple[str, str, requests.Session]
) -> None:
    base_url, token, http = target

    def call(case: Any) -> Any:
        # Authorise every call: the generated token would only ever be a 401.
        case.query = {**(case.query or {}), "token": token}
        return case.call(base_url=base_url, session=http, headers=CLIENT_HEADERS, timeout=10)

    conform(operation, EXAMPLES_PER_MODE, call)
