"""``python -m demo_game``: run Comet Catcher."""

from demo_game.cli import main

raise SystemExit(main())
