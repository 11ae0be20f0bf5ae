"""Comet Catcher: the kgen-pygame demo game.

A small arcade game (collect glowing shards, dodge comets) that shows the KGeN plugin in use.
Every KGeN call lives in :mod:`demo_game.kgen_integration`; the rest is an ordinary pygame game.
Run it with ``python -m demo_game`` (``--help`` lists the options).
"""

from __future__ import annotations

import logging
import os

# Keep pygame's import banner out of the game's output (must be set before pygame is imported).
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = ["__version__"]
__version__ = "0.1.0"
