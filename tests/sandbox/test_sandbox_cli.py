"""``python -m kgen_pygame.sandbox`` as a separate process."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from kgen_pygame.sandbox import SandboxServer
from tests.sandbox.conftest import CLIENT_HEADERS, Api
from tests.sandbox.contract import Contract

ROOT = Path(__file__).resolve().parents[2]


class Cli:
    """A running sandbox process and what it printed."""

    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kgen_pygame.sandbox", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environment,
        )
        self.lines: list[str] = []
        self.url = ""
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))
            if line.startswith("KGEN_CLIENT_SECRET="):
                break
        for line in self.lines:
            match = re.search(r"http://127\.0\.0\.1:\d+", line)
            if match:
                self.url = match.group(0)
                break

    def value(self, name: str) -> str:
        for line in self.lines:
            if line.startswith(name + "="):
                return line.split("=", 1)[1]
        raise AssertionError(f"{name} not printed: {self.lines}")

    def stop(self, signum: int = signal.SIGTERM) -> tuple[int, str]:
        if self.process.poll() is None:
            self.process.send_signal(signum)
        try:
            _, stderr = self.process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise
        return self.process.returncode, stderr


@pytest.fixture
def cli_processes() -> Iterator[list[Cli]]:
    started: list[Cli] = []
    yield started
    for cli in started:
        if cli.process.poll() is None:
            cli.process.kill()
            cli.process.wait(10)


def test_cli_serves_until_sigterm(
    tmp_path: Path, cli_processes: list[Cli], contract: Contract
) -> None:
    db = tmp_path / "cli.sqlite3"
    cli = Cli("--port", "0", "--db", str(db))
    cli_processes.append(cli)
    assert cli.url, cli.lines
    assert cli.value("KGEN_BASE_URL") == cli.url
    assert cli.value("KGEN_CLIENT_ID") == "kgen-sandbox-client"
    assert cli.value("KGEN_CLIENT_SECRET") == "kgen-sandbox-secret"
    api = Api(cli.url, contract)
    assert api.get("/_sandbox/health").json()["status"] == "ok"
    started = api.start_session("cli")
    assert started["is_new_user"] is True
    token = started["token"]
    assert api.get("/api/v1/session", token=token).status_code == 200
    assert len(api.live(token)) >= 3
    api.close()
    code, stderr = cli.stop(signal.SIGTERM)
    assert code == 0
    assert token not in stderr
    assert db.exists()


def test_cli_ctrl_c_exits_cleanly(cli_processes: list[Cli], contract: Contract) -> None:
    cli = Cli("--port", "0", "--no-seed", "--log-level", "WARNING")
    cli_processes.append(cli)
    api = Api(cli.url, contract)
    assert api.get("/_sandbox/health").status_code == 200
    api.close()
    code, _ = cli.stop(signal.SIGINT)
    assert code == 0


def test_cli_flags_and_environment(cli_processes: list[Cli], contract: Contract) -> None:
    cli = Cli(
        "--port", "0", "--client-secret", "flag-secret", "--token-ttl", "60",
        "--min-withdraw", "7.5", "--error-rate", "1",
        env={"KGEN_SANDBOX_CLIENT_ID": "env-client", "KGEN_SANDBOX_CLIENT_SECRET": "env-secret"},
    )  # fmt: skip
    cli_processes.append(cli)
    assert cli.value("KGEN_CLIENT_ID") == "env-client"
    assert cli.value("KGEN_CLIENT_SECRET") == "flag-secret"  # the flag wins over the variable
    api = Api(cli.url, contract)
    assert api.get("/api/v1/rewards", token="x").status_code == 503
    assert api.get("/_sandbox/faults").json()["error_rate"] == 1.0
    api.post("/_sandbox/faults", json={"reset": True})
    default_client = api.post("/api/v1/session", json={"gamer_id": "f"}, headers=CLIENT_HEADERS)
    assert default_client.status_code == 401
    headers = {"x-clientID": "env-client", "x-clientSecret": "flag-secret"}
    token = api.post("/api/v1/session", json={"gamer_id": "flags"}, headers=headers).json()["token"]
    assert api.balance(token)["minWalletBalToWithdraw"] == 7.5
    api.advance(61)
    expired = api.get("/api/v1/session", token=token)
    assert expired.status_code == 401 and expired.json()["error"] == "TOKEN_EXPIRED"
    api.close()
    assert cli.stop()[0] == 0


def test_cli_rejects_bad_flags() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for args in (
        ["--error-rate", "2"],
        ["--port", "70000"],
        ["--drop-rate", "0.7", "--html-rate", "0.7"],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "kgen_pygame.sandbox", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=30,
        )
        assert done.returncode == 2, (args, done.stderr)
        assert "error" in done.stderr


def test_cli_reports_a_busy_port(sandbox: SandboxServer, api: Api) -> None:
    port = sandbox.url.rsplit(":", 1)[1]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "kgen_pygame.sandbox", "--port", port, "--no-seed"],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
    )
    assert done.returncode == 1
    assert "cannot listen" in done.stderr
    # The running sandbox is unaffected.
    assert api.get("/_sandbox/health").json()["status"] == "ok"


def test_cli_documented_only_mode(cli_processes: list[Cli], contract: Contract) -> None:
    cli = Cli("--port", "0", "--documented-only", "--otp-digits", "4")
    cli_processes.append(cli)
    api = Api(cli.url, contract)
    health = api.get("/_sandbox/health").json()
    assert health["documented_only"] is True and health["extensions"] == []
    reply = requests.get(cli.url + "/fe/wallet/balance", timeout=10)  # not a v1 path
    assert (reply.status_code, reply.json()) == (401, "UN_AUTHORIZED")
    api.close()
    assert cli.stop()[0] == 0
