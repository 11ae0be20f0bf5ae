"""``python -m kgen_pygame.loyalty``: the same as ``kgen-events``."""

from kgen_pygame.loyalty.cli import main

raise SystemExit(main())
