"""What the local fake upstreams (fake_gedeon, fake_apimo) share: a threaded server on
127.0.0.1 used as a context manager, and a handler that answers JSON or bytes."""

from __future__ import annotations

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self


class JsonHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:
        pass

    def _json(self, status: int, payload: Any) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode()
        self._send(status, body, "application/json; charset=utf-8")

    def _send(self, status: int, body: bytes, content_type: str, cache: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if cache:
            self.send_header("Cache-Control", "public, max-age=86400")
        self.end_headers()
        self.wfile.write(body)


class FakeServer:
    """Serves `handler` on host:port (0: any free port) in a daemon thread."""

    def __init__(self, handler: type[BaseHTTPRequestHandler], *, host: str, port: int) -> None:
        self._server = ThreadingHTTPServer((host, port), handler)
        self._server.daemon_threads = True
        self.url = f"http://{host}:{self._server.server_port}"
        self._thread: threading.Thread | None = None

    def start(self) -> Self:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def run_until_interrupted(self, banner: str) -> None:
        """Serve in this thread (the command-line fakes) until Ctrl-C."""
        sys.stdout.write(banner + "\n")
        sys.stdout.flush()
        try:
            self.serve_forever()
        except KeyboardInterrupt:
            self.stop()
