"""``python -m kgen_pygame.sandbox``: run the sandbox until Ctrl-C or SIGTERM."""

from __future__ import annotations

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
