"""Import time of kgen_pygame on top of pygame, in fresh interpreters.

Each run starts a new Python, imports pygame, then times the plugin import.
The baseline in the same run is the import of pygame itself.
Budget: ``import kgen_pygame`` <= 50 ms on top of pygame.

    python benchmarks/import_time.py [--runs 15]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

from _harness import ROOT, machine_line, median, write_section

PROBE = r"""
import json, time
t0 = time.perf_counter()
import pygame
t1 = time.perf_counter()
import kgen_pygame
t2 = time.perf_counter()
from kgen_pygame import KGen
t3 = time.perf_counter()
print(json.dumps({"pygame": t1 - t0, "package": t2 - t1, "facade": t3 - t2}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYGAME_HIDE_SUPPORT_PROMPT": "1"}
    samples: dict[str, list[float]] = {"pygame": [], "package": [], "facade": []}
    for _ in range(args.runs + 1):
        out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                             env=env, check=True).stdout
        for key, value in json.loads(out).items():
            samples[key].append(value * 1000)
    for values in samples.values():
        del values[0]  # the first run warms the OS file cache
    pygame_ms, package_ms, facade_ms = (median(samples[k]) for k in ("pygame", "package", "facade"))
    lines = [
        "### Import time",
        "",
        f"Command: `python benchmarks/import_time.py --runs {args.runs}`  ",
        f"Machine: {machine_line()}",
        "",
        "Median over fresh interpreters, after `import pygame`.",
        "",
        "| import | ms (median) | vs `import pygame` | budget |",
        "|---|---|---|---|",
        f"| `import pygame` (baseline) | {pygame_ms:.1f} | 1.00 | - |",
        f"| `import kgen_pygame` | {package_ms:.1f} | {package_ms / pygame_ms:.2f} | <= 50 ms |",
        f"| then `from kgen_pygame import KGen` | {facade_ms:.1f} | "
        f"{facade_ms / pygame_ms:.2f} | (for information) |",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        write_section("import_time", text)


if __name__ == "__main__":
    main()
