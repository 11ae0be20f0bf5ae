"""A loopback proxy in front of the sandbox that fails chosen requests (a server failing
halfway through an apply): the sandbox's own fault injection is random, this is exact."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

#: From (method, path, how many requests of that method came before): None forwards,
#: "refuse" answers 503 without forwarding, "lose" forwards and then answers 503 (a lost reply).
FailRule = Callable[[str, str, int], "str | None"]


_FAULT = json.dumps({"errorCode": "INTERNAL", "message": "proxy fault"}).encode()


class FailingProxy:
    """Forwards every request to ``upstream``, except those ``fail`` picks (see FailRule)."""

    def __init__(self, upstream: str, fail: FailRule) -> None:
        self.upstream = upstream
        self.fail = fail
        self.seen: list[tuple[str, str, int]] = []
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                return

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                with proxy._lock:
                    count = sum(1 for method, _p, _s in proxy.seen if method == self.command)
                    fault = proxy.fail(self.command, self.path, count)
                answer: tuple[int, bytes, str, dict[str, str]]
                if fault == "refuse":
                    answer = (503, _FAULT, "application/json", {})
                else:
                    headers = {k: v for k, v in self.headers.items()
                               if k.lower() not in ("host", "content-length", "connection")}
                    reply = requests.request(self.command, proxy.upstream + self.path,
                                             headers=headers, data=body, timeout=10)
                    if fault == "lose":
                        answer = (503, _FAULT, "application/json", {})
                    else:
                        answer = (reply.status_code, reply.content,
                                  reply.headers.get("Content-Type", "application/json"),
                                  {k: v for k, v in reply.headers.items()
                                   if k.lower().startswith("x-kgen")})
                # Recorded before the answer goes out: a client that exits on it must find
                # it in ``seen`` (recorded after, a loaded machine showed it missing).
                with proxy._lock:
                    proxy.seen.append((self.command, self.path, answer[0]))
                self._send(*answer)

            def _send(self, status: int, body: bytes, kind: str,
                      extra: dict[str, str] | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                for key, value in (extra or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                if body:
                    self.wfile.write(body)

            do_GET = do_PUT = do_POST = do_DELETE = _handle  # noqa: N815

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FailingProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
