"""Clipboard text, failing soft where the platform or pygame flavour has none.

pygame-ce has ``pygame.scrap.get_text``/``put_text`` (SDL's clipboard). pygame 2.6
has only the older ``scrap.get(SCRAP_TEXT)``/``scrap.put`` which need
``scrap.init()`` after a display exists and may be unavailable (e.g. headless,
Wayland without X). Every failure returns ``None``/``False``; nothing raises.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable
from typing import Any

import pygame

logger = logging.getLogger(__name__)


def _scrap() -> Any:
    try:
        import pygame.scrap as scrap
    except (ImportError, NotImplementedError):
        return None
    return scrap


def _ensure_legacy_scrap(scrap: Any) -> bool:
    if not (pygame.display.get_init() and pygame.display.get_surface() is not None):
        return False
    if not scrap.get_init():
        scrap.init()
    return bool(scrap.get_init())


def get_clipboard_text() -> str | None:
    """The clipboard's text, or ``None`` when there is none or no clipboard can be read."""
    scrap = _scrap()
    if scrap is None:
        return None
    try:
        get_text: Callable[[], str] | None = getattr(scrap, "get_text", None)
        if get_text is not None:  # pygame-ce
            return get_text() or None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            if not _ensure_legacy_scrap(scrap):
                return None
            data = scrap.get(pygame.SCRAP_TEXT)
    except Exception as exc:  # pygame raises pygame.error, NotImplementedError, SDLError...
        logger.debug("Clipboard read unavailable: %s", exc)
        return None
    if not data:
        return None
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else str(data)
    return text.replace("\x00", "") or None


def set_clipboard_text(text: str) -> bool:
    """Put ``text`` on the clipboard (e.g. a "Copy address" button); False when impossible."""
    scrap = _scrap()
    if scrap is None:
        return False
    try:
        put_text: Callable[[str], None] | None = getattr(scrap, "put_text", None)
        if put_text is not None:  # pygame-ce
            put_text(text)
            return True
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            if not _ensure_legacy_scrap(scrap):
                return False
            scrap.put(pygame.SCRAP_TEXT, text.encode("utf-8"))
    except Exception as exc:  # see get_clipboard_text
        logger.debug("Clipboard write unavailable: %s", exc)
        return False
    return True
