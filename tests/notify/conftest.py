"""A robot webhook server on 127.0.0.1 (an ephemeral port), recording what it receives."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


class RobotServer:
    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.answer: tuple[int, dict[str, Any]] = (200, {"errcode": 0, "errmsg": "ok"})
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                server.received.append(
                    {"path": self.path, "headers": dict(self.headers), "json": json.loads(body or b"{}")}
                )
                status, data = server.answer
                payload = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def robot_server(settings: Any) -> Iterator[RobotServer]:
    settings.NOTIFY_WEBHOOK_HOSTS = ["127.0.0.1"]
    server = RobotServer()
    yield server
    server.close()
