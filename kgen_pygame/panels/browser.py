"""Opening a web page in the player's browser, never on the game thread.

``webbrowser.open`` starts a program and may wait for it (seconds, on some desktops), so
each page opens on a short-lived background thread and the frame goes on at once. The URL
is never logged: a K-Store link is a per-player hand-off (C22) and may carry a ticket.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

logger = logging.getLogger(__name__)

#: Opens a URL and says whether a browser took it (``webbrowser.open``'s contract).
UrlOpener = Callable[[str], object]


def system_browser(url: str) -> bool:
    """``webbrowser.open(url)`` (imported when first needed: it is slow to import)."""
    import webbrowser

    return webbrowser.open(url)


class BrowserOpener:
    """Opens URLs with ``opener`` on a background thread.

    ``opener`` is :func:`system_browser` unless replaced (tests, or a game that shows
    pages its own way); it is called with the URL only.
    """

    def __init__(self, opener: UrlOpener = system_browser) -> None:
        self.opener = opener

    def open(self, url: str) -> threading.Thread:
        """Start opening ``url``; returns the thread doing it (already started)."""
        opener = self.opener
        thread = threading.Thread(
            target=self._open, args=(opener, url), name="kgen-browser", daemon=True
        )
        thread.start()
        return thread

    @staticmethod
    def _open(opener: UrlOpener, url: str) -> None:
        try:
            opened = opener(url)
        except Exception as error:  # a background thread must never raise into nothing
            logger.warning("opening the player's browser failed (%s)", type(error).__name__)
            return
        if opened is False:
            logger.warning("no web browser could be opened for the KGeN Store")
