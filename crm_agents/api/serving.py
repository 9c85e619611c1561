"""Serving: the API's context from the composition root, and a uvicorn server in the
foreground (`crm-agents api`) or on a thread (the app's tests, `launch(block=False)`)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import uvicorn
from fastapi import FastAPI
from sqlalchemy.engine import Engine

from core.i18n import t
from core.settings import Settings
from crm_agents.api.context import ApiContext
from crm_agents.api.server import create_api
from crm_agents.composition import Assembly, assemble
from crm_agents.store.database import open_store, store_url


def api_context(assembly: Assembly, store: Engine | None = None) -> ApiContext:
    settings = assembly.settings
    return ApiContext(assembly, store if store is not None else open_store(store_url(settings)))


#: Seconds a stopping server gives the requests in progress before it cancels them.
GRACE_SECONDS = 3


@dataclass
class Running:
    """A server started on a thread; `close()` stops it and waits."""

    server: uvicorn.Server
    thread: threading.Thread

    def close(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


def run(app: FastAPI, host: str, port: int, block: bool = True) -> Running | None:
    """Serve `app`; with `block=False` on a thread, returned once it accepts connections."""
    # uvicorn's access log is off: a request line would be a log of every customer ID asked
    # for; the metrics count requests by route instead.
    # A stop waits at most GRACE seconds for requests in progress: an open stream (the app's
    # event stream in a browser tab, a client's heartbeat) never ends by itself and would hold
    # the shutdown for as long as it stays open.
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        access_log=False,
        log_level="warning",
        timeout_graceful_shutdown=GRACE_SECONDS,
    )
    server = uvicorn.Server(config)
    if block:
        server.run()
        return None
    thread = threading.Thread(target=server.run, name="http-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise OSError(f"the server did not start on {host}:{port}")
        time.sleep(0.05)
    return Running(server, thread)


def serve(settings: Settings, db: str | None = None) -> None:
    """`crm-agents api`: the API alone, on `api_host:api_port`."""
    assembly = assemble(settings, say=lambda line: print(line, flush=True))
    assembly.service.scores()  # listings need the scored base: made now, not on a request
    context = api_context(assembly, open_store(store_url(settings, db)))
    host, port = settings.api_host, settings.api_port
    print(t("api.serve.listening", settings.language, host=host, port=port), flush=True)
    run(create_api(settings, context), host, port)
