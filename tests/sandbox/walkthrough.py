"""Run the curl walk-throughs of docs/sandbox.md against a live sandbox, as written.

A walk-through is every ``console`` block between ``<!-- walkthrough: NAME [--flag ...] -->``
and ``<!-- /walkthrough -->``; the flags are those the sandbox is started with. Lines starting
with ``$ `` are commands; the lines after one, up to the next command, are its documented
output. All commands of a walk-through run in order in one bash process (shell variables and
files carry over), in a fresh directory, with ``BASE`` pointing at the sandbox under test
instead of the documented ``http://127.0.0.1:8765``.

Outputs are compared line by line after replacing what differs on every run by its shape:
ids, addresses, timestamps, OTP codes, K-Store tickets and the port. A documented line that is
only ``...`` stands for any number of lines.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

SANDBOX_MD = Path(__file__).resolve().parents[2] / "docs" / "sandbox.md"
DOCUMENTED_BASE = "http://127.0.0.1:8765"

_SECTION_RE = re.compile(
    r"<!-- walkthrough: ([\w-]+)((?: --[\w-]+)*) -->(.*?)<!-- /walkthrough -->", re.S
)
_BLOCK_RE = re.compile(r"```console\n(.*?)```", re.S)
_MARKER = "@@walkthrough-step-{}@@"
_SPLIT_RE = re.compile(r"\n@@walkthrough-step-\d+@@\n")

# What differs between runs, and the shape it is compared by. Order matters: the most
# specific patterns first.
_VOLATILE = [
    (re.compile(r"http://127\.0\.0\.1:\d+"), "<base>"),
    (re.compile(r"ticket=[A-Za-z0-9_-]+"), "ticket=<ticket>"),
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "<uuid>"),
    (re.compile(r"0x[0-9a-fA-F]{40}"), "<address>"),
    (re.compile(r"0x[0-9a-fA-F]{2}\*{5}[0-9a-fA-F]{4}"), "<masked address>"),
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"), "<time>"),
    (re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? \+0000 UTC"), "<go time>"),
    (re.compile(r"\b\d{13}\b"), "<epoch ms>"),
    (re.compile(r'("(?:authCode|otp)": ?)"\d{4,6}"'), r'\1"<code>"'),
]


@dataclass(frozen=True, slots=True)
class Step:
    """One documented command and its documented output."""

    command: str
    output: list[str]


@dataclass(frozen=True, slots=True)
class Walkthrough:
    """A named walk-through: the sandbox's flags and the steps."""

    name: str
    flags: tuple[str, ...]
    steps: list[Step]


def walkthroughs(text: str | None = None) -> dict[str, Walkthrough]:
    """Every walk-through of docs/sandbox.md, by name."""
    text = SANDBOX_MD.read_text(encoding="utf-8") if text is None else text
    found: dict[str, Walkthrough] = {}
    for name, flags, section in _SECTION_RE.findall(text):
        steps: list[Step] = []
        for block in _BLOCK_RE.findall(section):
            for line in block.splitlines():
                if line.startswith("$ "):
                    steps.append(Step(line[2:], []))
                elif steps:
                    steps[-1].output.append(line)
        found[name] = Walkthrough(name, tuple(flags.split()), steps)
    return found


def run(steps: list[Step], base_url: str, workdir: Path) -> list[list[str]]:
    """Run the commands in one bash process; returns each command's output lines."""
    script = ["set -u"]
    for index, step in enumerate(steps):
        command = step.command.replace(DOCUMENTED_BASE, base_url)
        script.append(f"{{ {command}\n}} 2>&1; printf '\\n{_MARKER.format(index)}\\n'")
    completed = subprocess.run(
        ["bash", "--noprofile", "--norc", "-c", "\n".join(script)],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    chunks = _SPLIT_RE.split("\n" + completed.stdout)
    outputs = [chunk.strip("\n").splitlines() for chunk in chunks]
    assert len(outputs) >= len(steps), completed.stderr
    return outputs[: len(steps)]


def normalized(line: str) -> str:
    """A line with its run-specific parts replaced by their shape."""
    for pattern, shape in _VOLATILE:
        line = pattern.sub(shape, line)
    return line.rstrip()


def matches(documented: list[str], actual: list[str]) -> bool:
    """Whether ``actual`` fits ``documented`` (``...`` lines match any number of lines)."""
    expected = [normalized(line) for line in documented]
    got = [normalized(line) for line in actual]
    return _fits(expected, got)


def _fits(expected: list[str], got: list[str]) -> bool:
    if not expected:
        return not got
    head, rest = expected[0], expected[1:]
    if head.strip() == "...":
        return any(_fits(rest, got[skip:]) for skip in range(len(got) + 1))
    return bool(got) and got[0] == head and _fits(rest, got[1:])
