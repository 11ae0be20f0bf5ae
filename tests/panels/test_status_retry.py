"""Retry is offered only when asking again can help (``messages.retry_helps``).

The status block and the message bar every panel uses, drawn for real on a dummy
display and read back as drawn text: a refused game setup (``CredentialsRejected``)
or a call the API does not offer says so without a Retry button; an outage, a
timeout, a server error or an unreadable answer offers one.
"""

from __future__ import annotations

from collections.abc import Iterator

import pygame
import pytest

from kgen_pygame import errors
from kgen_pygame.panels import messages
from kgen_pygame.panels.widgets import MessageBar, StatusBlock
from kgen_pygame.ui import Column, Frame, UIRoot, View, Widget


class Host(View):
    def __init__(self) -> None:
        super().__init__()
        self.bar = MessageBar()
        self.status = StatusBlock()

    def build(self) -> Widget:
        return Frame("Host", Column(self.bar, self.status))


@pytest.fixture
def host() -> Iterator[tuple[UIRoot, Host, pygame.Surface]]:
    pygame.init()
    screen = pygame.display.set_mode((1000, 700))
    root = UIRoot(size=screen.get_size())
    view = Host()
    root.open(view)
    yield root, view, screen
    pygame.quit()


def drawn(root: UIRoot, screen: pygame.Surface) -> tuple[str, list[str]]:
    root.update(1 / 60)
    root.draw(screen)
    texts = root.drawn_texts()
    return " ".join(texts), texts


SETUP_REFUSED = errors.CredentialsRejected(
    "POST /s2s/session failed: 401", status=401, operation="POST /s2s/session")
NOT_OFFERED = errors.NotSupportedError("the 'v1' API has no loyalty rewards")
HELPS = [
    errors.NetworkError("connection refused"),
    errors.RequestTimeout("GET /fe/wallet/balance took longer than 8 s"),
    errors.ServerError("GET /fe/wallet/balance failed: 503", status=503,
                       operation="GET /fe/wallet/balance"),
    errors.UnexpectedAnswerError("GET /fe/wallet/balance was answered with HTML"),
    errors.SessionExpired("GET /fe/wallet/balance failed: 401", status=401,
                          operation="GET /fe/wallet/balance"),
]


@pytest.mark.parametrize("error", [SETUP_REFUSED, NOT_OFFERED], ids=["setup", "not offered"])
def test_no_retry_where_it_cannot_help(
    host: tuple[UIRoot, Host, pygame.Surface], error: errors.KGenError
) -> None:
    root, view, screen = host
    pressed: list[str] = []
    view.status.show_error(error, lambda: pressed.append("status"))
    view.bar.show_error(error, lambda: pressed.append("bar"))
    shown, texts = drawn(root, screen)
    assert messages.player_message(error) in shown
    assert "Retry" not in texts
    assert not messages.retry_helps(error)


@pytest.mark.parametrize("error", HELPS, ids=lambda error: type(error).__name__)
def test_retry_where_it_can_help(
    host: tuple[UIRoot, Host, pygame.Surface], error: errors.KGenError
) -> None:
    root, view, screen = host
    pressed: list[str] = []
    view.status.show_error(error, lambda: pressed.append("status"))
    shown, texts = drawn(root, screen)
    assert messages.player_message(error) in shown
    assert texts.count("Retry") == 1
    view.bar.show_error(error, lambda: pressed.append("bar"))
    _, texts = drawn(root, screen)
    assert texts.count("Retry") == 2
    view.status.retry.on_press()  # type: ignore[misc]
    view.bar.button.on_press()  # type: ignore[misc]
    assert pressed == ["status", "bar"]
