"""The base of every KGeN panel: a :class:`~kgen_pygame.ui.View` that knows the plugin.

A panel starts API calls only through ``kgen.actions`` (they return at once)
and hands each :class:`~kgen_pygame.runtime.calls.Call` to :meth:`Panel.run`,
which registers it with the overlay (so ``KGenOverlay.busy`` sees it) and
calls back on the game thread when it settles, inside ``KGen.update()``.

Every panel's frame carries a "SANDBOX" tag while the plugin talks to a
sandbox (``kgen.state.sandbox``), so play money is never mistaken for real.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, ClassVar, TypeVar, cast

from kgen_pygame.errors import KGenError, UsageError
from kgen_pygame.panels.formatting import UNAVAILABLE
from kgen_pygame.runtime.calls import Call
from kgen_pygame.ui import CellValue, Frame, Table, ToastTone, View, Widget

if TYPE_CHECKING:
    from kgen_pygame.actions import Actions
    from kgen_pygame.panels.overlay import KGenOverlay
    from kgen_pygame.runtime.plugin import OverlayHost

T = TypeVar("T")
U = TypeVar("U")
logger = logging.getLogger(__name__)

#: Panel frames: share of the window width, capped in design pixels.
FRAME_WIDTH = 0.88
FRAME_MAX_WIDTH = 980
FRAME_HEIGHT = 0.8
#: A list this long makes the panel's next re-layout spread over frames, its last
#: picture held meanwhile (:mod:`kgen_pygame.ui.held`).
SPREAD_LAYOUT_ROWS = 200
#: The tag on every panel (and the HUD badge) while the plugin talks to a sandbox.
SANDBOX_TAG = "SANDBOX"


def unchanged(seen: tuple[object, ...], before: tuple[object, ...] | None) -> bool:
    """True when ``seen`` holds the very objects of ``before`` (identity, never ``==``:
    comparing two 5,000-row answers field by field every frame costs milliseconds)."""
    return before is not None and len(seen) == len(before) and all(
        new is old for new, old in zip(seen, before, strict=True)
    )


class Panel(View):
    """One screen of the KGeN overlay.

    ``name`` is what ``KGen.open_menu(name)`` opens and what the
    ``OVERLAY_OPENED`` event reports.
    """

    name: ClassVar[str] = "panel"

    def __init__(self, overlay: KGenOverlay) -> None:
        super().__init__()
        self.overlay = overlay
        self.kgen: OverlayHost = overlay.kgen
        self.actions: Actions = overlay.kgen.actions
        self._frames: list[Frame] = []
        self._tagged = False

    def on_open(self) -> None:
        """Build the widgets (so the panel can fill them), then :meth:`on_show`."""
        self.ensure_built()
        self.on_show()

    def on_show(self) -> None:
        """The panel was opened: start loading what it shows."""

    # helpers for subclasses ---------------------------------------------------------

    def frame(
        self,
        title: str,
        body: Widget,
        *,
        subtitle: str | None = None,
        width: float = FRAME_WIDTH,
        height: float | None = FRAME_HEIGHT,
        max_width: float = FRAME_MAX_WIDTH,
    ) -> Frame:
        """The panel chrome every KGeN screen uses (with the SANDBOX tag when it applies)."""
        self._tagged = self.kgen.state.sandbox
        frame = Frame(
            title, body, subtitle=subtitle, width=width, height=height, max_width=max_width,
            tag=SANDBOX_TAG if self._tagged else None,
        )
        self._frames.append(frame)
        return frame

    def update(self, dt: float) -> None:
        """Per frame: animations, and the SANDBOX tag once the session says "sandbox"."""
        super().update(dt)
        sandbox = self.kgen.state.sandbox
        if sandbox != self._tagged:
            self._tagged = sandbox
            for frame in self._frames:
                frame.tag = SANDBOX_TAG if sandbox else None

    def run(
        self,
        call: Call[T],
        on_ok: Callable[[T], None],
        on_error: Callable[[KGenError], None] | None = None,
    ) -> Call[T]:
        """Track ``call`` and route its outcome to ``on_ok(result)`` or ``on_error(error)``."""
        self.overlay.track(call)

        def finished(done: Call[T]) -> None:
            if done.ok:
                on_ok(cast(T, done.result))
            elif on_error is not None:
                on_error(done.error or UsageError("the call failed"))

        call.on_done(finished)
        return call

    def run_prepared(
        self,
        call: Call[T],
        prepare: Callable[[T], U],
        on_ok: Callable[[U], None],
        on_error: Callable[[KGenError], None] | None = None,
    ) -> Call[T]:
        """As :meth:`run`, but ``prepare(result)`` runs first, on a worker thread
        (:meth:`~kgen_pygame.actions.Actions.prepare`), and ``on_ok`` gets what it built:
        the sorting, totals and lookups a 5,000-row answer needs stay off the game's frame.
        ``prepare`` must not touch pygame or the panel's widgets."""

        def prepared(result: T) -> None:
            self.run(self.actions.prepare(call.label, lambda: prepare(result)), on_ok, on_error)

        return self.run(call, prepared, on_error)

    def table_rows(
        self, items: Iterable[T], build: Callable[[T], list[CellValue]], columns: int
    ) -> list[list[CellValue]]:
        """One table row per item; an item that cannot be shown still gets a row
        (of "unavailable" cells), so a list the server sent never shows as empty."""
        return [self._safe_row(item, build, columns) for item in items]

    def show_rows(
        self,
        table: Table,
        items: Sequence[T],
        build: Callable[[T], list[CellValue]],
        columns: int,
        *,
        highlight: int | None = None,
    ) -> None:
        """Show one row per item in ``table``, built as they are needed (a few hundred a
        frame, see :meth:`Table.set_row_source`), never all in one frame; a row that
        cannot be shown reads "unavailable", as with :meth:`table_rows`. From
        :data:`SPREAD_LAYOUT_ROWS` items the re-layout this causes is spread over frames."""
        table.set_row_source(
            len(items), lambda index: self._safe_row(items[index], build, columns),
            highlight=highlight,
        )
        if len(items) >= SPREAD_LAYOUT_ROWS:
            self.spread_next_layout()

    def _safe_row(
        self, item: T, build: Callable[[T], list[CellValue]], columns: int
    ) -> list[CellValue]:
        try:
            return build(item)
        except Exception:
            logger.warning("a %s row could not be shown", self.name, exc_info=True)
            return [UNAVAILABLE] * columns

    def toast(self, text: str, tone: ToastTone = "success") -> None:
        """Show a short notification (it stays visible after the panel closes)."""
        self.overlay.ui.toast(text, tone)

    def push(self, panel: Panel) -> None:
        """Show ``panel`` over this one (Esc / B comes back here)."""
        if self.root is not None:
            self.root.push(panel)

    @property
    def is_shown(self) -> bool:
        """True while the panel is part of the overlay (even when covered)."""
        return self.root is not None

    @property
    def row_count(self) -> int:
        """Rows of the panel's main table (0 when it has none)."""
        return 0
