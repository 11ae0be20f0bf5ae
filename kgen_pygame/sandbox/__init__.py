"""The KGeN sandbox: a local HTTP server speaking the KGeN API, backed by SQLite.

It serves the current generation (``/s2s``, ``/fe``), the legacy IndiGG paths and ``/api/v1``
from one store; ``SandboxConfig(documented_only=True)`` switches off every extension.

Start it in-process::

    from kgen_pygame.sandbox import SandboxConfig, SandboxServer

    with SandboxServer(SandboxConfig(db_path="sandbox.db")) as sandbox:
        print(sandbox.url)

or from a shell: ``python -m kgen_pygame.sandbox --port 8765 --db sandbox.db``.
Importing this package is cheap; the server modules load on first use of ``SandboxServer``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, Faults, Milestone, SandboxConfig

if TYPE_CHECKING:
    from .cli import main
    from .server import SandboxServer

__all__ = [
    "DEFAULT_CLIENT_ID",
    "DEFAULT_CLIENT_SECRET",
    "Faults",
    "Milestone",
    "SandboxConfig",
    "SandboxServer",
    "main",
]


def __getattr__(name: str) -> Any:
    if name == "SandboxServer":
        from .server import SandboxServer

        return SandboxServer
    if name == "main":
        from .cli import main

        return main
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
