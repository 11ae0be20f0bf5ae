"""Why the sandbox's request handler sets ``disable_nagle_algorithm``.

Two tiny keep-alive HTTP/1.1 servers on loopback, identical but for that one
flag, each answered by the same ``requests.Session`` loop in this process:
with Nagle's algorithm on, the handler's separate header and body writes meet
the client's delayed ACK and every request waits for it.

    python benchmarks/nagle_keepalive.py [--requests 200]
"""

from __future__ import annotations

import argparse
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests
from _harness import machine_line, write_section


def make_handler(no_delay: bool) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = no_delay

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            body = b"true"
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


def rate(no_delay: bool, count: int) -> float:
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(no_delay))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/api/v1/eventing"
    with requests.Session() as session:
        session.post(url, json={"warm": True}, timeout=5)
        start = time.perf_counter()
        for value in range(count):
            session.post(url, json={"score": value}, timeout=5)
        elapsed = time.perf_counter() - start
    server.shutdown()
    server.server_close()
    return count / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    with_nagle = rate(False, args.requests)
    without_nagle = rate(True, args.requests)
    lines = [
        "### Keep-alive on loopback: Nagle's algorithm in `http.server`",
        "",
        f"Command: `python benchmarks/nagle_keepalive.py --requests {args.requests}`  ",
        f"Machine: {machine_line()}",
        "",
        "| request handler | requests/s over one `requests.Session` | ratio |",
        "|---|---|---|",
        f"| default (Nagle on) | {with_nagle:,.0f} | 1.0 |",
        f"| `disable_nagle_algorithm = True` (the sandbox) | {without_nagle:,.0f} | "
        f"{without_nagle / with_nagle:,.0f}x |",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        write_section("nagle_keepalive", text)


if __name__ == "__main__":
    main()
