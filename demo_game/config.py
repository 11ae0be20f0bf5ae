"""Constants shared by the whole game: canvas size, palette and gameplay tuning."""

from __future__ import annotations

from typing import Final

# The game renders to a fixed logical canvas, scaled to the window with letterboxing.
CANVAS_WIDTH: Final = 1280
CANVAS_HEIGHT: Final = 720
CANVAS_SIZE: Final = (CANVAS_WIDTH, CANVAS_HEIGHT)

TITLE: Final = "Comet Catcher"
WINDOW_CAPTION: Final = "Comet Catcher - kgen-pygame demo"
GAME_ID: Final = "comet-catcher"

RGB = tuple[int, int, int]

# Palette.
WHITE: Final[RGB] = (240, 245, 255)
INK: Final[RGB] = (10, 10, 26)
DIM: Final[RGB] = (130, 140, 185)
CYAN: Final[RGB] = (100, 230, 255)
MAGENTA: Final[RGB] = (255, 90, 205)
GOLD: Final[RGB] = (255, 205, 80)
ORANGE: Final[RGB] = (255, 140, 60)
RED: Final[RGB] = (255, 70, 90)
GREEN: Final[RGB] = (110, 240, 150)
PANEL: Final[RGB] = (22, 20, 52)
PANEL_EDGE: Final[RGB] = (70, 80, 150)
BACKGROUND_TOP: Final[RGB] = (6, 8, 24)
BACKGROUND_BOTTOM: Final[RGB] = (30, 12, 48)
LETTERBOX: Final[RGB] = (3, 3, 10)

# Round rules.
ROUND_SECONDS: Final = 75.0
START_LIVES: Final = 3
TIER_SECONDS: Final = 15.0  # difficulty steps up this often ("SPEED UP!")
COMBO_WINDOW: Final = 2.0  # seconds to catch the next shard and keep the combo
MAX_MULTIPLIER: Final = 8
SHARD_POINTS: Final = 10
GOLD_POINTS: Final = 50
NEAR_MISS_POINTS: Final = 5
GOLD_CHANCE: Final = 0.1
SHARD_LIFETIME: Final = 7.0
SHARDS_ON_SCREEN: Final = 4
INVULNERABLE_SECONDS: Final = 1.8

# Ship handling.
SHIP_RADIUS: Final = 17.0
SHIP_MAX_SPEED: Final = 520.0
SHIP_ACCEL: Final = 2600.0
SHIP_BRAKE: Final = 1500.0

# How often a new personal best may be reported to KGeN during play.
BEST_SCORE_REPORT_INTERVAL: Final = 5.0
