"""HTTP behaviour of the current-generation paths: error dialects, faults, secrets, migration."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
import requests

from kgen_pygame.sandbox import SandboxConfig, SandboxServer
from tests.sandbox.conftest import S2S_HEADERS, Api, CurrentApi


def test_unknown_routes_and_wrong_methods_by_mode(both: CurrentApi) -> None:
    missing = both.get("/fe/nothing-here", token="x")
    assert missing.status_code == 404 and both.error_code(missing) == "NOT_FOUND"
    wrong = both.delete("/fe/wallet/balance")
    assert wrong.status_code == 405 and both.error_code(wrong) == "METHOD_NOT_ALLOWED"
    assert wrong.headers["Allow"] == "GET"


def test_v1_errors_keep_their_object_in_documented_only_mode(
    doc: CurrentApi, make_api: Callable[[SandboxServer], Api]
) -> None:
    v1 = make_api(doc.server)
    reply = v1.get("/api/v1/rewards", token="forged")
    assert reply.json()["error"] == "UN_AUTHORIZED"  # docs/openapi.yaml defines v1's body


def test_faults_apply_to_every_generation_never_to_the_sandbox(both: CurrentApi) -> None:
    token = both.token("f")
    both.post("/_sandbox/faults", json={"error_rate": 1.0})
    for path, headers in (
        ("/fe/wallet/balance", {"user-jwt-token": token}),
        ("/s2s/loyalty/rewardable-events", S2S_HEADERS),
    ):
        reply = both.get(path, headers=headers)
        assert reply.status_code == 503
        assert both.error_code(reply) == "SERVICE_UNAVAILABLE"
    assert both.get("/_sandbox/health").status_code == 200
    both.post("/_sandbox/faults", json={"reset": True})
    assert both.get("/fe/wallet/balance", token=token).status_code == 200


def test_a_truncated_answer_was_still_handled(cur: CurrentApi) -> None:
    token = cur.token("cut")
    uid = cur.create_tournament()
    cur.join(token, uid)
    cur.post("/_sandbox/faults", json={"truncate_rate": 1.0})
    body = {"metadata": {"tournamentUID": uid}, "payload": {"score": {"value": 5}}}
    with pytest.raises((requests.exceptions.ChunkedEncodingError, requests.ConnectionError)):
        requests.post(
            f"{cur.base_url}/fe/esports/tournaments/{uid}/score",
            json=body,
            headers={"user-jwt-token": token, "Idempotency-Key": "cut-1"},
            timeout=5,
        )
    cur.post("/_sandbox/faults", json={"reset": True})
    assert cur.score(token, uid, 5, key="cut-1").status_code == 200  # the client's retry
    records = cur.records("cut")
    assert (records["score_posts"], records["raw_deliveries"], records["repeated_deliveries"]) == (
        1,
        2,
        1,
    )


def test_oversized_bodies_are_413_in_each_dialect(make_current: Callable[..., CurrentApi]) -> None:
    for documented_only in (False, True):
        api = make_current(documented_only=documented_only, max_body_bytes=1000)
        reply = api.post("/s2s/session", json={"user_id": "x" * 2000}, headers=S2S_HEADERS)
        assert reply.status_code == 413 and api.error_code(reply) == "PAYLOAD_TOO_LARGE"


def test_health_shows_the_mode_and_the_extensions(both: CurrentApi) -> None:
    health = both.get("/_sandbox/health").json()
    assert health["documented_only"] is both.documented_only
    if both.documented_only:
        assert health["extensions"] == []
    else:
        assert "idempotency-key" in health["extensions"] and len(health["extensions"]) == 8


def test_no_token_or_secret_reaches_the_logs(
    cur: CurrentApi, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="kgen_pygame.sandbox")
    session = cur.session("quiet")
    token = session["access_token"]
    cur.get("/fe/wallet/balance", token=token)
    cur.get("/fe/nothing", token=token)
    cur.post("/fe/users/k-store/generate-redirect-uri", token=token)
    assert any("/fe/wallet/balance" in record.getMessage() for record in caplog.records)
    for secret in (token, session["refresh_token"], "kgen-sandbox-secret"):
        assert secret not in caplog.text


def test_a_version_1_database_is_migrated(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite3"
    with SandboxServer(SandboxConfig(db_path=db)) as server:
        v1 = requests.Session()
        token = v1.post(
            server.url + "/api/v1/session",
            json={"gamer_id": "old"},
            headers={"x-clientID": "kgen-sandbox-client", "x-clientSecret": "kgen-sandbox-secret"},
            timeout=10,
        ).json()["token"]
        event = {
            "timestamp": 1,
            "metadata": {"playerId": "old"},
            "payload": {"score": {"value": 9}},
        }
        url = server.url + "/api/v1/eventing"
        headers = {"Idempotency-Key": "k-old"}
        assert v1.post(url, params={"token": token}, json=event, headers=headers).ok
    # Turn the file into what schema version 1 looked like.
    with sqlite3.connect(db) as conn:
        conn.executescript(
            "ALTER TABLE events ADD COLUMN dedup_key TEXT;"
            "UPDATE events SET dedup_key = idempotency_key;"
            "ALTER TABLE events DROP COLUMN api;"
            "DELETE FROM idempotency_keys;"
            "ALTER TABLE participations DROP COLUMN stake_bonus_cents;"
            "ALTER TABLE kgen_accounts DROP COLUMN kgen_id;"
            "ALTER TABLE otps DROP COLUMN limited;"
            "INSERT INTO kgen_accounts(phone, wallet_address, created_at)"
            " VALUES ('+911234567', '0x' || hex(randomblob(20)), 0);"
            "UPDATE meta SET value = '1' WHERE key = 'schema_version';"
        )
    with SandboxServer(SandboxConfig(db_path=db)) as server:
        # The key deduplicated before the upgrade still does.
        assert v1.post(
            server.url + "/api/v1/eventing", params={"token": token}, json=event, headers=headers
        ).ok
        records = v1.get(server.url + "/_sandbox/records", params={"gamer_id": "old"}).json()
        assert records["events"] == 1
        assert records["repeated_deliveries"] == 1
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (
            "2",
        )
        assert (
            conn.execute("SELECT COUNT(*) FROM kgen_accounts WHERE kgen_id IS NULL").fetchone()[0]
            == 0
        )
        assert conn.execute("SELECT api FROM events").fetchall() == [("v1",)]
    v1.close()
