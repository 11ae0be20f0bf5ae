"""docs/loyalty.md's kgen-events walk-through runs as written against a standalone sandbox.

The walk-through's commands run in one bash process (tests/sandbox/walkthrough.py), in a
fresh folder holding a copy of demo_game/achievements.toml (the walk-through edits it), with
``kgen-events`` and ``python`` of this interpreter first on PATH; each output must match the
documented one, ids and times aside.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from tests.sandbox import walkthrough
from tests.sandbox.test_sandbox_walkthrough import sandbox_process

ROOT = Path(__file__).resolve().parents[2]
LOYALTY_MD = ROOT / "docs" / "loyalty.md"

pytestmark = pytest.mark.skipif(
    not (shutil.which("jq") and shutil.which("bash")), reason="the walk-through needs bash and jq"
)


def test_the_loyalty_walkthrough_runs_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    walk = walkthrough.walkthroughs(LOYALTY_MD.read_text(encoding="utf-8"))["loyalty"]
    commands = [step.command for step in walk.steps]
    for needed in ("apply demo_game/achievements.toml --dry-run", "apply demo_game/achievements"
                   ".toml", "kgen-events list", "delete"):
        assert any(needed in command for command in commands), needed
    workdir = tmp_path / "repo"
    (workdir / "demo_game").mkdir(parents=True)
    shutil.copy(ROOT / "demo_game" / "achievements.toml", workdir / "demo_game")
    scripts = Path(sys.executable).parent
    assert (scripts / "kgen-events").exists(), "kgen-events is not installed (pip install -e .)"
    monkeypatch.setenv("PATH", f"{scripts}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    for name in ("KGEN_BASE_URL", "KGEN_API", "KGEN_CLIENT_ID", "KGEN_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    with sandbox_process(tmp_path / "sandbox.sqlite3", walk.flags) as url:
        outputs = walkthrough.run(walk.steps, url, workdir)
    for step, actual in zip(walk.steps, outputs, strict=True):
        documented = [line.replace(walkthrough.DOCUMENTED_BASE, url) for line in step.output]
        assert walkthrough.matches(documented, actual), (
            f"$ {step.command}\n--- documented:\n" + "\n".join(step.output)
            + "\n--- got:\n" + "\n".join(actual)
        )
