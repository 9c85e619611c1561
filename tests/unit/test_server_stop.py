"""Stopping a server started on a thread ends it even while a client holds a stream open (a
browser tab's event stream, a Gradio client's heartbeat): the stop gives requests in progress
a grace period, then cancels them, instead of waiting for the stream to end."""

from __future__ import annotations

import asyncio
import socket
import threading

import httpx
from fastapi import FastAPI
from fastapi.responses import StreamingResponse

from crm_agents.api.serving import run


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _endless_stream_app(opened: threading.Event) -> FastAPI:
    app = FastAPI()

    async def beats():
        opened.set()
        while True:
            yield b"data: beat\n\n"
            await asyncio.sleep(0.2)

    @app.get("/events")
    def events() -> StreamingResponse:
        return StreamingResponse(beats(), media_type="text/event-stream")

    return app


def test_a_server_stops_while_a_client_holds_a_stream_open():
    opened = threading.Event()
    port = _free_port()
    running = run(_endless_stream_app(opened), "127.0.0.1", port, block=False)
    assert running is not None

    def listen() -> None:
        try:
            with httpx.stream("GET", f"http://127.0.0.1:{port}/events", timeout=None) as reply:
                for _ in reply.iter_lines():
                    pass
        except httpx.HTTPError:
            pass  # the server cut the stream: what a stop must do

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    assert opened.wait(10)
    running.close()
    assert not running.thread.is_alive()
    listener.join(timeout=10)
    assert not listener.is_alive()
