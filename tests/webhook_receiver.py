"""A webhook receiver on 127.0.0.1 for tests: keeps every request (headers and body), answers
with the status it is told, and can hold its answer until released."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    headers: dict[str, str]
    body: str


@dataclass
class Receiver:
    status: int = 204
    received: list[Received] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    def __post_init__(self) -> None:
        self.release.set()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                body = self.rfile.read(length).decode()
                with receiver.arrived:
                    receiver.received.append(Received(dict(self.headers), body))
                    receiver.arrived.notify_all()
                receiver.release.wait(timeout=30)
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def wait_for(self, count: int, timeout: float = 30.0) -> list[Received]:
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.received) >= count, timeout=timeout)
        assert len(self.received) >= count, f"{len(self.received)} of {count} arrived"
        return self.received

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
