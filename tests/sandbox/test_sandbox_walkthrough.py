"""docs/sandbox.md's curl walk-throughs run as written against a live sandbox process.

Each walk-through starts its own ``python -m kgen_pygame.sandbox`` (with the flags its marker
names) and runs every documented command in one bash process with curl and jq; each output
must match the documented one (see tests/sandbox/walkthrough.py for what may differ).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.sandbox import walkthrough

ROOT = Path(__file__).resolve().parents[2]
WALKTHROUGHS = walkthrough.walkthroughs()

pytestmark = pytest.mark.skipif(
    not (shutil.which("curl") and shutil.which("jq") and shutil.which("bash")),
    reason="the walk-throughs need bash, curl and jq",
)


@contextmanager
def sandbox_process(db: Path, flags: tuple[str, ...]) -> Iterator[str]:
    """The CLI on a free port; yields its base URL."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "kgen_pygame.sandbox", "--port", "0", "--db", str(db)]
    proc = subprocess.Popen(
        [*command, "--log-level", "WARNING", *flags], stdout=subprocess.PIPE, text=True, env=env
    )
    assert proc.stdout is not None
    match = re.search(r"http://127\.0\.0\.1:\d+", proc.stdout.readline())
    try:
        assert match, "the sandbox did not start"
        yield match.group(0)
    finally:
        proc.terminate()
        proc.wait(10)


def test_the_documented_walkthroughs_are_there() -> None:
    assert set(WALKTHROUGHS) == {"current", "documented-only", "v1"}
    assert WALKTHROUGHS["documented-only"].flags == ("--documented-only",)
    for walk in WALKTHROUGHS.values():
        assert len(walk.steps) > 10
        assert walk.steps[0].command == f"BASE={walkthrough.DOCUMENTED_BASE}"


@pytest.mark.parametrize("name", sorted(WALKTHROUGHS))
def test_walkthrough_runs_as_written(name: str, tmp_path: Path) -> None:
    walk = WALKTHROUGHS[name]
    workdir = tmp_path / "shell"
    workdir.mkdir()
    with sandbox_process(tmp_path / "sandbox.sqlite3", walk.flags) as url:
        outputs = walkthrough.run(walk.steps, url, workdir)
    for step, actual in zip(walk.steps, outputs, strict=True):
        documented = [line.replace(walkthrough.DOCUMENTED_BASE, url) for line in step.output]
        assert walkthrough.matches(documented, actual), (
            f"$ {step.command}\n--- documented:\n"
            + "\n".join(step.output)
            + "\n--- got:\n"
            + "\n".join(actual)
        )


def test_the_comparison_tolerates_only_what_varies() -> None:
    documented = [
        '{"tournament_uid":"66827729-7370-4f71-85f4-d841acdc5672","at":"2026-11-21T09:04:23.374Z"}',
        "...",
        '{"authCode":"8095","otp":"745239"}',
    ]
    run_a = [
        '{"tournament_uid":"0ce87683-541e-4f5c-9599-89337d3907ed","at":"2027-01-01T00:00:00.000Z"}',
        "anything",
        "else",
        '{"authCode":"1234","otp":"000111"}',
    ]
    assert walkthrough.matches(documented, run_a)
    assert not walkthrough.matches(documented, [*run_a[:3], '{"authCode":"1234","otp":"x"}'])
    assert not walkthrough.matches(['{"amount":30}'], ['{"amount":31}'])
    assert not walkthrough.matches(['{"amount":30}'], ['{"amount":30}', "extra"])
