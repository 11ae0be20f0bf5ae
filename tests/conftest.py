"""Shared test setup: headless SDL, and no test touches the real keyring or data dirs."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
# A developer's desktop keyring must never receive test tokens.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
