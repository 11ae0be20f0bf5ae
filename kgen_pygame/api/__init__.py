"""The KGeN API client: :class:`KGenClient` and its parts.

``from kgen_pygame.api import KGenClient`` is all most code needs. The client
is a small face over separate parts: ``validation`` (argument checks),
``protocol`` (the interface of an API generation adapter), the adapters
``current`` (``/s2s`` + ``/fe``, the default), ``legacy`` (the current API with
the IndiGG session and grant paths) and ``v1`` (``/api/v1``), ``paths`` (path
parameters), ``transport`` (one request: timeouts, the request deadline, the
body cap, error mapping; with ``http_adapter`` and ``failures`` the only modules
that import ``requests``), ``readers`` (one module per area) and ``fields``
(tolerant response parsing into :mod:`kgen_pygame.models`, with the bounds of
what a reply can truthfully say) and ``jsoncodec`` (exact, stepwise Decimal JSON).

Importing this package is cheap: ``requests`` loads when the first client is
created.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kgen_pygame.api.client import KGenClient, supported_apis

__all__ = ["KGenClient", "supported_apis"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from kgen_pygame.api import client

        value = getattr(client, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
