"""A local HTTP server on 127.0.0.1 that misbehaves on purpose, for fetch tests.

It serves `files` ({url path: bytes}). `plan(n, path, k)` names the fault of the
n-th request overall, which is the k-th for its path (both count from 1), or None
to answer well:

- "reset": headers with the full Content-Length, half the body, then a TCP reset
- "truncate": headers with the full Content-Length, half the body, then a clean close
- "corrupt": the full length, with the bytes of the body's first half inverted
- a status such as "404", "500" or "503": that status, no body
- "429": status 429 with `Retry-After: 1`
- "drop": read the request, then a TCP reset before any answer
- "hang": accept the request and never answer (until the server stops)
- "stall": headers and half the body, then silence (until the server stops)

Every request is logged as (monotonic time, path, fault).
"""

from __future__ import annotations

import http.server
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

Plan = Callable[[int, str, int], str | None]


def never(_n: int, _path: str, _k: int) -> str | None:
    return None


@dataclass
class FaultyServer:
    files: dict[str, bytes]
    plan: Plan = never
    log: list[tuple[float, str, str | None]] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: object) -> None:
                pass

            def do_GET(self) -> None:
                with server._lock:
                    k = server.requests_for(self.path) + 1
                    fault = server.plan(len(server.log) + 1, self.path, k)
                    server.log.append((time.monotonic(), self.path, fault))
                server.answer(self, fault)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.host = f"127.0.0.1:{self.httpd.server_address[1]}"

    def answer(self, handler: http.server.BaseHTTPRequestHandler, fault: str | None) -> None:
        body = self.files.get(handler.path)
        if fault == "drop":
            self.reset(handler)
            return
        if fault == "hang":
            self.stopping.wait(60)
            handler.close_connection = True
            return
        if body is None or (fault or "").isdigit():
            status = 404 if body is None else int(fault or 404)
            handler.send_response(status)
            if status == 429:
                handler.send_header("Retry-After", "1")
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        if fault == "corrupt":
            half = len(body) // 2
            body = bytes(255 - b for b in body[:half]) + body[half:]
        handler.send_response(200)
        handler.send_header("Content-Type", "application/octet-stream")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if fault not in ("reset", "truncate", "stall"):
            handler.wfile.write(body)
            return
        handler.wfile.write(body[: len(body) // 2])
        handler.wfile.flush()
        handler.close_connection = True
        if fault == "stall":
            self.stopping.wait(60)
        elif fault == "reset":
            self.reset(handler)

    @staticmethod
    def reset(handler: http.server.BaseHTTPRequestHandler) -> None:
        """Close with SO_LINGER 0, so the client gets a TCP reset rather than a FIN."""
        handler.close_connection = True
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        handler.connection.close()

    def requests_for(self, path: str) -> int:
        return sum(1 for _, p, _ in self.log if p == path)

    def __enter__(self) -> FaultyServer:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()
