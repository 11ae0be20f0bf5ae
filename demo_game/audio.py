"""Sound effects that fail soft.

No audio device, SDL_AUDIODRIVER=dummy, a mixer that will not start or a missing file: the game
keeps running silently and logs one line about it.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pygame

from demo_game.paths import SOUNDS_DIR

log = logging.getLogger(__name__)

# Ask for a small buffer so effects are not late; must run before pygame.init().
FREQUENCY, SAMPLE_SIZE, CHANNELS, BUFFER = 44100, -16, 2, 512


def preinit_mixer() -> None:
    """Set mixer parameters before pygame.init() (harmless if the mixer never starts)."""
    try:
        pygame.mixer.pre_init(FREQUENCY, SAMPLE_SIZE, CHANNELS, BUFFER)
    except (pygame.error, NotImplementedError, AttributeError) as exc:
        log.info("audio: mixer pre-init skipped (%s)", exc)


class Audio:
    """Loads every WAV in a folder and plays them by name; a silent no-op when unavailable."""

    def __init__(self, sound_dir: Path = SOUNDS_DIR, *, enabled: bool = True) -> None:
        self.sounds: dict[str, pygame.mixer.Sound] = {}
        self.available = False
        self.muted = not enabled
        self.reason = "disabled" if not enabled else ""
        if not enabled:
            return
        try:
            if not pygame.mixer.get_init():
                pygame.mixer.init(FREQUENCY, SAMPLE_SIZE, CHANNELS, BUFFER)
            pygame.mixer.set_num_channels(16)
        except (pygame.error, NotImplementedError, AttributeError) as exc:
            self.reason = f"mixer unavailable: {exc}"
            log.warning("audio: %s; playing without sound", self.reason)
            return
        self.available = True
        self._load(sound_dir)

    def _load(self, sound_dir: Path) -> None:
        for path in sorted(sound_dir.glob("*.wav")):
            try:
                self.sounds[path.stem] = pygame.mixer.Sound(str(path))
            except (pygame.error, FileNotFoundError) as exc:
                log.warning("audio: cannot load %s: %s", path.name, exc)
        if not self.sounds:
            log.warning("audio: no sounds found in %s", sound_dir)

    def play(self, name: str, volume: float = 1.0) -> bool:
        """Play a sound effect; returns False when nothing was played."""
        if self.muted or not self.available:
            return False
        sound = self.sounds.get(name)
        if sound is None:
            log.debug("audio: unknown sound %r", name)
            return False
        try:
            channel = sound.play()
            if channel is not None:
                channel.set_volume(max(0.0, min(1.0, volume)))
        except pygame.error as exc:  # device vanished mid-game
            log.warning("audio: playback failed (%s); muting", exc)
            self.available = False
            return False
        return True

    def toggle_mute(self) -> bool:
        """Flip mute; returns the new muted state."""
        self.muted = not self.muted
        if self.muted and self.available:
            pygame.mixer.stop()
        return self.muted
