"""A ``requests`` adapter whose connections report their sockets to the request deadline.

:class:`DeadlineAdapter` is a plain ``requests.adapters.HTTPAdapter`` whose
urllib3 pools create :class:`_WatchedHTTPConnection` /
:class:`_WatchedHTTPSConnection`. Those connections hand every socket they
get (the TCP socket before the TLS handshake, the TLS socket after it) and the
socket of a reused keep-alive connection to the thread's active
:class:`~kgen_pygame.api.deadline.RequestDeadline`, which shuts it down when
the deadline passes. Outside a deadline they behave exactly like urllib3's.

Proxies through ``HTTP(S)_PROXY`` get the same pools; SOCKS proxies keep
urllib3's own (their requests are bounded by the read timeouts and the
transport's between-chunk deadline checks only).
"""

from __future__ import annotations

from typing import Any, Final

import requests.adapters
import urllib3.connection
import urllib3.connectionpool
import urllib3.poolmanager

from kgen_pygame.api.deadline import active_deadline

__all__ = ["DeadlineAdapter"]


class _WatchedSocketMixin:
    """Makes ``self.sock`` report each socket assigned to it to the active deadline."""

    _watched_sock: Any = None

    @property
    def sock(self) -> Any:
        return self._watched_sock

    @sock.setter
    def sock(self, value: Any) -> None:
        self._watched_sock = value
        if value is not None:
            deadline = active_deadline()
            if deadline is not None:
                deadline.watch(value)

    def _watch_reused(self) -> None:
        deadline = active_deadline()
        if deadline is not None and self._watched_sock is not None:
            deadline.watch(self._watched_sock)


class _WatchedHTTPConnection(_WatchedSocketMixin, urllib3.connection.HTTPConnection):
    def request(self, *args: Any, **kwargs: Any) -> None:
        self._watch_reused()
        super().request(*args, **kwargs)


class _WatchedHTTPSConnection(_WatchedSocketMixin, urllib3.connection.HTTPSConnection):
    def request(self, *args: Any, **kwargs: Any) -> None:
        self._watch_reused()
        super().request(*args, **kwargs)


class _WatchedHTTPConnectionPool(urllib3.connectionpool.HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSConnectionPool(urllib3.connectionpool.HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


_POOLS: Final[dict[str, type[urllib3.connectionpool.HTTPConnectionPool]]] = {
    "http": _WatchedHTTPConnectionPool,
    "https": _WatchedHTTPSConnectionPool,
}


class DeadlineAdapter(requests.adapters.HTTPAdapter):
    """An ``HTTPAdapter`` whose connections can be shut down at a request's deadline."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(_POOLS)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if type(manager) is urllib3.poolmanager.ProxyManager:
            manager.pool_classes_by_scheme = dict(_POOLS)
        return manager
