"""Settings from the environment, and the kgen-broker command as a real process."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from kgen_pygame.broker.cli import main
from kgen_pygame.broker.config import BrokerConfig, BrokerConfigError
from kgen_pygame.sandbox import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, SandboxServer
from tests.broker.helpers import BROKER_KEY, TIMEOUT, session_body
from tests.broker.processes import clean_environ, service


def env(platform_url: str = "http://127.0.0.1:9", **changes: str | None) -> dict[str, str]:
    values: dict[str, str | None] = {
        "KGEN_BROKER_PLATFORM_URL": platform_url,
        "KGEN_BROKER_CLIENT_ID": DEFAULT_CLIENT_ID,
        "KGEN_BROKER_CLIENT_SECRET": DEFAULT_CLIENT_SECRET,
        "KGEN_BROKER_KEY": BROKER_KEY.decode(),
    }
    values.update({f"KGEN_BROKER_{name}": value for name, value in changes.items()})
    return {name: value for name, value in values.items() if value is not None}


def problems(environ: dict[str, str]) -> str:
    with pytest.raises(BrokerConfigError) as raised:
        BrokerConfig.from_environ(environ)
    return str(raised.value)


def test_a_complete_environment_gives_a_config_that_hides_its_secrets() -> None:
    config = BrokerConfig.from_environ(env(PORT="9000", THREADS="6", RATE_PER_MINUTE="12.5"))
    assert config.port == 9000 and config.threads == 6 and config.slots == 4
    assert config.rate_per_minute == 12.5
    assert DEFAULT_CLIENT_SECRET not in repr(config)
    assert BROKER_KEY.decode() not in repr(config)


def test_an_empty_environment_names_every_missing_variable() -> None:
    text = problems({})
    for name in ("PLATFORM_URL", "CLIENT_ID", "CLIENT_SECRET", "KEY"):
        assert f"KGEN_BROKER_{name}" in text


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"KEY": "too-short"}, "KGEN_BROKER_KEY is 9 bytes; it needs at least 32"),
        ({"PLATFORM_URL": "http://platform.example.com"}, "refusing plain http://"),
        ({"PLATFORM_URL": "ftp://platform.example.com"}, "KGEN_BROKER_PLATFORM_URL"),
        ({"API": "v9"}, "KGEN_BROKER_API is 'v9'; supported: 'current', 'v1', 'legacy'"),
        ({"PORT": "eighty"}, "KGEN_BROKER_PORT must be an integer"),
        ({"PORT": "70000"}, "KGEN_BROKER_PORT must be between"),
        ({"THREADS": "1"}, "KGEN_BROKER_THREADS must be between 2"),
        ({"PLATFORM_SLOTS": "8"}, "so /healthz always has a thread"),
        ({"VERIFIER": "not a spec"}, "package.module:function"),
        ({"TRUSTED_PROXY": "proxy.local"}, "TRUSTED_PROXY must be an IP"),
        ({"REPLAY_WINDOW_S": "1"}, "REPLAY_WINDOW_S"),
        ({"READ_TIMEOUT_S": "7"}, "must be below KGEN_BROKER_DEADLINE_S"),
        ({"ALLOW_INSECURE_PLATFORM_HTTP": "maybe"}, "ALLOW_INSECURE_PLATFORM_HTTP must be"),
        ({"KEY": DEFAULT_CLIENT_SECRET * 3, "CLIENT_SECRET": DEFAULT_CLIENT_SECRET * 3},
         "must not be the client secret"),
    ],
)
def test_wrong_settings_are_refused_by_name(changes: dict[str, str], expected: str) -> None:
    text = problems(env(**changes))
    assert expected in text
    assert DEFAULT_CLIENT_SECRET not in text and BROKER_KEY.decode() not in text


def test_plain_http_to_a_remote_platform_needs_an_explicit_opt_in() -> None:
    config = BrokerConfig.from_environ(
        env("http://platform.internal", ALLOW_INSECURE_PLATFORM_HTTP="1")
    )
    assert config.allow_insecure_platform_http


def test_secrets_can_come_from_files_but_not_from_both(tmp_path: Path) -> None:
    secret_file = tmp_path / "client_secret"
    secret_file.write_text(DEFAULT_CLIENT_SECRET + "\n", encoding="utf-8")
    config = BrokerConfig.from_environ(
        env(CLIENT_SECRET=None, CLIENT_SECRET_FILE=str(secret_file))
    )
    assert config.client_secret == DEFAULT_CLIENT_SECRET
    assert "not both" in problems(env(CLIENT_SECRET_FILE=str(secret_file)))
    missing = problems(env(KEY=None, KEY_FILE=str(tmp_path / "nope")))
    assert "KGEN_BROKER_KEY_FILE" in missing and "cannot be read" in missing


def test_check_mode_reports_and_exits(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--check"], env()) == 0
    assert main(["--check"], env(KEY="short")) == 2
    err = capsys.readouterr().err
    assert "KGEN_BROKER_KEY is 5 bytes" in err
    assert main(["--check"], env(VERIFIER="tests.broker.no_such:verify")) == 2
    assert "cannot import tests.broker.no_such" in capsys.readouterr().err


@pytest.fixture
def sandbox_url(tmp_path: Path) -> Iterator[str]:
    from kgen_pygame.sandbox import SandboxConfig

    server = SandboxServer(SandboxConfig(db_path=tmp_path / "sandbox.sqlite3"))
    yield server.start()
    server.stop(5)


def test_the_command_serves_logs_json_lines_and_stops_on_sigterm(sandbox_url: str) -> None:
    with service(["kgen_pygame.broker"], clean_environ(env(sandbox_url, PORT="0"))) as broker:
        body = session_body()
        reply = requests.post(broker.url + "/v1/session", json=body, timeout=TIMEOUT)
        assert reply.status_code == 200, reply.text
        token = reply.json()["token"]
        assert requests.get(broker.url + "/healthz", timeout=TIMEOUT).status_code == 200
        assert broker.stop() == 0
    assert broker.lines[0] == f"kgen-broker listening on {broker.url}\n"
    records = [json.loads(line) for line in broker.lines[1:] if line.strip()]
    access = [r for r in records if r["logger"] == "kgen_pygame.broker.access"]
    assert [(r["method"], r["path"], r["status"]) for r in access] == [
        ("POST", "/v1/session", 200),
        ("GET", "/healthz", 200),
    ]
    assert records[-1]["message"] == "kgen-broker stopped"
    for secret in (token, body["device_key"], body["nonce"], DEFAULT_CLIENT_SECRET,
                   BROKER_KEY.decode()):
        assert secret not in broker.output
