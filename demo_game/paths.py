"""Where the game's files are."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ASSETS_DIR = PACKAGE_DIR.parent / "assets"
IMAGES_DIR = ASSETS_DIR / "images"
SOUNDS_DIR = ASSETS_DIR / "sounds"
FONTS_DIR = ASSETS_DIR / "fonts"
FONT_IMAGE = FONTS_DIR / "kgen_pixel.png"
FONT_METRICS = FONTS_DIR / "kgen_pixel.json"
