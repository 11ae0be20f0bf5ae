"""The sandbox and the broker as their own processes, as they run for real."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
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
    log_file: IO[str]
    #: stdout lines, then (after stop) every line of stderr.
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
        if self.process.stdout is not None:
            self.lines.extend(self.process.stdout.read().splitlines(keepends=True))
            self.process.stdout.close()
        if not self.log_file.closed:
            self.log_file.seek(0)
            self.lines.extend(self.log_file.read().splitlines(keepends=True))
            self.log_file.close()
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
    args: list[str], environ: Mapping[str, str]
) -> Iterator[Service]:
    """Run ``python -m <args>`` until it prints its URL on stdout; stop it on exit.

    stderr (the logs) is kept in a file and read back by :meth:`Service.stop`, so a
    chatty process can never block on a full pipe.
    """
    log_file = tempfile.TemporaryFile(mode="w+t")  # noqa: SIM115 - closed in finally
    process = subprocess.Popen(
        [sys.executable, "-m", *args],
        stdout=subprocess.PIPE,
        stderr=log_file,
        text=True,
        env=dict(environ),
    )
    stream: IO[str] | None = process.stdout
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
        running = Service(url, process, log_file, lines)
        yield running
    finally:
        if process.poll() is None:
            Service(url, process, log_file, lines).stop()
        log_file.close()
