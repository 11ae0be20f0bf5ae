"""The gallery script renders every scene at both sizes (the PNGs are for eyes; this runs it)."""

from __future__ import annotations

from pathlib import Path

import pygame
from gallery import SCENES, SIZES, render_gallery


def test_gallery_writes_a_png_per_scene_and_size(tmp_path: Path, screen: pygame.Surface) -> None:
    written = render_gallery(tmp_path)
    assert len(written) == len(SCENES) * len(SIZES)
    for path in written:
        image = pygame.image.load(str(path))
        assert image.get_size() in SIZES
