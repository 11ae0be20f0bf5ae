"""The sandbox and the broker as their own processes, as they run for real."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[2]
_URL = re.compile(r"listening on (http://127\.0\.0\.1:\d+)")


@dataclass
class Service:
    url: str
    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)

    def stop(self) -> int:
        """SIGTERM, wait, and keep the rest of the output; returns the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                self.lines.extend(stream.read().splitlines(keepends=True))
                stream.close()
        return self.process.returncode

    @property
    def output(self) -> str:
        return "".join(self.lines)


def clean_environ(extra: Mapping[str, str]) -> dict[str, str]:
    """This environment without any KGEN_* variable, plus *extra*."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("KGEN_")}
    return {**base, "PYTHONPATH": str(ROOT), **extra}


@contextmanager
def service(
    args: list[str], environ: Mapping[str, str], *, url_on: str = "stderr"
) -> Iterator[Service]:
    """Run ``python -m <args>`` until it prints its URL; stop it on exit."""
    process = subprocess.Popen(
        [sys.executable, "-m", *args],
        stdout=subprocess.PIPE if url_on == "stdout" else subprocess.DEVNULL,
        stderr=subprocess.PIPE if url_on == "stderr" else subprocess.DEVNULL,
        text=True,
        env=dict(environ),
    )
    stream: IO[str] | None = process.stdout if url_on == "stdout" else process.stderr
    assert stream is not None
    lines: list[str] = []
    url = ""
    try:
        while not url:
            line = stream.readline()
            if not line:
                raise AssertionError(f"{args[0]} exited before listening:\n{''.join(lines)}")
            lines.append(line)
            match = _URL.search(line)
            url = match.group(1) if match else ""
        running = Service(url, process, lines)
        yield running
    finally:
        if process.poll() is None:
            Service(url, process, lines).stop()
