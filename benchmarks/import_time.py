"""Import time of what a game imports, ``from kgen_pygame import KGen``, on top of
pygame, in fresh interpreters.

Each run starts a new Python, imports pygame, then times the plugin import: in
alternating runs ``from kgen_pygame import KGen`` (what a game writes: the budget
case) and a bare ``import kgen_pygame`` (lazy: for information). The baseline in the
same runs is the import of pygame itself.
Budget: ``from kgen_pygame import KGen`` <= 50 ms on top of pygame.

    python benchmarks/import_time.py [--runs 15]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

from _harness import ROOT, machine_line, median, percentile, write_section

PROBE = r"""
import json, sys, time
t0 = time.perf_counter()
import pygame
t1 = time.perf_counter()
if sys.argv[1] == "facade":
    from kgen_pygame import KGen
else:
    import kgen_pygame
t2 = time.perf_counter()
print(json.dumps({"pygame": t1 - t0, sys.argv[1]: t2 - t1}))
"""
BUDGET_MS = 50.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYGAME_HIDE_SUPPORT_PROMPT": "1"}
    samples: dict[str, list[float]] = {"pygame": [], "package": [], "facade": []}
    for run in range(2 * (args.runs + 1)):
        which = "facade" if run % 2 == 0 else "package"
        out = subprocess.run([sys.executable, "-c", PROBE, which], capture_output=True,
                             text=True, env=env, check=True).stdout
        if run < 2:
            continue  # the first runs warm the OS file cache
        for key, value in json.loads(out).items():
            samples[key].append(value * 1000)
    pygame_ms, package_ms, facade_ms = (median(samples[k]) for k in ("pygame", "package", "facade"))
    facade_p90 = percentile(samples["facade"], 90)
    verdict = "met" if facade_ms <= BUDGET_MS else "**not met**"
    lines = [
        "### Import time",
        "",
        f"Command: `python benchmarks/import_time.py --runs {args.runs}`  ",
        f"Machine: {machine_line()}",
        "",
        f"Fresh interpreters, {args.runs} of each kind, alternating; times after "
        "`import pygame`.",
        "",
        "| import | ms (median) | p90 ms | vs `import pygame` | budget | verdict |",
        "|---|---|---|---|---|---|",
        f"| `import pygame` (baseline) | {pygame_ms:.1f} | "
        f"{percentile(samples['pygame'], 90):.1f} | 1.00 | - | - |",
        f"| `from kgen_pygame import KGen` (what a game imports) | {facade_ms:.1f} | "
        f"{facade_p90:.1f} | {facade_ms / pygame_ms:.2f} | <= 50 ms | {verdict} |",
        f"| `import kgen_pygame` alone (lazy) | {package_ms:.1f} | "
        f"{percentile(samples['package'], 90):.1f} | {package_ms / pygame_ms:.2f} | - | - |",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        write_section("import_time", text)


if __name__ == "__main__":
    main()
