"""Helper for the crash test: capture events in a tight loop until killed.

Usage: python outbox_crash_writer.py OUTBOX_PATH

Prints each id that ``CaptureHandle.add`` returned, one per line, flushing
after each, so every printed id was durable before it was printed.
"""

from __future__ import annotations

import sys

from kgen_pygame.runtime.outbox import CaptureHandle


def main() -> None:
    handle = CaptureHandle(sys.argv[1])
    out = sys.stdout
    score = 0
    while True:
        event_id = handle.add("score", score, {"playerId": "crash-test", "level": score % 7})
        out.write(event_id + "\n")
        out.flush()
        score += 1


if __name__ == "__main__":
    main()
