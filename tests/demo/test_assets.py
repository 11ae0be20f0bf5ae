"""The generated assets: present, small, loadable, and reproducible from assets/make_assets.py."""

from __future__ import annotations

import json
import subprocess
import sys
import wave
from pathlib import Path

import pygame

from tests.demo.helpers import REPO

ASSETS = REPO / "assets"
GENERATED = sorted(
    p for folder in ("images", "sounds", "fonts") for p in (ASSETS / folder).iterdir()
)


def test_expected_files_exist() -> None:
    names = {p.relative_to(ASSETS).as_posix() for p in GENERATED}
    for image in ("ship", "shard", "shard_gold", "comet", "comet_tail", "glow", "particle",
                  "stars", "life", "icon"):
        assert f"images/{image}.png" in names
    for sound in ("pickup_1", "pickup_4", "gold", "hit", "game_over", "click", "chime",
                  "start", "speedup"):
        assert f"sounds/{sound}.wav" in names
    assert {"fonts/kgen_pixel.png", "fonts/kgen_pixel.json"} <= names


def test_assets_are_small() -> None:
    total = sum(p.stat().st_size for p in GENERATED)
    assert total < 1_000_000
    for path in GENERATED:
        if path.suffix == ".wav":
            assert path.stat().st_size < 100_000, path.name


def test_sounds_are_16_bit_wav() -> None:
    for path in GENERATED:
        if path.suffix != ".wav":
            continue
        with wave.open(str(path), "rb") as wav:
            assert wav.getsampwidth() == 2
            assert wav.getnchannels() == 1
            assert 0 < wav.getnframes() / wav.getframerate() < 2.0


def test_generator_reproduces_the_committed_assets(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, str(ASSETS / "make_assets.py"), "--out",
                             str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    for path in GENERATED:
        fresh = tmp_path / path.relative_to(ASSETS)
        assert fresh.exists(), path
        if path.suffix == ".png":
            old, new = pygame.image.load(str(path)), pygame.image.load(str(fresh))
            assert old.get_size() == new.get_size()
            old_bytes = pygame.image.tobytes(old, "RGBA")
            new_bytes = pygame.image.tobytes(new, "RGBA")
            if getattr(pygame, "IS_CE", False):
                # The assets were made with pygame 2.6; pygame-ce rasterises
                # polygon edges a little differently, so allow antialiasing noise.
                pairs = zip(old_bytes, new_bytes, strict=True)
                mean_diff = sum(abs(a - b) for a, b in pairs) / len(old_bytes)
                assert mean_diff <= 3.0, (path, mean_diff)
            else:
                assert old_bytes == new_bytes, path
        else:
            assert path.read_bytes() == fresh.read_bytes(), path


def test_font_metrics_cover_printable_ascii() -> None:
    metrics = json.loads((ASSETS / "fonts" / "kgen_pixel.json").read_text(encoding="utf-8"))
    assert metrics["first_char"] == 32 and metrics["last_char"] == 126
    assert len(metrics["widths"]) == 95
    assert all(1 <= w <= 5 for w in metrics["widths"][1:])


def test_readme_lists_every_file() -> None:
    readme = (ASSETS / "README.md").read_text(encoding="utf-8")
    for path in GENERATED:
        assert path.name in readme, path.name
    assert "made for this project" in readme.lower()
